/**
 * 7z archives built in code (7zFormat.txt): one Copy folder holding every file, a plain header or an
 * "encoded" header; and the shape of `7z a -p -mhe=on` (an encoded header behind an AES-256 coder) with
 * random bytes for the ciphertext, since only its detection is tested. CRCs are real, so 7-Zip lists it.
 */
import { createCipheriv, createHash } from 'node:crypto';
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

/** kFilesInfo with only kName (7zFormat.txt "FilesInfo"): the names, UTF-16LE, then kEnd, kEnd. */
function filesInfo(fileNames: readonly string[]): Uint8Array {
  const names = concatBytes(fileNames.map((name) => utf16(`${name}\0`)));
  return concatBytes([
    Uint8Array.of(0x05),
    N(fileNames.length),
    Uint8Array.of(0x11),
    N(names.length + 1),
    Uint8Array.of(0x00),
    names,
    Uint8Array.of(0x00, 0x00),
  ]);
}

export function buildSevenZip(spec: SevenZipSpec): Uint8Array {
  const datas = spec.files.map((f) => enc(f.data));
  const pack = concatBytes(datas);
  const header = concatBytes([
    Uint8Array.of(0x01, 0x04),
    streamsInfo(
      0,
      pack.length,
      COPY_CODER,
      pack.length,
      datas.map((d) => d.length),
    ),
    filesInfo(spec.files.map((f) => f.name)),
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

export interface EncryptedSevenZipSpec {
  files: { name: string; data: Uint8Array | string }[];
  password: string;
  /** Also encrypt the header (`7z a -p -mhe=on`): names need the password too. */
  encryptHeader?: boolean;
  /** 2^cyclesPower SHA-256 rounds for the key (7-Zip writes 19; tests use fewer to stay fast). */
  cyclesPower?: number;
  salt?: Uint8Array;
  iv?: Uint8Array;
}

/**
 * 7z with 7zAES (06F10701): one folder [Copy ← AES-256-CBC] holding every file, CRC-32 of each file in
 * SubStreamsInfo; optionally the header itself in a [Copy ← AES] folder with its CRC in UnPackInfo, as
 * `7z a -p -mhe=on` writes it (7-Zip uses LZMA instead of Copy). The key derivation is written out here
 * on its own (SHA-256 over 2^n rounds of salt ‖ UTF-16LE password ‖ 64-bit LE counter), independent of
 * the reader's, so a round trip checks one against the other.
 */
export function buildEncryptedSevenZip(spec: EncryptedSevenZipSpec): Uint8Array {
  const cycles = spec.cyclesPower ?? 6;
  const salt = spec.salt ?? new Uint8Array();
  const iv = spec.iv ?? Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 5) & 0xff);
  const key = sevenZipAesKey(spec.password, salt, cycles);
  const props = concatBytes([
    Uint8Array.of(cycles | (salt.length ? 0x80 : 0) | 0x40),
    Uint8Array.of(((Math.max(1, salt.length) - 1) << 4) | (iv.length - 1)),
    salt,
    iv,
  ]);
  const aesCoder = concatBytes([
    Uint8Array.of(0x24, 0x06, 0xf1, 0x07, 0x01),
    N(props.length),
    props,
  ]);
  const encrypt = (plain: Uint8Array) => {
    const padded = new Uint8Array(Math.ceil(plain.length / 16) * 16 || 16);
    padded.set(plain);
    const c = createCipheriv('aes-256-cbc', key, fixed16(iv)).setAutoPadding(false);
    return new Uint8Array(Buffer.concat([c.update(padded), c.final()]));
  };
  // 7-Zip gives the AES coder the unpadded size too: the decoder drops the padding.
  const folder = (size: number, crc?: number) =>
    concatBytes([
      Uint8Array.of(0x0b),
      N(1),
      Uint8Array.of(0x00),
      N(2),
      COPY_CODER,
      aesCoder,
      N(0),
      N(1),
      Uint8Array.of(0x0c),
      N(size),
      N(size),
      ...(crc === undefined ? [] : [Uint8Array.of(0x0a, 0x01), u32le(crc)]),
      Uint8Array.of(0x00),
    ]);
  const datas = spec.files.map((f) => enc(f.data));
  const plain = concatBytes(datas);
  const pack = encrypt(plain);
  const header = concatBytes([
    Uint8Array.of(0x01, 0x04, 0x06),
    N(0),
    N(1),
    Uint8Array.of(0x09),
    N(pack.length),
    Uint8Array.of(0x00, 0x07),
    folder(plain.length),
    Uint8Array.of(0x08, 0x0d),
    N(datas.length),
    ...(datas.length > 1
      ? [Uint8Array.of(0x09), ...datas.slice(0, -1).map((d) => N(d.length))]
      : []),
    Uint8Array.of(0x0a, 0x01),
    ...datas.map((d) => u32le(crc32(d))),
    Uint8Array.of(0x00, 0x00),
    filesInfo(spec.files.map((f) => f.name)),
  ]);
  if (!spec.encryptHeader) return concatBytes([signatureHeader(pack.length, header), pack, header]);
  const sealed = encrypt(header);
  const encoded = concatBytes([
    Uint8Array.of(0x17, 0x06),
    N(pack.length),
    N(1),
    Uint8Array.of(0x09),
    N(sealed.length),
    Uint8Array.of(0x00, 0x07),
    folder(header.length, crc32(header)),
    Uint8Array.of(0x00),
  ]);
  return concatBytes([
    signatureHeader(pack.length + sealed.length, encoded),
    pack,
    sealed,
    encoded,
  ]);
}

/** 7zAES key: SHA-256 of 2^cycles × (salt ‖ UTF-16LE password ‖ counter as 8 bytes LE). */
export function sevenZipAesKey(password: string, salt: Uint8Array, cycles: number): Uint8Array {
  const pw = utf16(password);
  const hash = createHash('sha256');
  for (let round = 0; round < 2 ** cycles; round++)
    hash.update(concatBytes([salt, pw, u64le(round)]));
  return new Uint8Array(hash.digest());
}

function fixed16(iv: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  out.set(iv.subarray(0, 16));
  return out;
}
