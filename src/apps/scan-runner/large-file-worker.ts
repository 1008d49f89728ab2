import { parentPort, workerData } from 'node:worker_threads';
import type { Limits } from '../../core/index.js';
import { loadYaraRules } from '../yara-backend/index.js';
import { scanLargeFile, type LargeFileType, type LargeScanOutput } from './large-file-scan.js';

/** What large-file.ts starts one worker with (one large input per worker). */
export interface LargeWorkerRequest {
  path: string;
  type: LargeFileType;
  limits: Limits;
  deadline: number;
  /** Rule paths added to the bundled rules; undefined: no YARA (YARA-X unavailable or not asked for). */
  yara?: readonly string[];
  chunkSize?: number;
  overlap?: number;
  /** See LargeScanOptions.detectors. */
  detectors?: 'all' | 'yara' | 'config';
  /** Tests only: the C2-table engine accepts RFC 5737 addresses (see engines/emotet-config). */
  allowDocumentationRanges?: boolean;
}

export type LargeWorkerMessage =
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'done'; output: LargeScanOutput }
  | { kind: 'error'; code: string; message: string };

const port = parentPort;
if (!port) throw new Error('large-file worker must run in a worker thread');
const request = workerData as LargeWorkerRequest;

async function run(): Promise<LargeScanOutput> {
  const scanner =
    request.yara && request.detectors !== 'config'
      ? loadYaraRules({
          paths: request.yara,
          env: process.env,
          timeoutMs: request.limits.maxTimePerArtifactMs,
        }).scanner
      : undefined;
  let last = 0;
  return scanLargeFile({
    path: request.path,
    type: request.type,
    limits: request.limits,
    deadline: request.deadline,
    ...(request.detectors ? { detectors: request.detectors } : {}),
    ...(request.chunkSize ? { chunkSize: request.chunkSize } : {}),
    ...(request.overlap ? { overlap: request.overlap } : {}),
    ...(scanner ? { scanner } : {}),
    ...(request.allowDocumentationRanges ? { emotet: { allowDocumentationRanges: true } } : {}),
    onProgress: (done, total) => {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      port!.postMessage({ kind: 'progress', done, total } satisfies LargeWorkerMessage);
    },
  });
}

run().then(
  (output) => port.postMessage({ kind: 'done', output } satisfies LargeWorkerMessage),
  (error: NodeJS.ErrnoException) =>
    port.postMessage({
      kind: 'error',
      code: error.code ? `E_INPUT_${error.code}` : 'E_SCAN_FAILED',
      message: error.message,
    } satisfies LargeWorkerMessage),
);
