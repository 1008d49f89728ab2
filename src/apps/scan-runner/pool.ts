import { totalmem } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Limits, ScanResult, Verdict } from '../../core/index.js';
import { siblingScript, startWorker } from '../worker-thread/index.js';
import type { WorkerReply, WorkerRequest } from './worker.js';

export type PoolTask = ({ path: string } | { path: string; bytes: Uint8Array; size: number }) & {
  yara?: readonly string[];
  msgidDb?: string;
};

/** What the CLI's tally needs of a result, sent beside its JSON so that `scan --json` need not parse it. */
export interface ResultSummary {
  verdict: Verdict;
  size: number;
  /** The result and all its descendants. */
  artifacts: number;
}

/**
 * A worker's result: `json` is its text as the worker wrote it and `result` parses it on first access,
 * so a caller that only prints the text (`scan --json`) never pays for JSON.parse.
 */
export type PoolReply =
  | { id: number; ok: true; result: ScanResult; json?: string; summary?: ResultSummary }
  | { id: number; ok: false; code: string; message: string }
  | {
      id: number;
      ok: false;
      code: 'E_LIMIT_TIME' | 'E_LIMIT_MEMORY' | 'E_SCAN_WORKER_CRASHED';
      message: string;
    };

type FailCode = 'E_LIMIT_TIME' | 'E_LIMIT_MEMORY' | 'E_SCAN_WORKER_CRASHED';

interface Queued {
  task: PoolTask;
  id: number;
  resolve: (reply: PoolReply) => void;
}

interface Slot {
  worker: Worker;
  /** Tasks sent to this worker, oldest first; the worker runs them one at a time in this order. */
  sent: Queued[];
  /** The watchdog of `sent[0]`, the task the worker is running. */
  timer?: NodeJS.Timeout;
  /** The worker has loaded its modules (its `ready` message): watchdogs measure scans, not start-up. */
  isReady: boolean;
}

/**
 * Tasks a worker holds at once by default. More than one hides the round trip through the main thread
 * between two small files, but ties queued inputs to one worker: on a machine whose cores are shared
 * (measured on 2 cores at load 15-30) a descheduled worker then holds up the in-order output while the
 * other one idles, and 1,000 Office files took 15 s with 4 queued per worker against 7-8 s with 1 (and
 * 10-11 s with 2). The pool and the worker support more (tests use 4); a task is only read by the worker
 * when it starts, so a queued task costs a path, not its bytes.
 */
export const TASKS_PER_WORKER = 1;

/**
 * What a worker posts once its modules are loaded. Loading takes ~0.5 s from dist/ and seconds under tsx
 * on a busy machine; it is not the input's time, and a worker that fails to load exits (and is reported).
 */
export const WORKER_READY = 'ready';

// Workers run as .ts under tsx (tests) and as .js from dist/ (bin/emoguard); see apps/worker-thread.
const WORKER_URL = siblingScript(import.meta.url, 'worker');

/**
 * Worker threads that scan inputs in parallel. Each task has a watchdog (`maxTimePerInputMs`), started
 * when the worker begins it (once the worker has loaded): a worker stuck in a synchronous loop on a hostile input is terminated and
 * replaced, the input is reported as not fully scanned, and the tasks queued behind it go to another
 * worker. A worker's heap is capped so one input cannot take the machine's memory.
 */
export class ScanPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Queued[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly limits: Limits,
    /** The worker script; tests substitute one that hangs or crashes on demand. */
    private readonly workerUrl: URL = WORKER_URL,
    private readonly tasksPerWorker: number = TASKS_PER_WORKER,
  ) {}

  run(task: PoolTask): Promise<PoolReply> {
    if (this.closed) throw new Error('scan pool is closed');
    return new Promise((resolve) => {
      this.queue.push({ task, id: this.nextId++, resolve });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.pickSlot();
      if (!slot) return;
      const next = this.queue.shift()!;
      slot.sent.push(next);
      if (slot.sent.length === 1) this.arm(slot);
      const request: WorkerRequest = { id: next.id, limits: this.limits, ...next.task };
      const transfer = 'bytes' in next.task ? [next.task.bytes.buffer as ArrayBuffer] : [];
      slot.worker.postMessage(request, transfer);
    }
  }

  /** An idle worker, else a new one while under `size`, else the least loaded one with room. */
  private pickSlot(): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of this.slots) {
      if (slot.sent.length === 0) return slot;
      if (slot.sent.length < this.tasksPerWorker && (!best || slot.sent.length < best.sent.length))
        best = slot;
    }
    if (this.slots.length < this.size) return this.spawn();
    return best;
  }

  /** Starts the watchdog of the task the worker is now running. */
  private arm(slot: Slot): void {
    const head = slot.sent[0];
    if (!head || !slot.isReady) return;
    slot.timer = setTimeout(
      () =>
        this.fail(
          slot,
          'E_LIMIT_TIME',
          `${head.task.path}: scan took longer than ${this.limits.maxTimePerInputMs} ms`,
        ),
      this.limits.maxTimePerInputMs,
    );
  }

  private spawn(): Slot {
    const heapMb = Math.min(
      8192,
      Math.max(512, Math.floor(totalmem() / 1024 / 1024 / (this.size + 1))),
    );
    const worker = startWorker(this.workerUrl, {
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
    });
    const slot: Slot = { worker, sent: [], isReady: false };
    worker.on('message', (reply: WorkerReply | typeof WORKER_READY) => {
      if (reply === WORKER_READY) {
        slot.isReady = true;
        this.arm(slot);
        return;
      }
      if (slot.sent[0]?.id !== reply.id) return;
      this.finish(slot, reply);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const oom = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.fail(slot, oom ? 'E_LIMIT_MEMORY' : 'E_SCAN_WORKER_CRASHED', error.message);
    });
    worker.on('exit', () => {
      if (slot.sent.length > 0) this.fail(slot, 'E_SCAN_WORKER_CRASHED', 'scan worker exited');
    });
    this.slots.push(slot);
    return slot;
  }

  private finish(slot: Slot, reply: WorkerReply): void {
    const task = slot.sent.shift()!;
    clearTimeout(slot.timer);
    this.arm(slot);
    task.resolve(reply.ok && 'json' in reply ? parsedOnUse(reply) : (reply as PoolReply));
    this.dispatch();
  }

  /**
   * Ends the running task with an error and replaces the worker: its state after a timeout or crash is
   * unknown. The tasks queued behind it were not started and go back to the front of the queue.
   */
  private fail(slot: Slot, code: FailCode, message: string): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    clearTimeout(slot.timer);
    const [task, ...waiting] = slot.sent;
    slot.sent = [];
    void slot.worker.terminate();
    if (task) task.resolve({ id: task.id, ok: false, code, message });
    if (this.closed) {
      for (const w of waiting)
        w.resolve({
          id: w.id,
          ok: false,
          code: 'E_SCAN_WORKER_CRASHED',
          message: 'scan pool closed',
        });
      return;
    }
    this.queue.unshift(...waiting);
    this.dispatch();
  }
}

function parsedOnUse(reply: { id: number; json: string; summary?: ResultSummary }): PoolReply {
  let result: ScanResult | undefined;
  const { id, json, summary } = reply;
  return {
    id,
    ok: true,
    json,
    ...(summary ? { summary } : {}),
    get result(): ScanResult {
      return (result ??= JSON.parse(json) as ScanResult);
    },
  };
}
