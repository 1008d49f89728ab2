/**
 * Emotet's XOR-encrypted configuration blobs, as CAPE's Emotet parser (kevoreilly/CAPEv2,
 * modules/processing/parsers/CAPE/Emotet.py) decodes them from unpacked 32-bit loaders: in .data, a
 * u32 XOR key, then the plaintext length XOR the key, then the plaintext XORed dword by dword with the
 * key (little-endian). Epoch 4/5 loaders keep the C2 list this way — entries of 8 bytes, the IPv4
 * address and the port big-endian (network order), then two bytes — and their ECK1/ECS1 key blobs
 * (72 bytes); epoch 1–3 loaders kept their RSA key so (a PKCS#1 RSAPublicKey, 106 bytes for RSA-768)
 * beside a plain C2 table.
 *
 * Found by shape alone: at every 4-byte-aligned offset (sections and memory pages are aligned), the
 * decoded length must be one a C2 list or key can have, and the decoded content must validate (every
 * entry a public server on a known port; the key on P-256 or a well-formed RSA key). Nothing else is
 * tried, so a 1 GiB buffer costs two loads and a compare per aligned dword.
 */
import { c2TableOf, type C2Entry, type C2Table } from './c2-table.js';
import { keyAt, type ExtractedKey, type KeyOptions } from './keys.js';
import {
  isPlausibleServer,
  portTable,
  EMOTET_C2_PORTS,
  type PlausibilityOptions,
} from './plausible.js';
import { littleEndianWords, wholeBuffer, type OwnedWindow } from './words.js';

export interface EncryptedOptions extends PlausibilityOptions, Omit<KeyOptions, 'maxKeys'> {
  minEntries?: number;
  maxTables?: number;
  maxKeys?: number;
}

/** Bytes of the longest C2 list decoded (1,024 entries; Emotet's held tens, up to about 200). */
export const MAX_ENCRYPTED_LIST_BYTES = 8 * 1024;
/**
 * Overlap a chunked caller keeps between chunks so that no blob is cut: the header and the longest
 * list. A blob that runs past the end of `bytes` is not decoded (it is found in the next chunk).
 */
export const ENCRYPTED_OVERLAP = 8 + MAX_ENCRYPTED_LIST_BYTES;
const ECC_BLOB_BYTES = 72;
const MIN_RSA_BLOB_BYTES = 0x40;
const MAX_RSA_BLOB_BYTES = 0x90;

export interface EncryptedFinds {
  tables: C2Table[];
  keys: ExtractedKey[];
}

/** Decrypts every blob whose key and length header lead to a valid C2 list or public key. */
export function findEncryptedConfig(
  bytes: Uint8Array,
  options: EncryptedOptions & { checkDeadline?: () => void } = {},
): EncryptedFinds {
  return encryptedConfig(bytes, wholeBuffer(bytes), options);
}

/**
 * The blobs whose key dword lies in `own` (chunk.ts), offsets reported from `own.base`. The scan is a
 * Uint32Array pass with one xor, subtract and compare per aligned dword: the decoded length must fall
 * in [8 × minEntries, MAX_ENCRYPTED_LIST_BYTES], which random or code bytes do about once in 500,000.
 */
export function encryptedConfig(
  bytes: Uint8Array,
  own: OwnedWindow,
  options: EncryptedOptions & { checkDeadline?: () => void },
): EncryptedFinds {
  const words = littleEndianWords(bytes);
  const scanner = xorScanner(bytes, words, own, options);
  if (!scanner) return { tables: [], keys: [] };
  const { first, last, minSize } = scanner;
  for (let from = first; from <= last; from += DEADLINE_WORDS) {
    if (from > first) options.checkDeadline?.();
    const to = Math.min(last, from + DEADLINE_WORDS - 1);
    for (
      let j = nextHeader(words, from, to, minSize);
      j >= 0;
      j = nextHeader(words, j + 1, to, minSize)
    )
      scanner.atHeader(j);
  }
  return scanner.found;
}

export interface XorScanner {
  /** Dword indexes to look at (owned keys with 16 bytes after them), inclusive. */
  first: number;
  last: number;
  minSize: number;
  /** `j`: a dword whose pair decodes to a length in [minSize, MAX_ENCRYPTED_LIST_BYTES] (nextHeader). */
  atHeader(j: number): void;
  found: EncryptedFinds;
}

/** encryptedConfig's work at each candidate header; undefined when nothing can be found. */
export function xorScanner(
  bytes: Uint8Array,
  words: Int32Array,
  own: OwnedWindow,
  options: EncryptedOptions,
): XorScanner | undefined {
  const minEntries = Math.max(2, options.minEntries ?? 5);
  const maxTables = options.maxTables ?? 16;
  const maxKeys = options.maxKeys ?? 8;
  const ports = portTable(options.ports ?? EMOTET_C2_PORTS);
  const allowDoc = options.allowDocumentationRanges ?? false;
  const found: EncryptedFinds = { tables: [], keys: [] };
  const minSize = 8 * minEntries;
  if (minSize > MAX_ENCRYPTED_LIST_BYTES || bytes.length < 16) return undefined;
  const first = Math.ceil(Math.max(0, own.from) / 4);
  // A blob needs 16 bytes from its key on, and only owned keys are looked at.
  const last = Math.min((bytes.length - 16) >> 2, Math.ceil(own.to / 4) - 1);
  const atHeader = (j: number): void => {
    const key = words[j]!;
    const size = words[j + 1]! ^ key;
    const at = 4 * j;
    if (at + 8 + size > bytes.length) return;
    // The first plaintext dword: what every key format and the first list entry start with.
    const head = words[j + 2]! ^ key;
    if (isKeySize(size) && found.keys.length < maxKeys && mayStartKey(head)) {
      const k = keyAt(xorDwords(bytes, at + 8, size, key >>> 0), 0, options);
      if (k) {
        found.keys.push({ ...k, offset: own.base + at, encoding: 'xor' });
        return;
      }
      // Not a key: a list of 8 to 18 entries has a length in the same range.
    }
    if ((size & 7) !== 0 || found.tables.length >= maxTables) return;
    // Cheap test on the first entry (address and port in network order) before decoding the list.
    const port = (words[j + 3]! ^ key) & 0xffff;
    if (ports[((port & 0xff) << 8) | (port >> 8)] !== 1) return;
    const [a, b, c, d] = [head & 0xff, (head >> 8) & 0xff, (head >> 16) & 0xff, head >>> 24];
    if (!isPlausibleServer(a, b, c, d, allowDoc)) return;
    const plain = xorDwords(bytes, at + 8, size, key >>> 0);
    const table = decodeList(plain, own.base + at, ports, allowDoc);
    if (table) found.tables.push(table);
  };
  return { first, last, minSize, atHeader, found };
}

const DEADLINE_WORDS = 1024 * 1024;

/**
 * The next dword index in [from, to] whose pair (key, length ^ key) decodes to a length in
 * [minSize, MAX_ENCRYPTED_LIST_BYTES] with a non-zero key, or −1. The hot loop, kept apart so that it
 * stays small: one unsigned compare for both bounds (two compares mispredict on random data and cost
 * 3×).
 */
export function nextHeader(words: Int32Array, from: number, to: number, minSize: number): number {
  const range = MAX_ENCRYPTED_LIST_BYTES - minSize;
  for (let j = from; j <= to; j++) {
    if (((words[j + 1]! ^ words[j]!) - minSize) >>> 0 <= range && words[j] !== 0) return j;
  }
  return -1;
}

function isKeySize(size: number): boolean {
  return size === ECC_BLOB_BYTES || (size >= MIN_RSA_BLOB_BYTES && size <= MAX_RSA_BLOB_BYTES);
}

/**
 * What keyAt can accept at a blob's start (little-endian first dword): `?C?1` (BCRYPT_ECCKEY_BLOB
 * magic, the byte keyAt does not test left open), a DER SEQUENCE (PKCS#1 or SPKI) or PUBLICKEYBLOB's
 * bType 06. Anything else is not decrypted.
 */
function mayStartKey(head: number): boolean {
  const b0 = head & 0xff;
  return b0 === 0x30 || b0 === 0x06 || (head & 0xff00ff00) === 0x31004300;
}

/** `size` bytes at `start` XORed with the little-endian key dword by dword (a last partial dword too). */
export function xorDwords(bytes: Uint8Array, start: number, size: number, key: number): Uint8Array {
  const out = bytes.slice(start, start + size);
  const k = [key & 0xff, (key >>> 8) & 0xff, (key >>> 16) & 0xff, key >>> 24];
  for (let i = 0; i < out.length; i++) out[i]! ^= k[i & 3]!;
  return out;
}

/** Entries in network order; every one must be a plausible server on a known port. */
function decodeList(
  plain: Uint8Array,
  blobOffset: number,
  ports: Uint8Array,
  allowDoc: boolean,
): C2Table | undefined {
  const entries: C2Entry[] = [];
  for (let i = 0; i + 8 <= plain.length; i += 8) {
    const [a, b, c, d] = [plain[i]!, plain[i + 1]!, plain[i + 2]!, plain[i + 3]!];
    const port = (plain[i + 4]! << 8) | plain[i + 5]!;
    if (ports[port] !== 1 || !isPlausibleServer(a, b, c, d, allowDoc)) return undefined;
    entries.push({
      ip: `${a}.${b}.${c}.${d}`,
      port,
      flag: (plain[i + 6]! << 8) | plain[i + 7]!,
      offset: blobOffset + 8 + i,
    });
  }
  return c2TableOf(blobOffset, entries, 'xor');
}
