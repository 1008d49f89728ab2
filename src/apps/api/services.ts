import { ConfigError, isSeverity, isStep, type Severity, type Step } from '../../core/index.js';
import type { IncidentView } from '../../correlate/types.js';
import type { CoverageMatrix } from '../../correlate/coverage/index.js';
import { buildIncidentView } from '../../correlate/index.js';
import {
  buildIncidentReport,
  readChecklistContext,
  renderIncidentHtml,
  renderIncidentMarkdown,
  type ReportLang,
} from '../../report/index.js';
import {
  INCIDENT_STATUSES,
  type FindingQuery,
  type FindingRecord,
  type IncidentStatus,
  type Store,
} from '../../store/index.js';
import type { QuarantineRecord } from '../smtp/index.js';
import type { Principal } from './http.js';
import { HttpError } from './http.js';
import { encryptedZip, type QuarantineAccess } from './quarantine.js';

export type ViewIncident = (store: Store, id: number) => Promise<IncidentView | undefined>;

export interface ReportFile {
  body: string;
  contentType: string;
  fileName: string;
}

/** Renders the report offered by "download report"; replaceable by the incident report renderers. */
export type RenderIncidentReport = (
  store: Store,
  view: IncidentView,
  options: { format: 'html' | 'md' | 'json'; lang: ReportLang },
) => Promise<ReportFile>;

export const MAX_REASON_LENGTH = 500;
/** Findings read for one text search; the search filters this window, newest rows first. */
export const SEARCH_WINDOW = 5_000;
export const SEARCH_RESULTS = 500;

export interface Services {
  store: Store;
  /** The measured coverage matrix (`emoguard coverage`), computed on first use. */
  coverage?: () => Promise<CoverageMatrix>;
  viewIncident: ViewIncident;
  renderReport: RenderIncidentReport;
  quarantine?: QuarantineAccess;
}

export function servicesOf(options: {
  store: Store;
  viewIncident?: ViewIncident;
  renderReport?: RenderIncidentReport;
  quarantine?: QuarantineAccess;
  coverage?: () => Promise<CoverageMatrix>;
}): Services {
  const coverage = options.coverage ? once(options.coverage) : undefined;
  return {
    store: options.store,
    viewIncident: options.viewIncident ?? buildIncidentView,
    renderReport: options.renderReport ?? ((st, view, o) => incidentReport(st, view, o, coverage)),
    ...(options.quarantine ? { quarantine: options.quarantine } : {}),
    ...(coverage ? { coverage } : {}),
  };
}

/**
 * The incident report of src/report (JPCERT/CC checklist, timeline, scope), as a download; with the
 * coverage matrix when the server measures it (the one computation the coverage page shares). A failed
 * measurement leaves the section out rather than failing the download.
 */
async function incidentReport(
  store: Store,
  view: IncidentView,
  options: { format: 'html' | 'md' | 'json'; lang: ReportLang },
  coverage?: () => Promise<CoverageMatrix>,
): Promise<ReportFile> {
  const context = await readChecklistContext(store, view.incident.id);
  const matrix = coverage ? await coverage().catch(() => undefined) : undefined;
  const report = buildIncidentReport(view, context, {
    lang: options.lang,
    ...(matrix ? { coverage: matrix } : {}),
  });
  const base = `emoguard-incident-${view.incident.id}-${options.lang}`;
  if (options.format === 'json') {
    const body = `${JSON.stringify(report, null, 2)}\n`;
    return { body, contentType: 'application/json', fileName: `${base}.json` };
  }
  if (options.format === 'md') {
    const body = renderIncidentMarkdown(report);
    return { body, contentType: 'text/markdown', fileName: `${base}.md` };
  }
  return { body: renderIncidentHtml(report), contentType: 'text/html', fileName: `${base}.html` };
}

/** One computation shared by all callers; a failure is not cached, so the next request tries again. */
function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= fn().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

export function parseId(text: string | undefined): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw new HttpError(404, 'not found');
  return n;
}

export function reasonOf(fields: Record<string, string>, required: boolean): string | undefined {
  const reason = (fields.reason ?? '').trim();
  if (reason.length > MAX_REASON_LENGTH) throw new HttpError(400, 'the reason is too long');
  if (required && reason === '') throw new HttpError(400, 'a reason is required');
  return reason === '' ? undefined : reason;
}

export async function getView(s: Services, id: number): Promise<IncidentView> {
  const view = await s.viewIncident(s.store, id);
  if (view === undefined) throw new HttpError(404, `incident ${id} does not exist`);
  return view;
}

export async function setStatus(
  s: Services,
  who: Principal,
  id: number,
  fields: Record<string, string>,
): Promise<void> {
  const status = fields.status as IncidentStatus;
  if (!INCIDENT_STATUSES.includes(status)) throw new HttpError(400, 'unknown status');
  const reason = reasonOf(fields, false);
  const before = await s.store.getIncident(id);
  if (before === undefined) throw new HttpError(404, `incident ${id} does not exist`);
  await s.store.updateIncident(id, { status });
  // The incident's own history shows the change too; the audit log is the tamper-evident record.
  await s.store.addIncidentNote(id, {
    author: who.user.name,
    text: `status ${before.status} → ${status}${reason ? `: ${reason}` : ''}`,
  });
  await s.store.auth.appendAudit({
    actor: who.user.name,
    action: 'incident.status',
    target: `incident:${id}`,
    ...(reason ? { reason } : {}),
    detail: { from: before.status, to: status },
  });
}

export const MAX_NOTE_LENGTH = 2_000;

export async function addNote(
  s: Services,
  who: Principal,
  id: number,
  fields: Record<string, string>,
): Promise<void> {
  const text = (fields.text ?? '').trim();
  if (text === '' || text.length > MAX_NOTE_LENGTH) {
    throw new HttpError(400, `a note has 1 to ${MAX_NOTE_LENGTH} characters`);
  }
  if ((await s.store.getIncident(id)) === undefined) {
    throw new HttpError(404, `incident ${id} does not exist`);
  }
  const note = await s.store.addIncidentNote(id, { author: who.user.name, text });
  await s.store.auth.appendAudit({
    actor: who.user.name,
    action: 'incident.note',
    target: `incident:${id}`,
    detail: { noteId: note.id },
  });
}

export interface FindingSearchInput {
  q?: string;
  step?: string;
  severity?: string;
  rule?: string;
  host?: string;
}

export async function searchFindings(
  s: Services,
  input: FindingSearchInput,
): Promise<{ findings: FindingRecord[]; truncated: boolean }> {
  const query: FindingQuery = { limit: SEARCH_WINDOW };
  if (input.step) {
    if (!isStep(input.step)) throw new HttpError(400, 'unknown step');
    query.step = input.step as Step;
  }
  if (input.severity) {
    if (!isSeverity(input.severity)) throw new HttpError(400, 'unknown severity');
    query.minSeverity = input.severity as Severity;
  }
  if (input.rule) query.ruleId = input.rule.slice(0, 200);
  if (input.host) query.host = input.host.slice(0, 200);
  const all = await s.store.listFindings(query);
  const needle = (input.q ?? '').slice(0, 200).toLowerCase();
  const matches = needle
    ? all.filter((f) =>
        [
          f.ruleId,
          f.title,
          f.artifactPath,
          f.artifactSha256,
          f.host ?? '',
          ...f.evidence.map((e) => e.text ?? ''),
        ].some((x) => x.toLowerCase().includes(needle)),
      )
    : all;
  const newest = matches.reverse();
  return { findings: newest.slice(0, SEARCH_RESULTS), truncated: newest.length > SEARCH_RESULTS };
}

function quarantineOf(s: Services): QuarantineAccess {
  if (s.quarantine === undefined)
    throw new HttpError(404, 'no quarantine configured (--quarantine DIR)');
  return s.quarantine;
}

export async function listQuarantine(s: Services): Promise<QuarantineRecord[]> {
  return (await quarantineOf(s).dir.list()).reverse();
}

async function openRecord(s: Services, id: string): Promise<QuarantineRecord> {
  const record = await quarantineOf(s).dir.get(id);
  if (record.releasedAt) {
    throw new ConfigError('E_QUARANTINE_CLOSED', `${id} was already released or deleted`);
  }
  return record;
}

export async function releaseQuarantined(
  s: Services,
  who: Principal,
  id: string,
  fields: Record<string, string>,
): Promise<string> {
  const q = quarantineOf(s);
  const reason = reasonOf(fields, true)!;
  if (q.release === undefined) throw new HttpError(409, 'release needs serve --next-hop HOST:PORT');
  const record = await openRecord(s, id);
  const response = await q.release(record, await q.dir.message(record));
  await q.dir.close(record, { status: 'released', actor: who.user.name, reason }, true);
  await s.store.auth.appendAudit({
    actor: who.user.name,
    action: 'quarantine.release',
    target: `quarantine:${id}`,
    reason,
    detail: { sha256: record.sha256, to: record.envelope.to, response: response.slice(0, 200) },
  });
  return response;
}

export async function deleteQuarantined(
  s: Services,
  who: Principal,
  id: string,
  fields: Record<string, string>,
): Promise<void> {
  const q = quarantineOf(s);
  const reason = reasonOf(fields, true)!;
  const record = await openRecord(s, id);
  await q.dir.close(record, { status: 'deleted', actor: who.user.name, reason }, true);
  await s.store.auth.appendAudit({
    actor: who.user.name,
    action: 'quarantine.delete',
    target: `quarantine:${id}`,
    reason,
    detail: { sha256: record.sha256 },
  });
}

export async function downloadQuarantined(
  s: Services,
  who: Principal,
  id: string,
  fields: Record<string, string>,
): Promise<{ zip: Uint8Array; fileName: string }> {
  const q = quarantineOf(s);
  const record = await q.dir.get(id);
  if (record.releasedAt && record.status === 'deleted')
    throw new HttpError(410, `${id} was deleted`);
  const zip = await encryptedZip(record, await q.dir.message(record), fields.password ?? '');
  await s.store.auth.appendAudit({
    actor: who.user.name,
    action: 'quarantine.download',
    target: `quarantine:${id}`,
    detail: { sha256: record.sha256 },
  });
  return { zip, fileName: `quarantine-${id}.zip` };
}
