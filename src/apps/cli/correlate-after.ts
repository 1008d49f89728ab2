import { describeError } from '../../core/index.js';
import { correlate } from '../../correlate/index.js';
import type { Store } from '../../store/index.js';
import { write, type CliIO } from './io.js';

/**
 * The correlation pass every storing verb runs after its findings are saved. Its failure must not turn a
 * finished scan into an error: the findings are stored and the verdicts printed, and the pass is
 * incremental, so `emoguard incident correlate` (or the next verb) picks up where it stopped.
 */
export async function correlateAfterStore(store: Store, io: CliIO): Promise<void> {
  try {
    await correlate(store);
  } catch (error) {
    await write(
      io.stderr,
      `emoguard: correlation pass failed, findings are stored (run \`emoguard incident correlate\` to retry): ${describeError(error)}\n`,
    );
  }
}
