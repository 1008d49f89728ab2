/**
 * Benchmark harness: runs every `bench/*.bench.ts` (or those whose name contains an argument), each in its
 * own Node process so that one bench's heap does not count in the next one's peak memory, prints a table
 * and writes `.bench/results.json`.
 *
 *   node --import tsx bench/run.ts               all benches
 *   BENCH_FILES=500 node --import tsx bench/run.ts scan   a quick run of the scan bench
 */
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { REPO_ROOT, type BenchModule, type BenchResult } from './lib.js';

const BENCH_DIR = join(REPO_ROOT, 'bench');
const RESULTS = join(REPO_ROOT, '.bench', 'results.json');
const CHILD_FLAG = '--child';

type ChildMessage = { ok: true; result: BenchResult } | { ok: false; error: string };

/** Child side: run one bench module and send its result to the parent. */
async function runOne(file: string): Promise<void> {
  const send = (message: ChildMessage): Promise<void> =>
    new Promise((done) => process.send!(message, () => done()));
  try {
    const bench = (await import(pathToFileURL(file).href)) as BenchModule;
    if (typeof bench.run !== 'function') throw new Error(`${file} does not export run()`);
    await send({ ok: true, result: await bench.run() });
  } catch (error) {
    await send({
      ok: false,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
}

function runInChild(file: string): Promise<ChildMessage> {
  return new Promise((done) => {
    // fork() reuses this process's execArgv, so the child also loads TypeScript through tsx.
    const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG, file], { stdio: 'inherit' });
    let message: ChildMessage | undefined;
    child.on('message', (m) => (message = m as ChildMessage));
    child.on('exit', (code, signal) => {
      done(
        message ?? {
          ok: false,
          error: `bench process ended (code ${code}, signal ${signal}) without a result`,
        },
      );
    });
  });
}

function fmt(value: number, digits = 1): string {
  return value.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

function printTable(results: readonly BenchResult[]): void {
  if (results.length === 0) return;
  const header = ['bench', 'items', 'MB', 'seconds', 'items/s', 'MB/s', 'peak RSS MB'];
  const rows = results.map((r) => [
    r.name,
    r.items.toLocaleString('en-US'),
    fmt(r.bytes / 1024 / 1024),
    fmt(r.seconds, 2),
    fmt(r.itemsPerSec, 0),
    fmt(r.mbPerSec, 2),
    fmt(r.peakRssMb),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
  for (const r of results) if (r.notes) console.log(`  ${r.name}: ${r.notes}`);
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined; // not a git checkout (a tarball): results stay useful without the commit
  }
}

async function main(filters: string[]): Promise<number> {
  const files = readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort();
  if (files.length === 0) {
    console.error(`no bench/*.bench.ts matches ${filters.join(' ')}`);
    return 2;
  }
  const results: BenchResult[] = [];
  const failures: string[] = [];
  for (const file of files) {
    console.error(`bench: ${basename(file, '.bench.ts')} …`);
    const outcome = await runInChild(join(BENCH_DIR, file));
    if (outcome.ok) results.push(outcome.result);
    else failures.push(`${file}: ${outcome.error}`);
  }
  printTable(results);
  mkdirSync(join(REPO_ROOT, '.bench'), { recursive: true });
  const meta = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model,
    cpuCount: cpus().length,
  };
  writeFileSync(RESULTS, `${JSON.stringify({ ...meta, results, failures }, null, 2)}\n`);
  console.error(`wrote ${RESULTS}`);
  for (const failure of failures) console.error(`FAILED ${failure}`);
  return failures.length > 0 ? 1 : 0;
}

const args = process.argv.slice(2);
if (args[0] === CHILD_FLAG && args[1]) {
  await runOne(args[1]);
} else {
  process.exitCode = await main(args);
}
