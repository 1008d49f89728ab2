import type { Anomaly } from '../../core/index.js';

/** Default cap on members listed from one archive (the ZIP32 maximum, APPNOTE 4.4.21). */
export const MAX_ZIP_ENTRIES = 65_535;

/**
 * One member as the central directory (or, when it is missing, the local header) declares it.
 * Sizes are claims by the archive, not facts: `readZipEntry` enforces its cap on the real output.
 * Plain data (JSON-able); the reader keeps its handle to the bytes out of band.
 */
export interface ZipEntry {
  name: string;
  /** How the name bytes were decoded: UTF-8 (flag bit 11 or valid UTF-8), Shift_JIS, or CP437. */
  nameEncoding: 'utf-8' | 'shift_jis' | 'cp437';
  compressedSize: number;
  uncompressedSize: number;
  directory: boolean;
  encrypted: boolean;
  /** `strong` is PKWARE Strong Encryption (APPNOTE 7.0), which no reader here can open. */
  encryption: 'zipcrypto' | 'aes' | 'strong' | null;
  /** Compression method (APPNOTE 4.4.5); for AES, the method under the encryption. */
  method: number;
  comment?: string;
  /** Offset of the member's local header. */
  offset: number;
}

export interface ListZipOptions {
  /** Members listed at most; the rest are dropped with an `E_LIMIT_ZIP_ENTRIES` anomaly. */
  maxEntries?: number;
}

export interface ZipListing {
  entries: ZipEntry[];
  anomalies: Anomaly[];
}

export interface ReadZipEntryOptions {
  /** Bytes of real (inflated) output allowed; one more throws `LimitError` E_LIMIT_MEMBER_SIZE. */
  maxBytes: number;
  password?: string;
  /** The limit named in the `LimitError` (`maxFileSize`, `maxTotalBytes` …). Default `maxBytes`. */
  limit?: string;
  /** When given, receives a note each time a member was recovered despite a lying or broken header. */
  anomalies?: Anomaly[];
  /**
   * Cut a trailing run of one repeated byte of at least `minRun` bytes instead of storing it (padded
   * documents); `maxBytes` then caps the stored bytes and `maxInflated` the bytes inflated in all.
   * `onTrimmed` learns how many bytes of which value were cut.
   */
  trimPadding?: {
    minRun: number;
    maxInflated: number;
    onTrimmed: (bytes: number, value: number) => void;
  };
}
