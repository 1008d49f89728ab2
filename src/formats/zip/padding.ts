import { LimitError, concatBytes } from '../../core/index.js';

/**
 * Stores inflated output but holds back a trailing run of one repeated byte instead of storing it. Emotet's
 * 2023 waves appended hundreds of megabytes of zeros to a .doc inside a ZIP so that scanners with a size cap
 * skip it; the document itself is the first few hundred kilobytes. Runs inside the data are kept (they are
 * materialised when other bytes follow); only the run still open at the end is cut.
 */
export class PaddingTrimmer {
  private readonly chunks: Uint8Array[] = [];
  private stored = 0;
  private runValue = -1;
  private runLength = 0;
  /** Bytes of output seen, stored or not. */
  total = 0;

  constructor(
    private readonly maxStored: number,
    private readonly minRun: number,
    private readonly tooLarge: (actual: number) => LimitError,
  ) {}

  push(chunk: Uint8Array): void {
    this.total += chunk.length;
    if (chunk.length === 0) return;
    let start = 0;
    if (this.runLength > 0) {
      while (start < chunk.length && chunk[start] === this.runValue) start++;
      this.runLength += start;
      if (start === chunk.length) return;
      this.materialiseRun();
    }
    const last = chunk[chunk.length - 1]!;
    let runStart = chunk.length - 1;
    while (runStart > start && chunk[runStart - 1] === last) runStart--;
    this.store(chunk.subarray(start, runStart));
    this.runValue = last;
    this.runLength = chunk.length - runStart;
  }

  /** The content with a trailing run of at least `minRun` bytes cut; `trimmed` tells how much and of what. */
  finish(): { bytes: Uint8Array; trimmed: number; value: number } {
    if (this.runLength >= this.minRun) {
      return { bytes: concatBytes(this.chunks), trimmed: this.runLength, value: this.runValue };
    }
    this.materialiseRun();
    return { bytes: concatBytes(this.chunks), trimmed: 0, value: -1 };
  }

  private materialiseRun(): void {
    if (this.runLength === 0) return;
    if (this.stored + this.runLength > this.maxStored)
      throw this.tooLarge(this.stored + this.runLength);
    this.chunks.push(new Uint8Array(this.runLength).fill(this.runValue));
    this.stored += this.runLength;
    this.runLength = 0;
  }

  private store(part: Uint8Array): void {
    if (part.length === 0) return;
    if (this.stored + part.length > this.maxStored) throw this.tooLarge(this.stored + part.length);
    this.chunks.push(part.slice());
    this.stored += part.length;
  }
}
