import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Argument, type Command } from 'commander';
import { ConfigError } from '../../../core/index.js';
import { buildIncidentView } from '../../../correlate/index.js';
import {
  exportDataFromIncident,
  readExportData,
  toNavigatorLayer,
  toOcsfJsonLines,
  toStixBundle,
  toTimesketchCsv,
  type ExportData,
} from '../../../report/exports/index.js';
import { EXIT_OK, write, type CliIO } from '../io.js';
import { parsePositiveInt, resolveDbPath } from '../options.js';
import { openStore } from './scan.js';
import { emoguardVersion } from './version.js';

export const EXPORT_FORMATS = ['ocsf', 'stix', 'navigator', 'timesketch'] as const;
type ExportFormat = (typeof EXPORT_FORMATS)[number];

interface ExportFlags {
  incident?: number;
  scan?: number;
  out?: string;
  db?: string;
}

export function registerExport(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('export')
    .description(
      'export findings for other tools: OCSF Detection Finding JSON Lines, a STIX 2.1 bundle, an ATT&CK Navigator layer or a Timesketch CSV',
    )
    .addArgument(new Argument('<format>', 'what to write').choices([...EXPORT_FORMATS]))
    .option('--incident <id>', 'only the findings of this incident', parsePositiveInt)
    .option('--scan <id>', 'only this scan (default: every scan in the store)', parsePositiveInt)
    .option('--out <file>', 'write to FILE instead of standard output')
    .option('--db <path>', 'findings store (default: $EMOGUARD_DB or ./emoguard.db)')
    .action(async (format: ExportFormat, flags: ExportFlags) =>
      setExit(await runExport(format, flags, io)),
    );
}

export async function runExport(
  format: ExportFormat,
  flags: ExportFlags,
  io: CliIO,
): Promise<number> {
  if (flags.incident !== undefined && flags.scan !== undefined) {
    throw new ConfigError('E_CONFIG_FLAGS', '--incident and --scan cannot be combined');
  }
  const dbPath = resolveDbPath(flags.db, io.env);
  if (!existsSync(dbPath)) {
    throw new ConfigError(
      'E_STORE_MISSING',
      `no findings store at ${dbPath}: run \`emoguard scan\` first, or pass --db`,
    );
  }
  const store = await openStore(dbPath);
  let data: ExportData;
  try {
    data =
      flags.incident === undefined
        ? await readExportData(store, flags.scan === undefined ? {} : { scanId: flags.scan })
        : exportDataFromIncident(await buildIncidentView(store, flags.incident));
  } finally {
    await store.close();
  }
  const text = serialise(format, data);
  if (data.isTruncated) {
    await write(io.stderr, `warning: export cut at ${data.findings.length} findings\n`);
  }
  if (flags.out) {
    await writeFile(flags.out, text);
    await write(io.stderr, `${format} export written to ${flags.out}\n`);
  } else {
    await write(io.stdout, text);
  }
  return EXIT_OK;
}

function serialise(format: ExportFormat, data: ExportData): string {
  switch (format) {
    case 'ocsf':
      return toOcsfJsonLines(data, { productVersion: emoguardVersion() });
    case 'stix':
      return `${JSON.stringify(toStixBundle(data), null, 2)}\n`;
    case 'navigator':
      return `${JSON.stringify(toNavigatorLayer(data), null, 2)}\n`;
    case 'timesketch':
      return toTimesketchCsv(data);
  }
}
