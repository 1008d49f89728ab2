import type { Anomaly } from '../../core/index.js';

/** MS-OVBA 2.4.1.1.1: a CompressedContainer starts with SignatureByte 0x01. */
export const CONTAINER_SIGNATURE = 0x01;
/** MS-OVBA 2.4.1.1.4: a decompressed chunk holds at most 4096 bytes. */
export const CHUNK_SIZE = 4096;
/** MS-OVBA 2.4.1.1.5: CompressedChunkSignature MUST be 0b011. */
export const CHUNK_SIGNATURE = 0b011;
/** Default output cap: VBA modules are kilobytes; a multi-megabyte module is already exceptional. */
export const MAX_OVBA_OUTPUT = 16 * 1024 * 1024;

export interface DecompressResult {
  /** Decompressed bytes, possibly partial (see anomalies). */
  data: Uint8Array;
  anomalies: Anomaly[];
  /** Offset in the input just past the last chunk read. */
  end: number;
}

/** Byte sink that grows by doubling up to a hard cap. */
class Output {
  bytes: Uint8Array;
  length = 0;
  /** Set when a byte was dropped because the cap was reached. */
  isOverflowed = false;
  constructor(
    initial: number,
    readonly max: number,
  ) {
    this.bytes = new Uint8Array(Math.max(16, Math.min(initial, max)));
  }
  push(byte: number): void {
    if (this.length >= this.max) {
      this.isOverflowed = true;
      return;
    }
    if (this.length === this.bytes.length) this.grow(this.length + 1);
    this.bytes[this.length++] = byte;
  }
  /**
   * Appends `count` bytes copied from `offset` bytes back, byte by byte (source and destination
   * overlap when count > offset: run-length); as `count` pushes, the cap included.
   */
  copyBack(offset: number, count: number): void {
    const room = this.max - this.length;
    const n = Math.min(count, Math.max(0, room));
    if (n < count) this.isOverflowed = true;
    if (this.length + n > this.bytes.length) this.grow(this.length + n);
    const bytes = this.bytes;
    let at = this.length;
    for (let i = 0; i < n; i++, at++) bytes[at] = bytes[at - offset]!;
    this.length = at;
  }
  /** Doubles the buffer until it holds `needed` bytes (never past `max`). */
  private grow(needed: number): void {
    let size = this.bytes.length;
    while (size < needed) size = Math.min(this.max, size * 2);
    const grown = new Uint8Array(size);
    grown.set(this.bytes);
    this.bytes = grown;
  }
  result(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/**
 * MS-OVBA 2.4.1.3.1 Decompression of a CompressedContainer. Tolerates a truncated last chunk, and stops
 * with an anomaly at a bad signature, a copy token that points before its chunk, or `maxOut` bytes of
 * output. Never throws on malformed input.
 *
 * @example
 * const { data, anomalies } = decompressOvba(cfb.readStream('VBA/dir')!);
 */
export function decompressOvba(
  bytes: Uint8Array,
  maxOut: number = MAX_OVBA_OUTPUT,
  location?: string,
): DecompressResult {
  const anomalies: Anomaly[] = [];
  const report = (code: Anomaly['code'], message: string, offset: number): void => {
    anomalies.push({ code, message, offset, ...(location === undefined ? {} : { location }) });
  };
  // SECURITY: a copy token expands 2 bytes to at most 4098; the cap bounds memory whatever the input.
  const out = new Output(bytes.length * 3, Math.max(0, maxOut));
  if (bytes[0] !== CONTAINER_SIGNATURE) {
    report('E_OVBA_BAD_SIGNATURE', `compressed container starts with ${bytes[0]}, not 0x01`, 0);
    return { data: out.result(), anomalies, end: 0 };
  }
  let pos = 1;
  while (pos < bytes.length && !out.isOverflowed) {
    if (pos + 2 > bytes.length) {
      report('E_OVBA_TRUNCATED', 'container ends inside a chunk header', pos);
      pos = bytes.length;
      break;
    }
    const header = bytes[pos]! | (bytes[pos + 1]! << 8);
    const size = (header & 0x0fff) + 3;
    if (((header >> 12) & 0b111) !== CHUNK_SIGNATURE) {
      report('E_OVBA_BAD_CHUNK', `chunk header 0x${header.toString(16)} has a bad signature`, pos);
      break;
    }
    const isCompressed = (header & 0x8000) !== 0;
    const chunkEnd = isCompressed ? pos + size : pos + 2 + CHUNK_SIZE;
    if (chunkEnd > bytes.length) {
      report(
        'E_OVBA_TRUNCATED',
        `chunk of ${chunkEnd - pos} bytes is cut at the end of the data`,
        pos,
      );
    }
    const end = Math.min(chunkEnd, bytes.length);
    const ok = isCompressed
      ? decompressChunk(bytes, pos + 2, end, out, report)
      : copyRawChunk(bytes, pos + 2, end, out);
    pos = end;
    if (!ok) break;
  }
  if (out.isOverflowed) {
    report('E_OVBA_OUTPUT_LIMIT', `decompressed output reached the ${out.max}-byte limit`, pos);
  }
  return { data: out.result(), anomalies, end: pos };
}

/** MS-OVBA 2.4.1.3.3: a raw chunk is 4096 bytes copied as they are. */
function copyRawChunk(bytes: Uint8Array, from: number, end: number, out: Output): boolean {
  for (let i = from; i < end && !out.isOverflowed; i++) out.push(bytes[i]!);
  return true;
}

/**
 * MS-OVBA 2.4.1.3.2 and 2.4.1.3.4: token sequences of a compressed chunk. Returns false when the chunk
 * is corrupt enough that the chunks after it cannot be trusted.
 */
function decompressChunk(
  bytes: Uint8Array,
  from: number,
  end: number,
  out: Output,
  report: (code: Anomaly['code'], message: string, offset: number) => void,
): boolean {
  const chunkStart = out.length;
  let pos = from;
  while (pos < end) {
    const flags = bytes[pos++]!;
    for (let bit = 0; bit < 8 && pos < end; bit++) {
      if (out.isOverflowed) return false;
      if ((flags & (1 << bit)) === 0) {
        if (out.length - chunkStart >= CHUNK_SIZE) {
          report('E_OVBA_CHUNK_OVERFLOW', 'chunk decompresses past 4096 bytes', pos);
          return false;
        }
        out.push(bytes[pos++]!);
        continue;
      }
      if (pos + 2 > end) {
        report('E_OVBA_TRUNCATED', 'chunk ends inside a copy token', pos);
        return true;
      }
      const token = bytes[pos]! | (bytes[pos + 1]! << 8);
      pos += 2;
      // MS-OVBA 2.4.1.3.19.1 CopyToken Help: the split between offset and length bits depends on how
      // far the chunk has got, so that early tokens can encode longer lengths.
      const difference = out.length - chunkStart;
      let bitCount = 4;
      while (1 << bitCount < difference) bitCount++;
      const length = (token & (0xffff >> bitCount)) + 3;
      const offset = (token >> (16 - bitCount)) + 1;
      if (offset > difference) {
        report(
          'E_OVBA_BAD_COPY_TOKEN',
          `copy token reaches ${offset} bytes back, chunk has ${difference}`,
          pos - 2,
        );
        return false;
      }
      if (difference + length > CHUNK_SIZE) {
        report('E_OVBA_CHUNK_OVERFLOW', 'chunk decompresses past 4096 bytes', pos - 2);
        return false;
      }
      // Byte by byte on purpose: source and destination overlap when length > offset (run-length).
      out.copyBack(offset, length);
    }
  }
  return true;
}
