import { ConfigError, severityRank, type Severity, type Step } from '../../core/index.js';
import { checkId, isoTime, normalizeSteps, notFound } from '../common.js';
import type { Incident, IncidentNote, NoteInput } from '../store.js';
import { createIncident, getIncident } from './incidents.js';
import type { SqliteContext } from './results.js';

/** One note's text; a pasted log belongs in evidence, not in a note. */
export const MAX_NOTE_CHARS = 64 * 1024;
/** Incidents merged in one call. */
export const MAX_MERGE_SOURCES = 1_000;

interface NoteRow {
  id: number;
  incident_id: number;
  author: string;
  text: string;
  created_at: string;
}

function toNote(row: NoteRow): IncidentNote {
  return {
    id: row.id,
    incidentId: row.incident_id,
    author: row.author,
    text: row.text,
    createdAt: new Date(row.created_at),
  };
}

function insertNote(ctx: SqliteContext, incidentId: number, note: NoteInput): IncidentNote {
  if (typeof note.text !== 'string' || note.text.trim() === '') {
    throw new ConfigError('E_STORE_INVALID_NOTE', 'a note needs text');
  }
  if (note.text.length > MAX_NOTE_CHARS) {
    throw new ConfigError('E_STORE_INVALID_NOTE', `a note is at most ${MAX_NOTE_CHARS} characters`);
  }
  if (typeof note.author !== 'string') {
    throw new ConfigError('E_STORE_INVALID_NOTE', 'a note needs an author');
  }
  const at = isoTime(note.at, new Date());
  const row = ctx
    .stmt(
      `INSERT INTO incident_notes (incident_id, author, text, created_at) VALUES (?, ?, ?, ?)
       RETURNING *`,
    )
    .get(incidentId, note.author, note.text, at) as NoteRow;
  ctx.stmt('UPDATE incidents SET updated_at = ? WHERE id = ?').run(at, incidentId);
  return toNote(row);
}

export function addIncidentNote(
  ctx: SqliteContext,
  incidentId: number,
  note: NoteInput,
): IncidentNote {
  checkId('incidentId', incidentId);
  return ctx.db.transaction(() => {
    if (getIncident(ctx, incidentId) === undefined) throw notFound('incident', incidentId);
    return insertNote(ctx, incidentId, note);
  })();
}

export function listIncidentNotes(ctx: SqliteContext, incidentId: number): IncidentNote[] {
  checkId('incidentId', incidentId);
  const rows = ctx
    .stmt('SELECT * FROM incident_notes WHERE incident_id = ? ORDER BY id')
    .all(incidentId) as NoteRow[];
  return rows.map(toNote);
}

/** Worst severity and step union of the findings linked to an incident. */
function rollup(
  ctx: SqliteContext,
  incidentId: number,
): { severity: Severity | null; steps: Step[] } {
  const rows = ctx
    .stmt(
      `SELECT DISTINCT f.severity, f.step FROM findings f
       JOIN incident_findings l ON l.finding_id = f.id WHERE l.incident_id = ?`,
    )
    .all(incidentId) as { severity: Severity; step: Step }[];
  let severity: Severity | null = null;
  for (const r of rows) {
    if (severity === null || severityRank(r.severity) > severityRank(severity))
      severity = r.severity;
  }
  return { severity, steps: normalizeSteps(rows.map((r) => r.step)) };
}

function applyRollup(ctx: SqliteContext, incident: Incident, now: string): void {
  const { severity, steps } = rollup(ctx, incident.id);
  const worst =
    severity !== null && severityRank(severity) > severityRank(incident.severity)
      ? severity
      : incident.severity;
  ctx
    .stmt('UPDATE incidents SET severity = ?, steps = ?, updated_at = ? WHERE id = ?')
    .run(worst, JSON.stringify(normalizeSteps([...incident.steps, ...steps])), now, incident.id);
}

export function mergeIncidents(
  ctx: SqliteContext,
  targetId: number,
  sourceIds: readonly number[],
  author = 'emoguard',
): Incident {
  checkId('targetId', targetId);
  for (const id of sourceIds) checkId('sourceId', id);
  const sources = [...new Set(sourceIds)];
  if (sources.length === 0 || sources.length > MAX_MERGE_SOURCES) {
    throw new ConfigError('E_STORE_INVALID_MERGE', `merge 1 to ${MAX_MERGE_SOURCES} incidents`);
  }
  if (sources.includes(targetId)) {
    throw new ConfigError('E_STORE_INVALID_MERGE', 'an incident cannot be merged into itself');
  }
  return ctx.db.transaction(() => {
    const target = getIncident(ctx, targetId);
    if (target === undefined) throw notFound('incident', targetId);
    const now = new Date().toISOString();
    for (const id of sources) {
      const source = getIncident(ctx, id);
      if (source === undefined) throw notFound('incident', id);
      ctx
        .stmt(
          `INSERT OR IGNORE INTO incident_findings (incident_id, finding_id)
           SELECT ?, finding_id FROM incident_findings WHERE incident_id = ?`,
        )
        .run(targetId, id);
      ctx.stmt('DELETE FROM incident_findings WHERE incident_id = ?').run(id);
      ctx.stmt(`UPDATE incidents SET status = 'closed', updated_at = ? WHERE id = ?`).run(now, id);
      insertNote(ctx, id, { author, text: `merged into #${targetId}` });
      // The source's own severity and steps may have been set by hand: carry them over.
      if (severityRank(source.severity) > severityRank(target.severity)) {
        target.severity = source.severity;
      }
      target.steps = normalizeSteps([...target.steps, ...source.steps]);
    }
    insertNote(ctx, targetId, {
      author,
      text: `merged #${sources.join(', #')} into this incident`,
    });
    applyRollup(ctx, target, now);
    return getIncident(ctx, targetId)!;
  })();
}

export function splitIncident(
  ctx: SqliteContext,
  incidentId: number,
  findingIds: readonly number[],
  options: { title?: string; author?: string } = {},
): Incident {
  checkId('incidentId', incidentId);
  for (const id of findingIds) checkId('findingId', id);
  const moving = [...new Set(findingIds)];
  return ctx.db.transaction(() => {
    const source = getIncident(ctx, incidentId);
    if (source === undefined) throw notFound('incident', incidentId);
    const linked = new Set(source.findingIds);
    const stray = moving.filter((id) => !linked.has(id));
    if (moving.length === 0 || stray.length > 0) {
      throw new ConfigError(
        'E_STORE_INVALID_SPLIT',
        stray.length > 0
          ? `finding ${stray.slice(0, 5).join(', ')} is not linked to incident ${incidentId}`
          : 'name the findings to split off',
      );
    }
    if (moving.length === linked.size) {
      throw new ConfigError('E_STORE_INVALID_SPLIT', 'a split must leave findings behind');
    }
    const author = options.author ?? 'emoguard';
    const created = createIncident(ctx, {
      title: options.title ?? `${source.title} (split from #${incidentId})`,
      kind: source.kind,
      ...(source.subject === null ? {} : { subject: source.subject }),
      ...(source.owner === null ? {} : { owner: source.owner }),
      ...(source.hostId === null ? {} : { hostId: source.hostId }),
      severity: 'info',
    });
    const move = ctx.stmt(
      'UPDATE incident_findings SET incident_id = ? WHERE incident_id = ? AND finding_id = ?',
    );
    for (const id of moving) move.run(created.id, incidentId, id);
    const now = new Date().toISOString();
    // The source is recomputed from what is left: a split exists to take findings (and their weight) out.
    const rest = rollup(ctx, incidentId);
    ctx
      .stmt('UPDATE incidents SET severity = ?, steps = ?, updated_at = ? WHERE id = ?')
      .run(rest.severity ?? source.severity, JSON.stringify(rest.steps), now, incidentId);
    applyRollup(ctx, getIncident(ctx, created.id)!, now);
    insertNote(ctx, incidentId, {
      author,
      text: `split ${moving.length} finding(s) into #${created.id}`,
    });
    insertNote(ctx, created.id, { author, text: `split from #${incidentId}` });
    return getIncident(ctx, created.id)!;
  })();
}
