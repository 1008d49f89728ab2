import type { Anomaly } from '../../core/index.js';
import { ascii, u16, u32, utf16le } from './bin.js';
import {
  MAX_IMAGE_DEPTH,
  MAX_IMAGE_ENTRIES,
  type DiskImageKind,
  type Extent,
  type ImageEntry,
  type ImageOptions,
} from './types.js';

/** BIOS Parameter Block fields (Microsoft FAT specification 1.03, section 3). */
export interface FatVolume {
  kind: 'fat12' | 'fat16' | 'fat32';
  /** Byte offset of the volume in the image (after an MBR partition table, if any). */
  base: number;
  bytesPerSector: number;
  sectorsPerCluster: number;
  fatOffset: number;
  fatSize: number;
  rootDirOffset: number;
  rootEntries: number;
  rootCluster: number;
  dataOffset: number;
  clusterCount: number;
  label: string;
}

const FAT_PARTITION_TYPES = new Set([0x01, 0x04, 0x06, 0x0b, 0x0c, 0x0e]);

/** A FAT boot sector at `base`, checked field by field so that random data is not taken for a volume. */
export function readBootSector(bytes: Uint8Array, base = 0): FatVolume | undefined {
  const b = bytes.subarray(base, base + 512);
  if (b.length < 512 || b[510] !== 0x55 || b[511] !== 0xaa || !(b[0] === 0xeb || b[0] === 0xe9))
    return undefined;
  const bytesPerSector = u16(b, 11)!;
  const sectorsPerCluster = b[13]!;
  const reserved = u16(b, 14)!;
  const fats = b[16]!;
  const rootEntries = u16(b, 17)!;
  const total = u16(b, 19) || u32(b, 32)!;
  const media = b[21]!;
  const fatSize = u16(b, 22) || u32(b, 36)!;
  const pow2 = (n: number) => n > 0 && (n & (n - 1)) === 0;
  if (
    ![512, 1024, 2048, 4096].includes(bytesPerSector) ||
    !pow2(sectorsPerCluster) ||
    reserved === 0
  )
    return undefined;
  if (fats < 1 || fats > 2 || fatSize === 0 || total === 0 || !(media === 0xf0 || media >= 0xf8))
    return undefined;
  const rootSectors = Math.ceil((rootEntries * 32) / bytesPerSector);
  const firstData = reserved + fats * fatSize + rootSectors;
  if (firstData >= total) return undefined;
  const clusterCount = Math.floor((total - firstData) / sectorsPerCluster);
  const kind = clusterCount < 4085 ? 'fat12' : clusterCount < 65525 ? 'fat16' : 'fat32';
  if (kind === 'fat32' && rootEntries !== 0) return undefined;
  const labelAt = kind === 'fat32' ? 71 : 43;
  return {
    kind,
    base,
    bytesPerSector,
    sectorsPerCluster,
    fatOffset: base + reserved * bytesPerSector,
    fatSize: fatSize * bytesPerSector,
    rootDirOffset: base + (reserved + fats * fatSize) * bytesPerSector,
    rootEntries,
    rootCluster: kind === 'fat32' ? u32(b, 44)! : 0,
    dataOffset: base + firstData * bytesPerSector,
    clusterCount,
    label: ascii(b, labelAt, 11).trim(),
  };
}

/** The FAT volume of an image: at offset 0, or in the first FAT partition of an MBR. */
export function findFatVolume(bytes: Uint8Array): FatVolume | undefined {
  const direct = readBootSector(bytes, 0);
  if (direct) return direct;
  if (bytes[510] !== 0x55 || bytes[511] !== 0xaa) return undefined;
  for (let i = 0; i < 4; i++) {
    const entry = 446 + i * 16;
    if (!FAT_PARTITION_TYPES.has(bytes[entry + 4]!)) continue;
    const lba = u32(bytes, entry + 8)!;
    const volume = lba > 0 ? readBootSector(bytes, lba * 512) : undefined;
    if (volume) return volume;
  }
  return undefined;
}

/** Next cluster in the chain, or undefined at the end of the chain (or on a bad/free mark). */
function nextCluster(bytes: Uint8Array, v: FatVolume, cluster: number): number | undefined {
  let next: number | undefined;
  if (v.kind === 'fat12') {
    const raw = u16(bytes, v.fatOffset + Math.floor(cluster * 1.5));
    next = raw === undefined ? undefined : cluster & 1 ? raw >> 4 : raw & 0xfff;
    return next === undefined || next >= 0xff7 || next < 2 ? undefined : next;
  }
  if (v.kind === 'fat16') {
    next = u16(bytes, v.fatOffset + cluster * 2);
    return next === undefined || next >= 0xfff7 || next < 2 ? undefined : next;
  }
  next = u32(bytes, v.fatOffset + cluster * 4);
  if (next === undefined) return undefined;
  next &= 0x0fffffff;
  return next >= 0x0ffffff7 || next < 2 ? undefined : next;
}

/** The extents of a cluster chain, contiguous clusters merged; a chain longer than the volume loops. */
// SECURITY: every cluster belongs to one file in a real volume, so all chains together are at most the
// clusters in the image; crafted FATs (loops, every file sharing one huge chain) stop at twice that.
interface ChainBudget {
  steps: number;
}

function chainExtents(
  bytes: Uint8Array,
  v: FatVolume,
  first: number,
  maxBytes: number,
  anomalies: Anomaly[],
  budget: ChainBudget,
): Extent[] {
  const clusterBytes = v.bytesPerSector * v.sectorsPerCluster;
  const imageClusters = Math.min(v.clusterCount, Math.ceil(bytes.length / clusterBytes));
  const extents: Extent[] = [];
  let total = 0;
  for (
    let c: number | undefined = first, n = 0;
    c !== undefined && c >= 2 && total < maxBytes;
    c = nextCluster(bytes, v, c), n++
  ) {
    if (n > imageClusters + 1) {
      anomalies.push({
        code: 'E_FAT_CHAIN_LOOP',
        message: `cluster chain from ${first} loops or outruns the image`,
        offset: v.fatOffset,
      });
      break;
    }
    if (--budget.steps < 0) {
      if (budget.steps === -1)
        anomalies.push({
          code: 'E_LIMIT_FAT_CHAINS',
          message: 'cluster chains cover the image more than twice',
          offset: v.fatOffset,
        });
      break;
    }
    const offset = v.dataOffset + (c - 2) * clusterBytes;
    const last = extents[extents.length - 1];
    if (last && last.offset + last.size === offset) last.size += clusterBytes;
    else extents.push({ offset, size: clusterBytes });
    total += clusterBytes;
  }
  return extents;
}

/** Directory entries (FAT spec 6) with long names (7), depth-first; each directory cluster read once. */
export function walkFat(
  bytes: Uint8Array,
  v: FatVolume,
  anomalies: Anomaly[],
  options: ImageOptions = {},
): { entries: ImageEntry[]; kind: DiskImageKind } {
  const maxEntries = options.maxEntries ?? MAX_IMAGE_ENTRIES;
  const maxDepth = options.maxDepth ?? MAX_IMAGE_DEPTH;
  const entries: ImageEntry[] = [];
  const seen = new Set<number>();
  const budget: ChainBudget = {
    steps: 2 * Math.ceil(bytes.length / (v.bytesPerSector * v.sectorsPerCluster)) + 65_536,
  };
  const rootExtents =
    v.kind === 'fat32'
      ? chainExtents(bytes, v, v.rootCluster, 64 * 1024 * 1024, anomalies, budget)
      : [{ offset: v.rootDirOffset, size: v.rootEntries * 32 }];
  const stack: { extents: Extent[]; path: string; depth: number }[] = [
    { extents: rootExtents, path: '', depth: 0 },
  ];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    options.checkDeadline?.();
    let lfn: string[] = [];
    outer: for (const ext of dir.extents) {
      if (seen.has(ext.offset)) {
        anomalies.push({
          code: 'E_FAT_DIRECTORY_LOOP',
          message: `directory ${dir.path || '/'} reuses clusters`,
          offset: ext.offset,
        });
        break;
      }
      seen.add(ext.offset);
      for (let p = ext.offset; p + 32 <= Math.min(bytes.length, ext.offset + ext.size); p += 32) {
        const first = bytes[p]!;
        if (first === 0) break outer;
        const attr = bytes[p + 11]!;
        if (first === 0xe5) {
          lfn = [];
          continue;
        }
        if (attr === 0x0f) {
          const part = utf16le(
            Uint8Array.of(
              ...bytes.subarray(p + 1, p + 11),
              ...bytes.subarray(p + 14, p + 26),
              ...bytes.subarray(p + 28, p + 32),
            ),
          );
          if (first & 0x40) lfn = [];
          lfn.unshift(part.split('\0')[0]!);
          continue;
        }
        const shortName = shortNameAt(bytes, p);
        const name = lfn.length > 0 ? lfn.join('') : shortName;
        lfn = [];
        if (attr & 0x08 || shortName === '.' || shortName === '..') continue;
        if (entries.length >= maxEntries) {
          anomalies.push({
            code: 'E_LIMIT_IMAGE_ENTRIES',
            message: `more than ${maxEntries} entries`,
            offset: p,
          });
          return { entries, kind: v.kind };
        }
        const isDirectory = (attr & 0x10) !== 0;
        const cluster =
          ((v.kind === 'fat32' ? u16(bytes, p + 20)! : 0) << 16) | u16(bytes, p + 26)!;
        const size = isDirectory ? 0 : u32(bytes, p + 28)!;
        const path = dir.path ? `${dir.path}/${name}` : name;
        const extents =
          cluster >= 2
            ? chainExtents(
                bytes,
                v,
                cluster,
                isDirectory ? 64 * 1024 * 1024 : size,
                anomalies,
                budget,
              )
            : [];
        entries.push({
          path,
          isDirectory,
          isHidden: (attr & 0x02) !== 0,
          size,
          extents: isDirectory ? [] : trim(extents, size),
        });
        if (isDirectory && extents.length > 0) {
          if (dir.depth + 1 > maxDepth)
            anomalies.push({
              code: 'E_LIMIT_IMAGE_DEPTH',
              message: `${path} is deeper than ${maxDepth} levels`,
              offset: p,
            });
          else stack.push({ extents, path, depth: dir.depth + 1 });
        }
      }
    }
  }
  return { entries, kind: v.kind };
}

function shortNameAt(bytes: Uint8Array, p: number): string {
  // NTRes bits 3 and 4: Windows shows the 8.3 base or extension in lower case.
  const nt = bytes[p + 12]!;
  const base = ascii(bytes, p, 8).trimEnd()[nt & 0x08 ? 'toLowerCase' : 'toString']();
  const ext = ascii(bytes, p + 8, 3)
    .trimEnd()
    [nt & 0x10 ? 'toLowerCase' : 'toString']();
  return ext ? `${base}.${ext}` : base;
}

/** Extents cut to the file size recorded in the directory entry. */
function trim(extents: Extent[], size: number): Extent[] {
  const out: Extent[] = [];
  let left = size;
  for (const e of extents) {
    if (left <= 0) break;
    out.push({ offset: e.offset, size: Math.min(e.size, left) });
    left -= e.size;
  }
  return out;
}
