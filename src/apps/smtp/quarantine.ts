import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError, describeError, sha256Hex, type Verdict } from '../../core/index.js';
import type { QuarantineRow, QuarantineStore } from '../../store/index.js';

/** Store rows read per query when listing. */
const PAGE = 1000;

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
  /** When it was released or deleted; the record is kept as the audit trail. */
  releasedAt?: string;
  /** Who released or deleted it: a user name, or `emoguard` for the filter's own closes. */
  closedBy?: string;
  /** Why, as given with the release or delete. */
  closeReason?: string;
  /**
   * @deprecated The close as one text (`released by alice: false positive`), still written for
   * readers of older records; records from before `closedBy` carry only this, and `get`/`list`
   * fill `status`, `closedBy` and `closeReason` from it.
   */
  releasedBy?: string;
  /** held, released or deleted. */
  status?: 'held' | 'released' | 'deleted';
}

/** A release or delete: what happened, who did it, why. */
export interface QuarantineCloseInput {
  status: 'released' | 'deleted';
  actor: string;
  reason?: string;
}

/** The one-text form of a close, as `releasedBy` has always read. */
function closeText(close: QuarantineCloseInput): string {
  return `${close.status} by ${close.actor}${close.reason ? `: ${close.reason}` : ''}`;
}

/**
 * A legacy close text → status, actor, reason: `released by alice: false positive`, or the filter's
 * own closes ("disarmed delivery failed; …": the message is gone, the MTA retries).
 */
function closeOf(by: string): QuarantineCloseInput {
  const m = /^(released|deleted) by ([^:]+?)(?::\s*(.*))?$/s.exec(by);
  if (m)
    return {
      status: m[1] as 'released' | 'deleted',
      actor: m[2]!,
      ...(m[3] ? { reason: m[3] } : {}),
    };
  return { status: 'deleted', actor: 'emoguard', reason: by };
}

/**
 * Fills `status`, `closedBy` and `closeReason` of a folder record written before they existed (only
 * `releasedAt`/`releasedBy`), so that every reader sees one shape.
 */
export function normalizeQuarantineRecord(record: QuarantineRecord): QuarantineRecord {
  if (!record.releasedAt) return record.status ? record : { ...record, status: 'held' };
  if (record.closedBy !== undefined && record.status) return record;
  const close = closeOf(record.releasedBy ?? '');
  return {
    ...record,
    status: record.status ?? close.status,
    closedBy: record.closedBy ?? close.actor,
    ...((record.closeReason ?? close.reason)
      ? { closeReason: record.closeReason ?? close.reason }
      : {}),
  };
}

function recordOf(row: QuarantineRow): QuarantineRecord {
  return {
    id: row.id,
    sha256: row.sha256,
    size: row.size,
    receivedAt: row.receivedAt.toISOString(),
    envelope: { from: row.sender, to: row.recipients },
    subject: row.subject,
    verdict: row.verdict,
    action: row.action,
    reasons: row.reasons,
    findings: row.findings,
    status: row.status,
    ...(row.closedAt ? { releasedAt: row.closedAt.toISOString() } : {}),
    ...(row.closedBy !== undefined && row.status !== 'held'
      ? {
          closedBy: row.closedBy,
          ...(row.closeReason ? { closeReason: row.closeReason } : {}),
          releasedBy: closeText({
            status: row.status,
            actor: row.closedBy,
            ...(row.closeReason ? { reason: row.closeReason } : {}),
          }),
        }
      : {}),
  };
}

/**
 * A quarantine folder: content-addressed message files (`<sha256>.eml`) and one JSON record per quarantine
 * event. Writes are durable before the filter answers 250 (write to a temp file, fsync, rename, fsync the
 * folder): a crash after the answer never loses the mail. With a store, each event is also a row of
 * `store.quarantine`, which `list` and `get` read; the JSON records stay the folder's own audit trail
 * and cover rows the store missed (a store briefly locked or down never costs a 451).
 */
export class QuarantineDir {
  /** sha256 → puts of that message in progress in this process. */
  private readonly writing = new Map<string, number>();

  constructor(
    readonly dir: string,
    readonly rows?: QuarantineStore,
    /** Told when a store row could not be written or updated (the folder record is still there). */
    private readonly onStoreError?: (message: string) => void,
  ) {}

  async put(
    bytes: Uint8Array,
    record: Omit<QuarantineRecord, 'id' | 'sha256' | 'size'>,
  ): Promise<QuarantineRecord> {
    const sha256 = sha256Hex(bytes);
    const full: QuarantineRecord = {
      id: `${record.receivedAt.replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 8)}`,
      sha256,
      size: bytes.length,
      ...record,
    };
    // SECURITY (no loss): while this put is writing, close() of another record of the same message must
    // not delete the shared `<sha256>.eml` (its own .json does not exist yet, so list() cannot see it).
    this.writing.set(sha256, (this.writing.get(sha256) ?? 0) + 1);
    try {
      await mkdir(this.dir, { recursive: true });
      await this.writeDurably(`${sha256}.eml`, bytes);
      await this.writeDurably(
        `${full.id}.json`,
        new TextEncoder().encode(`${JSON.stringify(full, null, 2)}\n`),
      );
    } finally {
      const left = this.writing.get(sha256)! - 1;
      if (left === 0) this.writing.delete(sha256);
      else this.writing.set(sha256, left);
    }
    await this.storeSafely(() =>
      this.rows!.add({
        id: full.id,
        sha256,
        size: full.size,
        receivedAt: new Date(full.receivedAt),
        sender: full.envelope.from,
        recipients: full.envelope.to,
        subject: full.subject,
        verdict: full.verdict,
        action: full.action,
        reasons: full.reasons,
        findings: full.findings,
        folder: resolve(this.dir),
      }),
    );
    return full;
  }

  /** Store writes are best effort: the durable folder record decides the mail's fate (SECURITY: no 451 → no duplicate). */
  private async storeSafely(write: () => Promise<unknown>): Promise<void> {
    if (this.rows === undefined) return;
    try {
      await write();
    } catch (error) {
      this.onStoreError?.(`quarantine store: ${describeError(error)}`);
    }
  }

  /** Oldest first: the store's rows, plus folder records the store does not have. */
  async list(): Promise<QuarantineRecord[]> {
    if (this.rows === undefined) return this.listFolder();
    const fromStore: QuarantineRecord[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.rows.list({ limit: PAGE, offset });
      fromStore.push(...page.filter((r) => r.folder === resolve(this.dir)).map(recordOf));
      if (page.length < PAGE) break;
    }
    const known = new Set(fromStore.map((r) => r.id));
    const missing = await this.listFolder((id) => !known.has(id));
    if (missing.length === 0) return fromStore;
    return [...fromStore, ...missing].sort((a, b) =>
      a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : a.id < b.id ? -1 : 1,
    );
  }

  private async listFolder(
    wanted: (id: string) => boolean = () => true,
  ): Promise<QuarantineRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const records: QuarantineRecord[] = [];
    for (const name of names.filter((n) => n.endsWith('.json') && wanted(n.slice(0, -5))).sort()) {
      try {
        const parsed = JSON.parse(await readFile(join(this.dir, name), 'utf8')) as QuarantineRecord;
        records.push(normalizeQuarantineRecord(parsed));
      } catch {
        // A record being written or damaged: skipped, the message file is still there.
      }
    }
    return records;
  }

  async get(id: string): Promise<QuarantineRecord> {
    if (!/^[0-9]{14}-[0-9a-f]{8}$/.test(id))
      throw new ConfigError('E_QUARANTINE_ID', `not a quarantine id: ${id}`);
    const row = await this.rows?.get(id);
    if (row !== undefined && row.folder === resolve(this.dir)) return recordOf(row);
    try {
      const parsed = JSON.parse(await readFile(join(this.dir, `${id}.json`), 'utf8'));
      return normalizeQuarantineRecord(parsed as QuarantineRecord);
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

  /**
   * Marks a record released or deleted; with `deleteMessage`, removes the message when no other record
   * needs it. `close` is `{ status, actor, reason }`; a text (`released by alice: …`, or a reason of
   * the filter's own) is read as before.
   */
  async close(
    record: QuarantineRecord,
    close: QuarantineCloseInput | string,
    deleteMessage: boolean,
  ): Promise<void> {
    if (typeof close === 'string') close = closeOf(close);
    const at = new Date();
    const { closeReason: _old, ...rest } = record;
    const done: QuarantineRecord = {
      ...rest,
      releasedAt: at.toISOString(),
      status: close.status,
      closedBy: close.actor,
      ...(close.reason ? { closeReason: close.reason } : {}),
      releasedBy: closeText(close),
    };
    await this.writeDurably(
      `${record.id}.json`,
      new TextEncoder().encode(`${JSON.stringify(done, null, 2)}\n`),
    );
    await this.storeSafely(() => this.rows!.close(record.id, { ...close, at }));
    if (!deleteMessage || this.writing.has(record.sha256)) return;
    const others = (await this.list()).filter((r) => r.sha256 === record.sha256 && !r.releasedAt);
    if (others.length === 0) await rm(join(this.dir, `${record.sha256}.eml`), { force: true });
  }

  private async writeDurably(name: string, bytes: Uint8Array): Promise<void> {
    // SECURITY (no loss): a temp name of its own per write. One name per message and pid let two
    // concurrent puts of the same mail (one campaign, many recipients) share the temp file: one rename
    // failed (→ 451), and the other's `open(…, 'w')` could truncate the file already renamed into place.
    const tmp = join(this.dir, `.${name}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`);
    try {
      const file = await open(tmp, 'wx', 0o600);
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(tmp, join(this.dir, name));
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    const dir = await open(this.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
