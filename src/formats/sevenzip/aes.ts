import { createDecipheriv, createHash } from 'node:crypto';
import { FormatError, LimitError } from '../../core/index.js';

/**
 * 7zAES (method 06F10701, 7-Zip's 7zAes.cpp): AES-256-CBC whose key is SHA-256 over 2^NumCyclesPower
 * rounds of salt ‖ password (UTF-16LE) ‖ round counter (64-bit LE). No password check value exists:
 * a wrong key is only noticed when the decrypted stream fails to decode or its CRC differs.
 */
export interface AesProperties {
  numCyclesPower: number;
  salt: Uint8Array;
  /** 16 bytes: the IV from the properties, zero-filled. */
  iv: Uint8Array;
}

/** 7-Zip's default is 19 (half a million rounds); 7zAes.cpp itself accepts up to 24. */
export const MAX_7Z_AES_CYCLES_POWER = 24;
/** NumCyclesPower 0x3F: no hashing, the key is salt ‖ password cut or zero-filled to 32 bytes. */
const NO_HASH_CYCLES = 0x3f;
// Rounds fed to one hash.update(): big enough to amortise the call, small enough to stay in cache.
const ROUNDS_PER_UPDATE = 4096;

/** Property bytes: b0 = cycles (6 bits) | salt-size bit 7 | iv-size bit 6; b1 = salt size ↑4, iv size ↓4. */
export function parseAesProperties(props: Uint8Array): AesProperties {
  const b0 = props[0];
  if (b0 === undefined) throw new FormatError('E_7Z_BAD_HEADER', '7zAES coder without properties');
  const numCyclesPower = b0 & 0x3f;
  const iv = new Uint8Array(16);
  if ((b0 & 0xc0) === 0) {
    if (props.length !== 1) throw new FormatError('E_7Z_BAD_HEADER', '7zAES properties size');
    return { numCyclesPower, salt: new Uint8Array(), iv };
  }
  const b1 = props[1];
  if (b1 === undefined) throw new FormatError('E_7Z_BAD_HEADER', '7zAES properties end early');
  const saltSize = ((b0 >>> 7) & 1) + (b1 >>> 4);
  const ivSize = ((b0 >>> 6) & 1) + (b1 & 0x0f);
  if (props.length !== 2 + saltSize + ivSize)
    throw new FormatError('E_7Z_BAD_HEADER', `7zAES properties: ${props.length} bytes`);
  iv.set(props.subarray(2 + saltSize, 2 + saltSize + ivSize));
  return { numCyclesPower, salt: props.slice(2, 2 + saltSize), iv };
}

export interface AesKeyOptions {
  maxCyclesPower?: number;
  checkDeadline?: () => void;
}

/**
 * The 32-byte key for a password. SECURITY: NumCyclesPower comes from the archive; a hostile 63 would be
 * 2^63 hash rounds, so anything past `maxCyclesPower` (default 24) is a LimitError, never a long loop.
 */
export function deriveAesKey(
  password: string,
  props: AesProperties,
  options: AesKeyOptions = {},
): Uint8Array {
  const pw = utf16le(password);
  const { salt, numCyclesPower } = props;
  if (numCyclesPower === NO_HASH_CYCLES) {
    const key = new Uint8Array(32);
    key.set(salt.subarray(0, 32));
    key.set(pw.subarray(0, Math.max(0, 32 - salt.length)), Math.min(salt.length, 32));
    return key;
  }
  const max = options.maxCyclesPower ?? MAX_7Z_AES_CYCLES_POWER;
  if (numCyclesPower > max)
    throw new LimitError('E_LIMIT_7Z_AES_ROUNDS', `7zAES key needs 2^${numCyclesPower} rounds`, {
      limit: 'maxAesCyclesPower',
      max,
      actual: numCyclesPower,
    });
  const rounds = 2 ** numCyclesPower;
  const unit = salt.length + pw.length + 8;
  const batch = Math.min(rounds, ROUNDS_PER_UPDATE);
  const buf = new Uint8Array(unit * batch);
  for (let i = 0; i < batch; i++) {
    buf.set(salt, i * unit);
    buf.set(pw, i * unit + salt.length);
  }
  const hash = createHash('sha256');
  // The counter is below 2^24 (rounds ≤ 2^24 by the cap above): bytes 3..7 stay zero.
  for (let done = 0; done < rounds; done += batch) {
    for (let i = 0; i < batch; i++) {
      const at = i * unit + salt.length + pw.length;
      const n = done + i;
      buf[at] = n & 0xff;
      buf[at + 1] = (n >>> 8) & 0xff;
      buf[at + 2] = (n >>> 16) & 0xff;
    }
    hash.update(buf);
    if ((done / batch) % 64 === 63) options.checkDeadline?.();
  }
  return new Uint8Array(hash.digest());
}

/** AES-256-CBC without padding (7-Zip pads the plaintext to 16 bytes; the next coder's size cuts it). */
export function decryptAes(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const whole = data.subarray(0, data.length - (data.length % 16));
  const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  const head = decipher.update(whole);
  const tail = decipher.final();
  if (tail.length === 0) return new Uint8Array(head.buffer, head.byteOffset, head.length);
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

function utf16le(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >>> 8;
  }
  return out;
}
