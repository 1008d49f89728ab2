import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, sha256Hex, type Verdict } from '../../core/index.js';

/** What is kept beside a quarantined message: enough to release it to the right recipients. */
export interface QuarantineRecord {
  id: string;
  sha256: string;
  size: number;
  receivedAt: string;
  envelope: { from: string; to: string[] };
  subject: string;
  verdict: Verdict;
  action: string;
  reasons: string[];
  findings: string[];
  /** Set when released or deleted; the record is kept as the audit trail. */
  releasedAt?: string;
  releasedBy?: string;
}

/**
 * A quarantine folder: content-addressed message files (`<sha256>.eml`) and one JSON record per quarantine
 * event. Writes are durable before the filter answers 250 (write to a temp file, fsync, rename, fsync the
 * folder): a crash after the answer never loses the mail.
 */
export class QuarantineDir {
  constructor(readonly dir: string) {}

  async put(
    bytes: Uint8Array,
    record: Omit<QuarantineRecord, 'id' | 'sha256' | 'size'>,
  ): Promise<QuarantineRecord> {
    await mkdir(this.dir, { recursive: true });
    const sha256 = sha256Hex(bytes);
    const full: QuarantineRecord = {
      id: `${record.receivedAt.replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 8)}`,
      sha256,
      size: bytes.length,
      ...record,
    };
    await this.writeDurably(`${sha256}.eml`, bytes);
    await this.writeDurably(
      `${full.id}.json`,
      new TextEncoder().encode(`${JSON.stringify(full, null, 2)}\n`),
    );
    return full;
  }

  async list(): Promise<QuarantineRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const records: QuarantineRecord[] = [];
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      try {
        records.push(JSON.parse(await readFile(join(this.dir, name), 'utf8')) as QuarantineRecord);
      } catch {
        // A record being written or damaged: skipped, the message file is still there.
      }
    }
    return records;
  }

  async get(id: string): Promise<QuarantineRecord> {
    if (!/^[0-9]{14}-[0-9a-f]{8}$/.test(id))
      throw new ConfigError('E_QUARANTINE_ID', `not a quarantine id: ${id}`);
    try {
      return JSON.parse(await readFile(join(this.dir, `${id}.json`), 'utf8')) as QuarantineRecord;
    } catch {
      throw new ConfigError(
        'E_QUARANTINE_NOT_FOUND',
        `no quarantined message ${id} in ${this.dir}`,
      );
    }
  }

  async message(record: QuarantineRecord): Promise<Uint8Array> {
    return new Uint8Array(await readFile(join(this.dir, `${record.sha256}.eml`)));
  }

  /** Marks a record released or deleted; with `deleteMessage`, removes the message when no other record needs it. */
  async close(record: QuarantineRecord, by: string, deleteMessage: boolean): Promise<void> {
    const done = { ...record, releasedAt: new Date().toISOString(), releasedBy: by };
    await this.writeDurably(
      `${record.id}.json`,
      new TextEncoder().encode(`${JSON.stringify(done, null, 2)}\n`),
    );
    if (!deleteMessage) return;
    const others = (await this.list()).filter((r) => r.sha256 === record.sha256 && !r.releasedAt);
    if (others.length === 0) await rm(join(this.dir, `${record.sha256}.eml`), { force: true });
  }

  private async writeDurably(name: string, bytes: Uint8Array): Promise<void> {
    const tmp = join(this.dir, `.${name}.${process.pid}.tmp`);
    const file = await open(tmp, 'w', 0o600);
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, join(this.dir, name));
    const dir = await open(this.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
