/**
 * Encrypted Office documents built in code, as Office writes them ([MS-OFFCRYPTO]): OOXML packages
 * with agile (AES-CBC, SHA-512 spins) and standard (AES-ECB, SHA-1) encryption, BIFF8 workbooks with an
 * RC4 / RC4 CryptoAPI FILEPASS, Word documents with an RC4 CryptoAPI table-stream header and a
 * PowerPoint Current User stream that says "encrypted". Randomness is seeded so fixtures are stable.
 */
import { createHash } from 'node:crypto';
import { concatBytes } from '../../src/core/index.js';
import {
  aesEncrypt,
  agileKey,
  AGILE_SEGMENT,
  binaryRc4Key,
  binaryRc4KeyBase,
  BLOCK_KEYS,
  cryptoApiRc4Key,
  DEFAULT_PASSWORD,
  hmac,
  iteratedHash,
  Rc4,
  standardKey,
} from '../../src/formats/offcrypto/index.js';
import { buildCfb } from './cfb.js';

const u16 = (n: number) => new Uint8Array([n & 0xff, (n >> 8) & 0xff]);
const u32 = (n: number) => new Uint8Array([n, n >>> 8, n >>> 16, n >>> 24].map((b) => b & 0xff));
const u64 = (n: number) => concatBytes([u32(n % 2 ** 32), u32(Math.floor(n / 2 ** 32))]);
const utf16z = (s: string) => {
  const out = new Uint8Array((s.length + 1) * 2);
  for (let i = 0; i < s.length; i++) out.set(u16(s.charCodeAt(i)), i * 2);
  return out;
};
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const sha = (alg: string, ...parts: Uint8Array[]) => {
  const h = createHash(alg);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const fit = (b: Uint8Array, n: number, pad: number) => {
  const out = new Uint8Array(n).fill(pad);
  out.set(b.subarray(0, n));
  return out;
};
const padTo16 = (b: Uint8Array) => fit(b, Math.ceil(b.length / 16) * 16, 0);

/** Deterministic "random" bytes: SHA-256 in counter mode over a seed. */
export function seededBytes(seed: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0, at = 0; at < length; i++, at += 32) {
    out.set(sha('sha256', new TextEncoder().encode(`${seed}:${i}`)).subarray(0, length - at), at);
  }
  return out;
}

/** An encrypted OOXML file is a compound file with these two streams ([MS-OFFCRYPTO] 2.3.4.4). */
function encryptedCfb(encryptionInfo: Uint8Array, encryptedPackage: Uint8Array): Uint8Array {
  return buildCfb({
    streams: [
      { path: 'EncryptionInfo', data: encryptionInfo },
      { path: 'EncryptedPackage', data: encryptedPackage },
    ],
  }).bytes;
}

export interface AgileSpec {
  password?: string;
  /** Default 100,000, what Office writes. */
  spinCount?: number;
  hashAlgorithm?: 'SHA1' | 'SHA256' | 'SHA384' | 'SHA512';
  keyBits?: 128 | 192 | 256;
  seed?: string;
  /** Replace the XML descriptor (hostile tests). */
  mutateXml?: (xml: string) => string;
  /** Write a dataIntegrity HMAC that does not match. */
  hasBadHmac?: boolean;
}

const HASH_NODE: Record<string, string> = {
  SHA1: 'sha1',
  SHA256: 'sha256',
  SHA384: 'sha384',
  SHA512: 'sha512',
};

/** [MS-OFFCRYPTO] 2.3.4.10–2.3.4.15: agile encryption of `plain` (the .docx/.docm ZIP bytes). */
export function encryptAgile(plain: Uint8Array, spec: AgileSpec = {}): Uint8Array {
  const password = spec.password ?? DEFAULT_PASSWORD;
  const spinCount = spec.spinCount ?? 100_000;
  const hashName = spec.hashAlgorithm ?? 'SHA512';
  const hash = HASH_NODE[hashName]!;
  const keyBits = spec.keyBits ?? 256;
  const seed = spec.seed ?? 'agile';
  const hashSize = sha(hash).length;
  const keyDataSalt = seededBytes(`${seed}:keyData`, 16);
  const passwordSalt = seededBytes(`${seed}:password`, 16);
  const secret = seededBytes(`${seed}:secret`, keyBits / 8);
  const verifier = seededBytes(`${seed}:verifier`, 16);
  // (A) the password key encryptor (2.3.4.11–2.3.4.13)
  const h = iteratedHash(hash, passwordSalt, password, spinCount);
  const key = (block: Uint8Array) => agileKey(h, hash, block, keyBits);
  const iv = passwordSalt;
  const encVerifierInput = aesEncrypt(key(BLOCK_KEYS.verifierHashInput), iv, verifier);
  const encVerifierValue = aesEncrypt(
    key(BLOCK_KEYS.verifierHashValue),
    iv,
    padTo16(sha(hash, verifier)),
  );
  const encKeyValue = aesEncrypt(key(BLOCK_KEYS.encryptedKeyValue), iv, padTo16(secret));
  // (B) the package in 4096-byte segments (2.3.4.15)
  const segments: Uint8Array[] = [u64(plain.length)];
  for (let i = 0, at = 0; at < plain.length; i++, at += AGILE_SEGMENT) {
    const segmentIv = sha(hash, keyDataSalt, u32(i)).subarray(0, 16);
    segments.push(aesEncrypt(secret, segmentIv, padTo16(plain.subarray(at, at + AGILE_SEGMENT))));
  }
  const encryptedPackage = concatBytes(segments);
  // (C) data integrity (2.3.4.14)
  const ivFor = (block: Uint8Array) => sha(hash, keyDataSalt, block).subarray(0, 16);
  const hmacKey = seededBytes(`${seed}:hmac`, hashSize);
  const hmacValue = hmac(hash, hmacKey, encryptedPackage);
  if (spec.hasBadHmac) hmacValue[0] = hmacValue[0]! ^ 0xff;
  const encHmacKey = aesEncrypt(secret, ivFor(BLOCK_KEYS.hmacKey), padTo16(hmacKey));
  const encHmacValue = aesEncrypt(secret, ivFor(BLOCK_KEYS.hmacValue), padTo16(hmacValue));
  const params = (salt: Uint8Array) =>
    `saltSize="16" blockSize="16" keyBits="${keyBits}" hashSize="${hashSize}" ` +
    `cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="${hashName}" ` +
    `saltValue="${b64(salt)}"`;
  let xml =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' +
    '<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" ' +
    'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password" ' +
    'xmlns:c="http://schemas.microsoft.com/office/2006/keyEncryptor/certificate">' +
    `<keyData ${params(keyDataSalt)}/>` +
    `<dataIntegrity encryptedHmacKey="${b64(encHmacKey)}" encryptedHmacValue="${b64(encHmacValue)}"/>` +
    '<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password">' +
    `<p:encryptedKey spinCount="${spinCount}" ${params(passwordSalt)} ` +
    `encryptedVerifierHashInput="${b64(encVerifierInput)}" ` +
    `encryptedVerifierHashValue="${b64(encVerifierValue)}" encryptedKeyValue="${b64(encKeyValue)}"/>` +
    '</keyEncryptor></keyEncryptors></encryption>';
  if (spec.mutateXml) xml = spec.mutateXml(xml);
  const info = concatBytes([u16(4), u16(4), u32(0x40), new TextEncoder().encode(xml)]);
  return encryptedCfb(info, encryptedPackage);
}

export interface StandardSpec {
  password?: string;
  keyBits?: 128 | 192 | 256;
  seed?: string;
}

const AES_ALG_ID: Record<number, number> = { 128: 0x660e, 192: 0x660f, 256: 0x6610 };
const AES_CSP = 'Microsoft Enhanced RSA and AES Cryptographic Provider';

/** [MS-OFFCRYPTO] 2.3.4.5: standard encryption (AES-ECB, 50,000 SHA-1 rounds), version 4.2. */
export function encryptStandard(plain: Uint8Array, spec: StandardSpec = {}): Uint8Array {
  const password = spec.password ?? DEFAULT_PASSWORD;
  const keyBits = spec.keyBits ?? 128;
  const seed = spec.seed ?? 'standard';
  const salt = seededBytes(`${seed}:salt`, 16);
  const verifier = seededBytes(`${seed}:verifier`, 16);
  const key = standardKey(salt, password, keyBits);
  const header = concatBytes([
    u32(0x24), // fCryptoAPI | fAES
    u32(0),
    u32(AES_ALG_ID[keyBits]!),
    u32(0x8004),
    u32(keyBits),
    u32(0x18), // PROV_RSA_AES
    u32(0),
    u32(0),
    utf16z(AES_CSP),
  ]);
  const info = concatBytes([
    u16(4),
    u16(2),
    u32(0x24),
    u32(header.length),
    header,
    u32(16),
    salt,
    aesEncrypt(key, null, verifier),
    u32(20),
    aesEncrypt(key, null, padTo16(fit(sha('sha1', verifier), 32, 0))),
  ]);
  const encryptedPackage = concatBytes([u64(plain.length), aesEncrypt(key, null, padTo16(plain))]);
  return encryptedCfb(info, encryptedPackage);
}

// ---------------------------------------------------------------------------------------------------
// Binary formats: BIFF8 workbooks and Word documents with RC4.

export interface BiffRecord {
  type: number;
  data: Uint8Array;
}

const record = (type: number, data: Uint8Array): BiffRecord => ({ type, data });
const latin1 = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0) & 0xff));

/** XLUnicodeString (8-bit form): cch (u16), fHighByte 0, characters ([MS-XLS] 2.5.294). */
const xlString = (s: string) => concatBytes([u16(s.length), new Uint8Array([0]), latin1(s)]);

/**
 * A small BIFF8 workbook: globals (BOF, BOUNDSHEET of a very hidden Excel 4.0 macro sheet, EOF) and the
 * macro sheet (BOF, a LABEL cell holding `cellText`, EOF). BOUNDSHEET.lbPlyPos points at the sheet BOF.
 */
export function buildBiff8Workbook(cellText: string, sheetName = 'Macro1'): BiffRecord[] {
  const bof = (dt: number) =>
    record(
      0x0809,
      concatBytes([u16(0x0600), u16(dt), u16(0x0dbb), u16(0x07cc), u32(0), u32(0x06)]),
    );
  return [
    bof(0x0005),
    record(0x0042, u16(1252)), // CODEPAGE
    // BoundSheet8: lbPlyPos (patched by serializeBiff), hsState 2 = very hidden, dt 1 = macro sheet
    record(
      0x0085,
      concatBytes([u32(0), new Uint8Array([0x02, 0x01]), xlString(sheetName).subarray(2)]),
    ),
    record(0x000a, new Uint8Array(0)),
    bof(0x0040),
    record(0x0204, concatBytes([u16(0), u16(0), u16(0x0f), xlString(cellText)])), // LABEL A1
    record(0x000a, new Uint8Array(0)),
  ];
}

/** Serializes records, pointing each BOUNDSHEET at the next substream's BOF in order. */
export function serializeBiff(records: BiffRecord[]): Uint8Array {
  const offsets: number[] = [];
  let at = 0;
  for (const r of records) {
    offsets.push(at);
    at += 4 + r.data.length;
  }
  const sheetBofs = records
    .map((r, i) => (r.type === 0x0809 && i > 0 ? offsets[i]! : -1))
    .filter((o) => o >= 0);
  let sheet = 0;
  return concatBytes(
    records.flatMap((r) => {
      const data = r.data.slice();
      if (r.type === 0x0085) data.set(u32(sheetBofs[sheet++] ?? 0), 0);
      return [u16(r.type), u16(data.length), data];
    }),
  );
}

export interface EncryptedXlsSpec {
  password?: string;
  method?: 'rc4-cryptoapi' | 'rc4';
  /** CryptoAPI key size in bits (40 is what Excel 2003 writes by default). */
  keyBits?: number;
  seed?: string;
}

const NEVER_ENCRYPTED = new Set([0x0809, 0x002f, 0x0194, 0x0195, 0x00e1, 0x0196, 0x0138]);

/** FILEPASS data for RC4 (1.1, 2.3.6.1) or RC4 CryptoAPI (4.2, 2.3.5.1), and the block key function. */
function rc4FilePass(spec: EncryptedXlsSpec): {
  data: Uint8Array;
  keys: (b: number) => Uint8Array;
} {
  const password = spec.password ?? DEFAULT_PASSWORD;
  const seed = spec.seed ?? 'xls';
  const salt = seededBytes(`${seed}:salt`, 16);
  const verifier = seededBytes(`${seed}:verifier`, 16);
  if (spec.method === 'rc4') {
    const base = binaryRc4KeyBase(salt, password);
    const keys = (b: number) => binaryRc4Key(base, b);
    const rc4 = new Rc4(keys(0));
    const enc = rc4.process(concatBytes([verifier, sha('md5', verifier)]));
    return { data: concatBytes([u16(1), u16(1), u16(1), salt, enc]), keys };
  }
  const keyBits = spec.keyBits ?? 128;
  const keys = (b: number) => cryptoApiRc4Key(salt, password, keyBits, b);
  const enc = new Rc4(keys(0)).process(concatBytes([verifier, sha('sha1', verifier)]));
  const header = concatBytes([
    u32(0x04), // fCryptoAPI
    u32(0),
    u32(0x6801), // RC4
    u32(0x8004),
    u32(keyBits),
    u32(0x01), // PROV_RSA_FULL
    u32(0),
    u32(0),
    utf16z('Microsoft Enhanced Cryptographic Provider v1.0'),
  ]);
  const info = concatBytes([
    u32(0x04),
    u32(header.length),
    header,
    u32(16),
    salt,
    enc.subarray(0, 16),
    u32(20),
    enc.subarray(16),
  ]);
  return { data: concatBytes([u16(1), u16(4), u16(2), info]), keys };
}

/**
 * The Workbook stream encrypted as Excel does ([MS-XLS] 2.2.10): FILEPASS after the globals BOF, record
 * data RC4-encrypted with a key per 1024-byte block of stream offsets, headers and BOF/FILEPASS/… clear,
 * BOUNDSHEET.lbPlyPos clear. Returns the plaintext (with FILEPASS zeroed, as decryption leaves it) too.
 */
export function encryptWorkbookStream(
  records: BiffRecord[],
  spec: EncryptedXlsSpec = {},
): { encrypted: Uint8Array; expectedPlain: Uint8Array } {
  const pass = rc4FilePass(spec);
  const withPass = [records[0]!, record(0x002f, pass.data), ...records.slice(1)];
  const plain = serializeBiff(withPass);
  const encrypted = plain.slice();
  const expectedPlain = plain.slice();
  let at = 0;
  for (const r of withPass) {
    const dataAt = at + 4;
    const end = dataAt + r.data.length;
    if (r.type === 0x002f) expectedPlain.fill(0, at, at + 2);
    if (r.type === 0x002f) expectedPlain.fill(0, dataAt, end);
    const from = r.type === 0x0085 ? dataAt + 4 : dataAt;
    if (!NEVER_ENCRYPTED.has(r.type)) {
      for (let p = from; p < end; p++) {
        // Independent of the reader's block logic: re-key for every byte's block, skip to its position.
        const block = Math.floor(p / 1024);
        const keystream = new Rc4(pass.keys(block)).process(new Uint8Array((p % 1024) + 1));
        encrypted[p] = encrypted[p]! ^ keystream[p % 1024]!;
      }
    }
    at = end;
  }
  return { encrypted, expectedPlain };
}

/** A compound-file .xls around an encrypted Workbook stream. */
export function buildEncryptedXls(
  cellText: string,
  spec: EncryptedXlsSpec = {},
): { bytes: Uint8Array; expectedWorkbook: Uint8Array } {
  const { encrypted, expectedPlain } = encryptWorkbookStream(buildBiff8Workbook(cellText), spec);
  const bytes = buildCfb({ streams: [{ path: 'Workbook', data: encrypted }] }).bytes;
  return { bytes, expectedWorkbook: expectedPlain };
}

/**
 * A .doc whose WordDocument and 1Table are RC4 CryptoAPI encrypted ([MS-DOC] 2.2.6.2): FibBase with
 * fEncrypted, fWhichTblStm and lKey; the encryption header at the start of 1Table; 512-byte blocks.
 */
export function buildEncryptedDoc(
  text: string,
  spec: Omit<EncryptedXlsSpec, 'method'> = {},
): { bytes: Uint8Array; expectedText: string } {
  const pass = rc4FilePass({ ...spec, method: 'rc4-cryptoapi' });
  const header = pass.data.subarray(2); // EncryptionVersionInfo onwards
  const word = new Uint8Array(0x200 + text.length);
  word.set(u16(0xa5ec), 0);
  word.set(u16(0x00c1), 2);
  word.set(u16(0x0100 | 0x0200), 0x0a); // fEncrypted | fWhichTblStm
  word.set(u32(header.length), 0x0e);
  word.set(latin1(text), 0x200);
  const table = concatBytes([header, new Uint8Array(256).fill(0x41)]);
  const encryptStream = (plain: Uint8Array, clear: number) => {
    const out = plain.slice();
    for (let block = 0; block * 512 < out.length; block++) {
      const part = out.subarray(block * 512, (block + 1) * 512);
      new Rc4(pass.keys(block)).process(part);
    }
    out.set(plain.subarray(0, clear));
    return out;
  };
  const bytes = buildCfb({
    streams: [
      { path: 'WordDocument', data: encryptStream(word, 0x44) },
      { path: '1Table', data: encryptStream(table, header.length) },
    ],
  }).bytes;
  return { bytes, expectedText: text };
}

/** A .ppt-shaped compound file whose Current User stream carries the "encrypted" header token. */
export function buildEncryptedPptShell(): Uint8Array {
  const atom = concatBytes([
    u16(0x0000),
    u16(0x0ff6),
    u32(0x14 + 8),
    u32(0x14),
    u32(0xf3d1c4df), // headerToken: encrypted (MS-PPT 2.3.2)
    u32(0),
    u16(0),
    u16(0x03f4),
    new Uint8Array([3, 0]),
    u16(0),
  ]);
  return buildCfb({
    streams: [
      { path: 'Current User', data: atom },
      { path: 'PowerPoint Document', data: new Uint8Array(64) },
    ],
  }).bytes;
}
