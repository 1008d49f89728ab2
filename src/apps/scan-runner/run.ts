import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import {
  engineError,
  limitExceeded,
  emptyExtracted,
  verdictOf,
  type Finding,
  type Limits,
  type ScanResult,
  sha256Hex,
} from '../../core/index.js';
import {
  inputsInFlight,
  ScanPool,
  type PoolReply,
  type PoolTask,
  type ResultSummary,
} from './pool.js';
import { readStdin } from './read.js';
import {
  routeLargeInput,
  scanLargeEntry,
  type LargeFileOptions,
  type LargeRoute,
} from './large-file.js';
import { walkInputs } from './walk.js';

/**
 * One input's outcome. From a worker, `json` is the result's JSON text and `summary` its tally fields;
 * `result` is then parsed on first access (print `json` to avoid that; it is `JSON.stringify(result)`).
 */
export type RunItem =
  | { path: string; result: ScanResult; json?: string; summary?: ResultSummary }
  | { path: string; error: { code: string; message: string } };

export interface RunProgress {
  /** Inputs finished, and found so far (the walk runs ahead of the scan). */
  done: number;
  found: number;
  walking: boolean;
  bytes: number;
  current?: string;
}

export interface RunOptions extends LargeFileOptions {
  limits: Limits;
  /** Worker threads; default: all cores. */
  workers?: number;
  onProgress?: (progress: RunProgress) => void;
  /** Add YARA: the bundled rules plus these rule files/directories (see apps/yara-backend). */
  yara?: readonly string[];
  /** The organisation's sent Message-IDs (`--msgid-db`, apps/msgid): thread-hijack checks. */
  msgidDb?: string;
}

/**
 * Scans files, directories (recursively) and `-` (standard input) in parallel worker threads, and yields
 * one item per input in walk order. At most a few inputs per worker are in flight, so memory stays
 * bounded however many files a directory holds.
 */
export async function* scanPaths(
  paths: readonly string[],
  options: RunOptions,
): AsyncGenerator<RunItem> {
  const workers = Math.max(1, options.workers ?? availableParallelism());
  const window = inputsInFlight(workers);
  const pool = new ScanPool(workers, options.limits);
  const pending: Promise<RunItem>[] = [];
  const progress: RunProgress = { done: 0, found: 0, walking: true, bytes: 0 };
  const report = () => options.onProgress?.(progress);
  const settle = async (item: RunItem): Promise<RunItem> => {
    progress.done++;
    progress.current = item.path;
    if ('result' in item) progress.bytes += item.summary?.size ?? item.result.size;
    report();
    return item;
  };
  let large: LargeRoute | undefined;
  try {
    for await (const entry of walkInputs(paths)) {
      progress.found++;
      if (entry.kind === 'error') {
        pending.push(
          settle({ path: entry.path, error: { code: entry.code, message: entry.message } }),
        );
      } else if (
        entry.kind === 'file' &&
        (large = await routeLargeInput(entry.path, options.limits, options))
      ) {
        // Raw memory images and dumps over maxFileSize: streamed in chunks (large-file.ts), not cut.
        pending.push(scanLargeEntry(entry.path, large, options, progress).then(settle));
      } else {
        const task: PoolTask =
          entry.kind === 'stdin'
            ? { path: '-', ...(await readStdin(options.limits.maxFileSize)) }
            : { path: entry.path };
        if (options.yara) task.yara = options.yara;
        if (options.msgidDb) task.msgidDb = options.msgidDb;
        const identity =
          'bytes' in task ? { sha256: sha256Hex(task.bytes), size: task.size } : undefined;
        pending.push(
          pool
            .run(task)
            .then((reply) => toItem(entry.path, reply, options.limits, identity))
            .then(settle),
        );
      }
      while (pending.length >= window) yield await pending.shift()!;
    }
    progress.walking = false;
    report();
    while (pending.length > 0) yield await pending.shift()!;
  } finally {
    await pool.close();
  }
}

/** The input's identity when the caller already has it (bytes from stdin or SMTP are transferred away). */
export interface InputIdentity {
  sha256: string;
  size: number;
}

export async function toItem(
  path: string,
  reply: PoolReply,
  limits: Limits,
  identity?: InputIdentity,
): Promise<RunItem> {
  if (reply.ok) {
    const { json, summary } = reply;
    return {
      path,
      ...(json !== undefined ? { json } : {}),
      ...(summary ? { summary } : {}),
      get result(): ScanResult {
        return reply.result;
      },
    };
  }
  const stopped = (finding: Finding) => unscanned(path, finding, identity);
  if (reply.code === 'E_LIMIT_TIME' || reply.code === 'E_LIMIT_MEMORY') {
    const limit =
      reply.code === 'E_LIMIT_TIME'
        ? `maxTimePerInputMs = ${limits.maxTimePerInputMs}`
        : 'worker heap';
    return {
      path,
      result: await stopped(
        limitExceeded({ location: path, text: `${reply.code}: ${reply.message}`, note: limit }),
      ),
    };
  }
  if (reply.code === 'E_SCAN_WORKER_CRASHED') {
    return {
      path,
      result: await stopped(
        engineError({ location: path, text: `${reply.code}: ${reply.message}` }),
      ),
    };
  }
  return { path, error: { code: reply.code, message: reply.message } };
}

/** The result for an input whose worker was stopped: identity from a fresh hash, and why it is incomplete. */
async function unscanned(
  path: string,
  finding: Finding,
  identity?: InputIdentity,
): Promise<ScanResult> {
  const { sha256, size } =
    identity ?? (path === '-' ? { sha256: '', size: 0 } : await hashFile(path));
  return {
    path,
    sha256,
    size,
    type: 'unknown',
    verdict: verdictOf([finding]),
    findings: [finding],
    extracted: emptyExtracted(),
    children: [],
  };
}

async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
    return { sha256: hash.digest('hex'), size };
  } catch {
    return { sha256: '', size };
  }
}
