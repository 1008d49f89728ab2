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
  /** RAR5: dictionary size the unpacker allocates (128 KiB << n), from the compression information. */
  dictionarySize?: number;
  /** RAR5: the member continues the previous one's dictionary (solid). */
  isSolid?: boolean;
  /** RAR5: the file encryption record (AES-256, PBKDF2 parameters, password check). */
  crypt?: Rar5Crypt;
}

/** RAR5 encryption parameters (technote: file encryption record / archive encryption header). */
export interface Rar5Crypt {
  /** log2 of the PBKDF2-HMAC-SHA256 iterations. */
  kdfCount: number;
  salt: Uint8Array;
  /** 8-byte password check + 4-byte checksum, when the archive carries one. */
  check?: Uint8Array;
}

export interface RarArchive {
  version: 4 | 5;
  /** Headers encrypted (RAR5 archive encryption header, RAR4 MHD_PASSWORD): no name is readable. */
  isHeaderEncrypted: boolean;
  /** RAR5 archive encryption header (`rar -hp`): what a candidate password is checked against. */
  headerCrypt?: Rar5Crypt;
  entries: RarEntry[];
  anomalies: Anomaly[];
}

export interface RarOptions {
  maxEntries?: number;
}

export const MAX_RAR_ENTRIES = 100_000;
