import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import type { LogEvent } from '../../core/index.js';
import { LineSplitter, type NetlogAnomaly } from '../../formats/netlog/index.js';
import {
  TSHARK_DISPLAY_FILTER,
  TSHARK_FIELDS,
  TSHARK_JA3_FIELD,
  TsharkEkMapper,
} from '../../formats/pcap/index.js';
import { resolveBinary, sandboxCommand } from './sandbox.js';

export interface TsharkOptions {
  /** The tshark binary (default `tshark` on PATH, or `$EMOGUARD_TSHARK` given by the caller). */
  binary?: string;
  /** Wall-clock bound on one tshark run; the process is killed past it. Default 10 minutes. */
  timeoutMs?: number;
  /** Bound on one EK line (a packet's fields). Default 1 MiB. */
  maxLineChars?: number;
  /** Bound on all of tshark's standard output; past it the process group is killed. Default 4 GiB. */
  maxOutputBytes?: number;
  /** tshark's address-space limit where `prlimit` runs (see sandbox.ts). Default 4 GiB. */
  maxMemoryBytes?: number;
}

export const DEFAULT_TSHARK_TIMEOUT_MS = 10 * 60 * 1000;
export const DEFAULT_TSHARK_OUTPUT_BYTES = 4 * 1024 ** 3;
const MAX_STDERR_CHARS = 4096;

export class TsharkError extends Error {
  readonly code:
    | 'E_TSHARK_MISSING'
    | 'E_TSHARK_FAILED'
    | 'E_TSHARK_TIMEOUT'
    | 'E_TSHARK_OUTPUT'
    | 'E_TSHARK_INPUT';
  constructor(code: TsharkError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export interface CaptureSummary {
  packets: number;
  events: number;
  anomalies: NetlogAnomaly[];
  anomalyCount: number;
  /** What confined tshark (sandbox.ts), e.g. `clean-config`, `no-network`, `prlimit(as,cpu,fsize,core)`. */
  protections?: string[];
}

/**
 * Checks that `path` is a regular file before tshark sees it.
 * SECURITY: tshark only ever reads saved captures (`-r FILE`): never `-i`, never a FIFO or a device that
 * could stand for a live interface, never a path that tshark could take for an option.
 */
export function checkCapturePath(path: string): void {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    throw new TsharkError('E_TSHARK_INPUT', `${path}: ${(error as Error).message}`);
  }
  if (!isFile) throw new TsharkError('E_TSHARK_INPUT', `${path}: not a regular file`);
}

/**
 * Streams a capture's HTTP, DNS, TLS and SMTP packets as network events, from `tshark -r FILE -T ek`
 * with explicit `-e` fields. The child's stdout is read as the events are consumed (backpressure), so
 * memory is bounded by one line and the mapper's pending requests, whatever the capture's size.
 */
export async function* readCaptureEvents(
  path: string,
  options: TsharkOptions = {},
  summary: CaptureSummary = { packets: 0, events: 0, anomalies: [], anomalyCount: 0 },
): AsyncGenerator<LogEvent> {
  checkCapturePath(path);
  let withJa3 = true;
  for (;;) {
    const mapper = new TsharkEkMapper({ path });
    const fields = withJa3 ? [...TSHARK_FIELDS, TSHARK_JA3_FIELD] : [...TSHARK_FIELDS];
    const args = ['-n', '-r', path, '-Y', TSHARK_DISPLAY_FILTER, '-T', 'ek'];
    for (const f of fields) args.push('-e', f);
    const run = runTshark(args, options);
    let lines = 0;
    const queue: LogEvent[] = [];
    const splitter = new LineSplitter(
      {
        line: (text, line) => {
          lines = line;
          queue.push(...mapper.line(text, line));
        },
        overlong: (line) => {
          mapper.anomalyCount++;
          mapper.anomalies.push({
            code: 'E_PCAP_TSHARK_LINE',
            message: 'an overlong tshark line',
            line,
          });
        },
      },
      { maxLineChars: options.maxLineChars ?? 1024 * 1024 },
    );
    try {
      for await (const chunk of run.stdout) {
        splitter.push(chunk as Uint8Array);
        summary.events += queue.length;
        yield* queue.splice(0);
      }
      splitter.end();
      const { code, stderr } = await run.done;
      summary.protections = run.protections;
      // tshark before 3.6 has no JA3 field and refuses the whole field list: once more without it.
      if (code !== 0 && withJa3 && lines === 0 && /aren't valid|not valid/i.test(stderr)) {
        withJa3 = false;
        continue;
      }
      if (code === 'timeout' || code === 'output-cap') {
        // The events read so far stand; the cut is reported as an anomaly of the capture.
        const error = tsharkFailure(path, code, stderr);
        mapper.anomalyCount++;
        mapper.anomalies.unshift({ code: error.code, message: error.message });
      } else if (code !== 0) throw tsharkFailure(path, code, stderr);
      queue.push(...mapper.end());
      summary.events += queue.length;
      yield* queue.splice(0);
      summary.packets += mapper.packets;
      summary.anomalyCount += mapper.anomalyCount;
      summary.anomalies.push(...mapper.anomalies.slice(0, 100 - summary.anomalies.length));
      return;
    } finally {
      run.kill();
    }
  }
}

function tsharkFailure(path: string, code: number | string, stderr: string): TsharkError {
  if (code === 'timeout') {
    return new TsharkError(
      'E_TSHARK_TIMEOUT',
      `${path}: tshark did not finish in time and was stopped; events after the cut are missing`,
    );
  }
  if (code === 'output-cap') {
    return new TsharkError(
      'E_TSHARK_OUTPUT',
      `${path}: tshark wrote more than the output limit and was stopped; events after the cut are missing`,
    );
  }
  const why = stderr
    .split('\n')
    .filter((l) => l.trim() !== '' && !/^Running as user/.test(l))
    .slice(0, 3)
    .join(' ');
  return new TsharkError(
    'E_TSHARK_FAILED',
    `${path}: tshark failed (${code}): ${why || 'no message'}`,
  );
}

export interface TsharkRun {
  stdout: AsyncIterable<unknown>;
  /** Exit code, `'timeout'` / `'output-cap'` when killed at a bound, and the head of stderr. */
  done: Promise<{ code: number | string; stderr: string }>;
  /** What confined the run (sandbox.ts). */
  protections: string[];
  kill(): void;
}

function missing(binary: string): TsharkError {
  return new TsharkError(
    'E_TSHARK_MISSING',
    `tshark not found (${binary}): install Debian's tshark (apt-get install tshark) to read packet captures`,
  );
}

/**
 * Spawns tshark without a shell, sandboxed (sandbox.ts), in its own process group that is killed whole
 * at the timeout or the output cap. A missing binary rejects `done` and ends stdout with a clear error.
 */
export function runTshark(args: readonly string[], options: TsharkOptions = {}): TsharkRun {
  const binary = options.binary ?? 'tshark';
  const resolved = resolveBinary(binary, process.env.PATH);
  if (resolved === undefined) {
    const error = missing(binary);
    const done = Promise.reject(error);
    done.catch(() => undefined);
    return {
      stdout: (async function* () {
        throw error;
      })(),
      done,
      protections: [],
      kill: () => undefined,
    };
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TSHARK_TIMEOUT_MS;
  const maxOutput = options.maxOutputBytes ?? DEFAULT_TSHARK_OUTPUT_BYTES;
  const box = sandboxCommand(resolved, args, {
    maxCpuSeconds: timeoutMs / 1000 + 1,
    ...(options.maxMemoryBytes === undefined ? {} : { maxMemoryBytes: options.maxMemoryBytes }),
  });
  // SECURITY: stdin closed, no shell, a minimal environment, a process group of its own.
  const child = spawn(box.file, box.args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: false,
    env: box.env,
    detached: true,
  });
  let stderr = '';
  let cut: 'timeout' | 'output-cap' | undefined;
  let outputBytes = 0;
  const killGroup = () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    if (stderr.length < MAX_STDERR_CHARS) stderr += s.slice(0, MAX_STDERR_CHARS - stderr.length);
  });
  const timer = setTimeout(() => {
    cut ??= 'timeout';
    killGroup();
  }, timeoutMs);
  const done = new Promise<{ code: number | string; stderr: string }>((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      box.cleanup();
      reject(error.code === 'ENOENT' ? missing(binary) : error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      box.cleanup();
      resolve({ code: cut ?? code ?? signal ?? 'killed', stderr });
    });
  });
  const stdout = (async function* () {
    for await (const chunk of child.stdout) {
      outputBytes += (chunk as Uint8Array).length;
      if (outputBytes > maxOutput) {
        cut ??= 'output-cap';
        killGroup();
        break;
      }
      yield chunk;
    }
    await done;
  })();
  done.catch(() => undefined);
  return {
    stdout,
    done,
    protections: box.protections,
    kill: () => {
      clearTimeout(timer);
      killGroup();
    },
  };
}
