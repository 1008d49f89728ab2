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

export interface TsharkOptions {
  /** The tshark binary (default `tshark` on PATH, or `$EMOGUARD_TSHARK` given by the caller). */
  binary?: string;
  /** Wall-clock bound on one tshark run; the process is killed past it. Default 10 minutes. */
  timeoutMs?: number;
  /** Bound on one EK line (a packet's fields). Default 1 MiB. */
  maxLineChars?: number;
}

export const DEFAULT_TSHARK_TIMEOUT_MS = 10 * 60 * 1000;
const MAX_STDERR_CHARS = 4096;

export class TsharkError extends Error {
  readonly code: 'E_TSHARK_MISSING' | 'E_TSHARK_FAILED' | 'E_TSHARK_TIMEOUT' | 'E_TSHARK_INPUT';
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
      // tshark before 3.6 has no JA3 field and refuses the whole field list: once more without it.
      if (code !== 0 && withJa3 && lines === 0 && /aren't valid|not valid/i.test(stderr)) {
        withJa3 = false;
        continue;
      }
      if (code !== 0) throw tsharkFailure(path, code, stderr);
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
      `${path}: tshark did not finish in time and was stopped`,
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
  /** Exit code, `'timeout'` when killed by the timeout, and the head of stderr. */
  done: Promise<{ code: number | string; stderr: string }>;
  kill(): void;
}

/** Spawns tshark without a shell; a missing binary rejects `done` and ends stdout with a clear error. */
export function runTshark(args: readonly string[], options: TsharkOptions = {}): TsharkRun {
  const binary = options.binary ?? 'tshark';
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
  let stderr = '';
  let isTimedOut = false;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    if (stderr.length < MAX_STDERR_CHARS) stderr += s.slice(0, MAX_STDERR_CHARS - stderr.length);
  });
  const timer = setTimeout(() => {
    isTimedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? DEFAULT_TSHARK_TIMEOUT_MS);
  const done = new Promise<{ code: number | string; stderr: string }>((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT'
          ? new TsharkError(
              'E_TSHARK_MISSING',
              `tshark not found (${binary}): install Debian's tshark (apt-get install tshark) to read packet captures`,
            )
          : error,
      );
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: isTimedOut ? 'timeout' : (code ?? signal ?? 'killed'), stderr });
    });
  });
  const stdout = (async function* () {
    // A spawn error (ENOENT) closes stdout at once: surface it here rather than as an empty capture.
    yield* child.stdout;
    await done.then((r) => {
      if (r.code === 'timeout') throw tsharkFailure(String(args[2]), 'timeout', r.stderr);
    });
  })();
  done.catch(() => undefined);
  return {
    stdout,
    done,
    kill: () => {
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
