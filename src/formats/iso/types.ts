import type { Anomaly } from '../../core/index.js';

export interface Extent {
  /** Byte offset in the image. */
  offset: number;
  size: number;
}

/** A file or directory of the image, with the extents holding its data. */
export interface ImageEntry {
  /** Path with `/` separators, without a leading slash: `setup/invoice.lnk`. */
  path: string;
  isDirectory: boolean;
  /** ISO 9660 9.1.6 existence bit / FAT hidden attribute: Explorer does not show it by default. */
  isHidden: boolean;
  size: number;
  extents: Extent[];
}

export type DiskImageKind =
  'iso9660' | 'joliet' | 'rock-ridge' | 'udf' | 'fat12' | 'fat16' | 'fat32';

export interface DiskImage {
  /** The file system whose names were used for the entries. */
  kind: DiskImageKind | undefined;
  /** Every file system structure found (an ISO/UDF bridge image lists both). */
  filesystems: DiskImageKind[];
  volumeLabel?: string;
  entries: ImageEntry[];
  anomalies: Anomaly[];
}

export interface ImageOptions {
  /** Most entries listed. */
  maxEntries?: number;
  /** Deepest directory followed. */
  maxDepth?: number;
  checkDeadline?: () => void;
}

export const MAX_IMAGE_ENTRIES = 100_000;
export const MAX_IMAGE_DEPTH = 64;
