/**
 * @module sniff — content type detection by magic bytes and structure (MS-CFB 2.2, PKWARE APPNOTE 4.3.7,
 * ECMA-376 Part 2, RFC 5322 2.2, PE/COFF 3.2, MS-SHLLINK 2.1, MS-ONESTORE 2.3.1, ISO 9660 8.4).
 *
 * @example
 * sniffType(bytes) // → 'ole' for a .doc renamed to invoice.pdf
 */
export { sniffType } from './sniff.js';
export { classifyText, looksLikeText } from './text.js';
