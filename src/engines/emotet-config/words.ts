/**
 * Dword views for the scans: reading a Uint32Array is what keeps them near memory speed (one load and
 * a compare per 4 bytes, no per-position call), where byte-wise DataView reads are 5–10 times slower.
 */

const IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Every aligned dword inside `bytes` as stored (the byte order does not matter to a zero test):
 * `words[j]` holds `bytes[head + 4j … head + 4j + 3]`.
 */
export function alignedWords(bytes: Uint8Array): { words: Int32Array; head: number } {
  const head = (4 - (bytes.byteOffset & 3)) & 3;
  const count = bytes.length > head ? (bytes.length - head) >>> 2 : 0;
  return { words: new Int32Array(bytes.buffer, bytes.byteOffset + head, count), head };
}

/**
 * `words[j]` = the little-endian dword at `bytes[4j]` (as an int32: see encrypted.ts), for every
 * whole dword from the start of `bytes`.
 * A view when `bytes` starts 4-aligned on a little-endian host (the usual case: chunk buffers, file
 * reads); otherwise a copy.
 */
export function littleEndianWords(bytes: Uint8Array): Int32Array {
  const count = bytes.length >>> 2;
  if (IS_LITTLE_ENDIAN && (bytes.byteOffset & 3) === 0)
    return new Int32Array(bytes.buffer, bytes.byteOffset, count);
  const copy = bytes.slice(0, count * 4);
  if (!IS_LITTLE_ENDIAN) for (let i = 0; i < copy.length; i += 4) copy.subarray(i, i + 4).reverse();
  return new Int32Array(copy.buffer, 0, count);
}

/**
 * One view serving both scans (alignedWords with head 0 and littleEndianWords without a copy) when
 * `bytes` starts 4-aligned on a little-endian host, so chunk.ts can run them in one pass; else undefined.
 */
export function sharedWords(bytes: Uint8Array): Int32Array | undefined {
  if (!IS_LITTLE_ENDIAN || (bytes.byteOffset & 3) !== 0) return undefined;
  return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
}

/**
 * Which finds one scan of a buffer reports (chunked callers: chunk.ts): those whose anchor lies in
 * [from, to), offsets reported as `base` + position.
 */
export interface OwnedWindow {
  base: number;
  from: number;
  to: number;
}

export function wholeBuffer(bytes: Uint8Array): OwnedWindow {
  return { base: 0, from: 0, to: bytes.length + 1 };
}
