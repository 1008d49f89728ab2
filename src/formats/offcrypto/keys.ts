import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';
import { LimitError } from '../../core/index.js';
import { digest, fitTo, le32, utf16le } from './bytes.js';

/**
 * Key derivation and block ciphers of [MS-OFFCRYPTO]. Decryption is what emoguard needs; the encrypting
 * direction is here too (it is the same arithmetic) so that test builders write files Office would.
 */

/** Called every this many hash rounds, so a huge spin count stops at the artifact's deadline. */
const DEADLINE_EVERY = 8192;

/** 2.3.4.7: standard encryption iterates SHA-1 a fixed 50,000 times. */
export const STANDARD_SPIN_COUNT = 50_000;

/**
 * H0 = H(salt + password), Hn = H(LE32(n-1) + Hn-1) for `spinCount` rounds (2.3.4.7 standard with SHA-1,
 * 2.3.4.11 agile with the descriptor's hash). `checkDeadline` may throw to stop a costly derivation.
 */
export function iteratedHash(
  hash: string,
  salt: Uint8Array,
  password: string,
  spinCount: number,
  checkDeadline?: () => void,
): Uint8Array {
  // Hot loop (100,000 rounds per password in Office files): node:crypto digests are used as they come,
  // without the copy `digest()` makes (measured: 1.5x faster).
  let h: Uint8Array = digest(hash, salt, utf16le(password));
  const iterator = new Uint8Array(4);
  for (let i = 0; i < spinCount; i++) {
    iterator[0] = i & 0xff;
    iterator[1] = (i >>> 8) & 0xff;
    iterator[2] = (i >>> 16) & 0xff;
    iterator[3] = (i >>> 24) & 0xff;
    h = createHash(hash).update(iterator).update(h).digest();
    if (checkDeadline && i % DEADLINE_EVERY === DEADLINE_EVERY - 1) checkDeadline();
  }
  return new Uint8Array(h);
}

/** Throws `E_LIMIT_SPIN_COUNT` when a descriptor asks for more hash rounds than the caller allows. */
export function checkSpinCount(spinCount: number, max: number): void {
  if (spinCount > max) {
    throw new LimitError(
      'E_LIMIT_SPIN_COUNT',
      `password spin count ${spinCount} exceeds the ${max} this scan is willing to compute`,
      { limit: 'maxSpinCount', max, actual: spinCount },
    );
  }
}

/** 2.3.4.7: the standard (AES, SHA-1) encryption key from the iterated hash. */
export function standardKey(
  salt: Uint8Array,
  password: string,
  keyBits: number,
  checkDeadline?: () => void,
): Uint8Array {
  const h = iteratedHash('sha1', salt, password, STANDARD_SPIN_COUNT, checkDeadline);
  const hFinal = digest('sha1', h, le32(0));
  const derive = (fill: number): Uint8Array => {
    const buf = new Uint8Array(64).fill(fill);
    for (let i = 0; i < hFinal.length; i++) buf[i] = buf[i]! ^ hFinal[i]!;
    return digest('sha1', buf);
  };
  const x = new Uint8Array(40);
  x.set(derive(0x36), 0);
  x.set(derive(0x5c), 20);
  return x.slice(0, keyBits / 8);
}

/** 2.3.4.11: an agile key from the iterated hash and a block key, cut or 0x36-padded to keyBits. */
export function agileKey(
  iterated: Uint8Array,
  hash: string,
  blockKey: Uint8Array,
  keyBits: number,
) {
  return fitTo(digest(hash, iterated, blockKey), keyBits / 8, 0x36);
}

/** 2.3.4.11–2.3.4.14 block keys. */
export const BLOCK_KEYS = {
  verifierHashInput: new Uint8Array([0xfe, 0xa7, 0xd2, 0x76, 0x3b, 0x4b, 0x9e, 0x79]),
  verifierHashValue: new Uint8Array([0xd7, 0xaa, 0x0f, 0x6d, 0x30, 0x61, 0x34, 0x4e]),
  encryptedKeyValue: new Uint8Array([0x14, 0x6e, 0x0b, 0xe7, 0xab, 0xac, 0xd0, 0xd6]),
  hmacKey: new Uint8Array([0x5f, 0xb2, 0xad, 0x01, 0x0c, 0xb9, 0xe1, 0xf6]),
  hmacValue: new Uint8Array([0xa0, 0x67, 0x7f, 0x02, 0xb2, 0x2c, 0x84, 0x33]),
} as const;

/** 2.3.5.2: RC4 CryptoAPI key for one block; a 40-bit key is padded with zeros to 128 bits. */
export function cryptoApiRc4Key(
  salt: Uint8Array,
  password: string,
  keyBits: number,
  block: number,
): Uint8Array {
  const h0 = digest('sha1', salt, utf16le(password));
  const hFinal = digest('sha1', h0, le32(block));
  const bits = keyBits === 0 ? 40 : keyBits;
  return bits === 40 ? fitTo(hFinal.subarray(0, 5), 16, 0) : hFinal.slice(0, bits / 8);
}

/** 2.3.6.2: Office binary RC4 (MD5) key base, the 5 bytes every block key is derived from. */
export function binaryRc4KeyBase(salt: Uint8Array, password: string): Uint8Array {
  const h0 = digest('md5', utf16le(password)).subarray(0, 5);
  const buffer = new Uint8Array(16 * 21);
  for (let i = 0; i < 16; i++) {
    buffer.set(h0, i * 21);
    buffer.set(salt.subarray(0, 16), i * 21 + 5);
  }
  return digest('md5', buffer).slice(0, 5);
}

export function binaryRc4Key(keyBase: Uint8Array, block: number): Uint8Array {
  return digest('md5', keyBase, le32(block));
}

const view = (b: Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);

function aesName(key: Uint8Array, mode: 'ecb' | 'cbc'): string {
  return `aes-${key.length * 8}-${mode}`;
}

/** AES without padding; `data` must be a whole number of 16-byte blocks. */
export function aesDecrypt(key: Uint8Array, iv: Uint8Array | null, data: Uint8Array): Uint8Array {
  const d = createDecipheriv(aesName(key, iv ? 'cbc' : 'ecb'), key, iv);
  d.setAutoPadding(false);
  const head = d.update(data);
  const tail = d.final();
  return tail.length === 0 ? view(head) : view(new Uint8Array([...head, ...tail]));
}

export function aesEncrypt(key: Uint8Array, iv: Uint8Array | null, data: Uint8Array): Uint8Array {
  const c = createCipheriv(aesName(key, iv ? 'cbc' : 'ecb'), key, iv);
  c.setAutoPadding(false);
  const head = c.update(data);
  c.final();
  return view(head);
}

export function hmac(hash: string, key: Uint8Array, data: Uint8Array): Uint8Array {
  return view(createHmac(hash, key).update(data).digest());
}

export const AES_KEY_BITS: ReadonlySet<number> = new Set([128, 192, 256]);
