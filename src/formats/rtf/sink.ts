/**
 * Growable byte buffer for `\objdata`, fed hex digit by hex digit. It never grows past `max`: a hostile
 * RTF may hold gigabytes of hex, and only `max` bytes of it are kept (the rest is counted as truncated).
 */
export class ByteSink {
  private buf: Uint8Array;
  length = 0;
  /** High nibble waiting for its low nibble; -1 when none. */
  nibble = -1;
  isTruncated = false;

  constructor(private readonly max: number) {
    this.buf = new Uint8Array(Math.min(256, Math.max(0, max)));
  }

  pushNibble(value: number): void {
    if (this.nibble < 0) {
      this.nibble = value;
      return;
    }
    this.pushByte((this.nibble << 4) | value);
    this.nibble = -1;
  }

  pushByte(value: number): void {
    if (this.length >= this.max) {
      this.isTruncated = true;
      return;
    }
    if (this.length === this.buf.length) {
      const grown = new Uint8Array(Math.min(this.max, Math.max(256, this.buf.length * 2)));
      grown.set(this.buf);
      this.buf = grown;
    }
    this.buf[this.length++] = value;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Value of an ASCII hex digit, or -1. */
export function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}
