/**
 * @module formats/sevenzip — 7z archives (7-Zip's 7zFormat.txt, https://www.7-zip.org/recover.html):
 * signature header, (encoded) header, folders and files; decoding of Copy, LZMA, LZMA2, Deflate and the
 * BCJ x86 filter (LZMA specification, lzma-specification.7z), and 7zAES (06F10701, 7-Zip's 7zAes.cpp:
 * SHA-256 key stretching, AES-256-CBC) for encrypted headers and folders with candidate passwords, a
 * wrong one told by the CRCs; other methods (PPMd, BZip2, BCJ2) are listed, not read.
 *
 * @example
 * const a = parseSevenZip(bytes, { passwords: ['from-the-mail'] });
 * const data = readSevenZipFolder(bytes, a, 0, { maxOutput: 64 << 20, passwords: ['from-the-mail'] });
 */
export { isSevenZip, parseSevenZip, readSevenZipFolder } from './parse.js';
export { unsupportedReason, SUPPORTED_METHODS } from './decode.js';
export { deriveAesKey, MAX_7Z_AES_CYCLES_POWER, parseAesProperties } from './aes.js';
export type { AesProperties } from './aes.js';
export { decodeLzma, decodeLzma2 } from './lzma.js';
export { bcjX86Decode } from './bcj.js';
export { MAX_7Z_ENTRIES, METHODS } from './types.js';
export type { Coder, Folder, SevenZipArchive, SevenZipEntry, SevenZipOptions } from './types.js';
