/**
 * Shared pieces of the benchmark harness: the result shape every `bench/*.bench.ts` returns, a peak-memory
 * sampler for in-process work and a child-process runner that measures the child's peak RSS.
 * MB here means MiB (2^20 bytes) throughout.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteStore, type Store } from '../src/store/index.js';

export interface BenchResult {
  name: string;
  /** Units of work (files, events, messages). */
  items: number;
  /** Input bytes processed. */
  bytes: number;
  /** Wall-clock seconds of the measured part only (not input generation). */
  seconds: number;
  itemsPerSec: number;
  mbPerSec: number;
  /** Peak resident set size of the measured process, MiB. */
  peakRssMb: number;
  notes?: string;
}

/** What a `bench/<name>.bench.ts` module exports. */
export interface BenchModule {
  name: string;
  run(): Promise<BenchResult>;
}

export const MB = 1024 * 1024;
const SAMPLE_MS = 20;
const STDERR_TAIL = 4096;

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Fills in the derived rates. */
export function benchResult(
  fields: Omit<BenchResult, 'itemsPerSec' | 'mbPerSec'> & { notes?: string },
): BenchResult {
  const seconds = Math.max(fields.seconds, 1e-9);
  return {
    ...fields,
    itemsPerSec: fields.items / seconds,
    mbPerSec: fields.bytes / MB / seconds,
  };
}

/**
 * Samples this process's RSS every 20 ms; `stop()` returns the peak in MiB, also taking the kernel's
 * high-water mark (`resourceUsage().maxRSS`, KiB) so that a spike between two samples is not missed.
 * The harness runs each bench file in its own process, so maxRSS is not inflated by an earlier bench.
 */
export function startRssSampler(): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, SAMPLE_MS);
  timer.unref();
  return {
    stop(): number {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
      return peak / MB;
    },
  };
}

export interface ChildRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  seconds: number;
  /** Peak RSS of the child in MiB; undefined when no method is available on this system. */
  peakRssMb: number | undefined;
  peakRssSource: 'time -v' | '/proc VmHWM' | 'unavailable';
  stdoutBytes: number;
  stderrTail: string;
}

let gnuTime: boolean | undefined;

/** GNU time (`/usr/bin/time -v -o file`) reports the child's exact peak RSS; BusyBox's does not. */
function hasGnuTime(): boolean {
  if (gnuTime === undefined) {
    gnuTime =
      existsSync('/usr/bin/time') &&
      spawnSync('/usr/bin/time', ['-v', '-o', '/dev/null', 'true'], { stdio: 'ignore' }).status ===
        0;
  }
  return gnuTime;
}

function readVmHwmKb(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined; // the process has exited, or this is not Linux: the last sample stands
  }
}

/**
 * Runs `command args…`, counting (not keeping) its stdout, and measures wall time and peak RSS: under GNU
 * `time -v` when present, else by polling /proc/<pid>/status VmHWM every 20 ms (misses at most the growth
 * of the last 20 ms, since VmHWM is itself a high-water mark).
 */
export async function runChild(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ChildRun> {
  const useTime = hasGnuTime();
  const scratch = useTime ? mkdtempSync(join(tmpdir(), 'emoguard-bench-time-')) : undefined;
  const timeFile = scratch ? join(scratch, 'time.txt') : undefined;
  const [file, argv] = timeFile
    ? ['/usr/bin/time', ['-v', '-o', timeFile, command, ...args]]
    : [command, [...args]];
  const started = performance.now();
  const child = spawn(file, argv, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdoutBytes = 0;
  let stderrTail = '';
  let hwmKb: number | undefined;
  child.stdout.on('data', (chunk: Buffer) => (stdoutBytes += chunk.length));
  child.stderr.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
  });
  const poll =
    !useTime && child.pid !== undefined
      ? setInterval(() => {
          const kb = readVmHwmKb(child.pid!);
          if (kb !== undefined) hwmKb = Math.max(hwmKb ?? 0, kb);
        }, SAMPLE_MS)
      : undefined;
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
    (ok, fail) => {
      child.once('error', fail);
      child.once('close', (code, sig) => ok([code, sig]));
    },
  );
  const seconds = (performance.now() - started) / 1000;
  if (poll) clearInterval(poll);
  let peakRssMb: number | undefined;
  let peakRssSource: ChildRun['peakRssSource'] = 'unavailable';
  if (timeFile && scratch) {
    const report = existsSync(timeFile) ? readFileSync(timeFile, 'utf8') : '';
    rmSync(scratch, { recursive: true, force: true });
    const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
    if (match) [peakRssMb, peakRssSource] = [Number(match[1]) / 1024, 'time -v'];
  } else if (hwmKb !== undefined) {
    [peakRssMb, peakRssSource] = [hwmKb / 1024, '/proc VmHWM'];
  }
  return { exitCode, signal, seconds, peakRssMb, peakRssSource, stdoutBytes, stderrTail };
}

/** Deterministic PRNG (mulberry32) so that generated inputs, and so results, are comparable run to run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A positive integer from the environment (`BENCH_FILES`, `BENCH_FINDINGS` …), else `fallback`; an unset
 * or empty variable takes the fallback, anything else that is not a positive integer is an error.
 */
export function positiveIntEnv(variable: string, fallback: number): number {
  const raw = process.env[variable];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`${variable} must be a positive integer, got '${raw}'`);
  return n;
}

/** Total length of the inputs, the `bytes` of a result. */
export function totalBytes(inputs: readonly { length: number }[]): number {
  return inputs.reduce((sum, b) => sum + b.length, 0);
}

export interface Measured<T> {
  value: T;
  /** Wall-clock seconds. */
  seconds: number;
  /** User + system CPU seconds of this process (on a shared machine wall time measures the neighbours too). */
  cpuSeconds: number;
  /** Peak RSS during the call, MiB (see startRssSampler). */
  peakRssMb: number;
}

/** Runs `work` under the RSS sampler, measuring its wall and CPU time. */
export async function measure<T>(work: () => T | Promise<T>): Promise<Measured<T>> {
  const sampler = startRssSampler();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { value, seconds, cpuSeconds: (used.user + used.system) / 1e6, peakRssMb: sampler.stop() };
}

/** Wall seconds of `work` alone (no RSS sampling), for the secondary figures in a result's notes. */
export async function timeSeconds(work: () => unknown): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

/**
 * Runs a disarmer over every input and counts outcomes by status ("1900 disarmed, 100 clean"); a refused
 * input fails the bench, since a benchmark that refuses its own corpus measures nothing.
 */
export function disarmEach(
  inputs: readonly Uint8Array[],
  disarm: (input: Uint8Array) => { status: string },
): string {
  const outcomes: Record<string, number> = {};
  for (const input of inputs) {
    const status = disarm(input).status;
    outcomes[status] = (outcomes[status] ?? 0) + 1;
  }
  if (outcomes.refused) throw new Error(`refused ${outcomes.refused} inputs`);
  return Object.entries(outcomes)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
}

/** "CPU 1.2 s = 1667 files/s, 40.0 MB/s per core". */
export function perCoreNote(
  items: number,
  bytes: number,
  cpuSeconds: number,
  unit = 'files',
): string {
  return `CPU ${cpuSeconds.toFixed(1)} s = ${(items / cpuSeconds).toFixed(0)} ${unit}/s, ${(bytes / MB / cpuSeconds).toFixed(1)} MB/s per core`;
}

/**
 * Opens a migrated SQLite store in a fresh temporary directory, runs `work` with it and its path (for
 * code that opens the store itself, as the CLI does), then closes and removes it.
 */
export async function withScratchStore<T>(
  label: string,
  work: (store: Store, dbPath: string) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `emoguard-bench-${label}-`));
  const dbPath = join(dir, `${label}.db`);
  const store = openSqliteStore(dbPath);
  try {
    await store.migrate();
    return await work(store, dbPath);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A 64-hex-digit fake SHA-256 numbered `n`, for generated store rows. */
export const fakeSha256 = (n: number): string => n.toString(16).padStart(64, '0');

/** `BENCH_EMOGUARD`, else bin/emoguard (which runs dist/: `npx tsc -p tsconfig.build.json` first). */
export function emoguardLauncher(): string {
  return process.env.BENCH_EMOGUARD || join(REPO_ROOT, 'bin', 'emoguard');
}

/**
 * `emoguard scan <args…>` as a measured child process (runChild, in the repo root). The exit code may
 * encode the verdict (1: something malicious was found), so only a signal or silence is a failure.
 */
export async function runScanChild(args: readonly string[]): Promise<ChildRun> {
  const child = await runChild(emoguardLauncher(), ['scan', ...args], { cwd: REPO_ROOT });
  if (child.signal !== null || (child.exitCode !== 0 && child.stdoutBytes === 0)) {
    const how = child.signal ? `signal ${child.signal}` : `exit code ${child.exitCode}`;
    throw new Error(`emoguard scan failed (${how}), stderr:\n${child.stderrTail}`);
  }
  return child;
}
