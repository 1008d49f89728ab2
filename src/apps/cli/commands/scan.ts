import { hostname } from 'node:os';
import type { Command } from 'commander';
import { describeError, walkResults, type ScanResult, type Verdict } from '../../../core/index.js';
import { createProgressBar, scanPaths } from '../../scan-runner/index.js';
import { prepareYara } from '../../yara-backend/index.js';
import type { Store } from '../../../store/index.js';
import { collect, parseLimitFlags, parsePositiveInt, resolveDbPath } from '../options.js';
import { EXIT_ERROR, EXIT_MALICIOUS, EXIT_OK, write, type CliIO } from '../io.js';
import { renderDetail } from '../output/detail.js';
import { renderHumanResult } from '../output/human.js';
import { colorsFor, formatBytes, safeText } from '../output/terminal.js';

interface ScanFlags {
  json?: boolean;
  db?: string;
  store: boolean;
  workers?: number;
  limit?: string[];
  progress: boolean;
  quiet?: boolean;
  yara?: string[];
  detail?: boolean;
  msgidDb?: string;
  memoryImage?: string[];
  rawMemory?: boolean;
}

const STORE_BATCH = 100;

export function registerScan(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('scan')
    .description(
      'scan files, directories (recursively), mails, archives, documents; - reads standard input',
    )
    .argument('[paths...]', 'files or directories to scan, or - for standard input')
    .option('--json', 'print one JSON object per input, one per line (the scan --json contract)')
    .option('--db <path>', 'findings store (default: $EMOGUARD_DB or ./emoguard.db)')
    .option('--no-store', 'do not write findings to the store')
    .option('--workers <n>', 'worker threads (default: all cores)', parsePositiveInt)
    .option('--limit <name=value>', 'override a scan limit, e.g. maxDepth=5 (repeatable)', collect)
    .option('--quiet', 'human output: hide clean inputs')
    .option(
      '--detail',
      'human output: also print macro code, decoded strings, PowerShell, XLM, DDE',
    )
    .option('--no-progress', 'no progress bar, even on a terminal')
    .option(
      '--msgid-db <file>',
      "the organisation's sent Message-IDs (emoguard mail learn-msgids): flag replies to threads it never had",
    )
    .option(
      '--yara <path>',
      'YARA rule file or directory of .yar/.yara, added to the bundled rules (repeatable)',
      collect,
    )
    .option(
      '--memory-image <file>',
      'a raw memory image (winpmem/DumpIt .raw/.mem) or dump of any size: streamed in chunks (repeatable)',
      collect,
    )
    .option(
      '--raw-memory',
      'every input over maxFileSize that is not a minidump is a raw memory image (streamed, not cut)',
    )
    .addHelpText(
      'after',
      '\nExit status: 0 nothing malicious, 1 something malicious, 2 an error (like clamscan).\n' +
        'Limits: maxDepth maxFileSize maxTotalBytes maxMembers maxRatio maxTimePerArtifactMs\n' +
        '        maxTimePerInputMs maxFindingsPerArtifact maxEvidenceChars maxExtractedChars\n' +
        '        maxMatchBytes',
    )
    .action(async (paths: string[], flags: ScanFlags) => setExit(await runScan(paths, flags, io)));
}

export async function runScan(given: string[], flags: ScanFlags, io: CliIO): Promise<number> {
  // --memory-image files are inputs too: `emoguard scan --memory-image host.raw` alone is a scan.
  const paths = [...new Set([...given, ...(flags.memoryImage ?? [])])];
  if (paths.length === 0) {
    await write(io.stderr, 'emoguard: scan: give at least one path (or --memory-image FILE)\n');
    return EXIT_ERROR;
  }
  const limits = parseLimitFlags(flags.limit ?? []);
  const yara = prepareYara(flags.yara ?? [], io.env);
  if (flags.msgidDb) await checkMessageIdDb(flags.msgidDb);
  for (const line of yara.messages) await write(io.stderr, `emoguard: ${line}\n`);
  const colors = colorsFor(io.stdout, io.env);
  const started = Date.now();
  const store = flags.store ? await openStore(resolveDbPath(flags.db, io.env)) : undefined;
  const scanId = store
    ? await store.beginScan({ command: 'scan', args: paths, host: hostname() })
    : undefined;
  const progress = createProgressBar(io.stderr, flags.progress);
  const tally = {
    inputs: 0,
    malicious: 0,
    suspicious: 0,
    clean: 0,
    errors: 0,
    artifacts: 0,
    bytes: 0,
  };
  let batch: ScanResult[] = [];
  try {
    for await (const item of scanPaths(paths, {
      limits,
      ...(yara.isActive ? { yara: yara.paths } : {}),
      ...(flags.workers ? { workers: flags.workers } : {}),
      ...(flags.msgidDb ? { msgidDb: flags.msgidDb } : {}),
      ...(flags.memoryImage ? { memoryImages: flags.memoryImage } : {}),
      ...(flags.rawMemory ? { rawMemory: true } : {}),
      onProgress: progress.update,
    })) {
      tally.inputs++;
      if ('error' in item) {
        tally.errors++;
        progress.done();
        await write(
          io.stderr,
          `emoguard: ${safeText(item.path)}: ${item.error.message} (${item.error.code})\n`,
        );
        continue;
      }
      // A worker's result comes with its JSON text and tally fields: `--json --no-store` prints the
      // text as it is (the same bytes JSON.stringify gives) and never parses it.
      const summary = item.summary ?? summarize(item.result);
      tally[summary.verdict]++;
      tally.bytes += summary.size;
      tally.artifacts += summary.artifacts;
      if (flags.json) {
        await write(io.stdout, `${item.json ?? JSON.stringify(item.result)}\n`);
      } else if (!(flags.quiet && summary.verdict === 'clean')) {
        progress.done();
        await write(io.stdout, renderHumanResult(item.result, colors));
        if (flags.detail) await write(io.stdout, renderDetail(item.result, colors));
      }
      if (store && scanId !== undefined) {
        batch.push(item.result);
        if (batch.length >= STORE_BATCH) {
          await store.saveResults(scanId, batch);
          batch = [];
        }
      }
    }
    progress.done();
    if (store && scanId !== undefined) {
      if (batch.length > 0) await store.saveResults(scanId, batch);
      await store.finishScan(scanId, tally);
      // Loaded only when storing: correlation (like the store) is not needed by `scan --no-store`.
      const { correlateAfterStore } = await import('../correlate-after.js');
      await correlateAfterStore(store, io);
    }
  } finally {
    await store?.close();
  }
  if (!flags.json) {
    const secs = ((Date.now() - started) / 1000).toFixed(2);
    const stored = store ? `; stored as scan #${scanId} in ${resolveDbPath(flags.db, io.env)}` : '';
    await write(
      io.stdout,
      `\nScanned ${tally.inputs} input(s), ${tally.artifacts} artifact(s), ${formatBytes(tally.bytes)} in ${secs} s: ` +
        `${tally.malicious} malicious, ${tally.suspicious} suspicious, ${tally.clean} clean, ${tally.errors} error(s)${stored}\n`,
    );
  }
  return tally.malicious > 0 ? EXIT_MALICIOUS : tally.errors > 0 ? EXIT_ERROR : EXIT_OK;
}

function summarize(result: ScanResult): { verdict: Verdict; size: number; artifacts: number } {
  let artifacts = 0;
  for (const _ of walkResults(result)) artifacts++;
  return { verdict: result.verdict, size: result.size, artifacts };
}

/** Opens the --msgid-db file once here, so a wrong path fails before any scan, not in every worker. */
export async function checkMessageIdDb(path: string): Promise<void> {
  // The module (SQLite, and the mail engine its learner uses) is loaded only when a scan asks for it.
  const { openSentMessageIndex } = await import('../../msgid/index.js');
  openSentMessageIndex(path).close();
}

export async function openStore(path: string): Promise<Store> {
  try {
    // Loaded on first use: `scan --no-store` never opens a store (SQLite and its modules stay unloaded).
    const { openSqliteStore } = await import('../../../store/index.js');
    const store = openSqliteStore(path);
    await store.migrate();
    return store;
  } catch (error) {
    throw new Error(`cannot open the store ${path}: ${describeError(error)}`, { cause: error });
  }
}
