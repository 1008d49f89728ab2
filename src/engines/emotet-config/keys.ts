/**
 * Public keys Emotet carries for its C2 protocol: RSA (epochs 1–3: DER SubjectPublicKeyInfo imported with
 * CryptDecodeObjectEx, a PKCS#1 RSAPublicKey (RFC 8017 A.1.1) as the XOR-encrypted blob in .data holds
 * it, or a CryptoAPI PUBLICKEYBLOB) and two P-256 keys (epochs 4–5: BCRYPT_ECCKEY_BLOB,
 * "ECK1" ECDH and "ECS1" ECDSA). Every candidate is validated structurally (DER lengths, exponent,
 * modulus size; the P-256 point on the curve) so that stray magic bytes are not keys.
 */

import { sha256Hex } from '../../core/index.js';
import { wholeBuffer, type OwnedWindow } from './words.js';

export interface ExtractedKey {
  /** `rsa`, `ecdh-p256` (ECK1) or `ecdsa-p256` (ECS1). */
  type: 'rsa' | 'ecdh-p256' | 'ecdsa-p256';
  format: 'spki-der' | 'pkcs1-der' | 'publickeyblob' | 'bcrypt-ecckey-blob';
  bits: number;
  offset: number;
  /** The key blob as found (decrypted for `xor`), base64 (public keys: safe to share, useful to pivot on). */
  base64: string;
  /** `xor`: decrypted from Emotet's key/length/data blob (`offset` is the blob's); else in the clear. */
  encoding?: 'plain' | 'xor';
  /**
   * SHA-256 of the public numbers, whatever the container: the modulus (big-endian, no sign byte) for
   * RSA, X‖Y for P-256. Each epoch had its own keys, so this is what names an epoch.
   */
  fingerprint: string;
}

export interface KeyOptions {
  /** RSA moduli kept, in bits (default 512–1024: Emotet's were 768; certificates' 2048+ keys are noise). */
  minRsaBits?: number;
  maxRsaBits?: number;
  maxKeys?: number;
  checkDeadline?: () => void;
}

export const MAX_KEYS = 8;
const RSA_OID = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const DEADLINE_EVERY = 1 << 16;

/** All validated keys in `bytes`, in offset order, at most `maxKeys`. */
export function findKeys(bytes: Uint8Array, options: KeyOptions = {}): ExtractedKey[] {
  return keysIn(bytes, wholeBuffer(bytes), options);
}

/**
 * The keys that start in `own` (chunk.ts), offsets from `own.base`. Each first byte found by indexOf
 * (memchr speed) gets a one- or two-byte test before the structural check, so that the common bytes
 * 06, 30, 45 and 52 cost no call and no allocation.
 */
export function keysIn(bytes: Uint8Array, own: OwnedWindow, options: KeyOptions): ExtractedKey[] {
  const limits = {
    min: options.minRsaBits ?? 512,
    max: options.maxRsaBits ?? 1024,
  };
  const keys: ExtractedKey[] = [];
  const max = options.maxKeys ?? MAX_KEYS;
  const scan = (first: number, check: (at: number) => ExtractedKey | undefined) => {
    let n = 0;
    for (let at = bytes.indexOf(first); at >= 0; at = bytes.indexOf(first, at + 1)) {
      if (++n % DEADLINE_EVERY === 0) options.checkDeadline?.();
      const key = check(at);
      if (key && key.offset >= own.from && key.offset < own.to) keys.push(key);
      if (keys.length >= max * 4) break;
    }
  };
  // 06 09 2a: the OID tag, its length, its first byte.
  scan(0x06, (at) =>
    bytes[at + 1] === 0x09 && bytes[at + 2] === 0x2a ? rsaSpkiAt(bytes, at, limits) : undefined,
  );
  scan(0x30, (at) =>
    isSequenceOfInteger(bytes, at) ? rsaPkcs1At(bytes, at, limits, false) : undefined,
  );
  scan(0x52, (at) => (bytes[at + 1] === 0x53 ? rsaBlobAt(bytes, at, limits) : undefined)); // "RSA1"
  scan(0x45, (at) => (bytes[at + 1] === 0x43 ? eccBlobAt(bytes, at) : undefined)); // "ECK1" / "ECS1"
  return withoutNested(keys)
    .sort((a, b) => a.offset - b.offset)
    .slice(0, max)
    .map((k) => (own.base === 0 ? k : { ...k, offset: own.base + k.offset }));
}

/** `30 <len> 02`: a SEQUENCE whose content opens with an INTEGER (what rsaPkcs1At parses first). */
function isSequenceOfInteger(bytes: Uint8Array, at: number): boolean {
  const len = bytes[at + 1]!;
  const header = len < 0x80 ? 2 : len === 0x81 ? 3 : len === 0x82 ? 4 : 0;
  return header > 0 && bytes[at + header] === 0x02;
}

/** An SPKI holds a PKCS#1 RSAPublicKey in its BIT STRING: the inner one is the same key, not another. */
function withoutNested(keys: ExtractedKey[]): ExtractedKey[] {
  const spans = keys
    .filter((k) => k.format === 'spki-der')
    .map((k) => [k.offset, k.offset + blobLength(k.base64)] as const);
  return keys.filter(
    (k) =>
      k.format !== 'pkcs1-der' || !spans.some(([from, to]) => k.offset > from && k.offset < to),
  );
}

function blobLength(base64: string): number {
  const pad = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return (base64.length / 4) * 3 - pad;
}

/**
 * The key that starts exactly at `at` (a decrypted blob): a BCRYPT_ECCKEY_BLOB, a PKCS#1 or SPKI RSA
 * key, or a PUBLICKEYBLOB.
 */
export function keyAt(
  bytes: Uint8Array,
  at: number,
  options: Omit<KeyOptions, 'maxKeys' | 'checkDeadline'> = {},
): ExtractedKey | undefined {
  const limits = { min: options.minRsaBits ?? 512, max: options.maxRsaBits ?? 1024 };
  return (
    eccBlobAt(bytes, at) ??
    rsaPkcs1At(bytes, at, limits, true) ??
    [4, 5, 6].map((oid) => rsaSpkiAt(bytes, at + oid, limits)).find((k) => k?.offset === at) ??
    rsaBlobAt(bytes, at + 8, limits)
  );
}

function modulusFingerprint(n: Uint8Array): string {
  let i = 0;
  while (i < n.length - 1 && n[i] === 0) i++;
  return sha256Hex(n.subarray(i));
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** DER length at `at`: [length, header bytes] or undefined (indefinite or longer than 2 bytes). */
function derLength(bytes: Uint8Array, at: number): [number, number] | undefined {
  const first = bytes[at];
  if (first === undefined) return undefined;
  if (first < 0x80) return [first, 1];
  if (first === 0x81 && bytes[at + 1] !== undefined) return [bytes[at + 1]!, 2];
  if (first === 0x82 && bytes[at + 2] !== undefined)
    return [(bytes[at + 1]! << 8) | bytes[at + 2]!, 3];
  return undefined;
}

/** A DER element with tag `tag` at `at`: [content start, content end] or undefined. */
function element(bytes: Uint8Array, at: number, tag: number): [number, number] | undefined {
  if (bytes[at] !== tag) return undefined;
  const len = derLength(bytes, at + 1);
  if (!len) return undefined;
  const start = at + 1 + len[1];
  return start + len[0] <= bytes.length ? [start, start + len[0]] : undefined;
}

/** `at` is the OID tag inside AlgorithmIdentifier; the SPKI SEQUENCE starts 4, 5 or 6 bytes earlier. */
function rsaSpkiAt(
  bytes: Uint8Array,
  at: number,
  limits: { min: number; max: number },
): ExtractedKey | undefined {
  for (let k = 1; k < RSA_OID.length; k++) if (bytes[at + k] !== RSA_OID[k]) return undefined;
  if (bytes[at - 2] !== 0x30 || bytes[at - 1] !== 0x0d) return undefined;
  for (const back of [4, 5, 6]) {
    const start = at - back;
    const outer = start >= 0 ? element(bytes, start, 0x30) : undefined;
    if (!outer || outer[0] !== at - 2) continue;
    const bitString = element(bytes, at - 2 + 15, 0x03);
    if (!bitString || bitString[1] !== outer[1] || bytes[bitString[0]] !== 0) continue;
    const rsa = element(bytes, bitString[0] + 1, 0x30);
    const n = rsa && element(bytes, rsa[0], 0x02);
    const e = n && element(bytes, n[1], 0x02);
    if (!rsa || !n || !e || e[1] !== rsa[1]) continue;
    const bits = modulusBits(bytes.subarray(n[0], n[1]));
    if (bits < limits.min || bits > limits.max || !isPlausibleExponent(bytes.subarray(e[0], e[1])))
      continue;
    return {
      type: 'rsa',
      format: 'spki-der',
      bits,
      offset: start,
      base64: toBase64(bytes.subarray(start, outer[1])),
      fingerprint: modulusFingerprint(bytes.subarray(n[0], n[1])),
    };
  }
  return undefined;
}

/**
 * RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } at `at`. In the clear it is
 * accepted only with a 2-byte length form (`30 81`/`30 82`, or `30 68`-style short forms for ≤ 1024-bit
 * keys) whose INTEGER starts with the 00 sign byte: a bare SEQUENCE of two INTEGERs is common in any
 * DER, so `isExact` (a decrypted blob, where the key must start at `at`) is what makes it strong.
 */
function rsaPkcs1At(
  bytes: Uint8Array,
  at: number,
  limits: { min: number; max: number },
  isExact: boolean,
): ExtractedKey | undefined {
  const seq = element(bytes, at, 0x30);
  const n = seq && element(bytes, seq[0], 0x02);
  const e = n && element(bytes, n[1], 0x02);
  if (!seq || !n || !e || e[1] !== seq[1]) return undefined;
  if (!isExact && bytes[n[0]] !== 0) return undefined;
  const bits = modulusBits(bytes.subarray(n[0], n[1]));
  if (bits < limits.min || bits > limits.max || !isPlausibleExponent(bytes.subarray(e[0], e[1])))
    return undefined;
  if (bits % 8 !== 0) return undefined; // RSA moduli are whole bytes with the top bit set
  return {
    type: 'rsa',
    format: 'pkcs1-der',
    bits,
    offset: at,
    base64: toBase64(bytes.subarray(at, seq[1])),
    fingerprint: modulusFingerprint(bytes.subarray(n[0], n[1])),
  };
}

function modulusBits(n: Uint8Array): number {
  let i = 0;
  while (i < n.length && n[i] === 0) i++;
  if (i >= n.length) return 0;
  return (n.length - i - 1) * 8 + (32 - Math.clz32(n[i]!));
}

/** Odd, and at most 4 bytes (3, 17, 65537 …): a modulus-sized "exponent" is not a public key. */
function isPlausibleExponent(e: Uint8Array): boolean {
  return e.length >= 1 && e.length <= 4 && (e[e.length - 1]! & 1) === 1;
}

/** BLOBHEADER { PUBLICKEYBLOB, CUR_BLOB_VERSION, 0, CALG_RSA_KEYX|CALG_RSA_SIGN } then "RSA1" at `at`. */
function rsaBlobAt(
  bytes: Uint8Array,
  at: number,
  limits: { min: number; max: number },
): ExtractedKey | undefined {
  const start = at - 8;
  if (start < 0 || bytes[at + 1] !== 0x53 || bytes[at + 2] !== 0x41 || bytes[at + 3] !== 0x31)
    return undefined;
  if (
    bytes[start] !== 0x06 ||
    bytes[start + 1] !== 0x02 ||
    bytes[start + 2] !== 0 ||
    bytes[start + 3] !== 0
  )
    return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (at + 12 > bytes.length) return undefined;
  const alg = view.getUint32(start + 4, true);
  const bits = view.getUint32(at + 4, true);
  const exponent = view.getUint32(at + 8, true);
  if ((alg !== 0xa400 && alg !== 0x2400) || bits % 8 !== 0 || (exponent & 1) === 0)
    return undefined;
  if (bits < limits.min || bits > limits.max || at + 12 + bits / 8 > bytes.length) return undefined;
  const end = at + 12 + bits / 8;
  return {
    type: 'rsa',
    format: 'publickeyblob',
    bits,
    offset: start,
    base64: toBase64(bytes.subarray(start, end)),
    fingerprint: modulusFingerprint(bytes.slice(at + 12, end).reverse()), // PUBLICKEYBLOB: little-endian
  };
}

// NIST P-256 (FIPS 186-4 D.1.2.3): y² = x³ − 3x + b over GF(p).
const P256_P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const P256_B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

function bigFrom(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

export function isOnP256(x: bigint, y: bigint): boolean {
  if (x >= P256_P || y >= P256_P) return false;
  const p = P256_P;
  return (y * y - (x * x * x - 3n * x + P256_B)) % p === 0n;
}

/** BCRYPT_ECCKEY_BLOB { dwMagic "ECK1"/"ECS1", cbKey = 32 } X Y, with (X, Y) on P-256. */
function eccBlobAt(bytes: Uint8Array, at: number): ExtractedKey | undefined {
  if (bytes[at + 1] !== 0x43 || bytes[at + 3] !== 0x31) return undefined; // "EC?1"
  const kind = bytes[at + 2];
  if (kind !== 0x4b && kind !== 0x53) return undefined; // K: ECDH, S: ECDSA
  if (bytes[at + 4] !== 32 || bytes[at + 5] !== 0 || bytes[at + 6] !== 0 || bytes[at + 7] !== 0)
    return undefined;
  if (at + 8 + 64 > bytes.length) return undefined;
  const x = bigFrom(bytes.subarray(at + 8, at + 40));
  const y = bigFrom(bytes.subarray(at + 40, at + 72));
  if (!isOnP256(x, y)) return undefined;
  return {
    type: kind === 0x4b ? 'ecdh-p256' : 'ecdsa-p256',
    format: 'bcrypt-ecckey-blob',
    bits: 256,
    offset: at,
    base64: toBase64(bytes.subarray(at, at + 72)),
    fingerprint: sha256Hex(bytes.subarray(at + 8, at + 72)),
  };
}
