import { createCipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { FormatError, LimitError } from '../../core/index.js';
import { crc32 } from './direct.js';
import type { ReadZipEntryOptions, ZipEntry } from './types.js';
import { ZIPJS_INVALID_PASSWORD } from './zipjs.js';

/**
 * Decryption of the two password schemes Emotet's archives used, without zip.js's per-byte JavaScript
 * stream pipeline: traditional PKWARE encryption ("ZipCrypto", APPNOTE 6.1) in one tight loop, and
 * WinZip AES (AE-1/AE-2, https://www.winzip.com/en/support/aes-encryption/) with node:crypto's PBKDF2,
 * AES and HMAC-SHA1. Both return `undefined` whenever anything is off (wrong password, bad MAC, an
 * unexpected extra field): the caller then takes the zip.js path, which says what is wrong.
 */

const LOCAL_FILE_HEADER = 0x04034b50; // APPNOTE 4.3.7
const LOCAL_HEADER_SIZE = 30;
const FLAG_DATA_DESCRIPTOR = 0x0008; // APPNOTE 4.4.4 bit 3
const ZIPCRYPTO_HEADER = 12; // APPNOTE 6.1.6
const AES_EXTRA_FIELD = 0x9901; // WinZip AE-x extra field
const AES_VERIFIER = 2;
const AES_MAC = 10;
const AES_PBKDF2_ROUNDS = 1000;
const AES_BLOCK = 16;
/** Salt length by the extra field's strength byte (1: AES-128, 2: AES-192, 3: AES-256). */
const AES_SALT: Readonly<Record<number, number>> = { 1: 8, 2: 12, 3: 16 };
const METHOD_STORED = 0;
/** The password check (1 byte for ZipCrypto, 2 for AES) failed: zip.js would fail on the same check. */
export const WRONG_PASSWORD = 'wrong-password';
const METHOD_DEFLATED = 8;

/** Where an encrypted member's data lies, read from its local header. */
export interface EncryptedData {
  /** Encryption header + encrypted data (+ AES authentication code). */
  data: Uint8Array;
  flags: number;
  /** DOS time and date as one little-endian 32-bit value (APPNOTE 4.4.6). */
  rawModified: number;
  /** The local header's extra field. */
  extra: Uint8Array;
}

export function encryptedDataOf(
  archive: Uint8Array,
  offset: number,
  compressedSize: number,
): EncryptedData | undefined {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset + LOCAL_HEADER_SIZE > archive.length)
    return undefined;
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
  if (view.getUint32(offset, true) !== LOCAL_FILE_HEADER) return undefined;
  const nameLength = view.getUint16(offset + 26, true);
  const extraStart = offset + LOCAL_HEADER_SIZE + nameLength;
  const start = extraStart + view.getUint16(offset + 28, true);
  const end = start + compressedSize;
  if (end > archive.length) return undefined;
  return {
    data: archive.subarray(start, end),
    flags: view.getUint16(offset + 6, true),
    rawModified: view.getUint32(offset + 10, true),
    extra: archive.subarray(extraStart, start),
  };
}

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/**
 * APPNOTE 6.1.5–6.1.6: keys from the password, the 12-byte header decrypted, its last byte checked
 * against the CRC's high byte (or the time's, with a data descriptor), then the rest decrypted.
 * Returns the still-compressed data, or undefined for a wrong password.
 */
export function decryptZipCrypto(
  member: EncryptedData,
  password: string,
  crc32: number,
): Uint8Array | typeof WRONG_PASSWORD | undefined {
  const input = member.data;
  if (input.length < ZIPCRYPTO_HEADER) return undefined;
  let k0 = 0x12345678;
  let k1 = 0x23456789;
  let k2 = 0x34567890;
  const table = CRC_TABLE;
  for (const c of new TextEncoder().encode(password)) {
    k0 = table[(k0 ^ c) & 0xff]! ^ (k0 >>> 8);
    k1 = (Math.imul(k1 + (k0 & 0xff), 134775813) + 1) | 0;
    k2 = table[(k2 ^ (k1 >>> 24)) & 0xff]! ^ (k2 >>> 8);
  }
  const out = new Uint8Array(input.length);
  // One loop for header and data keeps the keys in registers; the header is checked afterwards.
  for (let i = 0; i < input.length; i++) {
    const t = (k2 | 2) & 0xffff;
    const c = (input[i]! ^ (Math.imul(t, t ^ 1) >>> 8)) & 0xff;
    out[i] = c;
    k0 = table[(k0 ^ c) & 0xff]! ^ (k0 >>> 8);
    k1 = (Math.imul(k1 + (k0 & 0xff), 134775813) + 1) | 0;
    k2 = table[(k2 ^ (k1 >>> 24)) & 0xff]! ^ (k2 >>> 8);
    if (i === ZIPCRYPTO_HEADER - 1) {
      const check =
        member.flags & FLAG_DATA_DESCRIPTOR ? (member.rawModified >>> 8) & 0xff : crc32 >>> 24;
      if (c !== check) return WRONG_PASSWORD;
    }
  }
  return out.subarray(ZIPCRYPTO_HEADER);
}

/** The WinZip AES extra field: vendor version (1: AE-1, 2: AE-2) and key strength. */
export function aesFieldOf(extra: Uint8Array): { version: number; strength: number } | undefined {
  const view = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
  for (let at = 0; at + 4 <= extra.length;) {
    const id = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (id === AES_EXTRA_FIELD && size >= 7 && at + 4 + 7 <= extra.length) {
      return { version: view.getUint16(at + 4, true), strength: extra[at + 8]! };
    }
    at += 4 + size;
  }
  return undefined;
}

/**
 * WinZip AES: PBKDF2-HMAC-SHA1 (1000 rounds) gives the AES key, the HMAC key and a 2-byte verifier;
 * the data is AES-CTR with a little-endian counter from 1, authenticated by the first 10 bytes of
 * HMAC-SHA1 over the ciphertext. Returns the still-compressed data, or undefined.
 */
export function decryptWinZipAes(
  member: EncryptedData,
  password: string,
): Uint8Array | typeof WRONG_PASSWORD | undefined {
  const field = aesFieldOf(member.extra);
  const saltLength = field ? AES_SALT[field.strength] : undefined;
  if (field === undefined || saltLength === undefined) return undefined;
  const input = member.data;
  const dataStart = saltLength + AES_VERIFIER;
  const dataEnd = input.length - AES_MAC;
  if (dataEnd < dataStart) return undefined;
  const keyLength = saltLength * 2;
  const keys = pbkdf2Sync(
    password,
    input.subarray(0, saltLength),
    AES_PBKDF2_ROUNDS,
    keyLength * 2 + AES_VERIFIER,
    'sha1',
  );
  if (
    keys[keyLength * 2] !== input[saltLength] ||
    keys[keyLength * 2 + 1] !== input[saltLength + 1]
  )
    return WRONG_PASSWORD;
  const ciphertext = input.subarray(dataStart, dataEnd);
  const mac = createHmac('sha1', keys.subarray(keyLength, keyLength * 2))
    .update(ciphertext)
    .digest()
    .subarray(0, AES_MAC);
  // SECURITY: the MAC is checked before any plaintext is used (AE-2 has no CRC to catch tampering).
  if (!timingSafeEqual(mac, input.subarray(dataEnd))) return undefined;
  return aesCtrLittleEndian(keys.subarray(0, keyLength), ciphertext);
}

function aesCtrLittleEndian(key: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const blocks = Math.ceil(ciphertext.length / AES_BLOCK);
  // Counter blocks 1, 2, 3 … little-endian (Gladman's fcrypt), encrypted natively in one ECB call.
  const counters = new Uint8Array(blocks * AES_BLOCK);
  const view = new DataView(counters.buffer);
  for (let i = 0; i < blocks; i++) view.setUint32(i * AES_BLOCK, i + 1, true);
  const cipher = createCipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false);
  const stream = cipher.update(counters);
  const aligned = stream.byteOffset % 4 === 0 ? stream : new Uint8Array(stream);
  const out = new Uint8Array(blocks * AES_BLOCK);
  out.set(ciphertext);
  const words = new Int32Array(out.buffer);
  const pad = new Int32Array(aligned.buffer, aligned.byteOffset, blocks * 4);
  for (let i = 0; i < words.length; i++) words[i] = words[i]! ^ pad[i]!;
  return out.subarray(0, ciphertext.length);
}

/** The shape of `inflateCapped` (read.ts), passed in to keep this file free of the zip.js side. */
type Inflate = (
  data: Uint8Array,
  method: number,
  name: string,
  options: ReadZipEntryOptions,
) => Uint8Array;

/**
 * The fast path of `readZipEntry` for an encrypted member with a candidate password: decrypt here,
 * inflate under the cap, check the CRC-32 (AE-2 stores none; its MAC was checked). Returns undefined
 * for anything else, so that zip.js reports exactly what it reported before; a password that fails the
 * check byte(s) throws E_ZIP_BAD_PASSWORD as zip.js does, without its set-up (and its JavaScript PBKDF2).
 * SECURITY: a `LimitError` from `inflate` is thrown, never turned into the fallback.
 */
export function readDirectEncrypted(
  archive: Uint8Array,
  entry: ZipEntry,
  expectedCrc: number | undefined,
  options: ReadZipEntryOptions,
  inflate: Inflate,
): Uint8Array | undefined {
  const password = options.password;
  if (password === undefined || options.trimPadding) return undefined;
  if (entry.method !== METHOD_STORED && entry.method !== METHOD_DEFLATED) return undefined;
  if (entry.encryption !== 'zipcrypto' && entry.encryption !== 'aes') return undefined;
  if (entry.uncompressedSize > options.maxBytes) return undefined;
  const member = encryptedDataOf(archive, entry.offset, entry.compressedSize);
  if (member === undefined) return undefined;
  const isAes = entry.encryption === 'aes';
  // AE-2 stores no CRC (zip.js leaves it undefined); its MAC stands in for it. Everything else has one.
  const hasCrc = !isAes || aesFieldOf(member.extra)?.version === 1;
  if (hasCrc && expectedCrc === undefined) return undefined;
  const crc = (expectedCrc ?? 0) >>> 0;
  const compressed = isAes
    ? decryptWinZipAes(member, password)
    : decryptZipCrypto(member, password, crc);
  if (compressed === undefined) return undefined;
  if (compressed === WRONG_PASSWORD) {
    // zip.js's own words, so that callers see the error its path gives for the same check.
    throw new FormatError('E_ZIP_BAD_PASSWORD', `${entry.name}: ${ZIPJS_INVALID_PASSWORD}`);
  }
  let out: Uint8Array;
  try {
    out = inflate(compressed, entry.method, entry.name, options);
  } catch (error) {
    if (error instanceof LimitError) throw error;
    return undefined;
  }
  if (out.length !== entry.uncompressedSize) return undefined;
  if (hasCrc && crc32(out) !== crc) return undefined;
  return out;
}
