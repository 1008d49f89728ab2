/**
 * Synchronous, allocation-free probes for content sniffing: is this a ZIP, and which names does its
 * central directory hold. They read the structure the way Windows Explorer does (end of central
 * directory first, APPNOTE 4.3.16) and never throw on malformed bytes.
 */

const LOCAL_FILE_HEADER = 0x04034b50; // APPNOTE 4.3.7
const CENTRAL_FILE_HEADER = 0x02014b50; // APPNOTE 4.3.12
const END_OF_CENTRAL_DIRECTORY = 0x06054b50; // APPNOTE 4.3.16
const ZIP64_END_LOCATOR = 0x07064b50; // APPNOTE 4.3.15
const ZIP64_END_OF_CENTRAL_DIRECTORY = 0x06064b50; // APPNOTE 4.3.14
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;

export interface EndOfCentralDirectory {
  /** Offset of the record itself. */
  offset: number;
  /** Declared member count (from the ZIP64 record when there is one). */
  entries: number;
  directoryOffset: number;
  directorySize: number;
  isZip64: boolean;
}

function u32(bytes: Uint8Array, at: number): number {
  if (at < 0 || at + 4 > bytes.length) return -1;
  return (
    ((bytes[at] as number) |
      ((bytes[at + 1] as number) << 8) |
      ((bytes[at + 2] as number) << 16) |
      ((bytes[at + 3] as number) << 24)) >>>
    0
  );
}

function u16(bytes: Uint8Array, at: number): number {
  if (at < 0 || at + 2 > bytes.length) return -1;
  return (bytes[at] as number) | ((bytes[at + 1] as number) << 8);
}

function u64(bytes: Uint8Array, at: number): number {
  const low = u32(bytes, at);
  const high = u32(bytes, at + 4);
  if (low < 0 || high < 0) return -1;
  const value = high * 2 ** 32 + low;
  return Number.isSafeInteger(value) ? value : -1;
}

/**
 * Finds the last end-of-central-directory record in the final 64 KiB + 22 bytes (the most a comment
 * allows). Its directory offset is corrected for prepended data (self-extracting stubs, polyglots).
 */
export function findEndOfCentralDirectory(bytes: Uint8Array): EndOfCentralDirectory | undefined {
  const lowest = Math.max(0, bytes.length - EOCD_SIZE - MAX_COMMENT);
  for (let at = bytes.length - EOCD_SIZE; at >= lowest; at--) {
    if (bytes[at] !== 0x50 || u32(bytes, at) !== END_OF_CENTRAL_DIRECTORY) continue;
    let entries = u16(bytes, at + 10);
    let directorySize = u32(bytes, at + 12);
    let directoryOffset = u32(bytes, at + 16);
    let isZip64 = false;
    const locator = at - 20;
    if (u32(bytes, locator) === ZIP64_END_LOCATOR) {
      const record = u64(bytes, locator + 8);
      if (record >= 0 && u32(bytes, record) === ZIP64_END_OF_CENTRAL_DIRECTORY) {
        entries = u64(bytes, record + 32);
        directorySize = u64(bytes, record + 40);
        directoryOffset = u64(bytes, record + 48);
        isZip64 = true;
      }
    }
    if (entries < 0 || directorySize < 0 || directoryOffset < 0) continue;
    // SECURITY: a stub before the archive shifts every offset; trust the layout, not the field.
    if (entries > 0 && u32(bytes, directoryOffset) !== CENTRAL_FILE_HEADER) {
      const shifted = (isZip64 ? locator - 56 : at) - directorySize;
      if (u32(bytes, shifted) !== CENTRAL_FILE_HEADER) continue;
      directoryOffset = shifted;
    }
    return { offset: at, entries, directoryOffset, directorySize, isZip64 };
  }
  return undefined;
}

/** True for a ZIP: a local file header at the start (even truncated) or a usable end record. */
export function isZip(bytes: Uint8Array): boolean {
  return u32(bytes, 0) === LOCAL_FILE_HEADER || findEndOfCentralDirectory(bytes) !== undefined;
}

/**
 * Member names from the central directory, at most `max` of them, decoded as UTF-8 (CP437 and UTF-8
 * agree on ASCII, which is all the OOXML names matched here use). Stops at the first malformed record.
 */
export function centralDirectoryNames(bytes: Uint8Array, max = 4096): string[] {
  const end = findEndOfCentralDirectory(bytes);
  if (!end) return [];
  const names: string[] = [];
  const decoder = new TextDecoder();
  let at = end.directoryOffset;
  const count = Math.min(end.entries, max);
  for (let i = 0; i < count; i++) {
    if (u32(bytes, at) !== CENTRAL_FILE_HEADER) break;
    const nameLength = u16(bytes, at + 28);
    const extraLength = u16(bytes, at + 30);
    const commentLength = u16(bytes, at + 32);
    if (nameLength < 0 || extraLength < 0 || commentLength < 0) break;
    if (at + 46 + nameLength > bytes.length) break;
    names.push(decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
