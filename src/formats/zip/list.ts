import type { Entry } from '@zip.js/zip.js';
import { ConfigError, describeError, FormatError, type Anomaly } from '../../core/index.js';
import { readCentralDirectorySync, type CentralEntry } from './central.js';
import { attachHandle, type ZipJsLister } from './handles.js';
import { decodeTextHook, nameEncodingOf } from './names.js';
import { recoverLocalEntries } from './recover.js';
import { findEndOfCentralDirectory, isZip } from './sniff.js';
import { MAX_ZIP_ENTRIES, type ListZipOptions, type ZipEntry, type ZipListing } from './types.js';
import { loadZipJs, READER_OPTIONS } from './zipjs.js';

const FLAG_STRONG_ENCRYPTION = 0x0040; // APPNOTE 4.4.4 bit 6

/**
 * Lists the members of a ZIP archive from its central directory (APPNOTE 4.3.12), falling back to the
 * local headers when the directory is missing or broken. Never throws on malformed bytes: problems come
 * back as anomalies. Throws `FormatError` E_ZIP_NOT_ZIP only when nothing in the bytes is a ZIP.
 *
 * @example
 * const { entries, anomalies } = await listZip(bytes, { maxEntries: 1000 });
 */
export async function listZip(
  bytes: Uint8Array,
  options: ListZipOptions = {},
): Promise<ZipListing> {
  const maxEntries = options.maxEntries ?? MAX_ZIP_ENTRIES;
  if (!Number.isSafeInteger(maxEntries) || maxEntries <= 0) {
    throw new ConfigError(
      'E_CONFIG_LIMIT',
      `maxEntries must be a positive integer, got ${maxEntries}`,
    );
  }
  const anomalies: Anomaly[] = [];
  const end = findEndOfCentralDirectory(bytes);
  if (!end) {
    if (!isZip(bytes))
      throw new FormatError('E_ZIP_NOT_ZIP', 'no ZIP end of central directory record');
    anomalies.push({
      code: 'E_ZIP_NO_END_RECORD',
      message:
        'no end of central directory record (truncated?); members recovered from local headers',
    });
    return { entries: recoverLocalEntries(bytes, maxEntries, anomalies), anomalies };
  }
  if (end.entries > maxEntries) {
    anomalies.push({
      code: 'E_LIMIT_ZIP_ENTRIES',
      message: `the archive declares ${end.entries} members; only the first ${maxEntries} are listed`,
      offset: end.offset,
    });
  }
  const plain = readCentralDirectorySync(bytes, end, maxEntries);
  if (plain) return { entries: withLazyZipJs(bytes, plain, anomalies), anomalies };
  const entries = await readCentralDirectory(bytes, maxEntries, anomalies);
  if (entries === undefined) {
    return { entries: recoverLocalEntries(bytes, maxEntries, anomalies), anomalies };
  }
  const hidden = membersBefore(bytes, entries, end.directoryOffset, maxEntries, anomalies);
  return { entries: [...hidden, ...entries], anomalies };
}

/**
 * Members of another archive in front of this one (ZIP concatenation): 7-Zip shows the first archive,
 * Explorer and WinRAR the last, and phishing campaigns hide the payload in whichever a gateway skips.
 * SECURITY: both are listed, so that neither half goes unscanned.
 */
function membersBefore(
  bytes: Uint8Array,
  entries: readonly ZipEntry[],
  directoryOffset: number,
  maxEntries: number,
  anomalies: Anomaly[],
): ZipEntry[] {
  const start = entries.reduce((min, e) => Math.min(min, e.offset), directoryOffset);
  if (start <= 0 || !isZip(bytes.subarray(0, 4)) || entries.length >= maxEntries) return [];
  const hidden = recoverLocalEntries(bytes.subarray(0, start), maxEntries - entries.length, []);
  if (hidden.length > 0) {
    anomalies.push({
      code: 'E_ZIP_CONCATENATED',
      message: `${hidden.length} members precede the archive the directory describes (concatenated ZIPs)`,
      offset: 0,
    });
  }
  return hidden;
}

/**
 * Entries listed by central.ts, each with a handle that asks zip.js for its own entry only when the
 * synchronous reader cannot read the member (a bad CRC, an unknown method): zip.js then lists the
 * archive once for all of them and its reader classifies and recovers as on the zip.js path.
 */
function withLazyZipJs(
  bytes: Uint8Array,
  plain: readonly CentralEntry[],
  anomalies: Anomaly[],
): ZipEntry[] {
  let listing: Promise<Map<number, Entry>> | undefined;
  const byOffset = async (): Promise<Map<number, Entry>> => {
    const { ZipReader, Uint8ArrayReader } = await loadZipJs();
    const reader = new ZipReader(new Uint8ArrayReader(bytes), {
      ...READER_OPTIONS,
      decodeText: decodeTextHook,
    });
    const map = new Map<number, Entry>();
    for await (const entry of reader.getEntriesGenerator()) map.set(entry.offset, entry);
    return map;
  };
  const lister: ZipJsLister = {
    entryAt: async (offset) => (await (listing ??= byOffset())).get(offset),
  };
  // A loop, not map(): the array is the same kind (packed) whoever built it, so that code
  // iterating over listings is not deoptimised by a second array shape.
  const entries: ZipEntry[] = [];
  for (const { entry, crc32 } of plain) {
    if (isUnsafeName(entry.name)) {
      anomalies.push({
        code: 'E_ZIP_UNSAFE_NAME',
        message: 'member name is absolute or climbs out of the extraction folder (zip slip)',
        location: entry.name,
      });
    }
    entries.push(attachHandle(entry, { kind: 'central', crc32, archive: bytes, lister }));
  }
  return entries;
}

/** The zip.js listing; undefined when the directory could not be read at all (so recovery runs). */
async function readCentralDirectory(
  bytes: Uint8Array,
  maxEntries: number,
  anomalies: Anomaly[],
): Promise<ZipEntry[] | undefined> {
  const { ZipReader, Uint8ArrayReader } = await loadZipJs();
  const reader = new ZipReader(new Uint8ArrayReader(bytes), {
    ...READER_OPTIONS,
    decodeText: decodeTextHook,
  });
  const entries: ZipEntry[] = [];
  try {
    for await (const entry of reader.getEntriesGenerator()) {
      if (entries.length >= maxEntries) {
        if (!anomalies.some((a) => a.code === 'E_LIMIT_ZIP_ENTRIES')) {
          anomalies.push({
            code: 'E_LIMIT_ZIP_ENTRIES',
            message: `more than ${maxEntries} members; the rest were not listed`,
          });
        }
        break;
      }
      entries.push(toZipEntry(entry, bytes, anomalies));
    }
  } catch (error) {
    anomalies.push({
      code: 'E_ZIP_CENTRAL_DIRECTORY',
      message: `central directory unreadable after ${entries.length} members: ${describeError(error)}`,
    });
    if (entries.length === 0) return undefined;
  }
  for (const warning of reader.warnings ?? []) {
    anomalies.push({
      code: 'E_ZIP_AMBIGUOUS',
      message: `zip.js: ${warning.reason}`,
      ...(warning.filename === undefined ? {} : { location: warning.filename }),
    });
  }
  return entries;
}

function toZipEntry(entry: Entry, archive: Uint8Array, anomalies: Anomaly[]): ZipEntry {
  const strong = ((entry.rawBitFlag ?? 0) & FLAG_STRONG_ENCRYPTION) !== 0;
  const zipEntry: ZipEntry = {
    name: entry.filename,
    nameEncoding: nameEncodingOf(entry.rawFilename, entry.filenameUTF8),
    compressedSize: entry.compressedSize,
    uncompressedSize: entry.uncompressedSize,
    directory: entry.directory,
    encrypted: entry.encrypted,
    encryption: !entry.encrypted
      ? null
      : strong
        ? 'strong'
        : entry.extraFieldAES
          ? 'aes'
          : 'zipcrypto',
    method: entry.compressionMethod,
    offset: entry.offset,
    ...(entry.comment ? { comment: entry.comment } : {}),
  };
  if (isUnsafeName(zipEntry.name)) {
    anomalies.push({
      code: 'E_ZIP_UNSAFE_NAME',
      message: 'member name is absolute or climbs out of the extraction folder (zip slip)',
      location: zipEntry.name,
    });
  }
  return attachHandle(zipEntry, { kind: 'zipjs', entry, archive });
}

function isUnsafeName(name: string): boolean {
  // Both patterns need a leading separator or drive letter, or a `..`: most names have neither.
  const first = name.charCodeAt(0);
  if (first !== 0x2f && first !== 0x5c && name.charCodeAt(1) !== 0x3a && !name.includes('..'))
    return false;
  return /^([\\/]|[A-Za-z]:)/.test(name) || /(^|[\\/])\.\.([\\/]|$)/.test(name);
}
