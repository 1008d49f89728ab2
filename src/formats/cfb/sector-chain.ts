import type { Anomaly, ErrorCode } from '../../core/index.js';
import {
  ENDOFCHAIN,
  FREESECT,
  HEADER_DIFAT_ENTRIES,
  MAXREGSECT,
  MINI_SECTOR_SIZE,
} from './constants.js';
import type { CfbHeader } from './header.js';

/** Fixed-size sectors over some bytes: the file itself (MS-CFB 2.2) or the mini stream (2.4). */
export interface SectorSource {
  /** 'FAT' or 'MiniFAT': which table chains through these sectors, for messages. */
  kind: string;
  sectorSize: number;
  /** Sectors that start inside the bytes; the last one may be short. */
  count: number;
  /** The bytes the sectors lie in, and where sector 0 starts in them: runs are copied in one go. */
  data: Uint8Array;
  base: number;
  /** Bytes of sector `n` (`n < count`), shorter than `sectorSize` when the input ends inside it. */
  read(n: number): Uint8Array;
  /** Byte offset of sector `n` in the file, for anomalies; undefined inside the mini stream. */
  offsetOf(n: number): number | undefined;
}

/** Sector n of a compound file starts at (n + 1) * sectorSize: sector 0 follows the header sector. */
export function fileSectors(bytes: Uint8Array, sectorSize: number): SectorSource {
  const count = Math.max(0, Math.ceil((bytes.length - sectorSize) / sectorSize));
  return {
    kind: 'FAT',
    sectorSize,
    count,
    data: bytes,
    base: sectorSize,
    read: (n) => bytes.subarray((n + 1) * sectorSize, Math.min(bytes.length, (n + 2) * sectorSize)),
    offsetOf: (n) => (n + 1) * sectorSize,
  };
}

/** MS-CFB 2.4: mini sector n starts at n * 64 inside the mini stream (the root entry's stream). */
export function miniSectors(miniStream: Uint8Array): SectorSource {
  return {
    kind: 'MiniFAT',
    sectorSize: MINI_SECTOR_SIZE,
    count: Math.ceil(miniStream.length / MINI_SECTOR_SIZE),
    data: miniStream,
    base: 0,
    read: (n) => miniStream.subarray(n * MINI_SECTOR_SIZE, (n + 1) * MINI_SECTOR_SIZE),
    offsetOf: () => undefined,
  };
}

/**
 * Follows a sector chain (MS-CFB 2.3) for at most `maxSectors` sectors. Stops, with an anomaly, at a
 * repeated sector, a sector past the end of the input, a number the table cannot describe, or a special
 * value inside the chain; the sectors read so far are still returned.
 */
export function walkChain(
  table: Uint32Array,
  source: SectorSource,
  start: number,
  maxSectors: number,
  anomalies: Anomaly[],
  location: string,
): number[] {
  const sectors: number[] = [];
  // SECURITY: the visited set is what makes a looping FAT finite; never walk a chain without it.
  const visited = new Set<number>();
  const report = (code: ErrorCode, message: string, sector?: number): void => {
    const offset = sector === undefined ? undefined : source.offsetOf(sector);
    anomalies.push({
      code,
      message: `${location}: ${message}`,
      location,
      ...(offset === undefined ? {} : { offset }),
    });
  };
  let sector = start;
  while (sectors.length < maxSectors) {
    if (sector === ENDOFCHAIN) break;
    if (sector > MAXREGSECT) {
      report(
        'E_CFB_BAD_CHAIN',
        `${source.kind} chain meets special value 0x${sector.toString(16)}`,
      );
      break;
    }
    if (sector >= source.count) {
      report(
        'E_CFB_CHAIN_PAST_EOF',
        `${source.kind} chain points to sector ${sector} past the end`,
      );
      break;
    }
    if (visited.has(sector)) {
      report('E_CFB_SECTOR_CYCLE', `${source.kind} chain loops back to sector ${sector}`, sector);
      break;
    }
    visited.add(sector);
    sectors.push(sector);
    if (sectors.length >= maxSectors) break;
    const next = table[sector];
    if (next === undefined) {
      report(
        'E_CFB_SECTOR_OUT_OF_RANGE',
        `sector ${sector} has no ${source.kind} entry (table holds ${table.length})`,
        sector,
      );
      break;
    }
    sector = next;
  }
  return sectors;
}

/** Bytes sector `n` (`n < count`) really holds: short only for the last sector of the input. */
export function sectorLength(source: SectorSource, n: number): number {
  const start = source.base + n * source.sectorSize;
  return Math.max(0, Math.min(source.sectorSize, source.data.length - start));
}

/**
 * Copies the bytes of `sectors` into one buffer of at most `length` bytes. Consecutive sectors (most
 * chains) are copied as one run; only the last sector of the input can be short, and it ends a run.
 * With `isView`, bytes that lie in one run are returned as a view of the source instead of a copy:
 * only for the reader's own tables (directory, mini stream), never for a stream handed to callers.
 */
export function readSectors(
  source: SectorSource,
  sectors: number[],
  length: number,
  isView = false,
): Uint8Array {
  const { sectorSize, data, base } = source;
  const wanted = Math.min(length, sectors.length * sectorSize);
  let out: Uint8Array | undefined;
  let at = 0;
  for (let i = 0; i < sectors.length && at < wanted;) {
    const first = sectors[i]!;
    let last = first;
    while (++i < sectors.length && sectors[i] === last + 1) last++;
    const from = base + first * sectorSize;
    const end = Math.min(data.length, base + (last + 1) * sectorSize);
    const take = Math.min(end - from, wanted - at);
    if (isView && at === 0 && (take === wanted || end - base < (last + 1) * sectorSize)) {
      return data.subarray(from, from + take);
    }
    out ??= new Uint8Array(wanted);
    out.set(data.subarray(from, from + take), at);
    at += take;
    // A short sector is the end of the file: nothing after it can be placed correctly.
    if (end - base < (last + 1) * sectorSize) break;
  }
  if (!out) return new Uint8Array(0);
  return at === out.length ? out : out.subarray(0, at);
}

function readTable(source: SectorSource, sectors: number[]): Uint32Array {
  const { sectorSize, data, base } = source;
  const perSector = sectorSize / 4;
  const table = new Uint32Array(sectors.length * perSector).fill(FREESECT);
  for (let i = 0; i < sectors.length; i++) {
    const from = base + sectors[i]! * sectorSize;
    const n = Math.min(perSector, Math.floor(sectorLength(source, sectors[i]!) / 4));
    for (let j = 0, o = from; j < n; j++, o += 4) {
      table[i * perSector + j] =
        (data[o]! | (data[o + 1]! << 8) | (data[o + 2]! << 16) | (data[o + 3]! << 24)) >>> 0;
    }
  }
  return table;
}

/** MS-CFB 2.5: the FAT sector numbers, from the header's 109 DIFAT entries and then the DIFAT chain. */
function collectFatSectors(
  header: CfbHeader,
  source: SectorSource,
  anomalies: Anomaly[],
): number[] {
  let declared = header.numFatSectors;
  if (declared === 0 && (header.difat[0] ?? FREESECT) <= MAXREGSECT) {
    // A zero count with FAT sectors listed is a broken writer, not an empty file: trust the list.
    declared = header.difat.findIndex((sector) => sector > MAXREGSECT);
    if (declared < 0) declared = HEADER_DIFAT_ENTRIES;
    anomalies.push({
      code: 'E_CFB_BAD_HEADER',
      message: `header declares 0 FAT sectors but lists ${declared}`,
      offset: 44,
    });
  }
  // SECURITY: a FAT cannot need more sectors than the file has; the declared count is clamped to that.
  const wanted = Math.min(declared, source.count);
  if (declared > source.count) {
    anomalies.push({
      code: 'E_CFB_BAD_HEADER',
      message: `header declares ${declared} FAT sectors, the file has ${source.count} sectors`,
      offset: 44,
    });
  }
  const fatSectors: number[] = [];
  for (const sector of header.difat.slice(0, Math.min(wanted, HEADER_DIFAT_ENTRIES))) {
    if (sector > MAXREGSECT) break;
    fatSectors.push(sector);
  }
  const perDifat = source.sectorSize / 4 - 1;
  const visited = new Set<number>();
  let difat = header.firstDifatSector;
  while (fatSectors.length < wanted && difat <= MAXREGSECT) {
    if (difat >= source.count || visited.has(difat)) {
      const cycle = visited.has(difat);
      anomalies.push({
        code: cycle ? 'E_CFB_SECTOR_CYCLE' : 'E_CFB_CHAIN_PAST_EOF',
        message: `DIFAT chain ${cycle ? 'loops back to' : 'points past the end at'} sector ${difat}`,
        location: 'DIFAT',
      });
      break;
    }
    visited.add(difat);
    const data = source.read(difat);
    const view = new DataView(data.buffer, data.byteOffset, data.length);
    for (let j = 0; j < perDifat && fatSectors.length < wanted && (j + 1) * 4 <= data.length; j++) {
      const sector = view.getUint32(j * 4, true);
      if (sector <= MAXREGSECT) fatSectors.push(sector);
    }
    difat = data.length >= (perDifat + 1) * 4 ? view.getUint32(perDifat * 4, true) : ENDOFCHAIN;
  }
  if (fatSectors.length < wanted) {
    anomalies.push({
      code: 'E_CFB_BAD_HEADER',
      message: `found ${fatSectors.length} of ${wanted} declared FAT sectors`,
      location: 'DIFAT',
    });
  }
  return fatSectors;
}

/** MS-CFB 2.3: the FAT, as one table of next-sector numbers. Unreadable FAT sectors read as free. */
export function buildFat(
  header: CfbHeader,
  source: SectorSource,
  anomalies: Anomaly[],
): Uint32Array {
  const fatSectors = collectFatSectors(header, source, anomalies).filter((sector) => {
    if (sector < source.count) return true;
    anomalies.push({
      code: 'E_CFB_SECTOR_OUT_OF_RANGE',
      message: `FAT sector ${sector} lies past the end of the file`,
      location: 'FAT',
    });
    return false;
  });
  return readTable(source, fatSectors);
}

/** MS-CFB 2.4: the MiniFAT, read through the FAT from the header's first MiniFAT sector. */
export function buildMiniFat(
  header: CfbHeader,
  fat: Uint32Array,
  source: SectorSource,
  anomalies: Anomaly[],
): Uint32Array {
  if (header.firstMiniFatSector === ENDOFCHAIN || header.firstMiniFatSector === FREESECT) {
    return new Uint32Array(0);
  }
  const declared = header.numMiniFatSectors;
  const max = declared > 0 ? Math.min(declared, source.count) : source.count;
  const sectors = walkChain(fat, source, header.firstMiniFatSector, max, anomalies, 'MiniFAT');
  if (sectors.length < declared) {
    anomalies.push({
      code: 'E_CFB_BAD_HEADER',
      message: `header declares ${declared} MiniFAT sectors, the chain holds ${sectors.length}`,
      location: 'MiniFAT',
    });
  }
  return readTable(source, sectors);
}
