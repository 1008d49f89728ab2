import { parentPort } from 'node:worker_threads';
import { walkResults, type Limits } from '../../core/index.js';
import type { Engine } from '../../core/index.js';
import { createMailEngine } from '../../engines/mail/index.js';
import { ENGINES, scanInput } from '../../pipeline/index.js';
import type { openSentMessageIndex } from '../msgid/index.js';
import { enginesWithYara } from '../yara-backend/index.js';
import { WORKER_READY, type ResultSummary } from './pool.js';
import { readInputFileSync } from './read.js';

/**
 * Messages from the pool: scan a file by path, or bytes already read (standard input). `yara` set: add
 * the yara engine with the bundled rules plus these rule paths (compiled once per worker, cached).
 */
export type WorkerRequest = (
  | { id: number; path: string; limits: Limits }
  | { id: number; path: string; limits: Limits; bytes: Uint8Array; size: number }
) & { yara?: readonly string[]; msgidDb?: string };

/**
 * The result goes back as its JSON text: a string is copied in one piece, where the structured clone of
 * a result's object tree costs more than JSON.stringify here plus JSON.parse in the pool, and the CLI
 * prints JSON anyway (the text parses back to the same object: results hold only JSON values).
 */
export type WorkerReply =
  | { id: number; ok: true; json: string; summary?: ResultSummary }
  | { id: number; ok: false; code: string; message: string };

const port = parentPort;
if (!port) throw new Error('scan worker must run in a worker thread');

// SECURITY: one input at a time, in the order sent. The pool sends several tasks ahead and arms each
// task's watchdog when the previous reply arrives; running two inputs at once would let a hostile input
// hide behind another one's deadline.
const queue: WorkerRequest[] = [];
let isRunning = false;

port.on('message', (request: WorkerRequest) => {
  queue.push(request);
  if (!isRunning) void drain();
});
port.postMessage(WORKER_READY);

async function drain(): Promise<void> {
  isRunning = true;
  try {
    for (let request = queue.shift(); request; request = queue.shift())
      port!.postMessage(await handle(request));
  } finally {
    isRunning = false;
  }
}

// One Message-ID index per worker and file, opened read-only on first use and kept for the next inputs.
// The module (SQLite) is loaded only when a scan asks for it.
const sentIndexes = new Map<string, ReturnType<typeof openSentMessageIndex>>();

async function enginesFor(request: WorkerRequest): Promise<readonly Engine[]> {
  let engines: readonly Engine[] = ENGINES;
  if (request.msgidDb) {
    let index = sentIndexes.get(request.msgidDb);
    if (index === undefined) {
      const { openSentMessageIndex } = await import('../msgid/index.js');
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
        : readInputFileSync(request.path, request.limits.maxFileSize);
    const result = await scanInput(
      { path: request.path, bytes: input.bytes, size: input.size },
      {
        limits: request.limits,
        ...(request.yara || request.msgidDb ? { engines: await enginesFor(request) } : {}),
      },
    );
    let artifacts = 0;
    for (const _ of walkResults(result)) artifacts++;
    const summary = { verdict: result.verdict, size: result.size, artifacts };
    return { id: request.id, ok: true, json: JSON.stringify(result), summary };
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
