/**
 * The configuration scan over one chunk of something too large to hold (a raw memory image, a dump's
 * large region): the same finders, with file offsets and an ownership rule so that what two
 * overlapping chunks both see is reported by exactly one of them.
 *
 * Chunks follow each other as [base, base + length) with the next one starting at `base + next`, so
 * `length − next` bytes are seen twice; that overlap must be at least CONFIG_CHUNK_OVERLAP. A chunk
 * reports:
 * - an XOR blob or a key that starts in [0, next) (it ends at most ENCRYPTED_OVERLAP later, so the
 *   chunk sees all of it);
 * - keys only within KEY_REACH of a table it holds (reported by it or, in the overlap, by a
 *   neighbour);
 * - a plain table whose zero entry lies in [TABLE_REACH, next + TABLE_REACH) — [0, …) for the first
 *   chunk: a table is found from its end backwards, and a table of up to MAX_C2_ENTRIES entries
 *   begins at most TABLE_REACH − 8 bytes before its zero entry, so the chunk sees it whole. A run that
 *   still reaches the chunk's first 8 bytes is longer than any kept table and is not reported.
 */
import {
  nextRunStart,
  plainScanner,
  plainTables,
  MAX_C2_ENTRIES,
  type C2Table,
  type C2TableOptions,
} from './c2-table.js';
import {
  encryptedConfig,
  ENCRYPTED_OVERLAP,
  MAX_ENCRYPTED_LIST_BYTES,
  xorScanner,
  type EncryptedFinds,
  type EncryptedOptions,
} from './encrypted.js';
import { keysIn, MAX_KEYS, type ExtractedKey, type KeyOptions } from './keys.js';
import { sharedWords, type OwnedWindow } from './words.js';

/** Bytes from a table's zero entry back to (and past) the first of its MAX_C2_ENTRIES entries. */
const TABLE_REACH = 8 * (MAX_C2_ENTRIES + 1);

/** The overlap chunked callers must keep (a multiple of 8, which keeps XOR blobs 4-aligned too). */
export const CONFIG_CHUNK_OVERLAP = Math.max(ENCRYPTED_OVERLAP, TABLE_REACH + 8);

export interface ConfigChunk {
  /** File offset of the chunk's first byte: every offset found is reported from it. */
  base: number;
  /** Where the next chunk starts, relative to this one (a multiple of 4); omitted for the last. */
  next?: number;
  /** True unless this is the first chunk of its range. */
  hasPrevious?: boolean;
}

export type ConfigScanOptions = C2TableOptions & EncryptedOptions & KeyOptions;

export interface ConfigFinds {
  /** Plain tables, then XOR-decrypted lists. */
  tables: C2Table[];
  /** In offset order; only within KEY_REACH of a table (reported here or by a neighbour). */
  keys: ExtractedKey[];
}

export function scanConfigChunk(
  bytes: Uint8Array,
  chunk: ConfigChunk,
  options: ConfigScanOptions = {},
): ConfigFinds {
  const next = chunk.next ?? bytes.length + 1;
  if (next <= bytes.length && (bytes.length - next < CONFIG_CHUNK_OVERLAP || next % 4 !== 0))
    throw new RangeError(
      `emotet-config: chunk overlap ${bytes.length - next} (next ${next}) must be ≥ ${CONFIG_CHUNK_OVERLAP}, next 4-aligned`,
    );
  const { base } = chunk;
  const plainOwn = { base, from: chunk.hasPrevious ? TABLE_REACH : 0, to: next + TABLE_REACH };
  // XOR blobs are looked for in the overlap too (reported by the next chunk): a list there is still
  // a table beside this chunk's keys.
  const xorOwn = { base, from: 0, to: bytes.length + 1 };
  const cutBefore = chunk.hasPrevious ?? false;
  const { plain, encrypted } = onePass(bytes, plainOwn, xorOwn, cutBefore, options) ?? {
    plain: plainTables(bytes, plainOwn, cutBefore, options),
    encrypted: encryptedConfig(bytes, xorOwn, options),
  };
  const isOwned = (offset: number) => offset - base < next;
  const near = [...plain.seen, ...encrypted.tables.map((t) => t.offset - base)];
  if (near.length === 0) return { tables: [], keys: [] };
  const windows = keyWindows(near, bytes.length);
  const isNear = (offset: number) => windows.some(([from, to]) => offset >= from && offset < to);
  const keys = windows.flatMap(([from, to]) =>
    keysIn(
      bytes.subarray(from, Math.min(bytes.length, to + MAX_KEY_BYTES)),
      { base: base + from, from: 0, to: Math.min(to, next) - from },
      options,
    ),
  );
  for (const key of encrypted.keys) {
    if (isOwned(key.offset) && isNear(key.offset - base)) keys.push(key);
  }
  return {
    tables: [...plain.tables, ...encrypted.tables.filter((t) => isOwned(t.offset))],
    // As many as one buffer gives: maxKeys in the clear and maxKeys decrypted.
    keys: keys.sort((a, b) => a.offset - b.offset).slice(0, 2 * (options.maxKeys ?? MAX_KEYS)),
  };
}

/**
 * Keys are looked for only beside a table: on their own, RSA keys are in every signed binary, and in
 * a memory image a key megabytes away from the table belongs to something else. A loader keeps its
 * keys in the same .data section as its C2 list, a few KiB apart.
 */
export const KEY_REACH = 1024 * 1024;
/** The longest key blob: a 1024-bit PUBLICKEYBLOB or SPKI (under 300 bytes), with room. */
const MAX_KEY_BYTES = 1024;

/** [from, to) within KEY_REACH of a table, merged, in order. */
function keyWindows(tables: number[], length: number): [number, number][] {
  const windows: [number, number][] = [];
  for (const at of [...tables].sort((a, b) => a - b)) {
    const from = Math.max(0, at - KEY_REACH);
    const to = Math.min(length, at + KEY_REACH);
    const last = windows.at(-1);
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else windows.push([from, to]);
  }
  return windows;
}

const DEADLINE_WORDS = 4 * 1024 * 1024;

/**
 * Both scans in one pass over the dwords (what plainTables and encryptedConfig do in two): a zero
 * dword after a non-zero one goes to the plain-table scanner, a non-zero one whose pair decodes to a
 * list length to the XOR scanner. One load stream instead of two: about 1.5× faster than running
 * the two loops. Undefined when `bytes` is not 4-aligned (the two loops then run apart).
 */
function onePass(
  bytes: Uint8Array,
  plainOwn: OwnedWindow,
  xorOwn: OwnedWindow,
  cutBefore: boolean,
  options: ConfigScanOptions,
): { plain: ReturnType<typeof plainTables>; encrypted: EncryptedFinds } | undefined {
  const words = sharedWords(bytes);
  if (!words) return undefined;
  const xor = xorScanner(bytes, words, xorOwn, options);
  if (!xor || xor.first !== 0) return undefined;
  const plain = plainScanner(bytes, plainOwn, cutBefore, options);
  // Dwords up to xor.last have the 3 successors the XOR scanner reads; the rest only zero runs.
  for (let from = 0; from <= xor.last; from += DEADLINE_WORDS) {
    if (from > 0) options.checkDeadline?.();
    const to = Math.min(xor.last, from + DEADLINE_WORDS - 1);
    for (let j = nextEither(words, from, to, xor.minSize); j >= 0;) {
      if (words[j] === 0) plain.atZeroRun(4 * j);
      else xor.atHeader(j);
      j = nextEither(words, j + 1, to, xor.minSize);
    }
  }
  for (let j = nextRunStart(words, xor.last + 1, words.length); j >= 0;) {
    plain.atZeroRun(4 * j);
    j = nextRunStart(words, j + 1, words.length);
  }
  return { plain: plain.finish(), encrypted: xor.found };
}

/** nextRunStart and nextHeader in one loop: the next index in [from, to] either wants, or −1. */
function nextEither(words: Int32Array, from: number, to: number, minSize: number): number {
  const range = MAX_ENCRYPTED_LIST_BYTES - minSize;
  for (let j = from; j <= to; j++) {
    const w = words[j]!;
    if (w === 0) {
      if (j === 0 || words[j - 1] !== 0) return j;
    } else if (((words[j + 1]! ^ w) - minSize) >>> 0 <= range) return j;
  }
  return -1;
}
