import { availableParallelism } from 'node:os';
import { sha256Hex, type Limits, type ScanResult } from '../../core/index.js';
import { ScanPool } from './pool.js';
import { toItem } from './run.js';

/**
 * Scans byte buffers (mails from the SMTP filter, clamd INSTREAM data) in the worker pool, with the same
 * watchdog and limits as `emoguard scan`. A stopped worker still yields a result that says so.
 */
export class Scanner {
  private readonly pool: ScanPool;

  constructor(
    private readonly limits: Limits,
    workers = availableParallelism(),
    /** Passed with every input: the `--msgid-db` file the workers check replies against. */
    private readonly extra: { msgidDb?: string } = {},
  ) {
    this.pool = new ScanPool(Math.max(1, workers), limits);
  }

  async scan(path: string, bytes: Uint8Array): Promise<ScanResult> {
    const identity = { sha256: sha256Hex(bytes), size: bytes.length };
    const item = await toItem(
      path,
      await this.pool.run({
        path,
        bytes,
        size: bytes.length,
        ...(this.extra.msgidDb ? { msgidDb: this.extra.msgidDb } : {}),
      }),
      this.limits,
      identity,
    );
    if ('error' in item) throw new Error(`${item.error.code}: ${item.error.message}`);
    return item.result;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
