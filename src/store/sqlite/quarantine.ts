import { ConfigError, type Verdict } from '../../core/index.js';
import { isoTime, pageOf } from '../common.js';
import {
  QUARANTINE_STATUSES,
  type QuarantineClose,
  type QuarantineRow,
  type QuarantineStatus,
  type QuarantineStore,
} from '../quarantine.js';
import type { SqliteContext } from './results.js';

interface Row {
  id: string;
  sha256: string;
  size: number;
  received_at: string;
  sender: string;
  recipients: string;
  subject: string;
  verdict: Verdict;
  action: string;
  reasons: string;
  findings: string;
  folder: string;
  status: QuarantineStatus;
  closed_at: string | null;
  closed_by: string | null;
  close_reason: string | null;
}

const toRow = (r: Row): QuarantineRow => ({
  id: r.id,
  sha256: r.sha256,
  size: r.size,
  receivedAt: new Date(r.received_at),
  sender: r.sender,
  recipients: JSON.parse(r.recipients) as string[],
  subject: r.subject,
  verdict: r.verdict,
  action: r.action,
  reasons: JSON.parse(r.reasons) as string[],
  findings: JSON.parse(r.findings) as string[],
  folder: r.folder,
  status: r.status,
  ...(r.closed_at === null ? {} : { closedAt: new Date(r.closed_at) }),
  ...(r.closed_by === null ? {} : { closedBy: r.closed_by }),
  ...(r.close_reason === null ? {} : { closeReason: r.close_reason }),
});

/** `store.quarantine` on SQLite (table `quarantine`, migration 6). */
export class SqliteQuarantineStore implements QuarantineStore {
  constructor(private readonly ready: () => SqliteContext) {}

  async add(row: Parameters<QuarantineStore['add']>[0]): Promise<void> {
    this.ready()
      .stmt(
        `INSERT OR IGNORE INTO quarantine (id, sha256, size, received_at, sender, recipients, subject,
           verdict, action, reasons, findings, folder, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'held')`,
      )
      .run(
        row.id,
        row.sha256,
        row.size,
        isoTime(row.receivedAt, new Date()),
        row.sender,
        JSON.stringify(row.recipients),
        row.subject,
        row.verdict,
        row.action,
        JSON.stringify(row.reasons),
        JSON.stringify(row.findings),
        row.folder,
      );
  }

  async get(id: string): Promise<QuarantineRow | undefined> {
    const row = this.ready().stmt('SELECT * FROM quarantine WHERE id = ?').get(id) as
      Row | undefined;
    return row === undefined ? undefined : toRow(row);
  }

  async list(
    query: { status?: QuarantineStatus; limit?: number; offset?: number } = {},
  ): Promise<QuarantineRow[]> {
    const { limit, offset } = pageOf(query);
    if (query.status !== undefined && !QUARANTINE_STATUSES.includes(query.status))
      throw new ConfigError('E_STORE_INVALID_QUERY', `unknown quarantine status ${query.status}`);
    const ctx = this.ready();
    const rows =
      query.status === undefined
        ? ctx
            .stmt('SELECT * FROM quarantine ORDER BY received_at, id LIMIT ? OFFSET ?')
            .all(limit, offset)
        : ctx
            .stmt(
              'SELECT * FROM quarantine WHERE status = ? ORDER BY received_at, id LIMIT ? OFFSET ?',
            )
            .all(query.status, limit, offset);
    return (rows as Row[]).map(toRow);
  }

  async close(id: string, close: QuarantineClose): Promise<boolean> {
    if (close.status !== 'released' && close.status !== 'deleted')
      throw new ConfigError('E_STORE_INVALID_QUERY', `cannot close as ${String(close.status)}`);
    const info = this.ready()
      .stmt(
        `UPDATE quarantine SET status = ?, closed_at = ?, closed_by = ?, close_reason = ?
         WHERE id = ? AND status = 'held'`,
      )
      .run(close.status, isoTime(close.at, new Date()), close.actor, close.reason ?? null, id);
    return info.changes > 0;
  }
}
