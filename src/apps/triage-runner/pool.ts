import type { Worker } from 'node:worker_threads';
import { siblingScript, startWorker } from '../worker-thread/index.js';
import type { TriageOutcome, TriageTaskLimits } from './analyze.js';
import type { TriageReply, TriageTask } from './worker.js';

// Workers run as .ts under tsx (tests, benches) and as .js from dist/ (bin/emoguard).
const WORKER_URL = siblingScript(import.meta.url, 'worker');
/**
 * Young generation of a worker. Parsing a snapshot allocates its whole JSON tree, then the validated
 * copy; with V8's default 16 MiB young generation most of it is scavenged and promoted again and again.
 * 48 MiB (16 MiB semi-spaces) cut the CPU time per workstation-sized snapshot by about 30% here.
 */
const YOUNG_GENERATION_MB = 48;
/** A worker that has not answered this long after its time limit is stuck (a limit check missed): replaced. */
const WATCHDOG_GRACE_MS = 5_000;

interface Slot {
  worker: Worker;
  /** Tasks sent to this worker and not answered, in the order sent (a worker answers in order). */
  tasks: { id: number; resolve: (o: TriageOutcome) => void; timer: NodeJS.Timeout }[];
}

/**
 * Worker threads that read and triage snapshot files (JSON parsing and the checks are CPU-bound, about
 * 10 ms per workstation-sized snapshot). `triage(path)` resolves with the outcome; callers keep their
 * own order. Each worker holds its tasks in order; a task past its time limit plus a grace period gets
 * its worker terminated and replaced, and every task that worker held fails with E_LIMIT_TIME.
 */
export class TriagePool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private isClosed = false;

  constructor(
    readonly size: number,
    private readonly limits: TriageTaskLimits,
    private readonly workerUrl: URL = WORKER_URL,
    private readonly watchdogGraceMs = WATCHDOG_GRACE_MS,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.start());
  }

  private start(): Slot {
    const slot: Slot = {
      worker: startWorker(this.workerUrl, {
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      }),
      tasks: [],
    };
    slot.worker.on('message', (reply: TriageReply) => {
      const at = slot.tasks.findIndex((t) => t.id === reply.id);
      if (at < 0) return;
      const [task] = slot.tasks.splice(at, 1);
      clearTimeout(task!.timer);
      task!.resolve(reply.outcome);
    });
    const fail = (message: string) => this.replace(slot, message);
    slot.worker.on('error', (error) => fail(`triage worker failed: ${error.message}`));
    slot.worker.on('exit', () => fail('triage worker exited'));
    return slot;
  }

  /** Fails what the slot held and starts a new worker in its place. */
  private replace(slot: Slot, message: string): void {
    const at = this.slots.indexOf(slot);
    if (at < 0) return;
    for (const task of slot.tasks.splice(0)) {
      clearTimeout(task.timer);
      task.resolve({ ok: false, message });
    }
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    if (this.isClosed) this.slots.splice(at, 1);
    else this.slots[at] = this.start();
  }

  /** Reads and triages one file in the least busy worker. */
  triage(path: string): Promise<TriageOutcome> {
    const slot = this.slots.reduce((a, b) => (b.tasks.length < a.tasks.length ? b : a));
    const id = this.nextId++;
    return new Promise((resolve) => {
      const limit = this.limits.maxTimePerInputMs;
      // The watchdog counts from when the task can start: after the tasks queued before it.
      const timer = setTimeout(
        () =>
          this.replace(
            slot,
            `E_LIMIT_TIME: triage took longer than ${limit} ms (the worker was stopped)`,
          ),
        (limit + this.watchdogGraceMs) * (slot.tasks.length + 1),
      );
      timer.unref();
      slot.tasks.push({ id, resolve, timer });
      slot.worker.postMessage({ id, path, limits: this.limits } satisfies TriageTask);
    });
  }

  async close(): Promise<void> {
    this.isClosed = true;
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      slot.worker.removeAllListeners();
      for (const t of slot.tasks.splice(0)) {
        clearTimeout(t.timer);
        t.resolve({ ok: false, message: 'triage pool closed' });
      }
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
