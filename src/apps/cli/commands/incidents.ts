import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { ConfigError, isSeverity, type Severity } from '../../../core/index.js';
import { buildIncidentView, correlate } from '../../../correlate/index.js';
import {
  INCIDENT_STATUSES,
  type Incident,
  type IncidentPatch,
  type IncidentStatus,
  type Store,
} from '../../../store/index.js';
import { EXIT_OK, write, type CliIO } from '../io.js';
import { parsePositiveInt, resolveDbPath } from '../options.js';
import { renderIncidentList, renderIncidentView } from '../output/incident-view.js';
import { colorsFor, safeText } from '../output/terminal.js';
import { openStore } from './scan.js';

/** Findings named in one `incident split`. */
const MAX_SPLIT_FINDINGS = 10_000;

interface DbFlags {
  db?: string;
}

const dbOption = () =>
  new Option('--db <path>', 'findings store (default: $EMOGUARD_DB or ./emoguard.db)');

function parseStatus(value: string): IncidentStatus {
  if (!(INCIDENT_STATUSES as readonly string[]).includes(value)) {
    throw new ConfigError(
      'E_CONFIG_STATUS',
      `status is one of ${INCIDENT_STATUSES.join(', ')}, got "${value}"`,
    );
  }
  return value as IncidentStatus;
}

function parseSeverity(value: string): Severity {
  if (!isSeverity(value)) {
    throw new ConfigError(
      'E_CONFIG_SEVERITY',
      `severity is info, low, medium, high or critical, got "${value}"`,
    );
  }
  return value;
}

function parseIdList(value: string): number[] {
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(parsePositiveInt);
  if (ids.length === 0 || ids.length > MAX_SPLIT_FINDINGS) {
    throw new ConfigError(
      'E_CONFIG_NUMBER',
      `name 1 to ${MAX_SPLIT_FINDINGS} finding ids, comma-separated`,
    );
  }
  return ids;
}

/** Reading an incident needs an existing store: a typo in --db must not silently create an empty one. */
async function withStore<T>(
  flags: DbFlags,
  io: CliIO,
  use: (store: Store) => Promise<T>,
): Promise<T> {
  const path = resolveDbPath(flags.db, io.env);
  if (!existsSync(path)) {
    throw new ConfigError(
      'E_STORE_MISSING',
      `no store at ${path} (run scan, hunt or triage first, or pass --db)`,
    );
  }
  const store = await openStore(path);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

const author = (io: CliIO, flag: string | undefined) =>
  flag ?? io.env.EMOGUARD_USER ?? io.env.USER ?? 'analyst';

const incidentJson = (i: Incident) => JSON.stringify(i);

/**
 * `emoguard incidents` and `emoguard incident show|set|merge|split|correlate`: the responder's view of the
 * incidents correlation built from every layer's findings.
 */
export function registerIncidents(
  program: Command,
  io: CliIO,
  setExit: (code: number) => void,
): void {
  program
    .command('incidents')
    .description('list incidents (one per compromised host or attacked mailbox), newest first')
    .option('--json', 'one JSON object per incident, one per line')
    .addOption(new Option('--status <status>', 'only this status').choices([...INCIDENT_STATUSES]))
    .addOption(dbOption())
    .action(async (flags: DbFlags & { json?: boolean; status?: IncidentStatus }) => {
      await withStore(flags, io, async (store) => {
        const list = await store.listIncidents(
          flags.status === undefined ? {} : { status: flags.status },
        );
        const text = flags.json
          ? list.map((i) => `${incidentJson(i)}\n`).join('')
          : renderIncidentList(list, colorsFor(io.stdout as NodeJS.WriteStream, io.env));
        await write(io.stdout, text);
      });
      setExit(EXIT_OK);
    });

  const incident = program
    .command('incident')
    .description('show, update, merge or split one incident');

  incident
    .command('show')
    .description(
      'the incident whole: kill chain, timeline, scope, process tree, mails, IOCs, ATT&CK, notes',
    )
    .argument('<id>', 'incident id', parsePositiveInt)
    .option('--json', 'the incident view as one JSON object')
    .addOption(dbOption())
    .action(async (id: number, flags: DbFlags & { json?: boolean }) => {
      await withStore(flags, io, async (store) => {
        const view = await buildIncidentView(store, id);
        const notes = view.notes ?? [];
        await write(
          io.stdout,
          flags.json
            ? `${JSON.stringify({ ...view, notes })}\n`
            : renderIncidentView(view, notes, colorsFor(io.stdout as NodeJS.WriteStream, io.env)),
        );
      });
      setExit(EXIT_OK);
    });

  incident
    .command('set')
    .description('change status, owner, title or severity, and add a note')
    .argument('<id>', 'incident id', parsePositiveInt)
    .addOption(
      new Option('--status <status>', 'new status')
        .choices([...INCIDENT_STATUSES])
        .argParser(parseStatus),
    )
    .option('--owner <name>', 'who handles it ("" to clear)')
    .option('--title <text>', 'new title')
    .option('--severity <severity>', 'new severity', parseSeverity)
    .option('--note <text>', 'append a note')
    .option('--author <name>', 'author of the note (default: $EMOGUARD_USER or $USER)')
    .option('--json', 'print the updated incident as JSON')
    .addOption(dbOption())
    .action(async (id: number, flags: DbFlags & SetFlags) => {
      await withStore(flags, io, async (store) => {
        const patch: IncidentPatch = {
          ...(flags.status === undefined ? {} : { status: flags.status }),
          ...(flags.owner === undefined ? {} : { owner: flags.owner === '' ? null : flags.owner }),
          ...(flags.title === undefined ? {} : { title: flags.title }),
          ...(flags.severity === undefined ? {} : { severity: flags.severity }),
        };
        if (Object.keys(patch).length === 0 && flags.note === undefined) {
          throw new ConfigError(
            'E_CONFIG_NOTHING',
            'nothing to set: give --status, --owner, --title, --severity or --note',
          );
        }
        // The incident must exist before anything is written (updateIncident checks; a note alone too).
        let updated = await store.updateIncident(id, patch);
        if (flags.note !== undefined) {
          await store.addIncidentNote(id, { author: author(io, flags.author), text: flags.note });
          updated = (await store.getIncident(id))!;
        }
        await write(
          io.stdout,
          flags.json
            ? `${incidentJson(updated)}\n`
            : `Incident #${id} updated: ${updated.status}, ${updated.severity}, owner ${safeText(updated.owner ?? '-')}\n`,
        );
      });
      setExit(EXIT_OK);
    });

  incident
    .command('merge')
    .description(
      'move the findings of SOURCE incidents into TARGET; sources are closed with a note',
    )
    .argument('<target>', 'incident that remains', parsePositiveInt)
    .argument('<sources...>', 'incidents merged into it')
    .option('--author <name>', 'author of the merge notes')
    .addOption(dbOption())
    .action(async (target: number, sources: string[], flags: DbFlags & { author?: string }) => {
      const ids = sources.map(parsePositiveInt);
      await withStore(flags, io, async (store) => {
        const merged = await store.mergeIncidents(target, ids, {
          author: author(io, flags.author),
        });
        await write(
          io.stdout,
          `Merged #${ids.join(', #')} into #${target}: ${merged.findingIds.length} finding(s), ${merged.severity}\n`,
        );
      });
      setExit(EXIT_OK);
    });

  incident
    .command('split')
    .description('move chosen findings out of an incident into a new one')
    .argument('<id>', 'incident id', parsePositiveInt)
    .requiredOption(
      '--findings <ids>',
      'finding row ids, comma-separated (see incident show --json)',
      parseIdList,
    )
    .option('--title <text>', 'title of the new incident')
    .option('--author <name>', 'author of the split notes')
    .addOption(dbOption())
    .action(
      async (
        id: number,
        flags: DbFlags & { findings: number[]; title?: string; author?: string },
      ) => {
        await withStore(flags, io, async (store) => {
          const created = await store.splitIncident(id, flags.findings, {
            ...(flags.title === undefined ? {} : { title: flags.title }),
            author: author(io, flags.author),
          });
          await write(
            io.stdout,
            `Split ${flags.findings.length} finding(s) of #${id} into new incident #${created.id}\n`,
          );
        });
        setExit(EXIT_OK);
      },
    );

  incident
    .command('correlate')
    .description('run a correlation pass now (scan, hunt, triage and demo run one after storing)')
    .option('--full', 're-read every stored finding, not only the new ones (idempotent)')
    .addOption(dbOption())
    .action(async (flags: DbFlags & { full?: boolean }) => {
      await withStore(flags, io, async (store) => {
        const s = await correlate(store, { full: flags.full === true });
        await write(
          io.stdout,
          `Correlated: ${s.created.length} incident(s) created, ${s.updated.length} updated, ${s.linked} finding link(s)\n`,
        );
      });
      setExit(EXIT_OK);
    });
}

interface SetFlags {
  status?: IncidentStatus;
  owner?: string;
  title?: string;
  severity?: Severity;
  note?: string;
  author?: string;
  json?: boolean;
}
