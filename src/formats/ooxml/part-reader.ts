import { DefenseError, describeError, type Anomaly } from '../../core/index.js';
import {
  readZipEntry,
  readZipEntrySync,
  type ReadZipEntryOptions,
  type ZipEntry,
} from '../zip/index.js';

/**
 * Reads parts for `readOoxml` under two caps: one per part, and one for everything read from the
 * package, so that 60,000 .rels parts of 16 MiB each (a few KiB each when deflated) cannot add up.
 * A part that cannot be read becomes an anomaly and `undefined`.
 */
export class PartReader {
  private left: number;
  private isExhausted = false;

  constructor(
    maxTotalBytes: number,
    private readonly anomalies: Anomaly[],
  ) {
    this.left = maxTotalBytes;
  }

  /**
   * The part's bytes, `undefined` when it could not be read (an anomaly says why), or a promise of
   * either when only zip.js can read the member: most parts are read without a promise.
   */
  read(
    entry: ZipEntry,
    maxBytes: number,
    limit: string,
  ): Uint8Array | undefined | Promise<Uint8Array | undefined> {
    if (this.left <= 0) {
      if (!this.isExhausted) {
        this.isExhausted = true;
        this.anomalies.push({
          code: 'E_LIMIT_OOXML_TOTAL_BYTES',
          message:
            'the byte budget for reading package parts is spent; further parts were not read',
          location: entry.name,
        });
      }
      return undefined;
    }
    const cap = Math.min(maxBytes, this.left);
    const options: ReadZipEntryOptions = {
      maxBytes: cap,
      limit: cap === maxBytes ? limit : 'maxTotalBytes',
      anomalies: this.anomalies,
    };
    try {
      const bytes = readZipEntrySync(entry, options);
      if (bytes) return this.took(bytes);
    } catch (error) {
      return this.failed(error, entry);
    }
    return readZipEntry(entry, options).then(
      (bytes) => this.took(bytes),
      (error: unknown) => this.failed(error, entry),
    );
  }

  private took(bytes: Uint8Array): Uint8Array {
    this.left -= bytes.length;
    return bytes;
  }

  private failed(error: unknown, entry: ZipEntry): undefined {
    if (!(error instanceof DefenseError)) throw error;
    this.anomalies.push({
      code: error.code,
      message: describeError(error),
      location: entry.name,
    });
    return undefined;
  }
}

/** Lower-cased name → entry; OPC names are case-insensitive (§9.1.1.1), so a second spelling is hostile. */
export function indexByName(
  files: readonly ZipEntry[],
  anomalies: Anomaly[],
): Map<string, ZipEntry> {
  const byName = new Map<string, ZipEntry>();
  for (const entry of files) {
    const key = entry.name.toLowerCase();
    if (byName.has(key)) {
      anomalies.push({
        code: 'E_OOXML_DUPLICATE_PART',
        message: 'two members name the same part (names are case-insensitive); the first is used',
        location: entry.name,
      });
      continue;
    }
    byName.set(key, entry);
  }
  return byName;
}
