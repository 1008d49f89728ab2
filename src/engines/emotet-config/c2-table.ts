import {
  isPlausibleServer,
  portTable,
  EMOTET_C2_PORTS,
  type PlausibilityOptions,
} from './plausible.js';
import { alignedWords, wholeBuffer, type OwnedWindow } from './words.js';

export interface C2Entry {
  ip: string;
  port: number;
  flag: number;
  /** Offset of the entry in the scanned bytes. */
  offset: number;
}

export interface C2Table {
  /** Offset of the first entry (plain), or of the XOR key that opens the encrypted blob (xor). */
  offset: number;
  entries: C2Entry[];
  /** `plain`: the 8-byte LE entries in the clear; `xor`: decrypted from a key/length/data blob. */
  encoding: 'plain' | 'xor';
}

export interface C2TableOptions extends PlausibilityOptions {
  /** Plausible entries in a row before a zero entry; fewer is not reported (default 5). */
  minEntries?: number;
  /** Tables kept per scanned buffer (default 16). */
  maxTables?: number;
  /** Called every few MiB: throws when the artifact's time budget is spent. */
  checkDeadline?: () => void;
}

export const MIN_C2_ENTRIES = 5;
export const MAX_C2_TABLES = 16;
/** Entries kept per table: Emotet's lists hold tens, up to about 200; longer runs are cut. */
export const MAX_C2_ENTRIES = 1024;

/**
 * Finds Emotet-style C2 tables by their shape alone, at any byte alignment: runs of 8-byte entries
 * (IPv4 as a little-endian u32, port u16, flag u16) closed by an all-zero entry, where every entry is a
 * public unicast address on a known C2 port with a flag below 256, at least `minEntries` long and with
 * mostly distinct addresses.
 *
 * Speed: a table is found from its end. The zero entry and the last entry's flag high byte make a run
 * of at least 9 zero bytes, which holds an aligned zero dword whose predecessor is not zero; the last
 * entry's port is not zero, so the zero entry starts 1 to 3 bytes into that run. The scan is one
 * Uint32Array pass looking for such zero-after-non-zero dwords (rare in random data, one per run of
 * zero pages in memory images), and only there are 3 candidate ends tested and a run walked back.
 *
 * Why this does not fire on random data or normal executables: a random 8 bytes pass with probability
 * about 1e-6 (port 21/65536 × flag 1/256 × public 0.85), five in a row plus a zero entry about 1e-50;
 * in executables, tables of (pointer, small int, small int) have pointers that decode to 0.x.x.x or
 * private ranges. Tests hold 50 MB of random bytes and the system's own binaries to that.
 */
export function findC2Tables(bytes: Uint8Array, options: C2TableOptions = {}): C2Table[] {
  return plainTables(bytes, wholeBuffer(bytes), false, options).tables;
}

/**
 * The tables whose zero entry lies in `own` (chunk.ts). `cutBefore`: `bytes` continues a previous
 * chunk, so a run reaching the first 8 bytes may have begun before them and is not reported. `seen`:
 * where in `bytes` valid tables start, reported or not (keys are looked for beside them).
 */
export function plainTables(
  bytes: Uint8Array,
  own: OwnedWindow,
  cutBefore: boolean,
  options: C2TableOptions,
): { tables: C2Table[]; seen: number[] } {
  const scanner = plainScanner(bytes, own, cutBefore, options);
  const { words, head } = alignedWords(bytes);
  for (let from = 0; from < words.length; from += DEADLINE_WORDS) {
    if (from > 0) options.checkDeadline?.();
    const to = Math.min(words.length, from + DEADLINE_WORDS);
    for (let j = nextRunStart(words, from, to); j >= 0; j = nextRunStart(words, j + 1, to))
      scanner.atZeroRun(head + 4 * j);
  }
  return scanner.finish();
}

export interface PlainScanner {
  /** `p`: an aligned zero dword of `bytes` whose preceding dword is not zero (or the first one). */
  atZeroRun(p: number): void;
  finish(): { tables: C2Table[]; seen: number[] };
}

/** plainTables' work at each zero run, for the loop here or the one pass of chunk.ts. */
export function plainScanner(
  bytes: Uint8Array,
  own: OwnedWindow,
  cutBefore: boolean,
  options: C2TableOptions,
): PlainScanner {
  const minEntries = Math.max(2, options.minEntries ?? MIN_C2_ENTRIES);
  const maxTables = options.maxTables ?? MAX_C2_TABLES;
  const ports = portTable(options.ports ?? EMOTET_C2_PORTS);
  const allowDoc = options.allowDocumentationRanges ?? false;
  const minSpan = 8 * minEntries;
  const length = bytes.length;
  // Runs found, as (first entry, end) pairs; owned ones and the others apart.
  const owned: number[] = [];
  const others: number[] = [];
  return {
    atZeroRun(p) {
      let run = p;
      while (run > 0 && run > p - 4 && bytes[run - 1] === 0) run--;
      for (let end = run + 1; end <= run + 3; end++) {
        if (end < minSpan || end + 8 > length) continue;
        if (!isEntry(bytes, end - 8, ports, allowDoc) || !isZeroEntry(bytes, end)) continue;
        let first = end - 8;
        while (first >= 8 && isEntry(bytes, first - 8, ports, allowDoc)) first -= 8;
        if (end - first < minSpan) continue;
        const isOwned = end >= own.from && end < own.to && !(cutBefore && first < 8);
        (isOwned ? owned : others).push(first, end);
      }
    },
    finish() {
      const tables: C2Table[] = [];
      for (const at of discoveryOrder(owned, minEntries)) {
        const table = decodeTable(bytes, owned[at]!, (owned[at + 1]! - owned[at]!) / 8, own.base);
        if (!table) continue;
        tables.push(table);
        if (tables.length >= maxTables) break;
      }
      // Positions of the valid tables not reported here (a neighbour chunk reports them), a few.
      const seen = tables.map((t) => t.offset - own.base);
      for (let at = 0; at < others.length && seen.length < 2 * maxTables; at += 2) {
        const first = others[at]!;
        if (decodeTable(bytes, first, (others[at + 1]! - first) / 8, 0)) seen.push(first);
      }
      return { tables, seen };
    },
  };
}

const DEADLINE_WORDS = 4 * 1024 * 1024;

/**
 * The next index in [from, to) of a zero dword after a non-zero one (or at 0), or −1: the hot loop,
 * as two tight inner loops (over non-zero dwords, then over a zero run) that V8 runs at about 2 GB/s
 * on random data and faster on zero pages.
 */
export function nextRunStart(words: Int32Array, from: number, to: number): number {
  let j = from;
  while (j < to) {
    while (j < to && words[j] !== 0) j++;
    if (j >= to) return -1;
    if (j === 0 || words[j - 1] !== 0) return j;
    while (j < to && words[j] === 0) j++;
  }
  return -1;
}

/**
 * Indexes into `runs` (pairs) in the order the earlier probe-window scan met them, which decides
 * which tables `maxTables` keeps: windows of 8 bytes every 8 × (minEntries − 1) bytes, each run met
 * at its first entry inside a window. Runs of different alignments may interleave, so sort.
 */
function discoveryOrder(runs: number[], minEntries: number): number[] {
  const step = 8 * (minEntries - 1);
  const met = (first: number) => {
    const r = first % step;
    return r < 8 ? first : first - r + step + (first & 7);
  };
  const order = Array.from({ length: runs.length / 2 }, (_, i) => 2 * i);
  return order.sort((a, b) => met(runs[a]!) - met(runs[b]!));
}

function isEntry(bytes: Uint8Array, i: number, ports: Uint8Array, allowDoc: boolean): boolean {
  return (
    ports[bytes[i + 4]! | (bytes[i + 5]! << 8)] === 1 &&
    bytes[i + 7] === 0 &&
    isPlausibleServer(bytes[i + 3]!, bytes[i + 2]!, bytes[i + 1]!, bytes[i]!, allowDoc)
  );
}

function isZeroEntry(bytes: Uint8Array, at: number): boolean {
  for (let k = 0; k < 8; k++) if (bytes[at + k] !== 0) return false;
  return true;
}

function decodeTable(
  bytes: Uint8Array,
  start: number,
  length: number,
  base: number,
): C2Table | undefined {
  const entries: C2Entry[] = [];
  for (let n = 0; n < Math.min(length, MAX_C2_ENTRIES); n++) {
    const at = start + n * 8;
    entries.push({
      ip: `${bytes[at + 3]}.${bytes[at + 2]}.${bytes[at + 1]}.${bytes[at]}`,
      port: bytes[at + 4]! | (bytes[at + 5]! << 8),
      flag: bytes[at + 6]! | (bytes[at + 7]! << 8),
      offset: base + at,
    });
  }
  return c2TableOf(base + start, entries, 'plain');
}

/**
 * The entries as a table when they look like Emotet's list: distinct servers (one address may serve
 * two ports) spread over many networks; sorted lookup tables in ordinary binaries (…221.252.0.0,
 * 222.8.0.0, 222.18.0.0… in a compiler) are not.
 */
export function c2TableOf(
  offset: number,
  entries: C2Entry[],
  encoding: C2Table['encoding'],
): C2Table | undefined {
  const distinct = new Set(entries.map((e) => e.ip)).size;
  const networks = new Set(entries.map((e) => e.ip.slice(0, e.ip.indexOf('.')))).size;
  if (distinct < 3 || distinct * 2 < entries.length || networks < 3) return undefined;
  return { offset, entries, encoding };
}
