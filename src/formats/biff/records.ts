import type { Anomaly } from '../../core/index.js';
import { RT_CONTINUE } from './constants.js';

/** One BIFF record ([MS-XLS] 2.1.4) with the CONTINUE records that follow it merged into `data`. */
export interface BiffRecord {
  type: number;
  /** Offset of the record header in the stream. */
  offset: number;
  data: Uint8Array;
  /** Offsets in `data` where a CONTINUE payload begins (strings restart their flags there). */
  boundaries: number[];
}

/**
 * Reads records one by one from `start`. Every record costs at least its 4-byte header, so a walk
 * over the stream is linear whatever the lengths claim; a length past the end of the stream stops
 * the walk with `E_BIFF_RECORD_PAST_END` (the readable prefix is kept).
 */
export class RecordReader {
  pos: number;
  isDone = false;

  constructor(
    private readonly stream: Uint8Array,
    start: number,
    private readonly anomalies: Anomaly[],
  ) {
    this.pos = start;
  }

  private header(at: number): { type: number; size: number } | undefined {
    if (at + 4 > this.stream.length) return undefined;
    const s = this.stream;
    return { type: s[at]! | (s[at + 1]! << 8), size: s[at + 2]! | (s[at + 3]! << 8) };
  }

  /** The next record, or undefined at the end of the stream or after a broken header. */
  next(): BiffRecord | undefined {
    if (this.isDone) return undefined;
    const head = this.header(this.pos);
    if (!head) {
      if (this.pos < this.stream.length && this.stream.subarray(this.pos).some((b) => b !== 0)) {
        this.fail(
          'E_BIFF_TRAILING_BYTES',
          `${this.stream.length - this.pos} bytes after the last record`,
        );
      }
      this.isDone = true;
      return undefined;
    }
    const offset = this.pos;
    const end = offset + 4 + head.size;
    if (end > this.stream.length) {
      this.fail(
        'E_BIFF_RECORD_PAST_END',
        `record 0x${head.type.toString(16)} at ${offset} declares ${head.size} bytes past the end of the stream`,
      );
      this.isDone = true;
      return undefined;
    }
    this.pos = end;
    const parts = [this.stream.subarray(offset + 4, end)];
    const boundaries: number[] = [];
    let size = head.size;
    for (
      let next = this.header(this.pos);
      next?.type === RT_CONTINUE;
      next = this.header(this.pos)
    ) {
      const stop = this.pos + 4 + next.size;
      if (stop > this.stream.length) break; // reported when read as a record of its own
      boundaries.push(size);
      parts.push(this.stream.subarray(this.pos + 4, stop));
      size += next.size;
      this.pos = stop;
    }
    const data = parts.length === 1 ? parts[0]! : join(parts, size);
    return { type: head.type, offset, data, boundaries };
  }

  private fail(code: `E_${string}`, message: string): void {
    this.anomalies.push({ code, message, offset: this.pos });
  }
}

function join(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
