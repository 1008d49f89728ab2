/**
 * The threat-intel part of the SQLite store: upserts by (type, value, source) (intel-import.ts),
 * keyset-paged streaming for the matchers, stats and expiry.
 */
import { ConfigError } from '../../core/index.js';
import { checkId, isoTime, pageOf } from '../common.js';
import {
  INTEL_TYPES,
  type IntelFilter,
  type IntelQuery,
  type IntelRecord,
  type IntelSourceStats,
  type IntelStats,
  type IntelType,
} from '../store.js';
import type { SqliteContext } from './results.js';

interface IntelRow {
  id: number;
  type: IntelType;
  value: string;
  source: string;
  first_seen: string | null;
  last_seen: string | null;
  confidence: number | null;
  tags: string;
  malware: string | null;
  reference: string | null;
  expires_at: string | null;
  imported_at: string;
  updated_at: string;
}

const DEFAULT_LOAD_PAGE = 10_000;
const MAX_LOAD_PAGE = 100_000;

export { importIntel, importIntelStream } from './intel-import.js';

export function toIntel(row: IntelRow): IntelRecord {
  const date = (v: string | null) => (v === null ? null : new Date(v));
  return {
    id: row.id,
    type: row.type,
    value: row.value,
    source: row.source,
    firstSeen: date(row.first_seen),
    lastSeen: date(row.last_seen),
    confidence: row.confidence,
    tags: JSON.parse(row.tags) as string[],
    malware: row.malware,
    reference: row.reference,
    expiresAt: date(row.expires_at),
    importedAt: new Date(row.imported_at),
    updatedAt: new Date(row.updated_at),
  };
}

function checkType(type: unknown): void {
  if (type !== undefined && !(INTEL_TYPES as readonly unknown[]).includes(type)) {
    throw new ConfigError('E_STORE_INVALID_QUERY', `unknown intel type "${String(type)}"`);
  }
}

export function listIntel(ctx: SqliteContext, query: IntelQuery = {}): IntelRecord[] {
  const { limit, offset } = pageOf(query);
  checkType(query.type);
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of [
    ['type', query.type],
    ['source', query.source],
    ['value', query.value],
  ] as const) {
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  if (query.activeOnly) {
    where.push('(expires_at IS NULL OR expires_at > ?)');
    params.push(isoTime(query.now, new Date()));
  }
  const sql = `SELECT * FROM intel${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ? OFFSET ?`;
  return (ctx.stmt(sql).all(...params, limit, offset) as IntelRow[]).map(toIntel);
}

export function intelStats(ctx: SqliteContext, options: { now?: Date } = {}): IntelStats {
  const now = isoTime(options.now, new Date());
  const rows = ctx
    .stmt(
      `SELECT source, type, count(*) AS total,
              sum(CASE WHEN expires_at IS NOT NULL AND expires_at <= ? THEN 1 ELSE 0 END) AS expired,
              max(updated_at) AS last
       FROM intel GROUP BY source, type ORDER BY source, type`,
    )
    .all(now) as {
    source: string;
    type: IntelType;
    total: number;
    expired: number;
    last: string;
  }[];
  const byType = Object.fromEntries(INTEL_TYPES.map((t) => [t, 0])) as Record<IntelType, number>;
  const sources = new Map<string, IntelSourceStats>();
  let total = 0;
  let expired = 0;
  for (const r of rows) {
    total += r.total;
    expired += r.expired;
    byType[r.type] += r.total;
    let s = sources.get(r.source);
    if (!s) {
      s = { source: r.source, total: 0, active: 0, expired: 0, byType: {}, lastImport: null };
      sources.set(r.source, s);
    }
    s.total += r.total;
    s.expired += r.expired;
    s.active = s.total - s.expired;
    s.byType[r.type] = r.total;
    const last = new Date(r.last);
    if (s.lastImport === null || last > s.lastImport) s.lastImport = last;
  }
  return { total, active: total - expired, expired, byType, bySource: [...sources.values()] };
}

export function expireIntel(
  ctx: SqliteContext,
  options: { now?: Date; source?: string } = {},
): number {
  const now = isoTime(options.now, new Date());
  const info =
    options.source === undefined
      ? ctx.stmt('DELETE FROM intel WHERE expires_at IS NOT NULL AND expires_at <= ?').run(now)
      : ctx
          .stmt('DELETE FROM intel WHERE expires_at IS NOT NULL AND expires_at <= ? AND source = ?')
          .run(now, options.source);
  return info.changes;
}

/** One page after `afterId`; the generator in sqlite-store.ts calls it until a page comes back short. */
export function loadIntelPage(
  ctx: SqliteContext,
  filter: IntelFilter,
  afterId: number,
): IntelRecord[] {
  const pageSize = Math.min(filter.pageSize ?? DEFAULT_LOAD_PAGE, MAX_LOAD_PAGE);
  checkId('pageSize', pageSize);
  for (const t of filter.types ?? []) checkType(t);
  const where = ['id > ?'];
  const params: unknown[] = [afterId];
  if (filter.types !== undefined) {
    where.push(`type IN (${filter.types.map(() => '?').join(', ') || "''"})`);
    params.push(...filter.types);
  }
  if (filter.sources !== undefined) {
    where.push(`source IN (${filter.sources.map(() => '?').join(', ') || "''"})`);
    params.push(...filter.sources);
  }
  if (!filter.includeExpired) {
    where.push('(expires_at IS NULL OR expires_at > ?)');
    params.push(isoTime(filter.now, new Date()));
  }
  const sql = `SELECT * FROM intel WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`;
  // Type and source lists vary in length: not cached as prepared statements past a few shapes.
  const statement =
    (filter.types?.length ?? 0) + (filter.sources?.length ?? 0) <= 12
      ? ctx.stmt(sql)
      : ctx.db.prepare(sql);
  return (statement.all(...params, pageSize) as IntelRow[]).map(toIntel);
}
