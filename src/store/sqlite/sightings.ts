import { ConfigError } from '../../core/index.js';
import { checkId, MAX_PAGE_SIZE } from '../common.js';
import {
  SIGHTING_KINDS,
  type SightingInput,
  type SightingQuery,
  type SightingRecord,
} from '../store.js';
import type { SqliteContext } from './results.js';

const CURSOR = 'correlation.finding';

function checkKind(kind: unknown): void {
  if (!(SIGHTING_KINDS as readonly unknown[]).includes(kind)) {
    throw new ConfigError('E_STORE_INVALID_QUERY', 'unknown sighting kind');
  }
}

/** One transaction per call; a row with an unknown kind or finding writes nothing. */
export function addSightings(ctx: SqliteContext, rows: readonly SightingInput[]): void {
  for (const row of rows) {
    checkKind(row.kind);
    checkId('findingId', row.findingId);
    if (typeof row.value !== 'string' || row.value === '') {
      throw new ConfigError('E_STORE_INVALID_QUERY', 'a sighting needs a value');
    }
  }
  const insert = ctx.stmt(
    `INSERT OR IGNORE INTO sightings (kind, value, finding_id, subject, observed_at)
     VALUES (?, ?, ?, ?, ?)`,
  );
  try {
    ctx.db.transaction(() => {
      for (const r of rows) {
        const at = r.observedAt instanceof Date ? r.observedAt : null;
        const iso = at === null || Number.isNaN(at.getTime()) ? null : at.toISOString();
        insert.run(r.kind, r.value, r.findingId, r.subject ?? null, iso);
      }
    })();
  } catch (error) {
    if (String((error as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')) {
      throw new ConfigError('E_STORE_NOT_FOUND', 'a sighting names an unknown finding', {
        cause: error,
      });
    }
    throw error;
  }
}

interface SightingRow {
  kind: SightingRecord['kind'];
  value: string;
  finding_id: number;
  subject: string | null;
  observed_at: string | null;
}

export function listSightings(ctx: SqliteContext, query: SightingQuery): SightingRecord[] {
  const limit = Math.min(query.limit ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (query.kind !== undefined) {
    checkKind(query.kind);
    conditions.push('kind = ?');
    params.push(query.kind);
  }
  if (query.value !== undefined) {
    conditions.push('value = ?');
    params.push(query.value);
  }
  if (query.values !== undefined) {
    conditions.push('value IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(query.values.slice(0, MAX_PAGE_SIZE)));
  }
  if (query.findingIds !== undefined) {
    conditions.push('finding_id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(query.findingIds.slice(0, MAX_PAGE_SIZE)));
  }
  if (conditions.length === 0) {
    throw new ConfigError('E_STORE_INVALID_QUERY', 'list sightings by kind, value or finding');
  }
  const rows = ctx
    .stmt(
      `SELECT * FROM sightings WHERE ${conditions.join(' AND ')} ORDER BY kind, value, finding_id LIMIT ?`,
    )
    .all(...params, limit) as SightingRow[];
  return rows.map((r) => ({
    kind: r.kind,
    value: r.value,
    findingId: r.finding_id,
    subject: r.subject,
    observedAt: r.observed_at === null ? null : new Date(r.observed_at),
  }));
}

export function relabelSightings(ctx: SqliteContext, from: string, to: string): number {
  if (typeof from !== 'string' || typeof to !== 'string' || from === '' || to === '') {
    throw new ConfigError('E_STORE_INVALID_QUERY', 'relabel sightings from one subject to another');
  }
  return ctx.stmt('UPDATE sightings SET subject = ? WHERE subject = ?').run(to, from).changes;
}

export function getCorrelationCursor(ctx: SqliteContext): number {
  const value = ctx.stmt('SELECT value FROM correlation_state WHERE name = ?').pluck().get(CURSOR);
  return typeof value === 'number' ? value : 0;
}

export function setCorrelationCursor(ctx: SqliteContext, findingId: number): void {
  if (!Number.isSafeInteger(findingId) || findingId < 0) {
    throw new ConfigError('E_STORE_INVALID_QUERY', 'the cursor is a non-negative integer');
  }
  ctx
    .stmt(
      `INSERT INTO correlation_state (name, value) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    )
    .run(CURSOR, findingId);
}
