import { ConfigError } from '../../core/index.js';
import { checkId, checkIncident, normalizeSteps, notFound } from '../common.js';
import {
  INCIDENT_STATUSES,
  type Incident,
  type IncidentPatch,
  type IncidentStatus,
  type NewIncident,
} from '../store.js';
import type { SqliteContext } from './results.js';
import { toIncident, type IncidentRow } from './rows.js';

const INCIDENT_SELECT = `SELECT i.*, (
    SELECT json_group_array(finding_id) FROM
      (SELECT finding_id FROM incident_findings WHERE incident_id = i.id ORDER BY finding_id)
  ) AS finding_ids
  FROM incidents i`;

function requireHost(ctx: SqliteContext, hostId: number | null | undefined): void {
  if (hostId === undefined || hostId === null) return;
  if (ctx.stmt('SELECT 1 FROM hosts WHERE id = ?').get(hostId) === undefined) {
    throw notFound('host', hostId);
  }
}

export function getIncident(ctx: SqliteContext, id: number): Incident | undefined {
  const row = ctx.stmt(`${INCIDENT_SELECT} WHERE i.id = ?`).get(id) as IncidentRow | undefined;
  return row === undefined ? undefined : toIncident(row);
}

export function listIncidents(ctx: SqliteContext, query: { status?: IncidentStatus }): Incident[] {
  if (query.status !== undefined && !INCIDENT_STATUSES.includes(query.status)) {
    throw new ConfigError('E_STORE_INVALID_QUERY', 'unknown incident status');
  }
  const rows = (
    query.status === undefined
      ? ctx.stmt(`${INCIDENT_SELECT} ORDER BY i.id DESC`).all()
      : ctx.stmt(`${INCIDENT_SELECT} WHERE i.status = ? ORDER BY i.id DESC`).all(query.status)
  ) as IncidentRow[];
  return rows.map(toIncident);
}

export function createIncident(ctx: SqliteContext, input: NewIncident): Incident {
  checkIncident(input);
  if (typeof input.title !== 'string') {
    throw new ConfigError('E_STORE_INVALID_INCIDENT', 'an incident needs a title');
  }
  const now = new Date().toISOString();
  return ctx.db.transaction(() => {
    requireHost(ctx, input.hostId);
    const info = ctx
      .stmt(
        `INSERT INTO incidents
           (title, kind, subject, owner, host_id, severity, status, steps, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.title,
        input.kind ?? 'host',
        input.subject ?? null,
        input.owner ?? null,
        input.hostId ?? null,
        input.severity,
        input.status ?? 'new',
        JSON.stringify(normalizeSteps(input.steps ?? [])),
        now,
        now,
      );
    return getIncident(ctx, Number(info.lastInsertRowid))!;
  })();
}

export function updateIncident(ctx: SqliteContext, id: number, patch: IncidentPatch): Incident {
  checkId('incidentId', id);
  checkIncident(patch);
  return ctx.db.transaction(() => {
    const current = getIncident(ctx, id);
    if (current === undefined) throw notFound('incident', id);
    requireHost(ctx, patch.hostId);
    const next = { ...current, ...definedOnly(patch) };
    ctx
      .stmt(
        `UPDATE incidents SET title = ?, owner = ?, host_id = ?, severity = ?, status = ?, steps = ?,
           updated_at = ?
         WHERE id = ?`,
      )
      .run(
        next.title,
        next.owner,
        next.hostId,
        next.severity,
        next.status,
        JSON.stringify(normalizeSteps(next.steps)),
        new Date().toISOString(),
        id,
      );
    return getIncident(ctx, id)!;
  })();
}

/** `{ status: undefined }` leaves the status alone rather than erasing it. */
function definedOnly(patch: IncidentPatch): IncidentPatch {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
}

export function linkFindings(
  ctx: SqliteContext,
  incidentId: number,
  findingIds: readonly number[],
): void {
  checkId('incidentId', incidentId);
  for (const id of findingIds) checkId('findingId', id);
  ctx.db.transaction(() => {
    if (ctx.stmt('SELECT 1 FROM incidents WHERE id = ?').get(incidentId) === undefined) {
      throw notFound('incident', incidentId);
    }
    const exists = ctx.stmt('SELECT 1 FROM findings WHERE id = ?');
    const link = ctx.stmt(
      'INSERT OR IGNORE INTO incident_findings (incident_id, finding_id) VALUES (?, ?)',
    );
    for (const id of findingIds) {
      if (exists.get(id) === undefined) throw notFound('finding', id);
      link.run(incidentId, id);
    }
    ctx
      .stmt('UPDATE incidents SET updated_at = ? WHERE id = ?')
      .run(new Date().toISOString(), incidentId);
  })();
}

export function unlinkFindings(
  ctx: SqliteContext,
  incidentId: number,
  findingIds: readonly number[],
): void {
  checkId('incidentId', incidentId);
  for (const id of findingIds) checkId('findingId', id);
  ctx.db.transaction(() => {
    const drop = ctx.stmt('DELETE FROM incident_findings WHERE incident_id = ? AND finding_id = ?');
    let changes = 0;
    for (const id of findingIds) changes += drop.run(incidentId, id).changes;
    if (changes > 0) {
      ctx
        .stmt('UPDATE incidents SET updated_at = ? WHERE id = ?')
        .run(new Date().toISOString(), incidentId);
    }
  })();
}
