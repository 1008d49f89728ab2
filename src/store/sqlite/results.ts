import type BetterSqlite3 from 'better-sqlite3';
import { ConfigError, emptyExtracted, type Finding, type ScanResult } from '../../core/index.js';
import {
  checkId,
  flattenResults,
  MAX_PAGE_SIZE,
  notFound,
  pageOf,
  severitiesFrom,
} from '../common.js';
import type {
  ArtifactQuery,
  ArtifactRecord,
  FindingQuery,
  FindingRecord,
  IocKind,
  IocQuery,
  IocRecord,
} from '../store.js';
import { insertMail } from './mails.js';
import { toArtifact, toFinding, type ArtifactRow, type FindingRow } from './rows.js';

/** What the query functions need from the store: the handle and its prepared-statement cache. */
export interface SqliteContext {
  db: BetterSqlite3.Database;
  stmt(sql: string): BetterSqlite3.Statement;
}

export const IOC_KINDS: readonly IocKind[] = ['urls', 'domains', 'ips', 'emails', 'files'];

const INSERT_ARTIFACT = `INSERT INTO artifacts
  (scan_id, host_id, parent_id, sha256, path, name, size, type, verdict, depth, relation, elapsed_ms, extracted)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const INSERT_FINDING = `INSERT INTO findings
  (scan_id, artifact_id, host_id, rule_id, title, severity, step, attack, evidence, created_at, observed_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const INSERT_IOC = `INSERT OR IGNORE INTO iocs (artifact_id, scan_id, kind, value) VALUES (?, ?, ?, ?)`;

/**
 * Inserts whole result trees inside the caller's transaction. Statements are prepared once per store, so
 * a batch of 100 results with their children costs only row inserts.
 */
export function insertResults(
  ctx: SqliteContext,
  scanId: number,
  results: readonly ScanResult[],
  hostId: number | null,
  createdAt: string,
): void {
  const nodes = flattenResults(results);
  const artifact = ctx.stmt(INSERT_ARTIFACT);
  const finding = ctx.stmt(INSERT_FINDING);
  const ioc = ctx.stmt(INSERT_IOC);
  const rowIds: number[] = [];
  for (const { node, depth, parent, name } of nodes) {
    const extracted = node.extracted ?? emptyExtracted();
    // SECURITY: every value from input is a bound parameter; nothing is spliced into SQL text.
    const id = Number(
      artifact.run(
        scanId,
        hostId,
        parent === null ? null : rowIds[parent]!,
        node.sha256,
        node.path,
        name,
        node.size,
        node.type,
        node.verdict,
        depth,
        node.relation ?? null,
        node.elapsedMs ?? null,
        JSON.stringify(extracted),
      ).lastInsertRowid,
    );
    rowIds.push(id);
    for (const f of node.findings) {
      finding.run(
        scanId,
        id,
        hostId,
        f.id,
        f.title,
        f.severity,
        f.step,
        JSON.stringify(f.attack),
        JSON.stringify(f.evidence),
        createdAt,
        observedTime(f.observedAt),
      );
    }
    if (extracted.mail !== undefined) insertMail(ctx, id, scanId, extracted.mail);
    for (const kind of IOC_KINDS) {
      for (const value of extracted.iocs?.[kind] ?? []) ioc.run(id, scanId, kind, value);
    }
  }
}

/** An event time as stored: ISO UTC when it parses, else null (a hostile Date header is no error). */
function observedTime(value: string | undefined): string | null {
  if (typeof value !== 'string') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** Builds `WHERE …` from optional conditions; the SQL text depends only on which filters are set. */
function where(conditions: (string | false)[]): string {
  const set = conditions.filter((c): c is string => c !== false);
  return set.length === 0 ? '' : `WHERE ${set.join(' AND ')}`;
}

export function listArtifacts(ctx: SqliteContext, query: ArtifactQuery = {}): ArtifactRecord[] {
  checkId('scanId', query.scanId);
  const { limit, offset } = pageOf(query);
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) =>
    value === undefined ? false : (params.push(value), sql);
  const sql = `SELECT * FROM artifacts ${where([
    add('scan_id = ?', query.scanId),
    add('parent_id = ?', query.parentId),
    add('verdict = ?', query.verdict),
    add('sha256 = ?', query.sha256),
  ])} ORDER BY id LIMIT ? OFFSET ?`;
  const rows = ctx.stmt(sql).all(...params, limit, offset) as ArtifactRow[];
  return rows.map(toArtifact);
}

export function getArtifact(ctx: SqliteContext, id: number): ArtifactRecord | undefined {
  const row = ctx.stmt('SELECT * FROM artifacts WHERE id = ?').get(id) as ArtifactRow | undefined;
  return row === undefined ? undefined : toArtifact(row);
}

const FINDING_SELECT = `SELECT f.*, a.path AS artifact_path, a.sha256 AS artifact_sha256, h.name AS host
  FROM findings f JOIN artifacts a ON a.id = f.artifact_id LEFT JOIN hosts h ON h.id = f.host_id`;

export function listFindings(ctx: SqliteContext, query: FindingQuery = {}): FindingRecord[] {
  checkId('scanId', query.scanId);
  checkId('artifactId', query.artifactId);
  checkId('incidentId', query.incidentId);
  for (const id of query.ids ?? []) checkId('findingId', id);
  checkId('underArtifactId', query.underArtifactId);
  if (query.afterId !== undefined && !(Number.isSafeInteger(query.afterId) && query.afterId >= 0)) {
    throw new ConfigError('E_STORE_INVALID_QUERY', 'afterId must be a non-negative integer');
  }
  const { limit, offset } = pageOf(query);
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) =>
    value === undefined ? false : (params.push(value), sql);
  const severities = query.minSeverity === undefined ? [] : severitiesFrom(query.minSeverity);
  params.push(...severities);
  const sql = `${FINDING_SELECT} ${where([
    severities.length > 0 && `f.severity IN (${severities.map(() => '?').join(', ')})`,
    add('f.scan_id = ?', query.scanId),
    add('f.artifact_id = ?', query.artifactId),
    add('f.step = ?', query.step),
    add('f.rule_id = ?', query.ruleId),
    add('h.name = ?', query.host),
    add('f.id > ?', query.afterId),
    add(
      `f.artifact_id IN (WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL
         SELECT a.id FROM artifacts a JOIN sub ON a.parent_id = sub.id) SELECT id FROM sub)`,
      query.underArtifactId,
    ),
    add(
      'f.id IN (SELECT value FROM json_each(?))',
      query.ids === undefined ? undefined : JSON.stringify(query.ids.slice(0, MAX_PAGE_SIZE)),
    ),
    add(
      'f.id IN (SELECT finding_id FROM incident_findings WHERE incident_id = ?)',
      query.incidentId,
    ),
  ])} ORDER BY f.id LIMIT ? OFFSET ?`;
  const rows = ctx.stmt(sql).all(...params, limit, offset) as FindingRow[];
  return rows.map(toFinding);
}

export function listIocs(ctx: SqliteContext, query: IocQuery = {}): IocRecord[] {
  checkId('scanId', query.scanId);
  if (query.kind !== undefined && !IOC_KINDS.includes(query.kind)) {
    throw new ConfigError('E_STORE_INVALID_QUERY', 'unknown IOC kind');
  }
  const { limit, offset } = pageOf(query);
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) =>
    value === undefined ? false : (params.push(value), sql);
  const sql = `SELECT kind, value, count(*) AS artifacts FROM iocs ${where([
    add('scan_id = ?', query.scanId),
    add('kind = ?', query.kind),
  ])} GROUP BY kind, value ORDER BY kind, value LIMIT ? OFFSET ?`;
  return ctx.stmt(sql).all(...params, limit, offset) as IocRecord[];
}

const SUBTREE = `WITH RECURSIVE sub(id) AS (
  SELECT id FROM artifacts WHERE id = ?
  UNION ALL SELECT a.id FROM artifacts a JOIN sub ON a.parent_id = sub.id)`;

/** Rebuilds a stored tree. Row ids grow in insertion order, so a parent is always met before its children. */
export function getResult(ctx: SqliteContext, artifactId: number): ScanResult | undefined {
  const rows = ctx
    .stmt(`${SUBTREE} SELECT a.* FROM artifacts a JOIN sub ON sub.id = a.id ORDER BY a.id`)
    .all(artifactId) as ArtifactRow[];
  if (rows.length === 0) return undefined;
  const findings = ctx
    .stmt(`${SUBTREE} SELECT f.* FROM findings f JOIN sub ON sub.id = f.artifact_id ORDER BY f.id`)
    .all(artifactId) as FindingRow[];
  const byArtifact = new Map<number, Finding[]>();
  for (const row of findings) {
    const list = byArtifact.get(row.artifact_id) ?? [];
    const { ruleId, title, severity, step, attack, evidence } = toFinding(row);
    list.push({
      id: ruleId,
      title,
      severity,
      step,
      attack,
      evidence,
      ...(row.observed_at === null ? {} : { observedAt: row.observed_at }),
    });
    byArtifact.set(row.artifact_id, list);
  }
  const nodes = new Map<number, ScanResult>();
  for (const row of rows) {
    const a = toArtifact(row);
    const node: ScanResult = {
      path: a.path,
      sha256: a.sha256,
      size: a.size,
      type: a.type,
      verdict: a.verdict,
      findings: byArtifact.get(a.id) ?? [],
      extracted: a.extracted,
      children: [],
      ...(a.relation === null ? {} : { relation: a.relation }),
      ...(a.elapsedMs === null ? {} : { elapsedMs: a.elapsedMs }),
    };
    nodes.set(a.id, node);
    if (a.id !== artifactId && a.parentId !== null) nodes.get(a.parentId)?.children.push(node);
  }
  return nodes.get(artifactId);
}

export function requireScan(ctx: SqliteContext, scanId: number): void {
  checkId('scanId', scanId);
  if (ctx.stmt('SELECT 1 FROM scans WHERE id = ?').get(scanId) === undefined) {
    throw notFound('scan', scanId);
  }
}
