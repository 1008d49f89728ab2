import { createDecipheriv, createHash, pbkdf2Sync } from 'node:crypto';
import { LimitError } from '../../core/index.js';
import { crc32 } from '../zip/index.js';
import { vint } from './parse.js';
import type { Rar5Crypt } from './types.js';

/**
 * RAR5 encryption (rarlab.com/technote.htm, unrar crypt5.cpp facts): the AES-256 key is PBKDF2-HMAC-SHA256
 * of the UTF-8 password over 2^KDFcount iterations; the password check is the same chain 32 iterations
 * further, XOR-folded to 8 bytes. Checking a candidate here (native PBKDF2) spares the WASM unrar its slow
 * key derivation for every wrong one.
 */

/** WinRAR always writes 15; unrar accepts up to 24 (16.7 M iterations, seconds per try in WASM). */
export const MAX_RAR_KDF_COUNT = 18;
const SIGNATURE_SIZE = 8;

/**
 * The AES key for `password` when it passes the archive's check value, undefined when it does not.
 * Without a check value the key is returned unchecked (the header CRC or unrar decides). SECURITY: the
 * iteration count comes from the archive and is capped before any hashing.
 */
export function rar5Key(
  password: string,
  crypt: Rar5Crypt,
  maxKdfCount = MAX_RAR_KDF_COUNT,
): Uint8Array | undefined {
  if (crypt.kdfCount > maxKdfCount)
    throw new LimitError('E_LIMIT_RAR_KDF', `RAR5 key needs 2^${crypt.kdfCount} iterations`, {
      limit: 'maxRarKdfCount',
      max: maxKdfCount,
      actual: crypt.kdfCount,
    });
  const iterations = 2 ** crypt.kdfCount;
  if (crypt.check) {
    const v2 = pbkdf2Sync(password, crypt.salt, iterations + 32, 32, 'sha256');
    const check = new Uint8Array(8);
    for (let i = 0; i < 32; i++) check[i % 8]! ^= v2[i]!;
    const stored = crypt.check.subarray(0, 8);
    const sum = createHash('sha256').update(stored).digest();
    // The stored 4-byte checksum guards the check value itself: a damaged one is not trusted.
    const isCheckSound = crypt.check.subarray(8, 12).every((b, i) => b === sum[i]);
    if (isCheckSound && !check.every((b, i) => b === stored[i])) return undefined;
  }
  return new Uint8Array(pbkdf2Sync(password, crypt.salt, iterations, 32, 'sha256'));
}

/**
 * The archive with its headers decrypted (`rar -hp`: after the archive encryption header, each header is
 * a 16-byte IV and the AES-256-CBC header padded to 16 bytes), laid out as an unencrypted RAR5 archive so
 * that `parseRar` lists it: names, sizes, dictionary sizes. File data stay as they are (encrypted with their
 * own records). Undefined when a header's CRC fails, i.e. the key is wrong.
 */
export function decryptRar5Headers(bytes: Uint8Array, key: Uint8Array): Uint8Array | undefined {
  const parts: Uint8Array[] = [bytes.subarray(0, SIGNATURE_SIZE)];
  const first = blockEnd(bytes, SIGNATURE_SIZE);
  if (first === undefined) return undefined;
  for (let p = first.end; p + 32 <= bytes.length;) {
    const iv = bytes.subarray(p, p + 16);
    const head = decrypt(key, iv, bytes.subarray(p + 16, p + 32));
    const size = vint(head, 4);
    if (!size || size[0] > 2 * 1024 * 1024) return undefined;
    const total = size[1] + size[0];
    const padded = Math.ceil(total / 16) * 16;
    // Past the end: a truncated archive, or a wrong key that decrypted a nonsense size.
    if (p + 16 + padded > bytes.length) {
      if (parts.length === 1) return undefined;
      break;
    }
    const header = decrypt(key, iv, bytes.subarray(p + 16, p + 16 + padded)).subarray(0, total);
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    if (crc32(header.subarray(4)) !== view.getUint32(0, true)) return undefined;
    const block = blockEnd(header, 0);
    if (!block) return undefined;
    const dataStart = p + 16 + padded;
    parts.push(header, bytes.subarray(dataStart, Math.min(bytes.length, dataStart + block.data)));
    if (block.type === 5) break;
    p = dataStart + block.data;
  }
  if (parts.length === 1) return undefined;
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let at = 0;
  for (const x of parts) {
    out.set(x, at);
    at += x.length;
  }
  return out;
}

function decrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const d = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  const out = d.update(data);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** A block's type, the end of its header and the size of its data area. */
function blockEnd(
  b: Uint8Array,
  at: number,
): { type: number; end: number; data: number } | undefined {
  const size = vint(b, at + 4);
  if (!size) return undefined;
  const type = vint(b, size[1]);
  const flags = type && vint(b, type[1]);
  if (!type || !flags) return undefined;
  let q = flags[1];
  let data = 0;
  if (flags[0] & 0x1) q = vint(b, q)?.[1] ?? q;
  if (flags[0] & 0x2) data = vint(b, q)?.[0] ?? 0;
  return { type: type[0], end: size[1] + size[0], data };
}
