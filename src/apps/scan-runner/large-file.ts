import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import {
  emptyExtracted,
  engineError,
  limitExceeded,
  mergeExtracted,
  verdictOf,
  type Finding,
  type Limits,
  type ScanResult,
} from '../../core/index.js';
import { siblingScript, startWorker } from '../worker-thread/index.js';
import type { LargeFileType } from './large-file-scan.js';
import type { LargeWorkerMessage, LargeWorkerRequest } from './large-file-worker.js';
import type { RunItem, RunOptions, RunProgress } from './run.js';

/**
 * Names under which raw memory images and dumps are written: winpmem/DumpIt/Magnet `.raw`, FTK `.mem`,
 * VMware `.vmem`, LiME `.lime`, `.dmp`/`.mdmp` (minidumps, CAPE `memory/<pid>.dmp`), `.dump`. A raw
 * image has no magic: the name, the size and the operator's flags are all there is to go on. Not
 * `.img`: that is how ISO and FAT images are delivered, and the container engine reads those.
 */
export const MEMORY_IMAGE_EXTENSIONS: readonly string[] = [
  '.raw',
  '.mem',
  '.vmem',
  '.lime',
  '.dmp',
  '.mdmp',
  '.dump',
];

const GiB = 1024 * 1024 * 1024;
/** Chunk of the C2-table thread: its engine needs no long overlap, and memory stays lower. */
const CONFIG_CHUNK = 16 * 1024 * 1024;
/** The C2-table thread's overlap: CONFIG_CHUNK_OVERLAP (8 KiB) in whole pages, not maxMatchBytes. */
const CONFIG_OVERLAP = 16 * 1024;

export interface LargeFileOptions {
  /** `scan --memory-image FILE`: these files are raw memory images (or dumps), whatever their size. */
  memoryImages?: readonly string[];
  /** `scan --raw-memory`: every input over maxFileSize that is not a dump is a raw memory image. */
  rawMemory?: boolean;
}

export interface LargeRoute {
  type: LargeFileType;
  size: number;
}

/**
 * Whether `path` takes the streaming path instead of the worker pool (which reads a file's first
 * maxFileSize bytes only), and as what:
 * - a CAPE/Cuckoo process memory dump (first 24 bytes a plausible `<QIIII` record header) named `.dmp`,
 *   named on --memory-image, or larger than maxFileSize: streamed region by region at any size;
 * - a minidump (MDMP magic) larger than maxFileSize: streamed region by region (smaller ones take the
 *   pool, where every engine sees them);
 * - otherwise a raw memory image when named on --memory-image, or when larger than maxFileSize and
 *   named like one (MEMORY_IMAGE_EXTENSIONS) or under --raw-memory.
 * Other files are not even stat'ed here: the common path pays nothing.
 */
export async function routeLargeInput(
  path: string,
  limits: Readonly<Limits>,
  options: LargeFileOptions,
): Promise<LargeRoute | undefined> {
  const ext = extname(path).toLowerCase();
  const isNamed = MEMORY_IMAGE_EXTENSIONS.includes(ext);
  const isExplicit = options.memoryImages?.some((p) => resolve(p) === resolve(path)) ?? false;
  if (!isExplicit && !isNamed && !options.rawMemory) return undefined;
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) return undefined;
    size = info.size;
  } catch {
    return undefined; // the pool reports the error as for any other input
  }
  const isLarge = size > limits.maxFileSize;
  if (!isExplicit && !isLarge && ext !== '.dmp') return undefined;
  const head = await readHead(path, 32);
  // Loaded here, past the name and size checks: the common path never needs the minidump reader.
  const { isCapeRecordHeader, isMinidump } = await import('../../formats/minidump/index.js');
  if (isMinidump(head)) return isLarge ? { type: 'minidump', size } : undefined;
  if (isCapeRecordHeader(head)) return { type: 'cape-memory', size };
  if (isExplicit || (isLarge && (isNamed || options.rawMemory))) {
    return { type: 'memory-image', size };
  }
  return undefined;
}

/** The streaming path's time limit: maxTimePerInputMs for each started GiB (120 s per GiB by default). */
export function largeFileTimeLimitMs(size: number, limits: Readonly<Limits>): number {
  return limits.maxTimePerInputMs * Math.max(1, Math.ceil(size / GiB));
}

export interface LargeScanRequest {
  limits: Limits;
  yara?: readonly string[];
  /** Called at most 10 times a second with the bytes scanned so far. */
  onProgress?: (done: number, total: number) => void;
  chunkSize?: number;
  overlap?: number;
  /** Tests only: accept RFC 5737 C2 addresses. */
  allowDocumentationRanges?: boolean;
}

/**
 * The scan runner's hook: one large input as a RunItem, its bytes shown on the progress bar as they
 * are scanned (`current`: the path and the share done).
 */
export async function scanLargeEntry(
  path: string,
  route: LargeRoute,
  options: RunOptions,
  progress: RunProgress,
): Promise<RunItem> {
  const onProgress = (done: number, total: number) => {
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    options.onProgress?.({
      ...progress,
      bytes: progress.bytes + done,
      current: `${path} ${pct}% of ${(total / GiB).toFixed(1)} GiB`,
    });
  };
  const result = await scanLargeInput(path, route, {
    limits: options.limits,
    ...(options.yara ? { yara: options.yara } : {}),
    onProgress,
  });
  return { path, result };
}

// One large input at a time: each holds two chunk buffers, and they compete for the same disk.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Scans one large input in its own worker thread (YARA scans are synchronous: only terminating the
 * thread stops a stuck one) while this thread hashes the file. The worker stops by itself at the
 * scaled time limit with what it found; a worker still running a grace period later is terminated.
 */
export function scanLargeInput(
  path: string,
  route: LargeRoute,
  request: LargeScanRequest,
): Promise<ScanResult> {
  const run = queue.then(() => runLargeInput(path, route, request));
  queue = run.catch(() => undefined);
  return run;
}

async function runLargeInput(
  path: string,
  route: LargeRoute,
  request: LargeScanRequest,
): Promise<ScanResult> {
  const started = Date.now();
  const limitMs = largeFileTimeLimitMs(route.size, request.limits);
  const data: LargeWorkerRequest = {
    path,
    type: route.type,
    limits: request.limits,
    deadline: started + limitMs,
    ...(request.yara ? { yara: request.yara } : {}),
    ...(request.chunkSize ? { chunkSize: request.chunkSize } : {}),
    ...(request.overlap ? { overlap: request.overlap } : {}),
    ...(request.allowDocumentationRanges ? { allowDocumentationRanges: true } : {}),
  };
  // Two threads when YARA runs: rules in one, the C2-table scan and PE probe in the other (on two
  // cores neither waits for the other); the config side reads 16 MiB at a time to keep memory down.
  const parts: LargeWorkerRequest[] = request.yara
    ? [
        { ...data, detectors: 'yara' },
        {
          ...data,
          detectors: 'config',
          chunkSize: Math.min(CONFIG_CHUNK, data.chunkSize ?? CONFIG_CHUNK),
          overlap: data.overlap ?? CONFIG_OVERLAP,
        },
      ]
    : [{ ...data, detectors: 'config', overlap: data.overlap ?? CONFIG_OVERLAP }];
  const done = parts.map(() => 0);
  const hardLimitMs = limitMs + request.limits.maxTimePerArtifactMs;
  const [hash, ...replies] = await Promise.all([
    hashFile(path),
    ...parts.map((part, i) =>
      runWorker(part, hardLimitMs, (n, total) => {
        done[i] = n;
        request.onProgress?.(Math.min(...done), total);
      }),
    ),
  ]);
  const result: ScanResult = {
    path,
    sha256: hash.sha256,
    size: route.size,
    type: route.type,
    verdict: 'clean',
    findings: [],
    extracted: emptyExtracted(),
    children: [],
  };
  const seen = new Set<string>();
  for (const reply of replies.reverse()) {
    const findings =
      reply.kind === 'done' ? reply.output.findings : [failure(reply, path, limitMs, route.size)];
    if (reply.kind === 'done') mergeExtracted(result.extracted, reply.output.extracted);
    for (const finding of findings) {
      // Both threads meet the same end of time or of file: say it once.
      const key = finding.id.startsWith('scan.')
        ? `${finding.id}\0${finding.evidence[0]?.text}`
        : '';
      if (key && seen.has(key)) continue;
      seen.add(key);
      result.findings.push(finding);
    }
  }
  result.verdict = verdictOf(result.findings);
  result.elapsedMs = Date.now() - started;
  return result;
}

function failure(
  reply: Extract<WorkerOutcome, { kind: 'error' }>,
  path: string,
  limitMs: number,
  size: number,
): Finding {
  const evidence = { location: path, text: `${reply.code}: ${reply.message}` };
  return reply.code === 'E_LIMIT_TIME'
    ? limitExceeded({ ...evidence, note: `${limitMs} ms for ${size} bytes` })
    : engineError(evidence);
}

type WorkerOutcome = Extract<LargeWorkerMessage, { kind: 'done' | 'error' }>;

function runWorker(
  data: LargeWorkerRequest,
  hardLimitMs: number,
  onProgress?: (done: number, total: number) => void,
): Promise<WorkerOutcome> {
  return new Promise((resolvePromise) => {
    let settled = false;
    const worker = startWorker(siblingScript(import.meta.url, 'large-file-worker'), {
      workerData: data,
    });
    const finish = (outcome: WorkerOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolvePromise(outcome);
    };
    const timer = setTimeout(
      () =>
        finish({
          kind: 'error',
          code: 'E_LIMIT_TIME',
          message: `${data.path}: the scan did not stop within ${hardLimitMs} ms and was terminated`,
        }),
      hardLimitMs,
    );
    worker.on('message', (message: LargeWorkerMessage) => {
      if (message.kind === 'progress') onProgress?.(message.done, message.total);
      else finish(message);
    });
    worker.on('error', (error: Error) =>
      finish({ kind: 'error', code: 'E_SCAN_WORKER_CRASHED', message: error.message }),
    );
    worker.on('exit', () =>
      finish({ kind: 'error', code: 'E_SCAN_WORKER_CRASHED', message: 'large-file worker exited' }),
    );
  });
}

async function readHead(path: string, length: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const bytes = new Uint8Array(length);
    const { bytesRead } = await handle.read(bytes, 0, length, 0);
    return bytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  try {
    const stream = createReadStream(path, { highWaterMark: 4 * 1024 * 1024 });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
    return { sha256: hash.digest('hex'), size };
  } catch {
    return { sha256: '', size };
  }
}
