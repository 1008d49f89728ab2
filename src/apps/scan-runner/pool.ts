import { totalmem } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { Limits } from '../../core/index.js';
import type { WorkerReply, WorkerRequest } from './worker.js';

export type PoolTask = ({ path: string } | { path: string; bytes: Uint8Array; size: number }) & {
  yara?: readonly string[];
  msgidDb?: string;
};
export type PoolReply =
  | WorkerReply
  | {
      id: number;
      ok: false;
      code: 'E_LIMIT_TIME' | 'E_LIMIT_MEMORY' | 'E_SCAN_WORKER_CRASHED';
      message: string;
    };

interface Slot {
  worker: Worker;
  task?: { id: number; resolve: (reply: PoolReply) => void; timer: NodeJS.Timeout };
}

// Workers run as .ts under tsx (tests) and as .js from dist/ (bin/emoguard).
const WORKER_URL = new URL(`./worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/**
 * Starts a worker. From dist/ the script is JavaScript; under tsx (tests, `make bench`) it is TypeScript,
 * and Node 20 does not apply the parent's `--import tsx` hooks to workers, so the worker registers them
 * itself before importing the script.
 */
function startWorker(url: URL, options: WorkerOptions): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

/**
 * Worker threads that scan inputs in parallel. Each task has a watchdog (`maxTimePerInputMs`): a worker
 * stuck in a synchronous loop on a hostile input is terminated and replaced, and the input is reported as
 * not fully scanned. A worker's heap is capped so one input cannot take the machine's memory.
 */
export class ScanPool {
  private readonly slots: Slot[] = [];
  private readonly queue: { task: PoolTask; id: number; resolve: (reply: PoolReply) => void }[] =
    [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly limits: Limits,
    /** The worker script; tests substitute one that hangs or crashes on demand. */
    private readonly workerUrl: URL = WORKER_URL,
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
      let slot = this.slots.find((s) => !s.task);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const next = this.queue.shift()!;
      const timer = setTimeout(
        () =>
          this.fail(
            slot!,
            'E_LIMIT_TIME',
            `${next.task.path}: scan took longer than ${this.limits.maxTimePerInputMs} ms`,
          ),
        this.limits.maxTimePerInputMs,
      );
      slot.task = { id: next.id, resolve: next.resolve, timer };
      const request: WorkerRequest = { id: next.id, limits: this.limits, ...next.task };
      const transfer = 'bytes' in next.task ? [next.task.bytes.buffer as ArrayBuffer] : [];
      slot.worker.postMessage(request, transfer);
    }
  }

  private spawn(): Slot {
    const heapMb = Math.min(
      8192,
      Math.max(512, Math.floor(totalmem() / 1024 / 1024 / (this.size + 1))),
    );
    const worker = startWorker(this.workerUrl, {
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
    });
    const slot: Slot = { worker };
    worker.on('message', (reply: WorkerReply) => {
      if (!slot.task || slot.task.id !== reply.id) return;
      this.finish(slot, reply);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const oom = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.fail(slot, oom ? 'E_LIMIT_MEMORY' : 'E_SCAN_WORKER_CRASHED', error.message);
    });
    worker.on('exit', () => {
      if (slot.task) this.fail(slot, 'E_SCAN_WORKER_CRASHED', 'scan worker exited');
    });
    this.slots.push(slot);
    return slot;
  }

  private finish(slot: Slot, reply: PoolReply): void {
    const task = slot.task!;
    clearTimeout(task.timer);
    slot.task = undefined;
    task.resolve(reply);
    this.dispatch();
  }

  /** Ends the task with an error and replaces the worker: its state after a timeout or crash is unknown. */
  private fail(
    slot: Slot,
    code: 'E_LIMIT_TIME' | 'E_LIMIT_MEMORY' | 'E_SCAN_WORKER_CRASHED',
    message: string,
  ): void {
    const task = slot.task;
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    slot.task = undefined;
    void slot.worker.terminate();
    if (task) {
      clearTimeout(task.timer);
      task.resolve({ id: task.id, ok: false, code, message });
    }
    if (!this.closed) this.dispatch();
  }
}
