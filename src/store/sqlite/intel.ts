/**
 * The threat-intel part of the SQLite store: upserts by (type, value, source) through one prepared
 * statement inside one transaction per batch (a 1M-indicator feed imports in seconds), keyset-paged
 * streaming for the matchers, stats and expiry.
 */
import { ConfigError } from '../../core/index.js';
import { checkId, isoTime, pageOf } from '../common.js';
import {
  INTEL_TYPES,
  type IntelFilter,
  type IntelImportResult,
  type IntelInput,
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

const UPSERT = `
INSERT INTO intel (type, value, source, first_seen, last_seen, confidence, tags, malware, reference,
                   expires_at, imported_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (type, value, source) DO UPDATE SET
  first_seen = coalesce(min(intel.first_seen, excluded.first_seen), intel.first_seen, excluded.first_seen),
  last_seen  = coalesce(max(intel.last_seen, excluded.last_seen), intel.last_seen, excluded.last_seen),
  confidence = coalesce(excluded.confidence, intel.confidence),
  tags       = CASE WHEN excluded.tags = '[]' THEN intel.tags ELSE excluded.tags END,
  malware    = coalesce(excluded.malware, intel.malware),
  reference  = coalesce(excluded.reference, intel.reference),
  expires_at = excluded.expires_at,
  updated_at = excluded.updated_at`;

const DEFAULT_LOAD_PAGE = 10_000;
const MAX_LOAD_PAGE = 100_000;

function invalid(index: number, why: string): ConfigError {
  return new ConfigError('E_STORE_INVALID_INTEL', `intel row ${index}: ${why}`);
}

/** ISO text by epoch ms: feed rows repeat a few dates, and toISOString is the costliest part of a row. */
const isoByTime = new Map<number, string>();
const ISO_CACHE_SIZE = 4096;

function optionalTime(value: Date | undefined, index: number, name: string): string | null {
  if (value === undefined) return null;
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw invalid(index, `${name} is not a valid Date`);
  let iso = isoByTime.get(ms);
  if (iso === undefined) {
    iso = value.toISOString();
    if (isoByTime.size >= ISO_CACHE_SIZE) isoByTime.clear();
    isoByTime.set(ms, iso);
  }
  return iso;
}

function rowValues(input: IntelInput, index: number, now: string): unknown[] {
  if (input === null || typeof input !== 'object') throw invalid(index, 'not an object');
  if (!(INTEL_TYPES as readonly string[]).includes(input.type))
    throw invalid(index, `unknown type "${String(input.type)}"`);
  if (typeof input.value !== 'string' || input.value.length === 0)
    throw invalid(index, 'empty value');
  if (typeof input.source !== 'string' || input.source.length === 0)
    throw invalid(index, 'empty source');
  const c = input.confidence;
  if (c !== undefined && (!Number.isInteger(c) || c < 0 || c > 100)) {
    throw invalid(index, 'confidence must be an integer 0–100');
  }
  const tags = input.tags ?? [];
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string'))
    throw invalid(index, 'tags must be strings');
  return [
    input.type,
    input.value,
    input.source,
    optionalTime(input.firstSeen, index, 'firstSeen'),
    optionalTime(input.lastSeen, index, 'lastSeen'),
    c ?? null,
    JSON.stringify(tags),
    input.malware ?? null,
    input.reference ?? null,
    optionalTime(input.expiresAt, index, 'expiresAt'),
    now,
    now,
  ];
}

/** Connections whose page cache was raised for imports. */
const tuned = new WeakSet<object>();
/**
 * 64 MiB of page cache (SQLite's default is 2 MiB): a million-row feed inserts into a unique index at
 * random places, and with the small cache most of the import time goes to re-reading evicted pages.
 */
const IMPORT_CACHE_KIB = 65_536;
const IMPORT_WAL_PAGES = 10_000;

export function importIntel(
  ctx: SqliteContext,
  batch: readonly IntelInput[],
  options: { importedAt?: Date } = {},
): IntelImportResult {
  if (!Array.isArray(batch))
    throw new ConfigError('E_STORE_INVALID_INTEL', 'importIntel takes an array');
  const now = isoTime(options.importedAt, new Date());
  // Validate everything first: a bad row must not leave half a batch behind.
  const rows = batch.map((input, i) => rowValues(input, i, now));
  if (!tuned.has(ctx.db)) {
    ctx.db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
    // Checkpoint the WAL every ~40 MB instead of every 4 MB: a 50k-row batch dirties thousands of
    // pages, and a checkpoint (with its fsync) after every batch dominated the import's wall time.
    ctx.db.pragma(`wal_autocheckpoint = ${IMPORT_WAL_PAGES}`);
    tuned.add(ctx.db);
  }
  const upsert = ctx.stmt(UPSERT);
  const maxId = ctx.stmt('SELECT coalesce(max(id), 0) FROM intel').pluck();
  return ctx.db.transaction(() => {
    // New rows get ids above the current maximum and nothing is deleted inside the transaction, so
    // the growth of max(id) counts the inserts (a value repeated in the batch is inserted once).
    const before = maxId.get() as number;
    for (const row of rows) upsert.run(...row);
    const inserted = (maxId.get() as number) - before;
    return { inserted, updated: rows.length - inserted };
  })();
}

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
