/**
 * RAR archives built in code: RAR 5.0 blocks (rarlab.com/technote.htm: vint fields, file headers with
 * an encryption extra record, the archive encryption header of `rar -hp`) and RAR 1.5–4 blocks
 * (MAIN_HEAD with MHD_PASSWORD, FILE_HEAD stored or compressed, LHD_UNICODE names). Members are stored,
 * since no RAR compressor ships in Debian main; CRCs are real.
 */
import { crc32 } from '../../src/formats/zip/index.js';
import { concatBytes, u16le, u32le } from './bytes.js';

export interface RarFileSpec {
  name: string;
  data: Uint8Array | string;
  encrypted?: boolean;
  /** Mark as compressed (RAR5 method 3 / RAR4 0x33) while storing the bytes as they are. */
  compressed?: boolean;
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

export function buildRar5(
  files: RarFileSpec[],
  options: { encryptHeaders?: boolean } = {},
): Uint8Array {
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
  parts.push(block5(1, 0, vint(0)));
  for (const f of files) {
    const data = enc(f.data);
    const name = new TextEncoder().encode(f.name);
    const comp = (f.compressed ? 3 : 0) << 7;
    const body = concatBytes([
      vint(0x4),
      vint(data.length),
      vint(0x20),
      u32le(crc32(data)),
      vint(comp),
      vint(0),
      vint(name.length),
      name,
    ]);
    const extra = f.encrypted
      ? concatBytes([
          vint(2 + 1 + 48),
          vint(1),
          vint(0),
          vint(0),
          Uint8Array.of(15),
          new Uint8Array(48),
        ])
      : new Uint8Array();
    parts.push(block5(2, 0, body, extra, data));
  }
  parts.push(block5(5, 0, vint(0)));
  return concatBytes(parts);
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
