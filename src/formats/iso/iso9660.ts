import type { Anomaly } from '../../core/index.js';
import { ascii, u16, u32, ucs2be } from './bin.js';
import {
  MAX_IMAGE_DEPTH,
  MAX_IMAGE_ENTRIES,
  type DiskImageKind,
  type ImageEntry,
  type ImageOptions,
} from './types.js';

export const SECTOR = 2048;
const FIRST_DESCRIPTOR = 16;
const MAX_DESCRIPTORS = 256;

export interface VolumeDescriptors {
  primary?: Uint8Array;
  joliet?: Uint8Array;
  /** BEA01/NSR02/NSR03 in the volume recognition sequence (ECMA-167 2/9): UDF is on the image. */
  hasUdf: boolean;
  hasIso: boolean;
}

/** The volume descriptor set from sector 16 (ISO 9660 8.1): primary, Joliet supplementary, terminator. */
export function readDescriptors(bytes: Uint8Array): VolumeDescriptors {
  const out: VolumeDescriptors = { hasUdf: false, hasIso: false };
  for (let i = 0; i < MAX_DESCRIPTORS; i++) {
    const at = (FIRST_DESCRIPTOR + i) * SECTOR;
    if (at + SECTOR > bytes.length) break;
    const id = ascii(bytes, at + 1, 5);
    const type = bytes[at]!;
    if (id === 'CD001') {
      out.hasIso = true;
      const d = bytes.subarray(at, at + SECTOR);
      if (type === 1 && !out.primary) out.primary = d;
      // Joliet: a supplementary descriptor whose escape sequences name UCS-2 level 1–3 (%/@ %/C %/E).
      if (
        type === 2 &&
        !out.joliet &&
        d[88] === 0x25 &&
        d[89] === 0x2f &&
        [0x40, 0x43, 0x45].includes(d[90]!)
      )
        out.joliet = d;
      if (type === 255) continue; // the UDF recognition sequence follows the terminator
    } else if (/^(?:BEA01|NSR02|NSR03|TEA01)$/.test(id)) {
      if (id.startsWith('NSR')) out.hasUdf = true;
    } else if (out.hasIso || out.hasUdf || i > 4) break;
  }
  return out;
}

interface Pending {
  offset: number;
  size: number;
  path: string;
  depth: number;
}

/**
 * Walks the directory hierarchy of a primary or Joliet descriptor (9.1 directory records), breadth
 * first. Directories are read once each by extent, so a record pointing back at an ancestor ends there.
 */
export function walkIso9660(
  bytes: Uint8Array,
  descriptor: Uint8Array,
  isJoliet: boolean,
  anomalies: Anomaly[],
  options: ImageOptions = {},
): { entries: ImageEntry[]; kind: DiskImageKind; volumeLabel: string } {
  const blockSize = u16(descriptor, 128) || SECTOR;
  const label = isJoliet ? ucs2be(descriptor.subarray(40, 72)) : ascii(descriptor, 40, 32);
  const maxEntries = options.maxEntries ?? MAX_IMAGE_ENTRIES;
  const maxDepth = options.maxDepth ?? MAX_IMAGE_DEPTH;
  const root = descriptor.subarray(156, 156 + 34);
  const entries: ImageEntry[] = [];
  const queue: Pending[] = [
    { offset: u32(root, 2)! * blockSize, size: u32(root, 10)!, path: '', depth: 0 },
  ];
  const seen = new Set<number>();
  let rockRidge = false;
  let open: ImageEntry | undefined;
  let scanned = 0;
  const maxScanned = 2 * bytes.length + 1024 * 1024;
  let full = false;
  while (queue.length > 0 && !full) {
    const dir = queue.shift()!;
    open = undefined;
    if (seen.has(dir.offset)) {
      anomalies.push({
        code: 'E_ISO_DIRECTORY_LOOP',
        message: `directory ${dir.path || '/'} points at a directory already read`,
        offset: dir.offset,
      });
      continue;
    }
    seen.add(dir.offset);
    options.checkDeadline?.();
    const end = Math.min(bytes.length, dir.offset + dir.size);
    // SECURITY: distinct directories may all claim the same huge extent; total directory bytes are capped.
    scanned += Math.max(0, end - dir.offset);
    if (scanned > maxScanned) {
      anomalies.push({
        code: 'E_LIMIT_IMAGE_DIRECTORIES',
        message: `directories span more than ${maxScanned} bytes`,
        offset: dir.offset,
      });
      break;
    }
    if (dir.offset >= bytes.length) {
      anomalies.push({
        code: 'E_ISO_TRUNCATED',
        message: `directory ${dir.path || '/'} past the end of the image`,
        offset: dir.offset,
      });
      continue;
    }
    for (let p = dir.offset; p < end;) {
      const len = bytes[p]!;
      if (len === 0) {
        p = (Math.floor((p - dir.offset) / blockSize) + 1) * blockSize + dir.offset; // records never cross a block
        continue;
      }
      if (len < 34 || p + len > end) {
        anomalies.push({
          code: 'E_ISO_BAD_RECORD',
          message: `directory record of ${len} bytes in ${dir.path || '/'}`,
          offset: p,
        });
        break;
      }
      const rec = bytes.subarray(p, p + len);
      p += len;
      const nameLen = rec[32]!;
      if (33 + nameLen > len) continue;
      const rawName = rec.subarray(33, 33 + nameLen);
      if (nameLen === 1 && rawName[0]! <= 1) continue; // "." and ".."
      const rrName = isJoliet ? undefined : rockRidgeName(rec, 33 + nameLen + ((nameLen + 1) % 2));
      if (rrName) rockRidge = true;
      const name =
        rrName ??
        (isJoliet ? ucs2be(rawName) : ascii(rawName, 0, nameLen))
          .replace(/;\d+$/, '')
          .replace(/\.$/, '');
      const flags = rec[25]!;
      const isDirectory = (flags & 0x02) !== 0;
      const extent = { offset: u32(rec, 2)! * blockSize, size: u32(rec, 10)! };
      const path = dir.path ? `${dir.path}/${name}` : name;
      // Multi-extent files (9.1.6 bit 7): the records of one file follow each other, the last without the bit.
      if (open && open.path === path) {
        open.extents.push(extent);
        open.size += extent.size;
        if (!(flags & 0x80)) open = undefined;
        continue;
      }
      if (entries.length >= maxEntries) {
        anomalies.push({
          code: 'E_LIMIT_IMAGE_ENTRIES',
          message: `more than ${maxEntries} entries`,
          offset: p,
        });
        full = true;
        break;
      }
      const entry: ImageEntry = {
        path,
        isDirectory,
        isHidden: (flags & 0x01) !== 0,
        size: isDirectory ? 0 : extent.size,
        extents: isDirectory ? [] : [extent],
      };
      open = !isDirectory && flags & 0x80 ? entry : undefined;
      entries.push(entry);
      if (isDirectory) {
        if (dir.depth + 1 > maxDepth) {
          anomalies.push({
            code: 'E_LIMIT_IMAGE_DEPTH',
            message: `${path} is deeper than ${maxDepth} levels`,
            offset: extent.offset,
          });
        } else queue.push({ ...extent, path, depth: dir.depth + 1 });
      }
    }
  }
  return {
    entries,
    kind: isJoliet ? 'joliet' : rockRidge ? 'rock-ridge' : 'iso9660',
    volumeLabel: label.replace(/[\0\s]+$/, ''),
  };
}

/** The Rock Ridge NM entry (RRIP 4.1.4) in a record's System Use area: the POSIX file name. */
function rockRidgeName(rec: Uint8Array, start: number): string | undefined {
  let name = '';
  for (let p = start; p + 4 <= rec.length;) {
    const len = rec[p + 2]!;
    if (len < 4 || p + len > rec.length) break;
    if (rec[p] === 0x4e && rec[p + 1] === 0x4d) {
      const flags = rec[p + 4]!;
      if (!(flags & 0x06)) name += new TextDecoder('utf-8').decode(rec.subarray(p + 5, p + len));
      if (!(flags & 0x01)) return name || undefined; // CONTINUE flag clear: the name is complete
    }
    p += len;
  }
  return name || undefined;
}
