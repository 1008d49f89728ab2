import { CHUNK_SIGNATURE, CHUNK_SIZE, CONTAINER_SIGNATURE } from './decompress.js';

/** A compressed chunk (header included) may not exceed 4098 bytes (MS-OVBA 2.4.1.1.4). */
const MAX_COMPRESSED_CHUNK = CHUNK_SIZE + 2;
/** Match candidates tried per position. The spec tries all; this keeps repetitive input linear. */
const MAX_CANDIDATES = 256;
const HASH_BITS = 15;

/**
 * MS-OVBA 2.4.1.3.6 Compression: a CompressedContainer that any conforming decompressor (Office,
 * olevba, `decompressOvba`) turns back into `data`. Matching follows 2.4.1.3.19.4 (longest match,
 * nearest first) over hash chains. As the spec requires, a final chunk that does not shrink is stored
 * raw and padded with zeros to 4096 bytes, so incompressible input may come back with trailing zeros.
 *
 * @example
 * const container = compressOvba(new TextEncoder().encode('Attribute VB_Name = "Module1"\r\n'));
 */
export function compressOvba(data: Uint8Array): Uint8Array {
  const chunks = Math.ceil(data.length / CHUNK_SIZE);
  const out = new Uint8Array(1 + chunks * MAX_COMPRESSED_CHUNK);
  out[0] = CONTAINER_SIGNATURE;
  const matcher = new Matcher(data);
  let at = 1;
  for (let start = 0; start < data.length; start += CHUNK_SIZE) {
    at = compressChunk(data, start, Math.min(start + CHUNK_SIZE, data.length), out, at, matcher);
  }
  return out.slice(0, at);
}

/** MS-OVBA 2.4.1.3.7 Compressing a DecompressedChunk; returns the offset after the chunk. */
function compressChunk(
  data: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  chunkStart: number,
  matcher: Matcher,
): number {
  const compressedEnd = chunkStart + MAX_COMPRESSED_CHUNK;
  matcher.reset(start, end);
  let c = chunkStart + 2;
  let d = start;
  while (d < end && c < compressedEnd) {
    const flagAt = c++;
    let flags = 0;
    for (let bit = 0; bit < 8 && d < end && c < compressedEnd; bit++) {
      const { length, offset, bitCount } = matcher.find(d);
      if (length >= 3) {
        if (c + 1 >= compressedEnd) {
          c = compressedEnd;
          break;
        }
        const token = ((offset - 1) << (16 - bitCount)) | (length - 3);
        out[c++] = token & 0xff;
        out[c++] = token >> 8;
        flags |= 1 << bit;
        for (let i = 0; i < length; i++) matcher.insert(d + i);
        d += length;
      } else {
        out[c++] = data[d]!;
        matcher.insert(d++);
      }
    }
    out[flagAt] = flags;
  }
  if (d < end) {
    // MS-OVBA 2.4.1.3.10 Compressing a RawChunk: the chunk did not shrink; store 4096 bytes as they are.
    out.fill(0, chunkStart, compressedEnd);
    out.set(data.subarray(start, end), chunkStart + 2);
    writeHeader(out, chunkStart, MAX_COMPRESSED_CHUNK, false);
    return compressedEnd;
  }
  writeHeader(out, chunkStart, c - chunkStart, true);
  return c;
}

/** MS-OVBA 2.4.1.1.5 CompressedChunkHeader: size - 3 in 12 bits, signature 0b011, compressed flag. */
function writeHeader(out: Uint8Array, at: number, size: number, isCompressed: boolean): void {
  const header = ((size - 3) & 0x0fff) | (CHUNK_SIGNATURE << 12) | (isCompressed ? 0x8000 : 0);
  out[at] = header & 0xff;
  out[at + 1] = header >> 8;
}

/** Hash chains over 3-byte prefixes inside one chunk (copy tokens never reach before their chunk). */
class Matcher {
  private readonly head = new Int32Array(1 << HASH_BITS);
  private readonly prev = new Int32Array(CHUNK_SIZE);
  private start = 0;
  private end = 0;

  constructor(private readonly data: Uint8Array) {}

  reset(start: number, end: number): void {
    this.head.fill(-1);
    this.start = start;
    this.end = end;
  }

  private hash(at: number): number {
    const d = this.data;
    return ((d[at]! << 10) ^ (d[at + 1]! << 5) ^ d[at + 2]!) & ((1 << HASH_BITS) - 1);
  }

  insert(at: number): void {
    if (at + 3 > this.end) return;
    const h = this.hash(at);
    this.prev[at - this.start] = this.head[h]!;
    this.head[h] = at;
  }

  /** MS-OVBA 2.4.1.3.19.4 Matching, with lengths capped by CopyToken Help's MaximumLength. */
  find(at: number): { length: number; offset: number; bitCount: number } {
    const difference = at - this.start;
    let bitCount = 4;
    while (1 << bitCount < difference) bitCount++;
    const maxLength = Math.min((0xffff >> bitCount) + 3, this.end - at);
    let bestLength = 0;
    let bestAt = -1;
    if (maxLength >= 3) {
      const d = this.data;
      let candidate = this.head[this.hash(at)]!;
      for (let tries = 0; candidate >= this.start && tries < MAX_CANDIDATES; tries++) {
        let length = 0;
        while (length < maxLength && d[candidate + length] === d[at + length]) length++;
        if (length > bestLength) {
          bestLength = length;
          bestAt = candidate;
          if (length === maxLength) break;
        }
        candidate = this.prev[candidate - this.start]!;
      }
    }
    return { length: bestLength, offset: at - bestAt, bitCount };
  }
}
