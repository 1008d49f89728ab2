/**
 * Mail scan throughput (issue 4 "Performance", target ≥ 40 MiB/s per core): a generated corpus of Japanese
 * mails (test/builders/mail-corpus.ts: ISO-2022-JP/UTF-8, Shift_JIS attachment names, 100 KB – 2 MB
 * attachments: PDF-like, random binary, .docx/.xlsx, a .doc with a harmless macro, ZIP in ZIP, password
 * ZIP with the password in the body), scanned twice:
 *   1. by the real CLI, `bin/emoguard scan --no-store --json DIR`, as users run it (needs `npx tsc -p
 *      tsconfig.build.json`), measured under GNU time for wall, user+system CPU and peak RSS;
 *   2. in process, one file after another through `scanInput` (one core), wall and CPU time.
 * The headline result is the CLI run; both per-core figures (MiB per CPU second) are in the notes.
 *
 * Env: BENCH_MAILS=<n> (default 240, ~330 MiB of .eml), BENCH_WORKERS=<n> for `scan --workers`,
 * BENCH_EMOGUARD=<path> for another launcher, BENCH_KEEP=<dir> to write (and keep) the corpus there.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanInput } from '../src/pipeline/index.js';
import type { ScanResult } from '../src/core/index.js';
import { buildCorpusMail, type CorpusKind } from '../test/builders/mail-corpus.js';
import {
  benchResult,
  MB,
  measure,
  perCoreNote,
  positiveIntEnv,
  REPO_ROOT,
  seededRandom,
  emoguardLauncher,
  type BenchResult,
} from './lib.js';

export const name = 'mail-scan';

const MIN_ATTACHMENT = 100 * 1024;
const MAX_ATTACHMENT = 2 * 1024 * 1024;
const SEED = 0x4a50;

/** Writes the corpus as `m0000.eml` …; returns total bytes and mails per kind. */
async function generate(dir: string, count: number) {
  const random = seededRandom(SEED);
  const kinds: Partial<Record<CorpusKind, number>> = {};
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const size = MIN_ATTACHMENT + Math.floor(random() * (MAX_ATTACHMENT - MIN_ATTACHMENT));
    const mail = await buildCorpusMail(i, size);
    writeFileSync(join(dir, `m${String(i).padStart(4, '0')}.eml`), mail.bytes);
    bytes += mail.bytes.length;
    kinds[mail.kind] = (kinds[mail.kind] ?? 0) + 1;
  }
  return { bytes, kinds };
}

interface TimedChild {
  status: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
}

/** Runs the CLI under GNU time -v: exact peak RSS and the CPU time of all its threads. */
function runTimed(args: readonly string[]): TimedChild {
  const scratch = mkdtempSync(join(tmpdir(), 'emoguard-bench-time-'));
  const timeFile = join(scratch, 'time.txt');
  const started = performance.now();
  const child = spawnSync('/usr/bin/time', ['-v', '-o', timeFile, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 1024 * MB,
  });
  const seconds = (performance.now() - started) / 1000;
  const report = readFileSync(timeFile, 'utf8');
  rmSync(scratch, { recursive: true, force: true });
  const field = (label: string) =>
    Number(new RegExp(`${label}: ([\\d.]+)`).exec(report)?.[1] ?? Number.NaN);
  return {
    status: child.status,
    stdout: child.stdout,
    stderr: child.stderr,
    seconds,
    cpuSeconds: field('User time \\(seconds\\)') + field('System time \\(seconds\\)'),
    peakRssMb: field('Maximum resident set size \\(kbytes\\)') / 1024,
  };
}

function verdictCounts(verdicts: readonly string[]): string {
  const counts: Record<string, number> = {};
  for (const v of verdicts) counts[v] = (counts[v] ?? 0) + 1;
  return Object.entries(counts)
    .sort()
    .map(([v, n]) => `${n} ${v}`)
    .join(', ');
}

function countNodes(result: ScanResult): number {
  return 1 + result.children.reduce((n, c) => n + countNodes(c), 0);
}

async function scanInProcess(dir: string) {
  const files = readdirSync(dir).sort();
  const verdicts: string[] = [];
  let nodes = 0;
  const measured = await measure(async () => {
    for (const file of files) {
      const bytes = new Uint8Array(readFileSync(join(dir, file)));
      const result = await scanInput({ path: file, bytes });
      verdicts.push(result.verdict);
      nodes += countNodes(result);
    }
  });
  return { ...measured, verdicts, nodes };
}

export async function run(): Promise<BenchResult> {
  const count = positiveIntEnv('BENCH_MAILS', 240);
  const workers = positiveIntEnv('BENCH_WORKERS', cpus().length);
  const launcher = emoguardLauncher();
  const keep = process.env.BENCH_KEEP;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'emoguard-bench-mail-'));
  if (keep) mkdirSync(keep, { recursive: true });
  try {
    const { bytes, kinds } = await generate(dir, count);
    const cli = runTimed([
      process.execPath,
      launcher,
      'scan',
      '--no-store',
      '--json',
      '--workers',
      String(workers),
      dir,
    ]);
    const lines = cli.stdout.split('\n').filter((l) => l.startsWith('{'));
    if (lines.length !== count) {
      throw new Error(
        `emoguard scan printed ${lines.length} results for ${count} mails (exit ${cli.status}):\n${cli.stderr.slice(-4096)}`,
      );
    }
    const cliVerdicts = lines.map((l) => (JSON.parse(l) as ScanResult).verdict);
    const inProcess = await scanInProcess(dir);
    const mib = bytes / MB;
    const notes = [
      `${mib.toFixed(0)} MiB of .eml; kinds ${JSON.stringify(kinds)}`,
      `CLI --workers ${workers}: ${cli.seconds.toFixed(1)} s wall, ${(mib / cli.seconds).toFixed(1)} MiB/s, ${(count / cli.seconds).toFixed(1)} mails/s; ${perCoreNote(count, bytes, cli.cpuSeconds, 'mails')} (all threads); peak RSS ${cli.peakRssMb.toFixed(0)} MiB; verdicts ${verdictCounts(cliVerdicts)}`,
      `in process (scanInput, 1 thread): ${inProcess.seconds.toFixed(1)} s wall, ${(mib / inProcess.seconds).toFixed(1)} MiB/s, ${(count / inProcess.seconds).toFixed(1)} mails/s; ${perCoreNote(count, bytes, inProcess.cpuSeconds, 'mails')}; peak RSS ${inProcess.peakRssMb.toFixed(0)} MiB; ${inProcess.nodes} artifacts; verdicts ${verdictCounts(inProcess.verdicts)}`,
    ].join('\n    ');
    return benchResult({
      name,
      items: count,
      bytes,
      seconds: cli.seconds,
      peakRssMb: cli.peakRssMb,
      notes,
    });
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
