/**
 * @module formats/sevenzip — 7z archives (7-Zip's 7zFormat.txt, https://www.7-zip.org/recover.html):
 * signature header, (encoded) header, folders and files; decoding of Copy, LZMA, LZMA2, Deflate and the
 * BCJ x86 filter (LZMA specification, lzma-specification.7z). Encrypted headers and AES folders are
 * detected and reported, never guessed at; other methods (PPMd, BZip2, BCJ2) are listed, not read.
 *
 * @example
 * const a = parseSevenZip(bytes);
 * const data = readSevenZipFolder(bytes, a, 0, { maxOutput: 64 << 20 });
 */
export { isSevenZip, parseSevenZip, readSevenZipFolder } from './parse.js';
export { unsupportedReason, SUPPORTED_METHODS } from './decode.js';
export { decodeLzma, decodeLzma2 } from './lzma.js';
export { bcjX86Decode } from './bcj.js';
export { MAX_7Z_ENTRIES, METHODS } from './types.js';
export type { Coder, Folder, SevenZipArchive, SevenZipEntry, SevenZipOptions } from './types.js';
