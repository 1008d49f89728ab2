import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { ConfigError, describeError } from '../../../core/index.js';
import type { CoverageMatrix } from '../../../correlate/coverage/index.js';
import { buildIncidentView } from '../../../correlate/index.js';
import {
  buildIncidentReport,
  buildReport,
  readChecklistContext,
  renderHtml,
  renderIncidentHtml,
  renderIncidentMarkdown,
  renderJson,
  renderMarkdown,
} from '../../../report/index.js';
import type { Store } from '../../../store/index.js';
import { htmlToPdf } from '../../pdf/index.js';
import { EXIT_OK, write, type CliIO } from '../io.js';
import { parsePositiveInt, resolveDbPath } from '../options.js';
import { simulateCoverage } from './coverage.js';
import { openStore } from './scan.js';

export const REPORT_FORMATS = ['html', 'md', 'json', 'pdf'] as const;

interface ReportFlags {
  format: (typeof REPORT_FORMATS)[number];
  out?: string;
  db?: string;
  scan?: number;
  incident?: number;
  lang: 'en' | 'ja';
  /** `--no-coverage` sets it false: no simulation, no coverage section. */
  coverage?: boolean;
}

export function registerReport(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('report')
    .description(
      'write a report: one incident (timeline, scope, IOCs, ATT&CK, JPCERT/CC response checklist) or the whole store',
    )
    .addOption(
      new Option('--format <format>', 'report format (pdf prints the HTML with headless Chromium)')
        .choices([...REPORT_FORMATS])
        .default('md'),
    )
    .addOption(new Option('--lang <lang>', 'report language').choices(['en', 'ja']).default('en'))
    .option('--out <file>', 'write to FILE instead of standard output')
    .option(
      '--incident <id>',
      'report on this incident (see `emoguard incidents`)',
      parsePositiveInt,
    )
    .option('--scan <id>', 'only this scan (default: every scan in the store)', parsePositiveInt)
    .option('--db <path>', 'findings store (default: $EMOGUARD_DB or ./emoguard.db)')
    .option(
      '--no-coverage',
      'leave out the coverage matrix (by default the inert simulation of `emoguard coverage` runs, about 0.5 s)',
    )
    .addHelpText(
      'after',
      '\nPDF needs Chromium (/usr/bin/chromium, or EMOGUARD_CHROMIUM=PATH) and, for Japanese, fonts-noto-cjk.',
    )
    .action(async (flags: ReportFlags) => setExit(await runReport(flags, io)));
}

export async function runReport(flags: ReportFlags, io: CliIO): Promise<number> {
  if (flags.incident !== undefined && flags.scan !== undefined) {
    throw new ConfigError('E_CONFIG_FLAGS', '--incident and --scan cannot be combined');
  }
  if (flags.format === 'pdf' && !flags.out && io.stdout.isTTY) {
    throw new ConfigError('E_CONFIG_FLAGS', '--format pdf writes binary data: pass --out FILE');
  }
  const dbPath = resolveDbPath(flags.db, io.env);
  if (!existsSync(dbPath)) {
    throw new ConfigError(
      'E_STORE_MISSING',
      `no findings store at ${dbPath}: run \`emoguard scan\` first, or pass --db`,
    );
  }
  const coverage = flags.coverage === false ? undefined : await measureCoverage(io);
  const store = await openStore(dbPath);
  let output: { html: string; text: () => string };
  try {
    output =
      flags.incident === undefined
        ? await storeReport(store, flags, coverage)
        : await incidentReport(store, flags.incident, flags, coverage);
  } finally {
    await store.close();
  }
  const data: string | Uint8Array =
    flags.format === 'pdf' ? await htmlToPdf(output.html, { env: io.env }) : output.text();
  if (flags.out) {
    await writeFile(flags.out, data);
    await write(io.stderr, `report written to ${flags.out}\n`);
  } else if (typeof data === 'string') {
    await write(io.stdout, data.endsWith('\n') ? data : `${data}\n`);
  } else {
    io.stdout.write(data);
  }
  return EXIT_OK;
}

/**
 * The coverage matrix for the report, measured as `emoguard coverage` does (in process, nothing stored).
 * A failure costs the section, not the report: the reason goes to standard error.
 */
async function measureCoverage(io: CliIO): Promise<CoverageMatrix | undefined> {
  try {
    const { run, notes } = await simulateCoverage(io);
    for (const note of notes) await write(io.stderr, `emoguard: ${note}\n`);
    return run.matrix;
  } catch (error) {
    await write(io.stderr, `emoguard: report: coverage left out: ${describeError(error)}\n`);
    return undefined;
  }
}

async function storeReport(store: Store, flags: ReportFlags, coverage?: CoverageMatrix) {
  const model = await buildReport(store, {
    lang: flags.lang,
    ...(flags.scan ? { scanId: flags.scan } : {}),
    ...(coverage ? { coverage } : {}),
  });
  const html = flags.format === 'html' || flags.format === 'pdf' ? renderHtml(model) : '';
  return {
    html,
    text: () =>
      flags.format === 'json'
        ? renderJson(model)
        : flags.format === 'md'
          ? renderMarkdown(model)
          : html,
  };
}

async function incidentReport(
  store: Store,
  id: number,
  flags: ReportFlags,
  coverage?: CoverageMatrix,
) {
  const view = await buildIncidentView(store, id);
  const report = buildIncidentReport(view, await readChecklistContext(store, id), {
    lang: flags.lang,
    ...(coverage ? { coverage } : {}),
  });
  const html = flags.format === 'html' || flags.format === 'pdf' ? renderIncidentHtml(report) : '';
  return {
    html,
    text: () =>
      flags.format === 'json'
        ? `${JSON.stringify(report, null, 2)}\n`
        : flags.format === 'md'
          ? renderIncidentMarkdown(report)
          : html,
  };
}
