/**
 * 7z archives built in code (7zFormat.txt): one Copy folder holding every file, a plain header or an
 * "encoded" header; and the shape of `7z a -p -mhe=on` (an encoded header behind an AES-256 coder) with
 * random bytes for the ciphertext, since only its detection is tested. CRCs are real, so 7-Zip lists it.
 */
import { crc32 } from '../../src/formats/zip/index.js';
import { concatBytes, u32le, u64le, utf16 } from './bytes.js';

export interface SevenZipSpec {
  files: { name: string; data: Uint8Array | string }[];
  /** Write the header as kEncodedHeader (a Copy folder) instead of kHeader. */
  encodeHeader?: boolean;
}

const SIGNATURE = Uint8Array.of(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4);
const enc = (d: Uint8Array | string) => (typeof d === 'string' ? new TextEncoder().encode(d) : d);

/** 7z NUMBER: the first byte's leading one bits say how many bytes follow. */
export function number7z(v: number): Uint8Array {
  if (v < 0x80) return Uint8Array.of(v);
  for (let n = 1; n < 8; n++) {
    // n extra bytes leave 7 - n value bits in the first byte.
    if (v >= 2 ** (8 * n + 7 - n)) continue;
    const first = ((0xff << (8 - n)) & 0xff) | Math.floor(v / 2 ** (8 * n));
    const rest = Uint8Array.from({ length: n }, (_, i) => Math.floor(v / 2 ** (8 * i)) & 0xff);
    return concatBytes([Uint8Array.of(first), rest]);
  }
  return concatBytes([Uint8Array.of(0xff), u64le(v)]);
}

const N = number7z;

function streamsInfo(
  packPos: number,
  packSize: number,
  coder: Uint8Array,
  unpackSize: number,
  substreams?: number[],
): Uint8Array {
  const parts = [
    Uint8Array.of(0x06),
    N(packPos),
    N(1),
    Uint8Array.of(0x09),
    N(packSize),
    Uint8Array.of(0x00),
    Uint8Array.of(0x07, 0x0b),
    N(1),
    Uint8Array.of(0x00),
    N(1),
    coder,
    Uint8Array.of(0x0c),
    N(unpackSize),
    Uint8Array.of(0x00),
  ];
  if (substreams) {
    parts.push(Uint8Array.of(0x08, 0x0d), N(substreams.length));
    if (substreams.length > 1) parts.push(Uint8Array.of(0x09), ...substreams.slice(0, -1).map(N));
    parts.push(Uint8Array.of(0x00));
  }
  parts.push(Uint8Array.of(0x00));
  return concatBytes(parts);
}

const COPY_CODER = Uint8Array.of(0x01, 0x00);
// AES-256 + SHA-256 with properties (cycles, salt/IV sizes) as 7-Zip writes them.
const AES_CODER = concatBytes([
  Uint8Array.of(0x24, 0x06, 0xf1, 0x07, 0x01),
  N(10),
  Uint8Array.of(0x53, 0x07),
  new Uint8Array(8).fill(0x11),
]);

function signatureHeader(nextOffset: number, header: Uint8Array): Uint8Array {
  const start = concatBytes([u64le(nextOffset), u64le(header.length), u32le(crc32(header))]);
  return concatBytes([SIGNATURE, u32le(crc32(start)), start]);
}

export function buildSevenZip(spec: SevenZipSpec): Uint8Array {
  const datas = spec.files.map((f) => enc(f.data));
  const pack = concatBytes(datas);
  const names = concatBytes(spec.files.map((f) => utf16(`${f.name}\0`)));
  const header = concatBytes([
    Uint8Array.of(0x01, 0x04),
    streamsInfo(
      0,
      pack.length,
      COPY_CODER,
      pack.length,
      datas.map((d) => d.length),
    ),
    Uint8Array.of(0x05),
    N(spec.files.length),
    Uint8Array.of(0x11),
    N(names.length + 1),
    Uint8Array.of(0x00),
    names,
    Uint8Array.of(0x00, 0x00),
  ]);
  if (!spec.encodeHeader) return concatBytes([signatureHeader(pack.length, header), pack, header]);
  const encoded = concatBytes([
    Uint8Array.of(0x17),
    streamsInfo(pack.length, header.length, COPY_CODER, header.length),
  ]);
  return concatBytes([
    signatureHeader(pack.length + header.length, encoded),
    pack,
    header,
    encoded,
  ]);
}

/** What `7z a -pSECRET -mhe=on` writes: file data and the header both behind AES; ciphertext faked. */
export function buildEncryptedHeaderSevenZip(): Uint8Array {
  const cipher = Uint8Array.from({ length: 256 }, (_, i) => (i * 131 + 7) & 0xff);
  const encoded = concatBytes([Uint8Array.of(0x17), streamsInfo(0, cipher.length, AES_CODER, 200)]);
  return concatBytes([signatureHeader(cipher.length, encoded), cipher, encoded]);
}
