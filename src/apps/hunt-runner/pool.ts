import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { EVTX_CHUNK_SIZE, EVTX_FILE_HEADER_SIZE, isEvtx } from '../../formats/evtx/index.js';
import type { HuntRules, HuntWorkerReply, HuntWorkerRequest, MatchedEvent } from './worker.js';

// Workers run as .ts under tsx (tests, benches) and as .js from dist/ (bin/emoguard).
const WORKER_URL = new URL(`./worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/** Chunk tasks queued or running per worker: memory is bounded by this many 64 KiB chunks' events. */
export const CHUNKS_IN_FLIGHT_PER_WORKER = 4;

/** Node 20 does not apply the parent's `--import tsx` hooks to workers (see scan-runner/pool.ts). */
function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

interface Pending {
  resolve: (reply: HuntWorkerReply) => void;
  worker: number;
}

/**
 * Worker threads that parse EVTX chunks and run the single-event Sigma rules on them. `events(path)`
 * yields a file's events with their detections in record order, whatever order the workers finish in,
 * with at most `size × CHUNKS_IN_FLIGHT_PER_WORKER` chunks parsed ahead.
 */
export class HuntPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly load: number[];
  private nextId = 1;
  private failure: Error | undefined;
  /** Sigma failures on single events in the workers (counted like runHunt's engine errors). */
  readonly engineErrors: string[] = [];
  /** Events parsed and matched in workers and not sent to the main thread. */
  skippedEvents = 0;

  constructor(
    readonly size: number,
    rules: HuntRules,
    /** Every event back to the main thread (Sigma correlations need them); else only what it reads. */
    allEvents = true,
  ) {
    this.load = new Array<number>(size).fill(0);
    for (let i = 0; i < size; i++) {
      const worker = startWorker(WORKER_URL);
      worker.on('message', (reply: HuntWorkerReply) => this.settle(reply));
      worker.on('error', (error) => this.crash(i, error));
      worker.on('exit', () => this.crash(i, new Error('hunt worker exited')));
      worker.postMessage({ type: 'init', rules, allEvents } satisfies HuntWorkerRequest);
      this.workers.push(worker);
    }
  }

  /** Whether the file is EVTX (by its signature); others are read in the main thread. */
  static isEvtxFile(path: string): boolean {
    const fd = openSync(path, 'r');
    try {
      const head = new Uint8Array(8);
      return isEvtx(head.subarray(0, readSync(fd, head, 0, 8, 0)));
    } finally {
      closeSync(fd);
    }
  }

  async *events(path: string): AsyncGenerator<MatchedEvent> {
    const size = statSync(path).size;
    const chunks = Math.max(0, Math.ceil((size - EVTX_FILE_HEADER_SIZE) / EVTX_CHUNK_SIZE));
    const window: Promise<HuntWorkerReply>[] = [];
    let next = 0;
    const limit = this.size * CHUNKS_IN_FLIGHT_PER_WORKER;
    while (next < chunks || window.length > 0) {
      while (next < chunks && window.length < limit) window.push(this.submit(path, next++));
      const reply = await window.shift()!;
      if (!reply.ok) throw new Error(reply.message);
      for (const e of reply.errors) this.engineErrors.push(e);
      this.skippedEvents += reply.skipped;
      yield* reply.items;
    }
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    for (const w of workers) w.removeAllListeners('exit');
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private submit(path: string, index: number): Promise<HuntWorkerReply> {
    if (this.failure) return Promise.resolve({ id: 0, ok: false, message: this.failure.message });
    const id = this.nextId++;
    // The least-loaded worker: chunks differ in cost (templates, record sizes).
    let worker = 0;
    for (let i = 1; i < this.size; i++) if (this.load[i]! < this.load[worker]!) worker = i;
    this.load[worker]!++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, worker });
      this.workers[worker]!.postMessage({
        type: 'chunk',
        id,
        path,
        index,
      } satisfies HuntWorkerRequest);
    });
  }

  private settle(reply: HuntWorkerReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    this.load[p.worker]!--;
    p.resolve(reply);
  }

  /** A crashed worker fails every pending and later task: the hunt reports the file, never hangs. */
  private crash(_worker: number, error: Error): void {
    this.failure ??= error;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.resolve({ id, ok: false, message: `hunt worker failed: ${error.message}` });
    }
  }
}
