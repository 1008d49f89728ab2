import type { ExtractedMail } from '../../core/index.js';
import { checkId, pageOf } from '../common.js';
import type { MailQuery, MailRecord } from '../store.js';
import type { SqliteContext } from './results.js';

/** Addresses kept per role and mail: a mail to 50,000 recipients must not write 50,000 rows. */
export const MAX_ADDRESSES_PER_ROLE = 1_000;

const ROLES = [
  ['from', (m: ExtractedMail) => (m.from === null ? [] : [m.from])],
  ['to', (m: ExtractedMail) => m.to],
  ['cc', (m: ExtractedMail) => m.cc],
  ['reply-to', (m: ExtractedMail) => m.replyTo],
  ['quoted', (m: ExtractedMail) => m.quoted],
] as const;

/** Inside the caller's transaction (saveResults). */
export function insertMail(
  ctx: SqliteContext,
  artifactId: number,
  scanId: number,
  mail: ExtractedMail,
): void {
  ctx
    .stmt(
      'INSERT INTO mails (artifact_id, scan_id, message_id, date, envelope) VALUES (?, ?, ?, ?, ?)',
    )
    .run(
      artifactId,
      scanId,
      typeof mail.messageId === 'string' ? mail.messageId : null,
      typeof mail.date === 'string' ? mail.date : null,
      JSON.stringify(mail),
    );
  const add = ctx.stmt(
    'INSERT OR IGNORE INTO mail_addresses (address, artifact_id, role) VALUES (?, ?, ?)',
  );
  for (const [role, list] of ROLES) {
    const values = list(mail);
    if (!Array.isArray(values)) continue;
    for (const address of values.slice(0, MAX_ADDRESSES_PER_ROLE)) {
      if (typeof address === 'string' && address !== '') {
        add.run(address.toLowerCase(), artifactId, role);
      }
    }
  }
}

interface MailRow {
  artifact_id: number;
  scan_id: number;
  envelope: string;
  path: string;
  sha256: string;
}

const MAIL_SELECT = `SELECT m.artifact_id, m.scan_id, m.envelope, a.path, a.sha256
  FROM mails m JOIN artifacts a ON a.id = m.artifact_id`;

function toMail(row: MailRow): MailRecord {
  return {
    ...(JSON.parse(row.envelope) as ExtractedMail),
    artifactId: row.artifact_id,
    scanId: row.scan_id,
    path: row.path,
    sha256: row.sha256,
  };
}

export function listMails(ctx: SqliteContext, query: MailQuery = {}): MailRecord[] {
  checkId('scanId', query.scanId);
  const { limit, offset } = pageOf(query);
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (query.scanId !== undefined) {
    conditions.push('m.scan_id = ?');
    params.push(query.scanId);
  }
  if (query.messageId !== undefined) {
    conditions.push('m.message_id = ?');
    params.push(query.messageId);
  }
  if (query.address !== undefined) {
    conditions.push('m.artifact_id IN (SELECT artifact_id FROM mail_addresses WHERE address = ?)');
    params.push(query.address.toLowerCase());
  }
  if (query.artifactIds !== undefined) {
    const ids = query.artifactIds.slice(0, limit);
    for (const id of ids) checkId('artifactId', id);
    // json_each keeps the SQL text fixed whatever the number of ids (one prepared statement).
    conditions.push('m.artifact_id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(ids));
  }
  const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
  const rows = ctx
    .stmt(`${MAIL_SELECT} ${where} ORDER BY m.artifact_id LIMIT ? OFFSET ?`)
    .all(...params, limit, offset) as MailRow[];
  return rows.map(toMail);
}

/** Walks up each artifact's parents (bounded by the tree depth) to the nearest mail. */
export function findDeliveringMails(
  ctx: SqliteContext,
  artifactIds: readonly number[],
): Array<{ artifactId: number; mail: MailRecord }> {
  const out: Array<{ artifactId: number; mail: MailRecord }> = [];
  const parentOf = ctx.stmt('SELECT parent_id FROM artifacts WHERE id = ?').pluck();
  const mailOf = ctx.stmt(`${MAIL_SELECT} WHERE m.artifact_id = ?`);
  const cache = new Map<number, MailRecord | null>();
  for (const start of new Set(artifactIds)) {
    checkId('artifactId', start);
    const visited: number[] = [];
    let found: MailRecord | null = null;
    // SECURITY: depth is bounded by maxDepth at scan time; the hop cap also stops a corrupt parent loop.
    for (let id: number | null = start, hops = 0; id !== null && hops < 64; hops++) {
      const cached = cache.get(id);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      visited.push(id);
      const row = mailOf.get(id) as MailRow | undefined;
      if (row !== undefined) {
        found = toMail(row);
        break;
      }
      id = (parentOf.get(id) as number | null | undefined) ?? null;
    }
    for (const id of visited) cache.set(id, found);
    if (found !== null) out.push({ artifactId: start, mail: found });
  }
  return out;
}
