import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Option, type Command } from 'commander';
import { ConfigError, describeError } from '../../../core/index.js';
import {
  INTEL_FORMATS,
  IOC_TYPES,
  toBlocklist,
  toStixBundle,
  toSuricataRules,
  SURICATA_SID_BASE,
  type ExportIoc,
  type IntelFormat,
} from '../../../formats/intel/index.js';
import type { IntelRecord, IntelType, Store } from '../../../store/index.js';
import { feedRows, type FeedOutcome } from '../../intel-import/index.js';
import { EXIT_ERROR, EXIT_OK, write, type CliIO } from '../io.js';
import { collect, parsePositiveInt, resolveDbPath } from '../options.js';
import { safeText } from '../output/terminal.js';
import { openStore } from './scan.js';

/** Anomalies printed per file (all are counted). */
const SHOWN_ANOMALIES = 20;
const EXPORT_FORMATS = [
  'suricata',
  'blocklist-ip',
  'blocklist-domain',
  'blocklist-url',
  'stix',
] as const;
type ExportFormat = (typeof EXPORT_FORMATS)[number];

interface ImportFlags {
  format: IntelFormat | 'auto';
  source?: string;
  ttl?: string;
  db?: string;
  json?: boolean;
}

export function registerIntel(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const intel = program
    .command('intel')
    .description('threat-intel indicators: import feeds, list, stats, expire, export');
  const db = () =>
    new Option('--db <path>', 'findings store (default: $EMOGUARD_DB or ./emoguard.db)');

  intel
    .command('import')
    .description(
      'import feeds: abuse.ch Feodo/URLhaus/ThreatFox/SSLBL, MISP feed folders, STIX 2.1, plain lists',
    )
    .argument('<paths...>', 'feed files or folders (a folder with manifest.json is a MISP feed)')
    .addOption(
      new Option('--format <format>', 'feed format')
        .choices(['auto', ...INTEL_FORMATS])
        .default('auto'),
    )
    .option(
      '--source <name>',
      'name the feed (default: from the feed, e.g. feodotracker, urlhaus, misp:<org>)',
    )
    .option(
      '--ttl <days>',
      'days an indicator stays live after last seen when the feed gives no expiry (0: never)',
    )
    .option('--json', 'one JSON summary line per file')
    .addOption(db())
    .action(async (paths: string[], flags: ImportFlags) =>
      setExit(await runImport(paths, flags, io)),
    );

  intel
    .command('list')
    .description('list indicators in insertion order')
    .addOption(new Option('--type <type>', 'only this type').choices([...IOC_TYPES]))
    .option('--source <name>', 'only this feed')
    .option('--value <value>', 'only this exact value')
    .option('--active', 'leave out expired indicators')
    .option('--limit <n>', 'at most N rows (default 100, at most 10000)', parsePositiveInt)
    .option('--offset <n>', 'skip N rows', (v) => Number(v))
    .option('--json', 'one JSON object per line')
    .addOption(db())
    .action(async (flags: ListFlags) => setExit(await runList(flags, io)));

  intel
    .command('stats')
    .description('indicators by type and feed, active and expired')
    .option('--json', 'one JSON object')
    .addOption(db())
    .action(async (flags: { json?: boolean; db?: string }) => setExit(await runStats(flags, io)));

  intel
    .command('expire')
    .description('delete indicators past their expiry')
    .option('--source <name>', 'only this feed')
    .addOption(db())
    .action(async (flags: { source?: string; db?: string }) => {
      await withStore(flags.db, io, async (store) => {
        const n = await store.expireIntel(
          flags.source === undefined ? {} : { source: flags.source },
        );
        await write(io.stdout, `expired ${n} indicator(s)\n`);
      });
      setExit(EXIT_OK);
    });

  intel
    .command('export')
    .description(
      `Suricata rules (sids from ${SURICATA_SID_BASE}), blocklists, or a STIX 2.1 bundle`,
    )
    .addOption(
      new Option('--format <format>', 'what to write')
        .choices([...EXPORT_FORMATS])
        .makeOptionMandatory(),
    )
    .option('--out <file>', 'write to FILE instead of standard output')
    .option('--source <name>', 'only this feed (repeatable)', collect)
    .option('--include-expired', 'also expired indicators')
    .option('--sid-base <n>', `first Suricata sid (default ${SURICATA_SID_BASE})`, parsePositiveInt)
    .option('--squid', 'blocklist-domain in Squid dstdomain form (.example.com, subdomains folded)')
    .addOption(db())
    .action(async (flags: ExportFlags) => setExit(await runExport(flags, io)));
}

async function withStore<T>(
  dbFlag: string | undefined,
  io: CliIO,
  work: (store: Store) => Promise<T>,
  options: { create?: boolean } = {},
): Promise<T> {
  const path = resolveDbPath(dbFlag, io.env);
  if (!options.create && !existsSync(path)) {
    throw new ConfigError(
      'E_STORE_MISSING',
      `no store at ${path}: run \`emoguard intel import\` first, or pass --db`,
    );
  }
  const store = await openStore(path);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** Files to import: folders walked in name order; a folder with manifest.json is read as a MISP feed. */
async function feedFiles(
  paths: readonly string[],
  io: CliIO,
): Promise<{ files: string[]; errors: number }> {
  const files: string[] = [];
  let errors = 0;
  const visit = async (path: string): Promise<void> => {
    const info = await stat(path);
    if (!info.isDirectory()) {
      files.push(path);
      return;
    }
    const names = (await readdir(path)).sort();
    if (names.includes('manifest.json')) {
      const manifest = JSON.parse(await readFile(join(path, 'manifest.json'), 'utf8')) as unknown;
      const ids = manifest && typeof manifest === 'object' ? Object.keys(manifest) : [];
      for (const id of ids) {
        if (!/^[0-9a-f-]{36}$/i.test(id)) continue;
        if (names.includes(`${id}.json`)) files.push(join(path, `${id}.json`));
        else {
          errors++;
          await write(
            io.stderr,
            `emoguard: ${safeText(path)}: manifest.json lists ${id} but ${id}.json is missing\n`,
          );
        }
      }
      return;
    }
    for (const name of names) if (!name.startsWith('.')) await visit(join(path, name));
  };
  for (const path of paths) {
    try {
      await visit(path);
    } catch (error) {
      errors++;
      await write(io.stderr, `emoguard: ${safeText(path)}: ${describeError(error)}\n`);
    }
  }
  return { files, errors };
}

async function runImport(paths: string[], flags: ImportFlags, io: CliIO): Promise<number> {
  const ttl = flags.ttl === undefined ? undefined : Number(flags.ttl);
  if (ttl !== undefined && (!Number.isSafeInteger(ttl) || ttl < 0)) {
    throw new ConfigError('E_CONFIG_NUMBER', `--ttl wants a number of days, got "${flags.ttl}"`);
  }
  const { files, errors: walkErrors } = await feedFiles(paths, io);
  let errors = walkErrors;
  const now = new Date();
  await withStore(
    flags.db,
    io,
    async (store) => {
      const queued = new Set(files);
      for (let f = 0; f < files.length; f++) {
        const file = files[f]!;
        const started = Date.now();
        let outcome: FeedOutcome | undefined;
        // One transaction per file, fed batch by batch as the file is read (in a worker thread for
        // big feeds): memory holds a few batches.
        const rows = feedRows(
          {
            file,
            format: flags.format,
            ...(flags.source === undefined ? {} : { source: flags.source }),
            ...(ttl === undefined ? {} : { ttlDays: ttl }),
            now: now.getTime(),
          },
          (o) => (outcome = o),
        );
        let inserted = 0;
        let updated = 0;
        try {
          const r = await store.importIntelStream(rows, { importedAt: now });
          inserted = r.inserted;
          updated = r.updated;
        } catch (error) {
          errors++;
          await write(
            io.stderr,
            `emoguard: ${safeText(file)}: ${describeError(error)} (nothing imported from it)\n`,
          );
          continue;
        }
        const { summary, anomalies } = outcome!;
        // A manifest.json given as a file: its event files, next to it, are the feed.
        for (const id of summary.manifest ?? []) {
          const event = join(dirname(file), `${id}.json`);
          if (!queued.has(event)) {
            queued.add(event);
            files.push(event);
          }
        }
        for (const a of anomalies.slice(0, SHOWN_ANOMALIES)) {
          await write(
            io.stderr,
            `${safeText(a.location ?? file)}: ${a.code}: ${safeText(a.message)}\n`,
          );
        }
        if (summary.anomalyCount > SHOWN_ANOMALIES) {
          await write(
            io.stderr,
            `${safeText(file)}: ${summary.anomalyCount - SHOWN_ANOMALIES} more anomalies not shown\n`,
          );
        }
        const line = {
          path: file,
          format: summary.format,
          source: summary.source ?? null,
          indicators: summary.iocs,
          inserted,
          updated,
          skipped: summary.skipped,
          anomalies: summary.anomalyCount,
          ms: Date.now() - started,
        };
        await write(
          io.stdout,
          flags.json
            ? `${JSON.stringify(line)}\n`
            : `${safeText(file)}: ${line.format} (${safeText(line.source ?? 'per record')}), ` +
                `${line.indicators} indicator(s): ${inserted} new, ${updated} updated; ${line.skipped} skipped, ` +
                `${line.anomalies} anomal${line.anomalies === 1 ? 'y' : 'ies'} (${(line.ms / 1000).toFixed(2)} s)\n`,
        );
      }
    },
    { create: true },
  );
  return errors > 0 ? EXIT_ERROR : EXIT_OK;
}

interface ListFlags {
  type?: IntelType;
  source?: string;
  value?: string;
  active?: boolean;
  limit?: number;
  offset?: number;
  json?: boolean;
  db?: string;
}

const day = (d: Date | null) => (d === null ? '-' : d.toISOString().slice(0, 10));

async function runList(flags: ListFlags, io: CliIO): Promise<number> {
  if (flags.offset !== undefined && !(Number.isSafeInteger(flags.offset) && flags.offset >= 0)) {
    throw new ConfigError('E_CONFIG_NUMBER', '--offset wants a non-negative integer');
  }
  const rows = await withStore(flags.db, io, (store) =>
    store.listIntel({
      ...(flags.type ? { type: flags.type } : {}),
      ...(flags.source !== undefined ? { source: flags.source } : {}),
      ...(flags.value !== undefined ? { value: flags.value } : {}),
      ...(flags.active ? { activeOnly: true } : {}),
      ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
      ...(flags.offset !== undefined ? { offset: flags.offset } : {}),
    }),
  );
  if (flags.json) {
    for (const row of rows) await write(io.stdout, `${JSON.stringify(row)}\n`);
    return EXIT_OK;
  }
  const table = rows.map((r) => [
    r.type,
    r.value,
    r.source,
    r.malware ?? '-',
    day(r.lastSeen),
    day(r.expiresAt),
  ]);
  await write(
    io.stdout,
    renderTable(['TYPE', 'VALUE', 'SOURCE', 'MALWARE', 'LAST SEEN', 'EXPIRES'], table),
  );
  return EXIT_OK;
}

function renderTable(header: string[], rows: string[][]): string {
  const cells = rows.map((r) => r.map((c) => safeText(c.length > 100 ? `${c.slice(0, 99)}…` : c)));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    `${r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()}\n`;
  return line(header) + cells.map(line).join('');
}

async function runStats(flags: { json?: boolean; db?: string }, io: CliIO): Promise<number> {
  const stats = await withStore(flags.db, io, (store) => store.intelStats());
  if (flags.json) {
    await write(io.stdout, `${JSON.stringify(stats)}\n`);
    return EXIT_OK;
  }
  const types = IOC_TYPES.filter((t) => stats.byType[t] > 0);
  await write(
    io.stdout,
    `${stats.total} indicator(s): ${stats.active} active, ${stats.expired} expired\n` +
      (types.length
        ? `by type: ${types.map((t) => `${t} ${stats.byType[t]}`).join(', ')}\n\n`
        : '\n') +
      renderTable(
        ['SOURCE', 'TOTAL', 'ACTIVE', 'EXPIRED', 'LAST IMPORT'],
        stats.bySource.map((s) => [
          s.source,
          String(s.total),
          String(s.active),
          String(s.expired),
          s.lastImport?.toISOString() ?? '-',
        ]),
      ),
  );
  return EXIT_OK;
}

interface ExportFlags {
  format: ExportFormat;
  out?: string;
  source?: string[];
  includeExpired?: boolean;
  sidBase?: number;
  squid?: boolean;
  db?: string;
}

const EXPORT_TYPES: Record<ExportFormat, readonly IntelType[]> = {
  suricata: ['ip', 'ip-port', 'cidr', 'domain', 'url', 'ja3', 'ja3s'],
  'blocklist-ip': ['ip', 'ip-port', 'cidr'],
  'blocklist-domain': ['domain'],
  'blocklist-url': ['url'],
  stix: ['ip', 'ip-port', 'cidr', 'domain', 'url', 'md5', 'sha1', 'sha256'],
};

function toExport(r: IntelRecord): ExportIoc {
  const out: ExportIoc = { type: r.type, value: r.value, source: r.source, tags: r.tags };
  if (r.firstSeen) out.firstSeen = r.firstSeen.toISOString();
  if (r.lastSeen) out.lastSeen = r.lastSeen.toISOString();
  if (r.expiresAt) out.expiresAt = r.expiresAt.toISOString();
  if (r.confidence !== null) out.confidence = r.confidence;
  if (r.malware !== null) out.malware = r.malware;
  if (r.reference !== null) out.reference = r.reference;
  return out;
}

async function runExport(flags: ExportFlags, io: CliIO): Promise<number> {
  if (flags.squid && flags.format !== 'blocklist-domain') {
    throw new ConfigError('E_CONFIG_FLAG', '--squid goes with --format blocklist-domain');
  }
  const now = new Date();
  const iocs = await withStore(flags.db, io, async (store) => {
    const out: ExportIoc[] = [];
    for await (const r of store.loadIntel({
      types: EXPORT_TYPES[flags.format],
      ...(flags.source ? { sources: flags.source } : {}),
      ...(flags.includeExpired ? { includeExpired: true } : {}),
      now,
    })) {
      out.push(toExport(r));
    }
    return out;
  });
  let text: string;
  const stamp = `generated by emoguard intel export at ${now.toISOString()}: ${iocs.length} indicator(s)`;
  if (flags.format === 'suricata') {
    const r = toSuricataRules(iocs, flags.sidBase === undefined ? {} : { sidBase: flags.sidBase });
    const skipped =
      r.skipped > 0
        ? `# ${r.skipped} indicator(s) have no rule form (file hashes need filemd5/filesha256 lists)\n`
        : '';
    text = `# ${stamp}\n# sids ${flags.sidBase ?? SURICATA_SID_BASE}–${r.nextSid - 1}\n${skipped}${r.rules.join('\n')}\n`;
  } else if (flags.format === 'stix') {
    text = `${JSON.stringify(toStixBundle(iocs, { now }).bundle, null, 2)}\n`;
  } else {
    const kind = flags.format.slice('blocklist-'.length) as 'ip' | 'domain' | 'url';
    const list = toBlocklist(iocs, kind, flags.squid ? { squid: true } : {});
    text = `# ${stamp}\n${list.join('\n')}\n`;
  }
  if (flags.out) {
    await writeFile(flags.out, text);
    await write(io.stderr, `${flags.format} export written to ${flags.out}\n`);
  } else {
    await write(io.stdout, text);
  }
  return EXIT_OK;
}
