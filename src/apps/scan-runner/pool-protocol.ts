import { parentPort, workerData } from 'node:worker_threads';
import type { Limits } from '../../core/index.js';

/**
 * The scan pool's protocol, shared by the pool (main thread), the scan worker and the test workers.
 *
 * Tasks are published on a board in shared memory and broadcast to every worker in batches; each worker
 * claims the next unclaimed one with a compare-and-swap and runs it, so no worker waits for the main
 * thread between two inputs and a worker that is descheduled holds up one input, not a queue of them.
 * Each worker writes the input it is running and when it started into its own shared state, which the
 * pool's watchdog reads (one timer per worker, re-armed at the running input's deadline, instead of a
 * timer and a message per input). Replies go back in small batches (REPLY_HOLD_MS): a message wakes the
 * main thread, and a wake-up per input cost it more than handling the reply. A worker that hangs or
 * dies loses the replies it held; the pool publishes those inputs again (they are claimed on the board
 * by that worker and unanswered), and reports only the input the worker was running.
 */

/** A task as the workers see it. `bytes`: standard input or an SMTP mail, copied once for all workers. */
export interface WireTask {
  seq: number;
  path: string;
  bytes?: SharedArrayBuffer;
  size?: number;
  yara?: readonly string[];
  msgidDb?: string;
}

/** What a worker gets at start: its id, the limits (sent once, not with every input) and the board. */
export interface WorkerInit {
  id: number;
  limits: Limits;
  /** BOARD_SIZE Int32 cells: a task's cell holds its seq while unclaimed, -id of its worker once claimed. */
  board: SharedArrayBuffer;
  /** This worker's state: Int32 [0] the seq it is running (0: none), Float64 at byte 8 when it began. */
  state: SharedArrayBuffer;
  /** Tasks published before this worker started (a replacement takes over the unclaimed ones). */
  tasks: WireTask[];
}

/** A worker's answer for one input; `seq` names the task. */
export interface TaskReply {
  seq: number;
}

/** What a worker posts once its modules are loaded (start-up is not an input's time). */
export const WORKER_READY = 'ready';

/**
 * Cells on the board. Unresolved tasks are capped at half of it (the pool keeps the rest back), so a
 * cell is reused only after its previous task is answered, and seqs wrap at SEQ_WRAP (a multiple of
 * BOARD_SIZE) so a cell's index is `seq & BOARD_MASK` for ever.
 */
export const BOARD_SIZE = 4096;
export const BOARD_MASK = BOARD_SIZE - 1;
export const SEQ_WRAP = 1 << 30;
/**
 * How long a worker holds finished replies before posting them, and at most how many or how much JSON.
 * At ~0.5-1 ms per small Office file a batch is a few replies; the main thread wakes a few hundred times
 * a second instead of a couple of thousand. Replies are posted at once when the worker runs out of work.
 */
export const REPLY_HOLD_MS = 4;
const REPLY_HOLD_COUNT = 32;
const REPLY_HOLD_CHARS = 1 << 20;

/** The state buffer's size: the running seq (Int32) and, 8-aligned, its start time (Float64). */
export const STATE_BYTES = 16;

/** Milliseconds on the process-wide monotonic clock: the same in every thread, unlike performance.now(). */
export function monotonicMs(): number {
  const [seconds, nanos] = process.hrtime();
  return seconds * 1000 + nanos / 1e6;
}

/** Reads a worker's state: the input it is running and since when, or undefined when it runs none. */
export function readRunning(
  state: Int32Array,
  started: Float64Array,
): { seq: number; startedMs: number } | undefined {
  const seq = Atomics.load(state, 0);
  if (seq === 0) return undefined;
  const startedMs = started[0]!;
  // The worker writes the time before the seq: seen with this seq, the time is this input's or, if the
  // worker has moved on meanwhile, a later one's (a later deadline, never an earlier one).
  return Atomics.load(state, 0) === seq ? { seq, startedMs } : undefined;
}

/**
 * The worker side of the protocol: runs `handle` on every task this worker claims, one at a time, and
 * posts the replies in batches. `handle` may throw or never return (test workers do): the
 * pool's watchdog and crash handling deal with that.
 */
export function serveTasks<R extends TaskReply>(
  handle: (task: WireTask, limits: Limits) => R | Promise<R>,
): void {
  const port = parentPort;
  if (!port) throw new Error('a scan worker must run in a worker thread');
  const init = workerData as WorkerInit;
  const board = new Int32Array(init.board);
  const state = new Int32Array(init.state, 0, 1);
  const started = new Float64Array(init.state, 8, 1);
  const owner = -init.id;
  let tasks = init.tasks;
  let next = 0;
  let isRunning = false;

  let held: R[] = [];
  let heldSince = 0;
  let heldChars = 0;
  const post = (): void => {
    port.postMessage(held);
    held = [];
    heldChars = 0;
  };

  // SECURITY: one input at a time. Running two at once would let a hostile input hide behind another
  // one's deadline; the watchdog times the one input named in this worker's state.
  const drain = async (): Promise<void> => {
    isRunning = true;
    let now = monotonicMs();
    while (next < tasks.length) {
      const task = tasks[next++]!;
      // Claimed by another worker already (every worker gets every task): skip it.
      if (Atomics.compareExchange(board, task.seq & BOARD_MASK, task.seq, owner) !== task.seq)
        continue;
      started[0] = now;
      Atomics.store(state, 0, task.seq);
      const reply = await handle(task, init.limits);
      now = monotonicMs();
      Atomics.store(state, 0, 0);
      if (held.length === 0) heldSince = now;
      held.push(reply);
      heldChars += (reply as { json?: string }).json?.length ?? 0;
      if (
        now - heldSince >= REPLY_HOLD_MS ||
        held.length >= REPLY_HOLD_COUNT ||
        heldChars >= REPLY_HOLD_CHARS
      )
        post();
    }
    if (held.length > 0) post();
    tasks = [];
    next = 0;
    isRunning = false;
  };

  port.on('message', (batch: WireTask[]) => {
    if (next > 0) {
      tasks = tasks.slice(next);
      next = 0;
    }
    for (const task of batch) tasks.push(task);
    if (!isRunning) void drain();
  });
  port.postMessage(WORKER_READY);
  if (tasks.length > 0) void drain();
}
