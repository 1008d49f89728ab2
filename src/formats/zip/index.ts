/**
 * @module formats/zip — ZIP containers (PKWARE APPNOTE.TXT 6.3.10,
 * https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT) over @zip.js/zip.js: listing with
 * anomalies instead of exceptions, reading under a cap on real output (well-formed stored/deflated
 * members synchronously through their local header, the rest through zip.js), ZipCrypto/AES passwords,
 * Shift_JIS names, recovery from local headers, and a small synchronous writer.
 */
export { listZip } from './list.js';
export { readZipEntry, readZipEntrySync } from './read.js';
export { centralDirectoryNames, findEndOfCentralDirectory, isZip } from './sniff.js';
export type { EndOfCentralDirectory } from './sniff.js';
export { isShiftJis, decodeShiftJis } from './shift-jis.js';
export { crc32 } from './crc32.js';
export { encodeZipRecords, writeZip } from './write.js';
export type { EncodeZipOptions, WriteZipFile, ZipRecord } from './write.js';
export { MAX_ZIP_ENTRIES } from './types.js';
export type { ListZipOptions, ReadZipEntryOptions, ZipEntry, ZipListing } from './types.js';
