import type { Anomaly } from '../../core/index.js';
import { u16, u16be, u32 } from './bin.js';
import {
  MAX_IMAGE_DEPTH,
  MAX_IMAGE_ENTRIES,
  type Extent,
  type ImageEntry,
  type ImageOptions,
} from './types.js';

const SECTOR = 2048;
const TAG = { AVDP: 2, PD: 5, LVD: 6, TD: 8, FSD: 256, FID: 257, FE: 261, EFE: 266 } as const;
const MAX_VDS = 64;

interface UdfVolume {
  partitionStart: number;
  blockSize: number;
  root: number;
  label: string;
}

const tagId = (b: Uint8Array, at: number) => u16(b, at);

/**
 * UDF (ECMA-167 3rd edition / OSTA UDF 2.01), the file system Windows' own ISO writers use, read far
 * enough to list files: AVDP at sector 256 → volume descriptor sequence (partition, logical volume) →
 * file set descriptor → root directory ICB → file identifier descriptors and (extended) file entries.
 * Type 1 partition maps only: UDF 2.50 metadata partitions are reported, not read.
 */
export function readUdfVolume(bytes: Uint8Array, anomalies: Anomaly[]): UdfVolume | undefined {
  const avdp = 256 * SECTOR;
  if (tagId(bytes, avdp) !== TAG.AVDP) {
    anomalies.push({
      code: 'E_UDF_NO_ANCHOR',
      message: 'no anchor volume descriptor at sector 256',
      offset: avdp,
    });
    return undefined;
  }
  const vdsLength = u32(bytes, avdp + 16)!;
  const vdsAt = u32(bytes, avdp + 20)! * SECTOR;
  let partitionStart: number | undefined;
  let blockSize = SECTOR;
  let fsd: number | undefined;
  let label = '';
  for (let i = 0; i < Math.min(MAX_VDS, Math.ceil(vdsLength / SECTOR)); i++) {
    const d = vdsAt + i * SECTOR;
    const id = tagId(bytes, d);
    if (id === undefined || id === TAG.TD) break;
    if (id === TAG.PD) partitionStart = u32(bytes, d + 188)! * SECTOR;
    if (id === TAG.LVD) {
      blockSize = u32(bytes, d + 212) || SECTOR;
      fsd = u32(bytes, d + 248 + 4);
      label = dstring(bytes.subarray(d + 84, d + 84 + 128));
      const mapType = bytes[d + 440];
      if (mapType === 2)
        anomalies.push({
          code: 'E_UDF_UNSUPPORTED',
          message: 'UDF 2.50+ metadata partition not read',
          offset: d + 440,
        });
    }
  }
  if (
    partitionStart === undefined ||
    fsd === undefined ||
    ![512, 1024, 2048, 4096].includes(blockSize)
  ) {
    anomalies.push({
      code: 'E_UDF_BAD_VDS',
      message: 'no partition or logical volume descriptor',
      offset: vdsAt,
    });
    return undefined;
  }
  const fsdAt = partitionStart + fsd * blockSize;
  if (tagId(bytes, fsdAt) !== TAG.FSD) {
    anomalies.push({ code: 'E_UDF_BAD_FSD', message: 'no file set descriptor', offset: fsdAt });
    return undefined;
  }
  return { partitionStart, blockSize, root: u32(bytes, fsdAt + 400 + 4)!, label };
}

/** A (extended) file entry: its type, size and data extents (or embedded data). */
function fileEntry(
  bytes: Uint8Array,
  v: UdfVolume,
  block: number,
): { isDirectory: boolean; size: number; extents: Extent[] } | undefined {
  const at = v.partitionStart + block * v.blockSize;
  const id = tagId(bytes, at);
  if (id !== TAG.FE && id !== TAG.EFE) return undefined;
  const fileType = bytes[at + 16 + 11]!;
  const adType = u16(bytes, at + 16 + 18)! & 7;
  const size = Number(readU64(bytes, at + 56));
  const [eaLenAt, base] = id === TAG.FE ? [168, 176] : [208, 216];
  const eaLen = u32(bytes, at + eaLenAt) ?? 0;
  const adLen = u32(bytes, at + eaLenAt + 4) ?? 0;
  const ads = at + base + eaLen;
  const extents: Extent[] = [];
  if (adType === 3) extents.push({ offset: ads, size: Math.min(adLen, size) });
  else {
    const step = adType === 0 ? 8 : 16;
    for (
      let p = ads;
      p + step <= ads + adLen && p + step <= bytes.length && extents.length < 4096;
      p += step
    ) {
      const raw = u32(bytes, p)!;
      const length = raw & 0x3fffffff;
      if (length === 0) break;
      if (raw >>> 30 === 0)
        extents.push({ offset: v.partitionStart + u32(bytes, p + 4)! * v.blockSize, size: length });
    }
  }
  return { isDirectory: fileType === 4, size, extents };
}

/** Directory tree from the root ICB: FIDs (ECMA-167 4/14.4), each directory read once. */
export function walkUdf(
  bytes: Uint8Array,
  v: UdfVolume,
  anomalies: Anomaly[],
  options: ImageOptions = {},
): { entries: ImageEntry[]; label: string } {
  const maxEntries = options.maxEntries ?? MAX_IMAGE_ENTRIES;
  const maxDepth = options.maxDepth ?? MAX_IMAGE_DEPTH;
  const entries: ImageEntry[] = [];
  const seen = new Set<number>();
  const queue: { block: number; path: string; depth: number }[] = [
    { block: v.root, path: '', depth: 0 },
  ];
  // SECURITY: directories that all claim one huge extent would be rescanned each time; capped in total.
  let scanned = 0;
  const maxScanned = 2 * bytes.length + 1024 * 1024;
  while (queue.length > 0) {
    const dir = queue.shift()!;
    if (seen.has(dir.block)) {
      anomalies.push({
        code: 'E_UDF_DIRECTORY_LOOP',
        message: `directory ${dir.path || '/'} already read`,
        offset: v.partitionStart + dir.block * v.blockSize,
      });
      continue;
    }
    seen.add(dir.block);
    options.checkDeadline?.();
    const fe = fileEntry(bytes, v, dir.block);
    if (!fe) {
      anomalies.push({
        code: 'E_UDF_BAD_ENTRY',
        message: `no file entry for ${dir.path || '/'}`,
        offset: v.partitionStart + dir.block * v.blockSize,
      });
      continue;
    }
    for (const ext of fe.extents) {
      const end = Math.min(bytes.length, ext.offset + ext.size);
      scanned += Math.max(0, end - ext.offset);
      if (scanned > maxScanned) {
        anomalies.push({
          code: 'E_LIMIT_IMAGE_DIRECTORIES',
          message: `directories span more than ${maxScanned} bytes`,
          offset: ext.offset,
        });
        return { entries, label: v.label };
      }
      for (let p = ext.offset; p + 38 <= end;) {
        if (tagId(bytes, p) !== TAG.FID) break;
        const chars = bytes[p + 18]!;
        const nameLen = bytes[p + 19]!;
        const iuLen = u16(bytes, p + 36)!;
        const icb = u32(bytes, p + 20 + 4)!;
        const name = dstring(bytes.subarray(p + 38 + iuLen, p + 38 + iuLen + nameLen));
        p += 4 * Math.ceil((38 + iuLen + nameLen) / 4);
        if (chars & 0x0c || name === '') continue; // deleted or parent
        if (entries.length >= maxEntries) {
          anomalies.push({
            code: 'E_LIMIT_IMAGE_ENTRIES',
            message: `more than ${maxEntries} entries`,
            offset: p,
          });
          return { entries, label: v.label };
        }
        const path = dir.path ? `${dir.path}/${name}` : name;
        const child = fileEntry(bytes, v, icb);
        const isDirectory = (chars & 0x02) !== 0;
        entries.push({
          path,
          isDirectory,
          isHidden: (chars & 0x01) !== 0,
          size: isDirectory ? 0 : (child?.size ?? 0),
          extents: isDirectory || !child ? [] : child.extents,
        });
        if (isDirectory) {
          if (dir.depth + 1 > maxDepth)
            anomalies.push({
              code: 'E_LIMIT_IMAGE_DEPTH',
              message: `${path} is deeper than ${maxDepth} levels`,
              offset: p,
            });
          else queue.push({ block: icb, path, depth: dir.depth + 1 });
        }
      }
    }
  }
  return { entries, label: v.label };
}

/** OSTA CS0 d-characters: compression id 8 (8-bit) or 16 (UTF-16BE), then the characters. */
function dstring(b: Uint8Array): string {
  if (b.length === 0) return '';
  const comp = b[0];
  // A dstring field ends with its used length; a plain identifier has none.
  if (comp === 16) {
    let s = '';
    for (let i = 1; i + 1 < b.length; i += 2) s += String.fromCharCode(u16be(b, i)!);
    return s.replace(/\0.*$/s, '');
  }
  if (comp === 8) return String.fromCharCode(...b.subarray(1)).replace(/\0.*$/s, '');
  return '';
}

function readU64(b: Uint8Array, at: number): number {
  const lo = u32(b, at) ?? 0;
  const hi = u32(b, at + 4) ?? 0;
  return hi * 2 ** 32 + lo;
}
