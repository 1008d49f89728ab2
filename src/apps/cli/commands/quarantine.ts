import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import type { Command } from 'commander';
import { ConfigError } from '../../../core/index.js';
import {
  createRelay,
  parseHostPort,
  QuarantineDir,
  type QuarantineRecord,
} from '../../smtp/index.js';
import { EXIT_OK, write, type CliIO } from '../io.js';
import { oneLine, safeText } from '../output/terminal.js';
import { resolveDbPath } from '../options.js';
import { quarantineDirOf } from './filter.js';
import { openStore } from './scan.js';

interface DirFlags {
  dir?: string;
  json?: boolean;
  all?: boolean;
  db?: string;
  store: boolean;
}

/** The folder, with the store's quarantine rows when the store exists (never created here). */
async function openQuarantine(
  flags: DirFlags,
  env: NodeJS.ProcessEnv,
): Promise<{ dir: QuarantineDir; close(): Promise<void> }> {
  const dbPath = resolveDbPath(flags.db, env);
  const store =
    flags.store && (flags.db || existsSync(dbPath)) ? await openStore(dbPath) : undefined;
  return {
    dir: new QuarantineDir(quarantineDirOf(flags.dir, env), store?.quarantine),
    close: async () => store?.close(),
  };
}

/** The record of a mail still held: a released or deleted mail is not released or deleted twice. */
async function heldRecord(dir: QuarantineDir, id: string) {
  const record = await dir.get(id);
  if (record.releasedAt)
    throw new ConfigError(
      'E_QUARANTINE_CLOSED',
      `${id} was already released or deleted at ${record.releasedAt}`,
    );
  return record;
}

export function registerQuarantine(
  program: Command,
  io: CliIO,
  setExit: (code: number) => void,
): void {
  const q = program
    .command('quarantine')
    .description('list, inspect, release or delete quarantined mail');
  const dirOption = '--dir <dir>';
  const dirHelp = 'quarantine folder (default: $EMOGUARD_QUARANTINE or ./quarantine)';
  const dbOption = '--db <path>';
  const dbHelp =
    'store with the quarantine rows (default: $EMOGUARD_DB or ./emoguard.db, when it exists)';
  const noStore = '--no-store';
  const noStoreHelp = 'only the folder: ignore the store';
  // Every verb runs with the store's rows when there are some, and closes the store afterwards.
  const withDir = async <T>(
    flags: DirFlags,
    use: (dir: QuarantineDir) => Promise<T>,
  ): Promise<T> => {
    const q = await openQuarantine(flags, io.env);
    try {
      return await use(q.dir);
    } finally {
      await q.close();
    }
  };
  q.command('list')
    .description('quarantined messages, oldest first (released/deleted ones with --all)')
    .option(dirOption, dirHelp)
    .option(dbOption, dbHelp)
    .option(noStore, noStoreHelp)
    .option('--json', 'one JSON record per line')
    .option('--all', 'include released and deleted messages')
    .action(async (flags: DirFlags) => {
      const records = (await withDir(flags, (dir) => dir.list())).filter(
        (r) => flags.all || !r.releasedAt,
      );
      for (const r of records)
        await write(io.stdout, flags.json ? `${JSON.stringify(r)}\n` : `${summary(r)}\n`);
      setExit(EXIT_OK);
    });
  q.command('show')
    .description(
      "a quarantined message's record: envelope, subject, verdict, why (never its content)",
    )
    .argument('<id>')
    .option(dirOption, dirHelp)
    .option(dbOption, dbHelp)
    .option(noStore, noStoreHelp)
    .action(async (id: string, flags: DirFlags) => {
      const r = await withDir(flags, (dir) => dir.get(id));
      await write(io.stdout, `${safeText(JSON.stringify(r, null, 2))}\n`);
      setExit(EXIT_OK);
    });
  q.command('release')
    .description(
      're-inject a quarantined message to its original recipients (or --to) through --next-hop',
    )
    .argument('<id>')
    .requiredOption(
      '--next-hop <host:port>',
      'SMTP server that delivers it (e.g. Postfix on 127.0.0.1:10026)',
    )
    .option('--to <address...>', 'deliver to these addresses instead of the original recipients')
    .option('--reason <text>', 'why (kept with the record)')
    .option(dirOption, dirHelp)
    .option(dbOption, dbHelp)
    .option(noStore, noStoreHelp)
    .action(
      async (id: string, flags: DirFlags & { nextHop: string; to?: string[]; reason?: string }) =>
        withDir(flags, async (dir) => {
          const record = await heldRecord(dir, id);
          const relay = createRelay(parseHostPort(flags.nextHop, '--next-hop'), hostname());
          try {
            const response = await relay.send(
              { from: record.envelope.from, to: flags.to ?? record.envelope.to },
              await dir.message(record),
            );
            const reason = flags.reason ? { reason: flags.reason } : {};
            await dir.close(
              record,
              { status: 'released', actor: userInfo().username, ...reason },
              true,
            );
            await write(io.stdout, `released ${id}: ${oneLine(response, 200)}\n`);
          } finally {
            relay.close();
          }
          setExit(EXIT_OK);
        }),
    );
  q.command('export')
    .description(
      'write a quarantined message to a file for analysis (it is malware: handle with care)',
    )
    .argument('<id>')
    .requiredOption('--out <file>', 'where to write the .eml')
    .option(dirOption, dirHelp)
    .option(dbOption, dbHelp)
    .option(noStore, noStoreHelp)
    .action(async (id: string, flags: DirFlags & { out: string }) =>
      withDir(flags, async (dir) => {
        await writeFile(flags.out, await dir.message(await dir.get(id)), { mode: 0o600 });
        setExit(EXIT_OK);
      }),
    );
  q.command('delete')
    .description('delete a quarantined message (its record stays as the audit trail)')
    .argument('<id>')
    .option(dirOption, dirHelp)
    .option(dbOption, dbHelp)
    .option(noStore, noStoreHelp)
    .option('--reason <text>', 'why (kept with the record)')
    .action(async (id: string, flags: DirFlags & { reason?: string }) =>
      withDir(flags, async (dir) => {
        const record = await heldRecord(dir, id);
        const reason = flags.reason ? { reason: flags.reason } : {};
        await dir.close(record, { status: 'deleted', actor: userInfo().username, ...reason }, true);
        await write(io.stdout, `deleted ${id}\n`);
        setExit(EXIT_OK);
      }),
    );
}

function summary(r: QuarantineRecord): string {
  const state = r.releasedAt ? ` [${r.releasedBy ?? 'closed'}]` : '';
  return `${r.id}  ${r.verdict.padEnd(10)} ${oneLine(r.envelope.from, 40)} → ${oneLine(r.envelope.to.join(','), 40)}  ${oneLine(r.subject, 60)}${state}`;
}
