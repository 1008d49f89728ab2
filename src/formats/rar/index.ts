/**
 * @module formats/rar — RAR archives: RAR 5.0 (https://www.rarlab.com/technote.htm) and RAR 1.5–4.x
 * blocks listed here (names, sizes, dictionary sizes, encrypted headers and members, methods; stored
 * members readable), RAR5 passwords checked and `rar -hp` headers decrypted here (PBKDF2-HMAC-SHA256,
 * AES-256-CBC); decompression of every method, solid archives and encrypted members by RARLAB's unrar
 * compiled to WASM (node-unrar-js 2.0.2), in memory, with each member cut at a cap as it is written.
 *
 * @example
 * const r = parseRar(bytes);
 * const { members } = await extractRar(bytes, { select: (h) => h.size < max, maxBytes: () => max });
 */
export { isRar, parseRar, readRarEntry } from './parse.js';
export { decryptRar5Headers, MAX_RAR_KDF_COUNT, rar5Key } from './crypt5.js';
export { extractRar } from './unrar.js';
export type { UnrarHeader, UnrarMember, UnrarOptions, UnrarResult } from './unrar.js';
export { MAX_RAR_ENTRIES } from './types.js';
export type { Rar5Crypt, RarArchive, RarEntry, RarOptions } from './types.js';
