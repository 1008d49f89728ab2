import type { Anomaly } from '../../core/index.js';
import { MINI_STREAM_CUTOFF } from './constants.js';
import type { DirectoryEntry } from './directory.js';
import { readSectors, sectorLength, type SectorSource, walkChain } from './sector-chain.js';

interface StreamPlan {
  source: SectorSource;
  sectors: number[];
  length: number;
}

/**
 * Reads streams: regular ones through the FAT, those under the 4096-byte cutoff through the MiniFAT
 * (MS-CFB 2.4). Each stream's chain is walked once and remembered, with its anomalies reported once.
 */
export class StreamReader {
  private readonly plans = new Map<number, StreamPlan>();

  constructor(
    private readonly file: SectorSource,
    private readonly fat: Uint32Array,
    private readonly mini: SectorSource,
    private readonly miniFat: Uint32Array,
    private readonly maxStreamBytes: number,
    private readonly anomalies: Anomaly[],
  ) {}

  /** Walks the stream's chain (once) and returns how many sectors it took. */
  check(entry: DirectoryEntry, path: string): number {
    return this.plan(entry, path).sectors.length;
  }

  read(entry: DirectoryEntry, path: string): Uint8Array {
    if (entry.size === 0) return new Uint8Array(0);
    const { source, sectors, length } = this.plan(entry, path);
    return readSectors(source, sectors, length);
  }

  private plan(entry: DirectoryEntry, path: string): StreamPlan {
    let plan = this.plans.get(entry.id);
    if (!plan) {
      const isMini = entry.size < MINI_STREAM_CUTOFF;
      plan = this.walk(
        entry,
        path,
        isMini ? this.mini : this.file,
        isMini ? this.miniFat : this.fat,
      );
      this.plans.set(entry.id, plan);
    }
    return plan;
  }

  private walk(
    e: DirectoryEntry,
    path: string,
    source: SectorSource,
    table: Uint32Array,
  ): StreamPlan {
    let length = e.size;
    if (length > this.maxStreamBytes) {
      this.anomalies.push({
        code: 'E_CFB_STREAM_TOO_LARGE',
        message: `${path}: declared ${e.size} bytes; reading the first ${this.maxStreamBytes}`,
        location: path,
      });
      length = this.maxStreamBytes;
    }
    // SECURITY: no chain can hold more than the input; clamp before walking so a 4 GiB size costs nothing.
    const wanted = Math.min(length, source.count * source.sectorSize);
    const count = Math.ceil(wanted / source.sectorSize);
    const sectors =
      count === 0 ? [] : walkChain(table, source, e.startSector, count, this.anomalies, path);
    const held = heldBytes(source, sectors);
    if (held < length) {
      this.anomalies.push({
        code: 'E_CFB_STREAM_TRUNCATED',
        message: `${path}: declared ${length} bytes, its ${source.kind} chain holds ${held}`,
        location: path,
      });
    }
    return { source, sectors, length: Math.min(length, held) };
  }
}

/** Bytes the sectors really hold: a short sector (the end of the file) ends the stream there. */
function heldBytes(source: SectorSource, sectors: number[]): number {
  let held = 0;
  for (const sector of sectors) {
    const length = sectorLength(source, sector);
    held += length;
    if (length < source.sectorSize) break;
  }
  return held;
}

/** MS-CFB 2.6.2: the root entry's stream is the mini stream, stored in regular sectors. */
export function readMiniStream(
  root: DirectoryEntry | undefined,
  fat: Uint32Array,
  file: SectorSource,
  anomalies: Anomaly[],
): Uint8Array {
  if (!root || root.size === 0) return new Uint8Array(0);
  const wanted = Math.min(root.size, file.count * file.sectorSize);
  const count = Math.ceil(wanted / file.sectorSize);
  const sectors = walkChain(fat, file, root.startSector, count, anomalies, 'mini stream');
  // The mini stream stays internal (streams in it are copied out on read): a view when contiguous.
  const stream = readSectors(file, sectors, wanted, true);
  if (stream.length < root.size) {
    anomalies.push({
      code: 'E_CFB_STREAM_TRUNCATED',
      message: `mini stream: declared ${root.size} bytes, its chain holds ${stream.length}`,
      location: 'Root Entry',
    });
  }
  return stream;
}
