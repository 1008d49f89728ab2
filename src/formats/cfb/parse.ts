import { type Anomaly, ConfigError } from '../../core/index.js';
import { MAX_CFB_DEPTH, MAX_CFB_ENTRIES, OBJECT_ROOT, OBJECT_STORAGE } from './constants.js';
import { type DirectoryEntry, parseDirectory, placeEntries } from './directory.js';
import { parseHeader } from './header.js';
import {
  buildFat,
  buildMiniFat,
  fileSectors,
  miniSectors,
  readSectors,
  walkChain,
} from './sector-chain.js';
import { readMiniStream, StreamReader } from './streams.js';

export interface CfbOptions {
  /** Bytes returned for one stream; longer streams are cut with `E_CFB_STREAM_TOO_LARGE`. Default: the file size. */
  maxStreamBytes?: number;
  /** Directory entries read; the rest are dropped with `E_CFB_TOO_MANY_ENTRIES`. Default `MAX_CFB_ENTRIES`. */
  maxEntries?: number;
}

/** One storage or stream reached from the root. */
export interface CfbEntry {
  /** Directory index (Stream ID, MS-CFB 2.6). */
  id: number;
  /** Full path without the root's name, `/`-separated: `Macros/VBA/ThisDocument`. The root's is ''. */
  path: string;
  name: string;
  type: 'root' | 'storage' | 'stream';
  /** Declared size; for the root, the size of the mini stream. */
  size: number;
  /** CLSID in registry form, when not all zero. */
  clsid?: string;
  startSector: number;
}

/** A parsed compound file. Streams are read on demand from the bytes given to `parseCfb`. */
export interface CfbFile {
  majorVersion: number;
  sectorSize: number;
  /** Entries in tree order: the root first, each storage before its contents. */
  entries: CfbEntry[];
  /**
   * What was wrong with the file. Complete after `parseCfb` for the header, tables, directory and every
   * stream chain, unless `E_CFB_CHAIN_BUDGET` says that the rest is checked (and appended) on read.
   */
  anomalies: Anomaly[];
  /** Case-insensitive path lookup, as Office does (MS-CFB 2.6.4). */
  find(path: string): CfbEntry | undefined;
  /** The bytes of a stream, possibly short when its chain is broken; undefined when not a stream. */
  readStream(path: string): Uint8Array | undefined;
}

const TYPE_NAMES: Record<number, CfbEntry['type']> = {
  [OBJECT_ROOT]: 'root',
  [OBJECT_STORAGE]: 'storage',
};

/**
 * Parses an MS-CFB compound file (.doc, .xls, .ppt, .msg, vbaProject.bin) without trusting it.
 * Throws `FormatError(E_CFB_NOT_CFB)` only when the signature is wrong; every other defect is an anomaly
 * and the readable part is still returned.
 *
 * @example
 * const cfb = parseCfb(bytes);
 * const dir = cfb.readStream('Macros/VBA/dir');
 * for (const a of cfb.anomalies) console.log(a.code, a.message);
 */
export function parseCfb(bytes: Uint8Array, options: CfbOptions = {}): CfbFile {
  const maxEntries = checkOption('maxEntries', options.maxEntries, MAX_CFB_ENTRIES);
  const maxStreamBytes = checkOption('maxStreamBytes', options.maxStreamBytes, bytes.length);
  const anomalies: Anomaly[] = [];
  const header = parseHeader(bytes, anomalies);
  const file = fileSectors(bytes, header.sectorSize);
  const fat = buildFat(header, file, anomalies);
  const dir = walkChain(fat, file, header.firstDirectorySector, file.count, anomalies, 'directory');
  const dirBytes = readSectors(file, dir, dir.length * header.sectorSize, true);
  const raw = parseDirectory(dirBytes, header.majorVersion, maxEntries, anomalies);
  const placed = placeEntries(raw, MAX_CFB_DEPTH, anomalies);
  const miniFat = buildMiniFat(header, fat, file, anomalies);
  const mini = miniSectors(readMiniStream(raw[0], fat, file, anomalies));
  const reader = new StreamReader(file, fat, mini, miniFat, maxStreamBytes, anomalies);

  const entries: CfbEntry[] = placed.map(({ entry, path }, i) => {
    const { id, name, size, clsid, startSector } = entry;
    const type = i === 0 ? 'root' : (TYPE_NAMES[entry.objectType] ?? 'stream');
    // Built literally (no spread): two fixed shapes instead of a generic object copy per entry.
    return clsid
      ? { id, path, name, type, size, clsid, startSector }
      : { id, path, name, type, size, startSector };
  });
  const byPath = new Map<string, CfbEntry>();
  for (const entry of entries) {
    const key = entry.path.toUpperCase();
    if (!byPath.has(key)) byPath.set(key, entry);
  }
  checkChains(entries, raw, reader, file.count + mini.count, anomalies);

  const find = (path: string): CfbEntry | undefined =>
    byPath.get((path.charCodeAt(0) === 0x2f ? path.replace(/^\/+/, '') : path).toUpperCase());
  return {
    majorVersion: header.majorVersion,
    sectorSize: header.sectorSize,
    entries,
    anomalies,
    find,
    readStream(path: string): Uint8Array | undefined {
      const found = find(path);
      const entry = found && raw[found.id];
      if (!found || !entry || found.type !== 'stream') return undefined;
      return reader.read(entry, found.path);
    },
  };
}

/**
 * Walks every stream's chain now so that `anomalies` is complete, within a budget: in a sane file each
 * sector belongs to one chain, so walking far more steps than there are sectors means chains overlap
 * on purpose (many entries sharing one long chain would otherwise cost entries x sectors).
 */
function checkChains(
  entries: CfbEntry[],
  raw: DirectoryEntry[],
  reader: StreamReader,
  sectors: number,
  anomalies: Anomaly[],
): void {
  let budget = 2 * sectors + 1024;
  for (const { id, path, type, size } of entries) {
    const entry = raw[id];
    if (type !== 'stream' || size === 0 || !entry) continue;
    if (budget < 0) {
      anomalies.push({
        code: 'E_CFB_CHAIN_BUDGET',
        message:
          'stream chains overlap far more than a real file; remaining streams are checked on read',
        location: path,
      });
      return;
    }
    budget -= reader.check(entry, path);
  }
}

function checkOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ConfigError('E_CONFIG_LIMIT', `${name} must be a non-negative integer, got ${value}`);
  }
  return value;
}
