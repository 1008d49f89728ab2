import { ConfigError } from '../../core/index.js';
import { checkId, checkIncident, normalizeSteps, notFound } from '../common.js';
import {
  INCIDENT_STATUSES,
  type Incident,
  type IncidentKind,
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
  checkNew(input);
  return ctx.db.transaction(() => insertIncident(ctx, input, null))();
}

function checkNew(input: NewIncident): void {
  checkIncident(input);
  if (typeof input.title !== 'string') {
    throw new ConfigError('E_STORE_INVALID_INCIDENT', 'an incident needs a title');
  }
}

function insertIncident(
  ctx: SqliteContext,
  input: NewIncident,
  subjectKey: string | null,
): Incident {
  const now = new Date().toISOString();
  requireHost(ctx, input.hostId);
  const info = ctx
    .stmt(
      `INSERT INTO incidents
         (title, kind, subject, owner, host_id, severity, status, steps, created_at, updated_at,
          subject_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      subjectKey,
    );
  return getIncident(ctx, Number(info.lastInsertRowid))!;
}

/** How correlation names a subject: `host:pc-01`, `mailbox:taro@example.co.jp`. */
function subjectKeyOf(kind: string, subject: string): string {
  return `${kind}:${subject.toLowerCase()}`;
}

const OPEN_BY_KEY = `SELECT id FROM incidents WHERE subject_key = ? AND status <> 'closed'`;

export function openSubjectIncident(
  ctx: SqliteContext,
  input: NewIncident & { kind: IncidentKind; subject: string },
): { incident: Incident; created: boolean } {
  checkNew(input);
  if (typeof input.subject !== 'string' || input.subject === '') {
    throw new ConfigError('E_STORE_INVALID_INCIDENT', 'a subject incident needs a subject');
  }
  const key = subjectKeyOf(input.kind, input.subject);
  // SECURITY: IMMEDIATE takes the write lock before the lookup, and the unique partial index
  // incidents_open_subject refuses a second open row: two passes never open one subject twice.
  return ctx.db
    .transaction(() => {
      const id = ctx.stmt(OPEN_BY_KEY).pluck().get(key) as number | undefined;
      if (id !== undefined) return { incident: getIncident(ctx, id)!, created: false };
      return { incident: insertIncident(ctx, input, key), created: true };
    })
    .immediate();
}

export function updateIncident(ctx: SqliteContext, id: number, patch: IncidentPatch): Incident {
  checkId('incidentId', id);
  checkIncident(patch);
  return ctx.db.transaction(() => {
    const current = getIncident(ctx, id);
    if (current === undefined) throw notFound('incident', id);
    requireHost(ctx, patch.hostId);
    const next = { ...current, ...definedOnly(patch) };
    if (current.status === 'closed' && next.status !== 'closed') yieldSubject(ctx, id);
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

/** A reopened incident whose subject has another open incident keeps its findings but not the key. */
function yieldSubject(ctx: SqliteContext, id: number): void {
  const key = ctx.stmt('SELECT subject_key FROM incidents WHERE id = ?').pluck().get(id);
  if (typeof key !== 'string') return;
  const other = ctx.stmt(OPEN_BY_KEY).pluck().get(key) as number | undefined;
  if (other !== undefined && other !== id) {
    ctx.stmt('UPDATE incidents SET subject_key = NULL WHERE id = ?').run(id);
  }
}

/** `{ status: undefined }` leaves the status alone rather than erasing it. */
function definedOnly(patch: IncidentPatch): IncidentPatch {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
}

function checkLinkIds(incidentId: number, findingIds: readonly number[]): void {
  checkId('incidentId', incidentId);
  for (const id of findingIds) checkId('findingId', id);
}

/** A change of an incident's findings is a change of the incident. */
function touch(ctx: SqliteContext, incidentId: number): void {
  ctx
    .stmt('UPDATE incidents SET updated_at = ? WHERE id = ?')
    .run(new Date().toISOString(), incidentId);
}

export function linkFindings(
  ctx: SqliteContext,
  incidentId: number,
  findingIds: readonly number[],
): void {
  checkLinkIds(incidentId, findingIds);
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
    touch(ctx, incidentId);
  })();
}

export function unlinkFindings(
  ctx: SqliteContext,
  incidentId: number,
  findingIds: readonly number[],
): void {
  checkLinkIds(incidentId, findingIds);
  ctx.db.transaction(() => {
    const drop = ctx.stmt('DELETE FROM incident_findings WHERE incident_id = ? AND finding_id = ?');
    let changes = 0;
    for (const id of findingIds) changes += drop.run(incidentId, id).changes;
    if (changes > 0) {
      touch(ctx, incidentId);
    }
  })();
}
