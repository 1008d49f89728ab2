/**
 * Inert stand-ins for what an unpacked Emotet loader carries, built in code: the C2 table (8-byte entries:
 * IPv4 as a little-endian u32, port u16, flag u16, then a zero entry), RSA public keys (DER
 * SubjectPublicKeyInfo and CryptoAPI PUBLICKEYBLOB) and P-256 keys as BCRYPT_ECCKEY_BLOBs. Tests use
 * TEST-NET addresses (RFC 5737) only; the keys are made from fixed seeds and protect nothing.
 */
import { createECDH, createHash } from 'node:crypto';
import { concatBytes } from '../../src/core/index.js';

export interface C2Spec {
  ip: string;
  port: number;
  /** The u16 after the port (default 1). */
  flag?: number;
}

/** The table bytes, zero-terminated unless `terminated` is false. */
export function buildC2Table(entries: readonly C2Spec[], terminated = true): Uint8Array {
  const bytes = new Uint8Array((entries.length + (terminated ? 1 : 0)) * 8);
  const view = new DataView(bytes.buffer);
  entries.forEach((e, i) => {
    const [a, b, c, d] = e.ip.split('.').map(Number) as [number, number, number, number];
    view.setUint32(i * 8, ((a << 24) | (b << 16) | (c << 8) | d) >>> 0, true);
    view.setUint16(i * 8 + 4, e.port, true);
    view.setUint16(i * 8 + 6, e.flag ?? 1, true);
  });
  return bytes;
}

/** `n` entries on TEST-NET-1/2/3 with Emotet's usual ports. */
export function testNetC2(n: number): C2Spec[] {
  const nets = ['192.0.2', '198.51.100', '203.0.113'];
  const ports = [443, 8080, 7080, 80, 8443];
  return Array.from({ length: n }, (_, i) => ({
    ip: `${nets[i % 3]}.${10 + i}`,
    port: ports[i % ports.length]!,
  }));
}

/** Deterministic pseudo-random bytes (sha256 in counter mode): key material that is not a real key. */
export function seededBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let at = 0, n = 0; at < length; n++) {
    const block = createHash('sha256').update(`${seed}:${n}`).digest();
    out.set(block.subarray(0, Math.min(32, length - at)), at);
    at += 32;
  }
  return out;
}

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, n >> 8, n & 0xff];
}

function der(tag: number, content: Uint8Array): Uint8Array {
  return concatBytes([new Uint8Array([tag, ...derLength(content.length)]), content]);
}

/** A modulus-shaped number: `bits` long (top bit set), odd. */
function modulus(bits: number, seed: number): Uint8Array {
  const n = seededBytes(bits / 8, seed);
  n[0]! |= 0x80;
  n[n.length - 1]! |= 1;
  return n;
}

/** PKCS#1 RSAPublicKey (RFC 8017 A.1.1) for an RSA key of `bits`: 106 bytes for RSA-768, as Emotet's .data blob holds it. */
export function buildRsaPkcs1(bits: number, seed: number): Uint8Array {
  return der(
    0x30,
    concatBytes([
      der(0x02, concatBytes([new Uint8Array([0]), modulus(bits, seed)])),
      der(0x02, new Uint8Array([1, 0, 1])),
    ]),
  );
}

/** DER SubjectPublicKeyInfo for an RSA key of `bits` (exponent 65537), as Emotet epochs 1–3 embed it. */
export function buildRsaSpki(bits: number, seed: number): Uint8Array {
  const n = modulus(bits, seed);
  const rsaPublicKey = der(
    0x30,
    concatBytes([
      der(0x02, concatBytes([new Uint8Array([0]), n])),
      der(0x02, new Uint8Array([1, 0, 1])),
    ]),
  );
  const algorithm = new Uint8Array([
    0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
  ]);
  return der(
    0x30,
    concatBytes([algorithm, der(0x03, concatBytes([new Uint8Array([0]), rsaPublicKey]))]),
  );
}

/** CryptoAPI PUBLICKEYBLOB: BLOBHEADER (PUBLICKEYBLOB, v2, CALG_RSA_KEYX), RSAPUBKEY "RSA1", modulus LE. */
export function buildRsaPublicKeyBlob(bits: number, seed: number): Uint8Array {
  const n = modulus(bits, seed).reverse();
  const head = new Uint8Array(20);
  const v = new DataView(head.buffer);
  head.set([0x06, 0x02, 0x00, 0x00], 0);
  v.setUint32(4, 0xa400, true);
  head.set([0x52, 0x53, 0x41, 0x31], 8); // "RSA1"
  v.setUint32(12, bits, true);
  v.setUint32(16, 65537, true);
  return concatBytes([head, n]);
}

/** BCRYPT_ECCKEY_BLOB with a real P-256 public point (from a fixed private key). */
export function buildEccKeyBlob(magic: 'ECK1' | 'ECS1', seed: number, valid = true): Uint8Array {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(seededBytes(32, seed));
  const point = ecdh.getPublicKey(); // 04 || X || Y
  const blob = new Uint8Array(8 + 64);
  blob.set(new TextEncoder().encode(magic), 0);
  new DataView(blob.buffer).setUint32(4, 32, true);
  blob.set(point.subarray(1), 8);
  if (!valid) blob[8 + 63]! ^= 1; // Y no longer on the curve
  return blob;
}

/**
 * Emotet's encrypted blob (CAPE's Emotet parser): a u32 XOR key, the plaintext length XOR the key, then
 * the plaintext XORed with the key dword by dword (little-endian; a last partial dword too).
 */
export function buildXorBlob(plain: Uint8Array, key: number): Uint8Array {
  const out = new Uint8Array(8 + plain.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, key >>> 0, true);
  v.setUint32(4, (plain.length ^ key) >>> 0, true);
  const k = [key & 0xff, (key >>> 8) & 0xff, (key >>> 16) & 0xff, key >>> 24];
  plain.forEach((b, i) => (out[8 + i] = b ^ k[i & 3]!));
  return out;
}

/** The plaintext of an epoch 4/5 C2 list: 8-byte entries, address and port big-endian, then the flag. */
export function buildC2ListBigEndian(entries: readonly C2Spec[]): Uint8Array {
  const bytes = new Uint8Array(entries.length * 8);
  const view = new DataView(bytes.buffer);
  entries.forEach((e, i) => {
    const [a, b, c, d] = e.ip.split('.').map(Number) as [number, number, number, number];
    view.setUint32(i * 8, ((a << 24) | (b << 16) | (c << 8) | d) >>> 0, false);
    view.setUint16(i * 8 + 4, e.port, false);
    view.setUint16(i * 8 + 6, e.flag ?? 1, false);
  });
  return bytes;
}

/** An encrypted C2 list blob as epoch 4/5 32-bit loaders keep it in .data. */
export function buildEncryptedC2List(entries: readonly C2Spec[], key: number): Uint8Array {
  return buildXorBlob(buildC2ListBigEndian(entries), key);
}

export interface PeSection {
  name: string;
  data: Uint8Array;
}

/**
 * A minimal PE32 (or PE32+ for `x64`) DLL image: DOS header, "PE\0\0", COFF header, optional header and section table, then
 * each section's raw data at 0x200 file alignment. Enough for content sniffing and for carrying data.
 */
export function buildPe(
  sections: readonly PeSection[],
  machine: 'x86' | 'x64' = 'x86',
): Uint8Array {
  const align = (n: number) => Math.ceil(n / 0x200) * 0x200;
  const headers = 0x200;
  let raw = headers;
  const placed = sections.map((s) => {
    const at = raw;
    raw += align(Math.max(1, s.data.length));
    return { ...s, at };
  });
  const bytes = new Uint8Array(raw);
  const v = new DataView(bytes.buffer);
  bytes.set([0x4d, 0x5a], 0);
  v.setUint32(0x3c, 0x80, true);
  bytes.set([0x50, 0x45, 0, 0], 0x80);
  const is64 = machine === 'x64';
  const optional = is64 ? 0xf0 : 0xe0;
  v.setUint16(0x84, is64 ? 0x8664 : 0x14c, true); // IMAGE_FILE_MACHINE_AMD64 / I386
  v.setUint16(0x86, sections.length, true);
  v.setUint16(0x94, optional, true); // SizeOfOptionalHeader
  v.setUint16(0x96, is64 ? 0x2022 : 0x2102, true); // EXECUTABLE_IMAGE | (LARGE_ADDRESS_AWARE | 32BIT_MACHINE) | DLL
  v.setUint16(0x98, is64 ? 0x20b : 0x10b, true); // PE32+ / PE32 magic
  v.setUint32(0x98 + 32, 0x1000, true); // SectionAlignment
  v.setUint32(0x98 + 36, 0x200, true); // FileAlignment
  placed.forEach((s, i) => {
    const at = 0x98 + optional + i * 40;
    bytes.set(new TextEncoder().encode(s.name.slice(0, 8)), at);
    v.setUint32(at + 8, s.data.length, true);
    v.setUint32(at + 12, 0x1000 * (i + 1), true);
    v.setUint32(at + 16, align(Math.max(1, s.data.length)), true);
    v.setUint32(at + 20, s.at, true);
    bytes.set(s.data, s.at);
  });
  return bytes;
}
