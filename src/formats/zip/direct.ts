import * as zlib from 'node:zlib';
import { LimitError } from '../../core/index.js';
import { crc32 as crc32Table } from './crc32.js';
import type { ReadZipEntryOptions, ZipEntry } from './types.js';

const LOCAL_FILE_HEADER = 0x04034b50; // APPNOTE 4.3.7
const LOCAL_HEADER_SIZE = 30;
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;

// zlib.crc32 (Node ≥ 20.15) is native; the table version is the fallback for older runtimes.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
export const crc32 = (bytes: Uint8Array): number =>
  nativeCrc32 ? nativeCrc32(bytes) >>> 0 : crc32Table(bytes);

/**
 * The fast path of `readZipEntry` for the common member: not encrypted, stored or deflated, found
 * through its local header at the offset the directory gives, inflating to exactly the declared
 * size with the declared CRC-32. One synchronous `inflateRawSync` instead of zip.js's web-stream
 * pipeline, which costs a zlib context, several promises and transferable buffers per member (the
 * dominant cost of scanning small OOXML documents).
 *
 * Returns `undefined` whenever anything is off — the caller then takes the zip.js path, which
 * classifies the problem (bad CRC, lying sizes, encryption) and recovers what it can, so this
 * path never changes what is reported, only how fast a well-formed member is read.
 * SECURITY: the output cap is enforced by `inflate` (on bytes produced, not declared); a `LimitError`
 * from it is thrown, never swallowed into the fallback.
 */
export function readDirect(
  archive: Uint8Array,
  entry: ZipEntry,
  expectedCrc: number | undefined,
  options: ReadZipEntryOptions,
  inflate: (data: Uint8Array, method: number, name: string, o: ReadZipEntryOptions) => Uint8Array,
): Uint8Array | undefined {
  if (entry.encrypted || expectedCrc === undefined || options.trimPadding) return undefined;
  if (entry.method !== METHOD_STORED && entry.method !== METHOD_DEFLATED) return undefined;
  if (entry.method === METHOD_STORED && entry.compressedSize !== entry.uncompressedSize)
    return undefined;
  const at = entry.offset;
  if (!Number.isSafeInteger(at) || at < 0 || at + LOCAL_HEADER_SIZE > archive.length)
    return undefined;
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
  if (view.getUint32(at, true) !== LOCAL_FILE_HEADER) return undefined;
  const start =
    at + LOCAL_HEADER_SIZE + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const end = start + entry.compressedSize;
  if (end > archive.length) return undefined;
  if (entry.uncompressedSize > options.maxBytes) return undefined; // zip.js reports the limit with its real size
  let out: Uint8Array;
  try {
    out = inflate(archive.subarray(start, end), entry.method, entry.name, options);
  } catch (error) {
    if (error instanceof LimitError) throw error;
    return undefined;
  }
  if (out.length !== entry.uncompressedSize || crc32(out) !== expectedCrc >>> 0) return undefined;
  return out;
}
