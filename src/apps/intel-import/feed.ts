import { stat } from 'node:fs/promises';
import type { IntelRows } from '../../store/index.js';
import { ACK, type FeedOutcome, type FeedRequest, type WorkerMessage } from './protocol.js';
import { siblingScript, startWorker } from '../worker-thread/index.js';
import { readFeedRows } from './read.js';

/**
 * Feeds from this size on are parsed in a worker thread while the caller writes. Smaller ones are read
 * in the caller's thread: starting a worker costs more than parsing a few MiB.
 */
export const WORKER_MIN_BYTES = 8 * 1024 * 1024;
/** Rows per batch handed to the store. */
export const FEED_BATCH_ROWS = 8192;

const WORKER_URL = siblingScript(import.meta.url, 'worker');

export interface FeedReadOptions {
  /** Default WORKER_MIN_BYTES; 0 always uses a worker, Infinity never. */
  workerMinBytes?: number;
}

/**
 * One feed file as IntelRows batches for `Store.importIntelStream`; `done` receives the parser's
 * summary and anomalies after the last batch. A read error throws from the iteration (the import then
 * writes nothing). Stopping the iteration early stops the worker.
 */
export async function* feedRows(
  request: Omit<FeedRequest, 'batchRows'> & { batchRows?: number },
  done: (outcome: FeedOutcome) => void,
  options: FeedReadOptions = {},
): AsyncGenerator<IntelRows> {
  const full: FeedRequest = { ...request, batchRows: request.batchRows ?? FEED_BATCH_ROWS };
  const size = (await stat(full.file)).size;
  if (size < (options.workerMinBytes ?? WORKER_MIN_BYTES)) {
    yield* readFeedRows(full, done);
    return;
  }
  const worker = startWorker(WORKER_URL, { workerData: full });
  const inbox: WorkerMessage[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (message: WorkerMessage) => {
    inbox.push(message);
    notify();
  });
  worker.on('error', (error) => {
    failure ??= error;
    notify();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`intel import worker exited (${code}) before the end of ${full.file}`);
    notify();
  });
  try {
    for (;;) {
      const message = inbox.shift();
      if (message === undefined) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (message.kind === 'error') throw new Error(message.message);
      if (message.kind === 'end') {
        done({ summary: message.summary, anomalies: message.anomalies });
        return;
      }
      yield message.batch;
      worker.postMessage(ACK);
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}
