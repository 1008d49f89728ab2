import type { Worker } from 'node:worker_threads';
import type { Anomaly } from '../../core/index.js';
import type { PackedRuleSet } from '../../engines/sigma/index.js';
import {
  WinlogAnomalyLog,
  type WinlogItem,
  type WinlogMappings,
} from '../../formats/winlog-json/index.js';
import { siblingScript, startWorker } from '../worker-thread/index.js';
import type { HuntTask, HuntWorkerReply, HuntWorkerRequest, MatchedEvent } from './worker.js';

// Workers run as .ts under tsx (tests, benches) and as .js from dist/ (bin/emoguard).
const WORKER_URL = siblingScript(import.meta.url, 'worker');

/** Tasks queued or running per worker: memory is bounded by this many chunks' or ranges' events. */
export const CHUNKS_IN_FLIGHT_PER_WORKER = 4;

/** What the workers need: the rules packed by the main thread and the JSON log mappings. */
export interface HuntRules {
  pack: PackedRuleSet;
  mappings: WinlogMappings;
}

/** An event with its worker-made detections, or a parse anomaly of a line log (file:line). */
export type PoolItem = ({ type: 'event' } & MatchedEvent) | { type: 'anomaly'; anomaly: Anomaly };

interface Pending {
  resolve: (reply: HuntWorkerReply) => void;
  worker: number;
}

/**
 * Worker threads that parse EVTX chunks and line ranges of JSON/text logs and run the single-event
 * Sigma rules on them. `feed(plans)` yields each file's items in source order, whatever order the
 * workers finish in, with at most `size × CHUNKS_IN_FLIGHT_PER_WORKER` tasks ahead — across files, so
 * many small files keep every worker busy too.
 */
export class HuntPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly load: number[];
  private nextId = 1;
  private failure: Error | undefined;
  /** Resolved once every worker has been sent the rules. */
  private readonly ready: Promise<void>;
  /** Sigma failures on single events in the workers (counted like runHunt's engine errors). */
  readonly engineErrors: string[] = [];
  /** Events parsed and matched in workers and not sent to the main thread. */
  skippedEvents = 0;

  /**
   * Starts the threads at once (they load their code meanwhile); `rules` may come later, when the
   * main thread has packed them: tasks wait in the threads' queues until then.
   */
  constructor(
    readonly size: number,
    rules: HuntRules | Promise<HuntRules>,
    /** Every event back to the main thread (Sigma correlations need them); else only what it reads. */
    allEvents = true,
  ) {
    this.load = new Array<number>(size).fill(0);
    for (let i = 0; i < size; i++) {
      const worker = startWorker(WORKER_URL);
      worker.on('message', (reply: HuntWorkerReply) => this.settle(reply));
      worker.on('error', (error) => this.crash(error));
      worker.on('exit', () => this.crash(new Error('hunt worker exited')));
      this.workers.push(worker);
    }
    this.ready = Promise.resolve(rules).then((r) => {
      const init: HuntWorkerRequest = {
        type: 'init',
        rules: r.pack,
        mappings: r.mappings,
        allEvents,
      };
      for (const w of this.workers) w.postMessage(init);
    });
    this.ready.catch((error: Error) => this.crash(error));
  }

  /** The items of the files in `plans` (undefined: a file the main thread reads), file by file. */
  feed(plans: readonly (readonly HuntTask[] | undefined)[]): TaskFeed {
    return new TaskFeed(this, plans, this.size * CHUNKS_IN_FLIGHT_PER_WORKER);
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    for (const w of workers) w.removeAllListeners('exit');
    await Promise.all(workers.map((w) => w.terminate()));
  }

  /** @internal for TaskFeed */
  async submit(task: HuntTask): Promise<HuntWorkerReply> {
    // Never rejects: a task dropped from the feed unread must not become an unhandled rejection.
    await this.ready.catch(() => undefined);
    if (this.failure) return { id: 0, ok: false, message: this.failure.message };
    const id = this.nextId++;
    // The least-loaded worker: chunks and ranges differ in cost (templates, record sizes).
    let worker = 0;
    for (let i = 1; i < this.size; i++) if (this.load[i]! < this.load[worker]!) worker = i;
    this.load[worker]!++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, worker });
      this.workers[worker]!.postMessage({ ...task, id } satisfies HuntWorkerRequest);
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
  private crash(error: Error): void {
    this.failure ??= error;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.resolve({ id, ok: false, message: `hunt worker failed: ${error.message}` });
    }
  }
}

/**
 * The tasks of several files in flight at once, their results handed out in source order. `file(i)`
 * must be called for increasing `i` (skipping files the main thread reads is fine).
 */
export class TaskFeed {
  private readonly queue: { file: number; reply: Promise<HuntWorkerReply> }[] = [];
  private cursorFile = 0;
  private cursorTask = 0;

  constructor(
    private readonly pool: HuntPool,
    private readonly plans: readonly (readonly HuntTask[] | undefined)[],
    private readonly limit: number,
  ) {}

  async *file(i: number): AsyncGenerator<PoolItem> {
    const tasks = this.plans[i];
    if (!tasks) return;
    // What is left of earlier files (one that failed part-way) is dropped.
    while (this.queue.length > 0 && this.queue[0]!.file < i) this.queue.shift();
    if (this.cursorFile < i) [this.cursorFile, this.cursorTask] = [i, 0];
    const log = new WinlogAnomalyLog(tasks[0]?.path ?? '');
    const out: WinlogItem[] = [];
    let base = 0;
    for (let k = 0; k < tasks.length; k++) {
      this.fill();
      const reply = await this.queue.shift()!.reply;
      if (!reply.ok) throw new Error(reply.message);
      for (const e of reply.errors) this.pool.engineErrors.push(e);
      this.pool.skippedEvents += reply.skipped;
      const lines = reply.lines;
      if (!lines) {
        for (const item of reply.items) yield { type: 'event', ...item };
        continue;
      }
      // Line numbers of a range count from its first line: shifted by the lines before it.
      let a = 0;
      const anomaliesBefore = (line: number) => {
        for (; a < lines.anomalies.length && lines.anomalies[a]!.line <= line; a++) {
          const { anomaly, line: at } = lines.anomalies[a]!;
          log.add(out, anomaly.code, anomaly.message, base + at);
        }
      };
      for (const item of reply.items) {
        const line = item.event.source.line ?? 0;
        anomaliesBefore(line);
        yield* this.drain(out);
        shiftLine(item, base);
        yield { type: 'event', ...item };
      }
      anomaliesBefore(Infinity);
      log.unknownLines(lines.unknown.count, base + lines.unknown.first);
      yield* this.drain(out);
      base += lines.lines;
    }
    if (tasks[0]?.type === 'lines') {
      log.finish(out);
      yield* this.drain(out);
    }
  }

  private *drain(out: WinlogItem[]): Generator<PoolItem> {
    for (const item of out.splice(0))
      if (item.type === 'anomaly') yield { type: 'anomaly', anomaly: item.anomaly };
  }

  private fill(): void {
    while (this.queue.length < this.limit && this.cursorFile < this.plans.length) {
      const tasks = this.plans[this.cursorFile];
      if (!tasks || this.cursorTask >= tasks.length) {
        this.cursorFile++;
        this.cursorTask = 0;
        continue;
      }
      const task = tasks[this.cursorTask++]!;
      this.queue.push({ file: this.cursorFile, reply: this.pool.submit(task) });
    }
  }
}

function shiftLine(item: MatchedEvent, base: number): void {
  const source = item.event.source;
  if (source.line !== undefined) source.line += base;
  for (const d of item.detections)
    if (d.source !== source && d.source.line !== undefined) d.source.line += base;
}
