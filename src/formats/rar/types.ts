import type { Anomaly } from '../../core/index.js';

export interface RarEntry {
  name: string;
  isDirectory: boolean;
  size: number;
  packedSize: number;
  /** Offset of the packed data in the archive. */
  dataOffset: number;
  /** Stored without compression (RAR5 method 0, RAR 1.5–4 method 0x30): readable here. */
  isStored: boolean;
  isEncrypted: boolean;
  /** Compression method number (0–5). */
  method: number;
}

export interface RarArchive {
  version: 4 | 5;
  /** Headers encrypted (RAR5 archive encryption header, RAR4 MHD_PASSWORD): no name is readable. */
  isHeaderEncrypted: boolean;
  entries: RarEntry[];
  anomalies: Anomaly[];
}

export interface RarOptions {
  maxEntries?: number;
}

export const MAX_RAR_ENTRIES = 100_000;
