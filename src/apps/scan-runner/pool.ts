import { totalmem } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Limits, ScanResult, Verdict } from '../../core/index.js';
import { siblingScript, startWorker } from '../worker-thread/index.js';
import {
  BOARD_MASK,
  BOARD_SIZE,
  SEQ_WRAP,
  STATE_BYTES,
  WORKER_READY,
  monotonicMs,
  readRunning,
  type WireTask,
  type WorkerInit,
} from './pool-protocol.js';
import type { WorkerReply } from './worker.js';

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
  /** 0 until published on the board. */
  seq: number;
  /** What the workers get; its bytes (if any) copied when the task was given, so the caller keeps its own. */
  wire: WireTask;
  /** Times published again because the worker that held its reply died. */
  retries: number;
  resolve: (reply: PoolReply) => void;
}

interface Slot {
  worker: Worker;
  id: number;
  state: Int32Array;
  started: Float64Array;
  /** The watchdog: one timer per worker, due at the running input's deadline (or a period later). */
  timer?: NodeJS.Timeout;
  /** The worker has loaded its modules (its `ready` message). */
  isReady: boolean;
  /** Why the worker is ending (its `error`, or the watchdog), reported when it has exited. */
  failure?: { code: FailCode; message: string };
  isDead: boolean;
}

/**
 * Inputs published ahead of the workers. Enough that a worker never waits for the main thread between
 * two inputs; broadcasts are batched (PUBLISH_BATCH) so each worker gets one message per batch, not one
 * per input. Unpublished inputs wait in the pool's backlog (a path, or the one copy of given bytes).
 */
const AHEAD_PER_WORKER = 2;
const PUBLISH_BATCH = 8;

/**
 * How many inputs a caller keeps in flight so the pool always has a batch to publish. Output is written
 * in input order: a worker that is descheduled on a loaded machine holds up only the one input it runs
 * (the others are claimed by whichever worker is free), so the others go on until this window is full.
 */
export function inputsInFlight(workers: number): number {
  return workers * (AHEAD_PER_WORKER + 2) + 2 * PUBLISH_BATCH;
}

// Workers run as .ts under tsx (tests) and as .js from dist/ (bin/emoguard); see apps/worker-thread.
const WORKER_URL = siblingScript(import.meta.url, 'worker');
const MAX_RETRIES = 3;
/** Worker ids start at 2: -1 on the board marks a task the pool itself took (a worker that never started). */
const TAKEN_BY_POOL = -1;

/*
 * V8 flags for the workers, measured (idle-equivalent machine, 2 cores; /tmp/om = 5,000 small Office files,
 * /tmp/om20 = 20,000) and not set:
 * - `--single-threaded-gc` pays (om 7.03 → 6.74 CPU-s, 3.79 → 3.58 s; om20 17.0 → 16.4 CPU-s) but only
 *   from the command line: set with v8.setFlagsFromString once the main isolate runs, V8 aborts in its
 *   next incremental GC ("Check failed: concurrent_marking_handle_ …"), and NODE_OPTIONS refuses it.
 * - A larger `--interrupt-budget` (150,000 / 300,000: fewer TurboFan compiles per worker isolate) saves
 *   0.5-0.6 CPU-s on om but costs 0.4-0.8 on om20, where the steady state dominates; likewise
 *   `--no-turbo-inlining` (-0.25 / +1.3 CPU-s). `--v8-pool-size=1|2` changed nothing measurable.
 */

/**
 * Worker threads that scan inputs in parallel (protocol: pool-protocol.ts). Each input has a watchdog
 * (`maxTimePerInputMs` from when a worker starts it): a worker stuck in a synchronous loop on a hostile
 * input is terminated and replaced, the input is reported as not fully scanned, and the other inputs
 * are run by the other workers and the replacement. A worker's heap is capped so one input cannot take
 * the machine's memory.
 */
export class ScanPool {
  private readonly slots: Slot[] = [];
  /** Published and not yet answered, by seq. */
  private readonly inFlight = new Map<number, Queued>();
  /** Not yet published. */
  private readonly backlog: Queued[] = [];
  private readonly board = new Int32Array(new SharedArrayBuffer(BOARD_SIZE * 4));
  private published = 0;
  private nextWorkerId = 2;
  private isFlushScheduled = false;
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
      this.backlog.push({ task, seq: 0, wire: toWire(task), retries: 0, resolve });
      this.maybeFlush();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    for (const slot of slots) clearTimeout(slot.timer);
    await Promise.all(slots.map((s) => s.worker.terminate()));
    const left = [...this.inFlight.values(), ...this.backlog.splice(0)];
    this.inFlight.clear();
    for (const q of left)
      q.resolve({
        id: q.seq,
        ok: false,
        code: 'E_SCAN_WORKER_CRASHED',
        message: 'scan pool closed',
      });
  }

  /** Publishes the backlog once the workers are about to run out, or a whole batch is waiting. */
  private maybeFlush(): void {
    if (this.isFlushScheduled || this.backlog.length === 0) return;
    const ahead = this.inFlight.size - this.slots.length;
    if (ahead >= AHEAD_PER_WORKER * this.size && this.backlog.length < PUBLISH_BATCH) return;
    // On the next turn: the inputs a caller adds in this one go out in the same message.
    this.isFlushScheduled = true;
    setImmediate(() => {
      this.isFlushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.closed) return;
    const batch: WireTask[] = [];
    while (this.backlog.length > 0 && this.inFlight.size < BOARD_SIZE / 2) {
      const q = this.backlog.shift()!;
      q.seq = (this.published++ % SEQ_WRAP) + 1;
      q.wire.seq = q.seq;
      Atomics.store(this.board, q.seq & BOARD_MASK, q.seq);
      this.inFlight.set(q.seq, q);
      batch.push(q.wire);
    }
    if (batch.length === 0) return;
    for (const slot of this.slots) slot.worker.postMessage(batch);
    this.staff();
  }

  /** Starts workers up to `size` (each replacement takes the unclaimed tasks) and arms the watchdogs. */
  private staff(): void {
    if (this.inFlight.size === 0) return;
    // No more workers than inputs in flight: a one-file scan starts one worker, not one per core (each
    // costs ~0.2 s of CPU to load, taken from the worker that scans on a 2-core machine).
    while (this.slots.length < Math.min(this.size, this.inFlight.size)) this.spawn();
    for (const slot of this.slots) this.watch(slot, this.limits.maxTimePerInputMs);
  }

  private spawn(): void {
    const heapMb = Math.min(
      8192,
      Math.max(512, Math.floor(totalmem() / 1024 / 1024 / (this.size + 1))),
    );
    const id = this.nextWorkerId++;
    const shared = new SharedArrayBuffer(STATE_BYTES);
    const tasks: WireTask[] = [];
    for (const q of this.inFlight.values())
      if (Atomics.load(this.board, q.seq & BOARD_MASK) === q.seq) tasks.push(q.wire);
    const init: WorkerInit = {
      id,
      limits: this.limits,
      board: this.board.buffer as SharedArrayBuffer,
      state: shared,
      tasks,
    };
    const worker = startWorker(this.workerUrl, {
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
      workerData: init,
    });
    const slot: Slot = {
      worker,
      id,
      state: new Int32Array(shared, 0, 1),
      started: new Float64Array(shared, 8, 1),
      isReady: false,
      isDead: false,
    };
    worker.on('message', (replies: WorkerReply[] | typeof WORKER_READY) => {
      if (replies === WORKER_READY) slot.isReady = true;
      else for (const reply of replies) this.finish(reply);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const oom = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      slot.failure ??= {
        code: oom ? 'E_LIMIT_MEMORY' : 'E_SCAN_WORKER_CRASHED',
        message: error.message,
      };
    });
    worker.on('exit', () => this.bury(slot));
    this.slots.push(slot);
  }

  private finish(reply: WorkerReply): void {
    const q = this.inFlight.get(reply.seq);
    if (!q) return; // already answered: the watchdog stopped its worker as it finished
    this.inFlight.delete(reply.seq);
    q.resolve(reply.ok ? parsedOnUse(reply) : { ...reply, id: reply.seq });
    this.maybeFlush();
  }

  /**
   * The watchdog of a worker, lazy: when it fires it reads which input the worker is running and since
   * when, and either stops the worker (past maxTimePerInputMs) or sleeps until that input's deadline. A
   * worker that moves on to the next input costs no timer at all.
   */
  private watch(slot: Slot, delayMs: number): void {
    if (slot.timer || slot.isDead) return;
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      if (slot.isDead || this.closed) return;
      const running = readRunning(slot.state, slot.started);
      if (running) {
        const left = running.startedMs + this.limits.maxTimePerInputMs - monotonicMs();
        if (left <= 0) return this.stop(slot, running.seq);
        return this.watch(slot, Math.ceil(left));
      }
      // Nothing running: an input started from now on has its deadline at least a period away.
      if (this.inFlight.size > 0) this.watch(slot, this.limits.maxTimePerInputMs);
    }, delayMs);
    // The workers keep the process alive while there is work; an idle pool must not.
    slot.timer.unref();
  }

  /** Past its deadline: the input is answered now, the worker replaced (its state is unknown). */
  private stop(slot: Slot, seq: number): void {
    const q = this.inFlight.get(seq);
    const path = q?.task.path ?? '?';
    this.retire(slot, {
      code: 'E_LIMIT_TIME',
      message: `${path}: scan took longer than ${this.limits.maxTimePerInputMs} ms`,
    });
    if (q) this.answer(q, slot.failure!);
    void slot.worker.terminate();
    this.staff();
  }

  private retire(slot: Slot, failure: { code: FailCode; message: string }): void {
    slot.failure ??= failure;
    slot.isDead = true;
    clearTimeout(slot.timer);
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
  }

  /**
   * A worker has exited (its replies posted before are delivered by then). The input it was running is
   * answered with why it stopped; the inputs it had claimed and not answered (replies it held back,
   * pool-protocol.ts) are published again for the other workers. A worker that died before it was ready (it
   * cannot load) fails the oldest waiting input, so a broken worker script cannot respawn for ever.
   */
  private bury(slot: Slot): void {
    this.retire(slot, { code: 'E_SCAN_WORKER_CRASHED', message: 'scan worker exited' });
    if (this.closed) return;
    const owned = [...this.inFlight.values()].filter(
      (q) => Atomics.load(this.board, q.seq & BOARD_MASK) === -slot.id,
    );
    const running = Atomics.load(slot.state, 0);
    let culprit = owned.find((q) => q.seq === running);
    if (!culprit && !slot.isReady) culprit = this.takeOldestUnclaimed();
    if (culprit) this.answer(culprit, slot.failure!);
    const again: WireTask[] = [];
    for (const q of owned) {
      if (q === culprit) continue;
      // An input whose worker died after finishing it, again and again (its reply cannot be posted?),
      // is answered with the failure rather than run for ever.
      if (++q.retries > MAX_RETRIES) this.answer(q, slot.failure!);
      else {
        Atomics.store(this.board, q.seq & BOARD_MASK, q.seq);
        again.push(q.wire);
      }
    }
    if (again.length > 0) for (const s of this.slots) s.worker.postMessage(again);
    this.staff();
  }

  private takeOldestUnclaimed(): Queued | undefined {
    for (const q of this.inFlight.values()) {
      const cell = q.seq & BOARD_MASK;
      if (Atomics.compareExchange(this.board, cell, q.seq, TAKEN_BY_POOL) === q.seq) return q;
    }
    return undefined;
  }

  private answer(q: Queued, failure: { code: FailCode; message: string }): void {
    if (!this.inFlight.delete(q.seq)) return;
    q.resolve({ id: q.seq, ok: false, ...failure });
    this.maybeFlush();
  }
}

/** Bytes (standard input, SMTP mails) are copied once into shared memory: every worker may claim them. */
function toWire(task: PoolTask): WireTask {
  const wire: WireTask = { seq: 0, path: task.path };
  if ('bytes' in task) {
    const shared = new SharedArrayBuffer(task.bytes.length);
    new Uint8Array(shared).set(task.bytes);
    wire.bytes = shared;
    wire.size = task.size;
  }
  if (task.yara) wire.yara = task.yara;
  if (task.msgidDb) wire.msgidDb = task.msgidDb;
  return wire;
}

function parsedOnUse(reply: { seq: number; json: string; summary?: ResultSummary }): PoolReply {
  let result: ScanResult | undefined;
  const { seq, json, summary } = reply;
  return {
    id: seq,
    ok: true,
    json,
    ...(summary ? { summary } : {}),
    get result(): ScanResult {
      return (result ??= JSON.parse(json) as ScanResult);
    },
  };
}
