/**
 * @module formats/iso — disk images mailed to dodge Mark-of-the-Web: ISO 9660 (ECMA-119) with Joliet
 * and Rock Ridge (RRIP 1.12) names, UDF (ECMA-167 / OSTA UDF 2.01), and FAT12/16/32 volumes (Microsoft
 * FAT specification 1.03) as raw `.img` files, plain or behind an MBR. Lists files with their extents;
 * directory loops, lying sizes and entry floods end as anomalies.
 *
 * @example
 * const image = parseDiskImage(bytes);
 * for (const e of image.entries) if (!e.isDirectory) readExtents(bytes, e.extents, maxBytes);
 */
export { isFatImage, parseDiskImage } from './parse.js';
export { readExtents } from './bin.js';
export { MAX_IMAGE_DEPTH, MAX_IMAGE_ENTRIES } from './types.js';
export type { DiskImage, DiskImageKind, Extent, ImageEntry, ImageOptions } from './types.js';
