/**
 * @module formats/rar — RAR archive listing: RAR 5.0 (https://www.rarlab.com/technote.htm) and RAR
 * 1.5–4.x blocks. Names, sizes, encrypted headers and members, compression methods; stored members are
 * readable. Decompression is not implemented (no maintained pure-JS reader is installed; see the
 * issue notes on node-unrar-js), so compressed members are listed and reported.
 *
 * @example
 * const r = parseRar(bytes);
 * r.entries.filter((e) => e.isStored && !e.isEncrypted).map((e) => readRarEntry(bytes, e, max));
 */
export { isRar, parseRar, readRarEntry } from './parse.js';
export { MAX_RAR_ENTRIES } from './types.js';
export type { RarArchive, RarEntry, RarOptions } from './types.js';
