import type { Anomaly } from '../../core/index.js';
import { findFatVolume, walkFat } from './fat.js';
import { readDescriptors, walkIso9660 } from './iso9660.js';
import type { DiskImage, DiskImageKind, ImageEntry, ImageOptions } from './types.js';
import { readUdfVolume, walkUdf } from './udf.js';

/** True when `bytes` hold a FAT volume (boot sector at 0 or in the first MBR partition). */
export function isFatImage(bytes: Uint8Array): boolean {
  return findFatVolume(bytes) !== undefined;
}

/**
 * Lists the files of a disk image: ISO 9660 (primary, Rock Ridge or Joliet names), UDF, or a FAT12/16/32
 * volume (`.img`). On an ISO/UDF bridge image both trees are read and merged, since Windows mounts the
 * UDF tree and other tools show the ISO one: a file present in only one of them is listed too, and two
 * trees that disagree on a file's data are an anomaly.
 *
 * @example
 * parseDiskImage(bytes).entries.filter((e) => !e.isDirectory).map((e) => e.path) // ['invoice.lnk', 'x/y.dll']
 */
export function parseDiskImage(bytes: Uint8Array, options: ImageOptions = {}): DiskImage {
  const anomalies: Anomaly[] = [];
  const image: DiskImage = { kind: undefined, filesystems: [], entries: [], anomalies };
  const vd = readDescriptors(bytes);
  if (vd.primary) {
    const primary = walkIso9660(bytes, vd.primary, false, anomalies, options);
    image.filesystems.push('iso9660');
    let tree = primary;
    if (vd.joliet) {
      image.filesystems.push('joliet');
      if (primary.kind !== 'rock-ridge')
        tree = walkIso9660(bytes, vd.joliet, true, anomalies, options);
    }
    if (primary.kind === 'rock-ridge') image.filesystems.push('rock-ridge');
    image.kind = tree.kind;
    image.entries = tree.entries;
    if (tree.volumeLabel) image.volumeLabel = tree.volumeLabel;
  }
  if (vd.hasUdf) {
    image.filesystems.push('udf');
    const volume = readUdfVolume(bytes, anomalies);
    if (volume) {
      const udf = walkUdf(bytes, volume, anomalies, options);
      mergeTrees(image, udf.entries, anomalies);
      if (!image.kind) image.kind = 'udf';
      if (!image.volumeLabel && udf.label) image.volumeLabel = udf.label;
    }
  }
  if (!vd.hasIso && !vd.hasUdf) {
    const fat = findFatVolume(bytes);
    if (fat) {
      const tree = walkFat(bytes, fat, anomalies, options);
      image.kind = tree.kind;
      image.filesystems.push(tree.kind as DiskImageKind);
      image.entries = tree.entries;
      if (fat.label && fat.label !== 'NO NAME') image.volumeLabel = fat.label;
    } else {
      anomalies.push({
        code: 'E_IMAGE_UNKNOWN',
        message: 'no ISO 9660, UDF or FAT file system found',
        offset: 0,
      });
    }
  }
  return image;
}

function mergeTrees(image: DiskImage, udf: readonly ImageEntry[], anomalies: Anomaly[]): void {
  const byPath = new Map(image.entries.map((e) => [e.path.toLowerCase(), e]));
  for (const entry of udf) {
    const twin = byPath.get(entry.path.toLowerCase());
    if (!twin) {
      image.entries.push(entry);
      continue;
    }
    if (!entry.isDirectory && twin.extents[0]?.offset !== entry.extents[0]?.offset) {
      anomalies.push({
        code: 'E_IMAGE_TREES_DIFFER',
        message: `${entry.path}: the UDF and ISO 9660 trees point at different data`,
        location: entry.path,
        ...(entry.extents[0] ? { offset: entry.extents[0].offset } : {}),
      });
      image.entries.push({ ...entry, path: `[UDF]/${entry.path}` });
    }
  }
}
