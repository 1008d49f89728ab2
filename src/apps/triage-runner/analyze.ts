import { open } from 'node:fs/promises';
import { describeError, LimitError, sha256Hex } from '../../core/index.js';
import { triageInput, type TriageInput } from '../../engines/triage/index.js';

/** Limits a triage task needs (Limits fields). */
export interface TriageTaskLimits {
  maxFileSize: number;
  maxEvidenceChars: number;
  maxTimePerInputMs: number;
}

/** What one input gave: the triage, or why it could not be read or triaged. */
export type TriageOutcome =
  | {
      ok: true;
      input: TriageInput;
      sha256: string;
      /** Size of the file; more than `read` when only the head was read (maxFileSize). */
      size: number;
      read: number;
      elapsedMs: number;
    }
  | { ok: false; message: string };

/** Reads at most `maxBytes` of a file; `size` is the whole file's. */
export async function readHead(
  path: string,
  maxBytes: number,
): Promise<{ bytes: Uint8Array; size: number }> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const bytes = new Uint8Array(Math.min(size, maxBytes));
    let at = 0;
    while (at < bytes.length) {
      const { bytesRead } = await handle.read(bytes, at, bytes.length - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return { bytes: at === bytes.length ? bytes : bytes.subarray(0, at), size };
  } finally {
    await handle.close();
  }
}

/**
 * Triage of one input's bytes under the time limit: the same in the main thread and in a worker, so
 * output does not depend on where it ran. Never throws: failures are outcomes.
 */
export async function triageBytes(
  read: { bytes: Uint8Array; size: number },
  limits: TriageTaskLimits,
): Promise<TriageOutcome> {
  const started = Date.now();
  const deadline = started + limits.maxTimePerInputMs;
  try {
    const input = await triageInput(read.bytes, {
      maxEvidenceChars: limits.maxEvidenceChars,
      checkDeadline: () => {
        if (Date.now() > deadline) {
          throw new LimitError(
            'E_LIMIT_TIME',
            `triage took longer than ${limits.maxTimePerInputMs} ms`,
            { limit: 'maxTimePerInputMs', max: limits.maxTimePerInputMs },
          );
        }
      },
    });
    return {
      ok: true,
      input,
      sha256: sha256Hex(read.bytes),
      size: read.size,
      read: read.bytes.length,
      elapsedMs: Date.now() - started,
    };
  } catch (error) {
    return { ok: false, message: describeError(error) };
  }
}

/** Reads and triages one file. Never throws. */
export async function triageFile(path: string, limits: TriageTaskLimits): Promise<TriageOutcome> {
  let read;
  try {
    read = await readHead(path, limits.maxFileSize);
  } catch (error) {
    return { ok: false, message: describeError(error) };
  }
  return triageBytes(read, limits);
}
