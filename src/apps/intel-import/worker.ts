/**
 * The parsing thread of `intel import`: reads and parses one feed (workerData: FeedRequest) and posts
 * IntelRows batches, at most IN_FLIGHT ahead of what the writing thread has acknowledged, so memory
 * holds a few batches whatever the feed's size.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { describeError } from '../../core/index.js';
import { ACK, type FeedOutcome, type FeedRequest, type WorkerMessage } from './protocol.js';
import { readFeedRows } from './read.js';

const IN_FLIGHT = 4;

const port = parentPort;
if (!port) throw new Error('intel import worker must run in a worker thread');

let unacked = 0;
let wake: (() => void) | undefined;
const onMessage = (message: unknown) => {
  if (message !== ACK) return;
  unacked--;
  wake?.();
  wake = undefined;
};
port.on('message', onMessage);

const post = (message: WorkerMessage) => port.postMessage(message);

async function run(): Promise<void> {
  let outcome: FeedOutcome | undefined;
  try {
    for await (const batch of readFeedRows(workerData as FeedRequest, (o) => (outcome = o))) {
      while (unacked >= IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
      unacked++;
      post({ kind: 'rows', batch });
    }
    post({ kind: 'end', ...outcome! });
  } catch (error) {
    post({ kind: 'error', message: describeError(error) });
  }
  // Nothing keeps the thread alive once the listener is gone: it exits after the last post.
  port!.off('message', onMessage);
}

void run();
