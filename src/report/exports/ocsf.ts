import { STEP_INFO, tacticsOf, techniqueName, type Severity } from '../../core/index.js';
import { formatEvidence } from '../text.js';
import type { ExportData, ExportFinding } from './data.js';

/**
 * OCSF Detection Finding (class 2004, category 2 Findings), schema 1.1.0
 * (https://schema.ocsf.io/1.1.0/classes/detection_finding): one event per stored finding, as JSON Lines.
 */
export const OCSF_VERSION = '1.1.0';
export const OCSF_CLASS_UID = 2004;
export const OCSF_CATEGORY_UID = 2;
/** activity_id 1 = Create: the finding was raised. type_uid = class_uid × 100 + activity_id. */
const ACTIVITY_CREATE = 1;

/** OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
const SEVERITY_ID: Record<Severity, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
const SEVERITY_NAME: Record<Severity, string> = {
  info: 'Informational',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

export interface OcsfOptions {
  productVersion: string;
}

/** One Detection Finding object. */
export function toOcsfFinding(
  f: ExportFinding,
  options: OcsfOptions,
  context: { incidentId: number | null },
): Record<string, unknown> {
  const time = Date.parse(f.time);
  const ms = Number.isNaN(time) ? 0 : time;
  return {
    activity_id: ACTIVITY_CREATE,
    activity_name: 'Create',
    category_uid: OCSF_CATEGORY_UID,
    category_name: 'Findings',
    class_uid: OCSF_CLASS_UID,
    class_name: 'Detection Finding',
    type_uid: OCSF_CLASS_UID * 100 + ACTIVITY_CREATE,
    type_name: 'Detection Finding: Create',
    severity_id: SEVERITY_ID[f.severity],
    severity: SEVERITY_NAME[f.severity],
    status_id: 1,
    status: 'New',
    time: ms,
    message: f.title,
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'emoguard', vendor_name: 'emoguard', version: options.productVersion },
      uid: `emoguard-finding-${f.id}`,
      ...(context.incidentId === null
        ? {}
        : { correlation_uid: `emoguard-incident-${context.incidentId}` }),
      labels: [`step:${f.step}`, `layer:${f.layer}`],
    },
    finding_info: {
      uid: `emoguard-finding-${f.id}`,
      title: f.title,
      desc: `${STEP_INFO[f.step].mark} ${STEP_INFO[f.step].en}`,
      types: [f.ruleId],
      analytic: { uid: f.ruleId, name: f.ruleId, type_id: 1, type: 'Rule' },
      first_seen_time: ms,
      last_seen_time: ms,
      ...(f.isEventTime ? {} : { created_time: ms }),
    },
    attacks: f.attack.flatMap((tid) => {
      const technique = { uid: tid, name: techniqueName(tid) ?? tid };
      const tactics = tacticsOf(tid);
      return tactics.length === 0
        ? [{ technique, version: '14' }]
        : tactics.map((t) => ({ technique, tactic: { uid: t.uid, name: t.name }, version: '14' }));
    }),
    ...(f.host === null
      ? {}
      : { device: { hostname: f.host, name: f.host, type_id: 0, type: 'Unknown' } }),
    resources: [
      {
        uid: f.artifactSha256,
        name: f.artifactPath,
        type: 'file',
        ...(f.host === null ? {} : { hostname: f.host }),
      },
    ],
    evidences: [
      {
        file: {
          name: baseName(f.artifactPath),
          path: f.artifactPath,
          type_id: 1,
          type: 'Regular File',
          hashes: [{ algorithm_id: 3, algorithm: 'SHA-256', value: f.artifactSha256 }],
        },
        data: { evidence: f.evidence.map(formatEvidence), step: f.step },
      },
    ],
    unmapped: { emoguard_finding_id: f.id, scan_id: f.scanId, is_event_time: f.isEventTime },
  };
}

const baseName = (path: string) => path.split(/[/\\!]/).at(-1) || path;

/**
 * JSON Lines: one Detection Finding per line. JSON.stringify escapes every control character, so a
 * hostile string cannot break a line.
 *
 * @example
 * writeFileSync('findings.ocsf.jsonl', toOcsfJsonLines(data, { productVersion: '0.1.0' }));
 */
export function toOcsfJsonLines(data: ExportData, options: OcsfOptions): string {
  return data.findings.map((f) => `${JSON.stringify(toOcsfFinding(f, options, data))}\n`).join('');
}
