import {
  isPlausibleServer,
  portTable,
  EMOTET_C2_PORTS,
  type PlausibilityOptions,
} from './plausible.js';

export interface C2Entry {
  ip: string;
  port: number;
  flag: number;
  /** Offset of the entry in the scanned bytes. */
  offset: number;
}

export interface C2Table {
  offset: number;
  entries: C2Entry[];
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
const DEADLINE_STRIDE = 16 * 1024 * 1024;

/**
 * Finds Emotet-style C2 tables by their shape alone, at any byte alignment: runs of 8-byte entries
 * (IPv4 as a little-endian u32, port u16, flag u16) closed by an all-zero entry, where every entry is a
 * public unicast address on a known C2 port with a flag below 256, at least `minEntries` long and with
 * mostly distinct addresses.
 *
 * Speed: a table of m entries spans 8(m-1)+1 bytes from its first entry start to its last, so it has
 * an entry start in every window of 8 bytes at a multiple of 8(m-1). Only those windows are probed
 * (a quarter of the positions for m = 5); a hit is extended both ways, and each run is walked once.
 *
 * Why this does not fire on random data or normal executables: a random 8 bytes pass with probability
 * about 1e-6 (port 21/65536 × flag 1/256 × public 0.85), five in a row plus a zero entry about 1e-50;
 * in executables, tables of (pointer, small int, small int) have pointers that decode to 0.x.x.x or
 * private ranges. Tests hold 50 MB of random bytes and the system's own binaries to that.
 */
export function findC2Tables(bytes: Uint8Array, options: C2TableOptions = {}): C2Table[] {
  const minEntries = Math.max(2, options.minEntries ?? MIN_C2_ENTRIES);
  const maxTables = options.maxTables ?? MAX_C2_TABLES;
  const ports = portTable(options.ports ?? EMOTET_C2_PORTS);
  const allowDoc = options.allowDocumentationRanges ?? false;
  const isEntry = (i: number): boolean =>
    ports[bytes[i + 4]! | (bytes[i + 5]! << 8)] === 1 &&
    bytes[i + 7] === 0 &&
    isPlausibleServer(bytes[i + 3]!, bytes[i + 2]!, bytes[i + 1]!, bytes[i]!, allowDoc);
  const step = 8 * (minEntries - 1);
  const last = bytes.length - 8;
  // Per alignment, the last position already walked: a run is examined once, however many probes hit it.
  const walked = new Float64Array(8).fill(-1);
  const tables: C2Table[] = [];
  let nextCheck = DEADLINE_STRIDE;
  for (let probe = 0; probe <= last; probe += step) {
    if (probe >= nextCheck) {
      options.checkDeadline?.();
      nextCheck += DEADLINE_STRIDE;
    }
    for (let i = probe; i < probe + 8 && i <= last; i++) {
      if (i <= walked[i & 7]! || !isEntry(i)) continue;
      let first = i;
      while (first - 8 > walked[i & 7]! && first - 8 >= 0 && isEntry(first - 8)) first -= 8;
      let end = i;
      while (end + 8 <= last && isEntry(end + 8)) end += 8;
      walked[i & 7] = end;
      const count = (end - first) / 8 + 1;
      if (count < minEntries || end + 8 > last || !isZeroEntry(bytes, end + 8)) continue;
      const table = decodeTable(bytes, first, count);
      if (!table) continue;
      tables.push(table);
      if (tables.length >= maxTables) return tables;
    }
  }
  return tables;
}

function isZeroEntry(bytes: Uint8Array, at: number): boolean {
  for (let k = 0; k < 8; k++) if (bytes[at + k] !== 0) return false;
  return true;
}

function decodeTable(bytes: Uint8Array, start: number, length: number): C2Table | undefined {
  const entries: C2Entry[] = [];
  for (let n = 0; n < Math.min(length, MAX_C2_ENTRIES); n++) {
    const at = start + n * 8;
    entries.push({
      ip: `${bytes[at + 3]}.${bytes[at + 2]}.${bytes[at + 1]}.${bytes[at]}`,
      port: bytes[at + 4]! | (bytes[at + 5]! << 8),
      flag: bytes[at + 6]! | (bytes[at + 7]! << 8),
      offset: at,
    });
  }
  // Emotet lists distinct servers (one address may serve two ports) spread over many networks; sorted
  // lookup tables in ordinary binaries (…221.252.0.0, 222.8.0.0, 222.18.0.0… in a compiler) are not.
  const distinct = new Set(entries.map((e) => e.ip)).size;
  const networks = new Set(entries.map((e) => e.ip.slice(0, e.ip.indexOf('.')))).size;
  if (distinct < 3 || distinct * 2 < entries.length || networks < 3) return undefined;
  return { offset: start, entries };
}
