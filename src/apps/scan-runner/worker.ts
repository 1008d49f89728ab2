import { parentPort } from 'node:worker_threads';
import type { Limits } from '../../core/index.js';
import type { Engine } from '../../core/index.js';
import { createMailEngine } from '../../engines/mail/index.js';
import { ENGINES, scanInput } from '../../pipeline/index.js';
import { openSentMessageIndex } from '../msgid/index.js';
import { enginesWithYara } from '../yara-backend/index.js';
import { readInputFile } from './read.js';

/**
 * Messages from the pool: scan a file by path, or bytes already read (standard input). `yara` set: add
 * the yara engine with the bundled rules plus these rule paths (compiled once per worker, cached).
 */
export type WorkerRequest = (
  | { id: number; path: string; limits: Limits }
  | { id: number; path: string; limits: Limits; bytes: Uint8Array; size: number }
) & { yara?: readonly string[]; msgidDb?: string };

export type WorkerReply =
  | { id: number; ok: true; result: Awaited<ReturnType<typeof scanInput>> }
  | { id: number; ok: false; code: string; message: string };

const port = parentPort;
if (!port) throw new Error('scan worker must run in a worker thread');

port.on('message', (request: WorkerRequest) => {
  void handle(request).then((reply) => port.postMessage(reply));
});

// One Message-ID index per worker and file, opened read-only on first use and kept for the next inputs.
const sentIndexes = new Map<string, ReturnType<typeof openSentMessageIndex>>();

function enginesFor(request: WorkerRequest): readonly Engine[] {
  let engines: readonly Engine[] = ENGINES;
  if (request.msgidDb) {
    let index = sentIndexes.get(request.msgidDb);
    if (index === undefined) {
      index = openSentMessageIndex(request.msgidDb);
      sentIndexes.set(request.msgidDb, index);
    }
    const mail = createMailEngine({ sentMessages: index });
    engines = engines.map((e) => (e.name === 'mail' ? mail : e));
  }
  return request.yara ? enginesWithYara(engines, request.yara) : engines;
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  try {
    const input =
      'bytes' in request
        ? { bytes: request.bytes, size: request.size }
        : await readInputFile(request.path, request.limits.maxFileSize);
    const result = await scanInput(
      { path: request.path, bytes: input.bytes, size: input.size },
      {
        limits: request.limits,
        ...(request.yara || request.msgidDb ? { engines: enginesFor(request) } : {}),
      },
    );
    return { id: request.id, ok: true, result };
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    return {
      id: request.id,
      ok: false,
      code: err.code ? `E_INPUT_${err.code}` : 'E_SCAN_FAILED',
      message: err.message,
    };
  }
}
