import type { Evidence, Extracted, FileType, Severity, Step, Verdict } from '../../core/index.js';
import type {
  ArtifactRecord,
  FindingRecord,
  Host,
  Incident,
  IncidentKind,
  IncidentStatus,
  ScanRecord,
} from '../store.js';

/** Row shapes as better-sqlite3 returns them, and their mapping to the `Store` records. */
export interface ScanRow {
  id: number;
  command: string;
  args: string;
  host: string | null;
  started_at: string;
  finished_at: string | null;
  inputs: number | null;
  malicious: number | null;
  suspicious: number | null;
  clean: number | null;
  errors: number | null;
}

export interface ArtifactRow {
  id: number;
  scan_id: number;
  host_id: number | null;
  parent_id: number | null;
  sha256: string;
  path: string;
  name: string;
  size: number;
  type: string;
  verdict: string;
  depth: number;
  relation: string | null;
  elapsed_ms: number | null;
  extracted: string;
}

export interface FindingRow {
  id: number;
  scan_id: number;
  artifact_id: number;
  host_id: number | null;
  rule_id: string;
  title: string;
  severity: string;
  step: string;
  attack: string;
  evidence: string;
  created_at: string;
  observed_at: string | null;
  artifact_path: string;
  artifact_sha256: string;
  host: string | null;
}

export interface HostRow {
  id: number;
  name: string;
  ip: string | null;
  os: string | null;
  first_seen: string;
  last_seen: string;
}

export interface IncidentRow {
  id: number;
  title: string;
  kind: string;
  subject: string | null;
  owner: string | null;
  host_id: number | null;
  severity: string;
  status: string;
  steps: string;
  created_at: string;
  updated_at: string;
  finding_ids: string;
}

// The CHECK constraints of migrations.ts guarantee the enum columns, so the casts below are sound.
export function toScan(row: ScanRow): ScanRecord {
  const summary =
    row.inputs === null
      ? null
      : {
          inputs: row.inputs,
          malicious: row.malicious ?? 0,
          suspicious: row.suspicious ?? 0,
          clean: row.clean ?? 0,
          errors: row.errors ?? 0,
        };
  return {
    id: row.id,
    command: row.command,
    args: JSON.parse(row.args) as string[],
    host: row.host,
    startedAt: new Date(row.started_at),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
    summary,
  };
}

export function toArtifact(row: ArtifactRow): ArtifactRecord {
  return {
    id: row.id,
    scanId: row.scan_id,
    hostId: row.host_id,
    parentId: row.parent_id,
    sha256: row.sha256,
    path: row.path,
    name: row.name,
    size: row.size,
    type: row.type as FileType,
    verdict: row.verdict as Verdict,
    depth: row.depth,
    relation: row.relation,
    elapsedMs: row.elapsed_ms,
    extracted: JSON.parse(row.extracted) as Extracted,
  };
}

export function toFinding(row: FindingRow): FindingRecord {
  return {
    id: row.id,
    ruleId: row.rule_id,
    title: row.title,
    severity: row.severity as Severity,
    step: row.step as Step,
    attack: JSON.parse(row.attack) as string[],
    evidence: JSON.parse(row.evidence) as Evidence[],
    scanId: row.scan_id,
    artifactId: row.artifact_id,
    artifactPath: row.artifact_path,
    artifactSha256: row.artifact_sha256,
    hostId: row.host_id,
    host: row.host,
    createdAt: new Date(row.created_at),
    observedAt: row.observed_at === null ? null : new Date(row.observed_at),
  };
}

export function toHost(row: HostRow): Host {
  return {
    id: row.id,
    name: row.name,
    ip: row.ip,
    os: row.os,
    firstSeen: new Date(row.first_seen),
    lastSeen: new Date(row.last_seen),
  };
}

export function toIncident(row: IncidentRow): Incident {
  return {
    id: row.id,
    title: row.title,
    kind: row.kind as IncidentKind,
    subject: row.subject,
    owner: row.owner,
    hostId: row.host_id,
    severity: row.severity as Severity,
    status: row.status as IncidentStatus,
    steps: JSON.parse(row.steps) as Step[],
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    findingIds: JSON.parse(row.finding_ids) as number[],
  };
}
