/**
 * RAR archives built in code: RAR 5.0 blocks (rarlab.com/technote.htm: vint fields, file headers with
 * an encryption extra record, the archive encryption header of `rar -hp`) and RAR 1.5–4 blocks
 * (MAIN_HEAD with MHD_PASSWORD, FILE_HEAD stored or compressed, LHD_UNICODE names). Members are stored,
 * since no RAR compressor ships in Debian main; CRCs are real.
 */
import { createCipheriv, createHash, pbkdf2Sync } from 'node:crypto';
import { crc32 } from '../../src/formats/zip/index.js';
import { concatBytes, u16le, u32le } from './bytes.js';

export interface RarFileSpec {
  name: string;
  data: Uint8Array | string;
  encrypted?: boolean;
  /** Mark as compressed (RAR5 method 3 / RAR4 0x33) while storing the bytes as they are. */
  compressed?: boolean;
  /** RAR5 only: really encrypt the stored data (AES-256-CBC, PBKDF2-HMAC-SHA256 key, password check). */
  password?: string;
  /** RAR5 only: dictionary size field (128 KiB << n) of the compression information. */
  dictionaryPower?: number;
  /** RAR5 only: the unpacked size the header claims, instead of the data's length. */
  declaredSize?: number;
}

export interface Rar5Options {
  /** The fake shape of `rar -hp` (random bytes after the encryption header), for detection tests. */
  encryptHeaders?: boolean;
  /** Real `rar -hp`: every header after the archive encryption header is AES-encrypted with this. */
  headerPassword?: string;
  /** log2 of the PBKDF2 iterations (WinRAR writes 15; tests use less to stay fast). */
  kdfCount?: number;
}

const enc = (d: Uint8Array | string) => (typeof d === 'string' ? new TextEncoder().encode(d) : d);

export function vint(v: number): Uint8Array {
  const out: number[] = [];
  do {
    let byte = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) byte |= 0x80;
    out.push(byte);
  } while (v > 0);
  return Uint8Array.from(out);
}

function block5(
  type: number,
  flags: number,
  body: Uint8Array,
  extra: Uint8Array = new Uint8Array(),
  data: Uint8Array = new Uint8Array(),
): Uint8Array {
  const fields = concatBytes([
    vint(type),
    vint(flags | (extra.length ? 1 : 0) | (data.length ? 2 : 0)),
    extra.length ? vint(extra.length) : new Uint8Array(),
    data.length ? vint(data.length) : new Uint8Array(),
    body,
    extra,
  ]);
  const header = concatBytes([vint(fields.length), fields]);
  return concatBytes([u32le(crc32(header)), header, data]);
}

export function buildRar5(files: RarFileSpec[], options: Rar5Options = {}): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.of(0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x01, 0x00)];
  if (options.encryptHeaders) {
    // Archive encryption header: version 0, flags 1 (password check), KDF count 15, salt, check value.
    parts.push(
      block5(
        4,
        0,
        concatBytes([
          vint(0),
          vint(1),
          Uint8Array.of(15),
          new Uint8Array(16).fill(0xaa),
          new Uint8Array(12).fill(0xbb),
        ]),
      ),
    );
    parts.push(Uint8Array.from({ length: 64 }, (_, i) => (i * 97) & 0xff));
    return concatBytes(parts);
  }
  const kdfCount = options.kdfCount ?? 4;
  let seal = (block: Uint8Array) => block;
  if (options.headerPassword !== undefined) {
    const salt = Uint8Array.from({ length: 16 }, (_, i) => (i * 29 + 3) & 0xff);
    const k = rar5Keys(options.headerPassword, salt, kdfCount);
    parts.push(
      block5(4, 0, concatBytes([vint(0), vint(1), Uint8Array.of(kdfCount), salt, k.check])),
    );
    let n = 0;
    // Technote "Archive encryption header": each later header is a 16-byte IV + the AES-256-CBC header.
    seal = (block) => {
      const iv = Uint8Array.from({ length: 16 }, (_, i) => (i * 11 + n++) & 0xff);
      return concatBytes([iv, aesCbc(k.key, iv, block)]);
    };
  }
  parts.push(seal(block5(1, 0, vint(0))));
  for (const f of files) {
    let data = enc(f.data);
    const size = f.declaredSize ?? data.length;
    const name = new TextEncoder().encode(f.name);
    const comp = ((f.compressed ? 3 : 0) << 7) | ((f.dictionaryPower ?? 0) << 10);
    let extra: Uint8Array = new Uint8Array();
    if (f.password !== undefined) {
      const salt = Uint8Array.from({ length: 16 }, (_, i) => (i * 7 + name.length) & 0xff);
      const iv = Uint8Array.from({ length: 16 }, (_, i) => (i * 13 + 1) & 0xff);
      const k = rar5Keys(f.password, salt, kdfCount);
      const record = concatBytes([
        vint(1),
        vint(0),
        vint(1),
        Uint8Array.of(kdfCount),
        salt,
        iv,
        k.check,
      ]);
      extra = concatBytes([vint(record.length), record]);
      data = aesCbc(k.key, iv, data);
    } else if (f.encrypted) {
      extra = concatBytes([
        vint(2 + 1 + 48),
        vint(1),
        vint(0),
        vint(0),
        Uint8Array.of(15),
        new Uint8Array(48),
      ]);
    }
    const body = concatBytes([
      vint(0x4),
      vint(size),
      vint(0x20),
      u32le(crc32(enc(f.data))),
      vint(comp),
      vint(0),
      vint(name.length),
      name,
    ]);
    const block = block5(2, 0, body, extra, data);
    const headerLength = block.length - data.length;
    parts.push(seal(block.subarray(0, headerLength)), block.subarray(headerLength));
  }
  parts.push(seal(block5(5, 0, vint(0))));
  return concatBytes(parts);
}

/**
 * RAR5 keys (unrar crypt5.cpp facts): PBKDF2-HMAC-SHA256 over the UTF-8 password; the AES key after
 * 2^count iterations, the password check after 32 more (its 32 bytes XOR-folded to 8), followed by the
 * first 4 bytes of SHA-256 of those 8.
 */
export function rar5Keys(
  password: string,
  salt: Uint8Array,
  kdfCount: number,
): { key: Uint8Array; check: Uint8Array } {
  const key = new Uint8Array(pbkdf2Sync(password, salt, 2 ** kdfCount, 32, 'sha256'));
  const v2 = pbkdf2Sync(password, salt, 2 ** kdfCount + 32, 32, 'sha256');
  const psw = new Uint8Array(8);
  for (let i = 0; i < 32; i++) psw[i % 8]! ^= v2[i]!;
  const sum = createHash('sha256').update(psw).digest().subarray(0, 4);
  return { key, check: concatBytes([psw, sum]) };
}

/** AES-256-CBC of `plain` zero-padded to 16 bytes. */
function aesCbc(key: Uint8Array, iv: Uint8Array, plain: Uint8Array): Uint8Array {
  const padded = new Uint8Array(Math.ceil(plain.length / 16) * 16);
  padded.set(plain);
  const c = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(padded), c.final()]));
}

function block4(
  type: number,
  flags: number,
  body: Uint8Array,
  data: Uint8Array = new Uint8Array(),
): Uint8Array {
  const size = 7 + body.length;
  const rest = concatBytes([Uint8Array.of(type), u16le(flags), u16le(size), body]);
  return concatBytes([u16le(crc32(rest) & 0xffff), rest, data]);
}

export function buildRar4(
  files: RarFileSpec[],
  options: { encryptHeaders?: boolean } = {},
): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.of(0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x00)];
  parts.push(block4(0x73, options.encryptHeaders ? 0x0080 : 0, new Uint8Array(6)));
  if (options.encryptHeaders)
    return concatBytes([...parts, Uint8Array.from({ length: 64 }, (_, i) => (i * 89) & 0xff)]);
  for (const f of files) {
    const data = enc(f.data);
    const isAscii = /^[\x20-\x7e]*$/.test(f.name);
    // LHD_UNICODE: ASCII fallback, NUL, then RAR's packed UTF-16 (here: flag byte 0b10 per char = raw 16-bit).
    const name = isAscii ? Uint8Array.from(f.name, (c) => c.charCodeAt(0)) : unicodeName(f.name);
    const flags = 0x8000 | (f.encrypted ? 0x04 : 0) | (isAscii ? 0 : 0x200);
    const body = concatBytes([
      u32le(data.length),
      u32le(data.length),
      Uint8Array.of(2),
      u32le(crc32(data)),
      u32le(0x54b94800),
      Uint8Array.of(29, f.compressed ? 0x33 : 0x30),
      u16le(name.length),
      u32le(0x20),
      name,
    ]);
    parts.push(block4(0x74, flags, body, data));
  }
  parts.push(block4(0x7b, 0x4000, new Uint8Array()));
  return concatBytes(parts);
}

function unicodeName(name: string): Uint8Array {
  const out: number[] = [...'x'.repeat(name.length)].map((c) => c.charCodeAt(0));
  out.push(0, 0); // NUL, then HighByte
  for (let i = 0; i < name.length; i += 4) {
    const chunk = name.slice(i, i + 4);
    out.push(0xaa & (0xff << (2 * (4 - chunk.length)))); // 2 (raw 16-bit) for each of up to 4 chars
    for (const c of chunk) out.push(c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8);
  }
  return Uint8Array.from(out);
}
