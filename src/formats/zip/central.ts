import type { EndOfCentralDirectory } from './sniff.js';
import type { ZipEntry } from './types.js';

const CENTRAL_FILE_HEADER = 0x02014b50; // APPNOTE 4.3.12
const CENTRAL_HEADER_SIZE = 46;
const EOCD_SIZE = 22; // APPNOTE 4.3.16
const FLAG_ENCRYPTED = 0x0001; // APPNOTE 4.4.4 bit 0
const FLAG_PATCHED = 0x0020; // bit 5
const MAX_KNOWN_VERSION = 63; // APPNOTE 4.4.3: 6.3
const MAX_32 = 0xffffffff; // a ZIP64 placeholder (APPNOTE 4.4.8)
const UNIX_TYPE_MASK = 0o170000;
const UNIX_TYPE_DIR = 0o040000;
const MSDOS_DIRECTORY = 0x10;

/** A member listed here, with the CRC-32 its content must have (for the synchronous reader). */
export interface CentralEntry {
  entry: ZipEntry;
  crc32: number;
}

/**
 * Lists the central directory synchronously when the archive is plainly well formed — the shape Office,
 * LibreOffice and Python write: one archive from offset 0, the directory right before the end record,
 * no ZIP64, no encryption, no extra fields, no comments, ASCII names, members in order and distinct.
 * Returns undefined for anything else, and the caller lists with zip.js, which classifies every oddity
 * (prepended or appended data, ZIP64, Unicode path fields, duplicates …) as an anomaly. On the archives
 * accepted here zip.js reports no warning and the same fields, so the listing does not depend on which
 * path read it — only the cost does (zip.js spends promises and objects per member on small documents).
 */
export function readCentralDirectorySync(
  bytes: Uint8Array,
  end: EndOfCentralDirectory,
  maxEntries: number,
): CentralEntry[] | undefined {
  if (end.isZip64 || end.entries === 0 || end.entries > maxEntries) return undefined;
  if (end.offset + EOCD_SIZE !== bytes.length) return undefined; // an archive comment or appended data
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The declared offset itself must be right: findEndOfCentralDirectory corrects shifted ones.
  if (view.getUint32(end.offset + 16, true) !== end.directoryOffset) return undefined;
  if (end.directoryOffset + end.directorySize !== end.offset) return undefined;
  const out: CentralEntry[] = [];
  const names = new Set<string>();
  let at = end.directoryOffset;
  let previous = -1;
  for (let i = 0; i < end.entries; i++) {
    if (at + CENTRAL_HEADER_SIZE > end.offset) return undefined;
    if (view.getUint32(at, true) !== CENTRAL_FILE_HEADER) return undefined;
    const madeBy = view.getUint16(at + 4, true);
    const version = view.getUint16(at + 6, true);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc32 = view.getUint32(at + 16, true);
    const compressedSize = view.getUint32(at + 20, true);
    const uncompressedSize = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const disk = view.getUint16(at + 34, true);
    const external = view.getUint32(at + 38, true);
    const offset = view.getUint32(at + 42, true);
    if (flags & (FLAG_ENCRYPTED | FLAG_PATCHED) || (version & 0xff) > MAX_KNOWN_VERSION)
      return undefined;
    if (extraLength !== 0 || commentLength !== 0 || disk !== 0) return undefined;
    if (compressedSize === MAX_32 || uncompressedSize === MAX_32 || offset === MAX_32)
      return undefined;
    if (i === 0 ? offset !== 0 : offset <= previous) return undefined;
    previous = offset;
    const nameStart = at + CENTRAL_HEADER_SIZE;
    if (nameLength === 0 || nameStart + nameLength > end.offset) return undefined;
    let name = '';
    for (let j = nameStart; j < nameStart + nameLength; j++) {
      const b = bytes[j] as number;
      if (b >= 0x80) return undefined; // UTF-8, Shift_JIS or CP437: zip.js and names.ts decide
      name += String.fromCharCode(b);
    }
    if (names.has(name)) return undefined;
    names.add(name);
    const upper = (external >>> 16) & 0xffff;
    const directory =
      (upper & UNIX_TYPE_MASK) === UNIX_TYPE_DIR ||
      (madeBy >> 8 === 0 && (external & MSDOS_DIRECTORY) !== 0) ||
      name.endsWith('/');
    out.push({
      crc32,
      entry: {
        name,
        // zip.js takes valid UTF-8 without the flag as UTF-8, and ASCII is valid UTF-8.
        nameEncoding: 'utf-8',
        compressedSize,
        uncompressedSize,
        directory,
        encrypted: false,
        encryption: null,
        method,
        offset,
      },
    });
    at = nameStart + nameLength;
  }
  return at === end.offset ? out : undefined;
}
