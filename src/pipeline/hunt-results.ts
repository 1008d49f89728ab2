import {
  clipText,
  emptyExtracted,
  severityRank,
  verdictOf,
  type Detection,
  type FileType,
  type Finding,
  type ScanResult,
} from '../core/index.js';

export interface HuntInputInfo {
  path: string;
  sha256: string;
  size: number;
  type: FileType;
}

/** Evidence records kept per rule and input; the count of all matches is in the note. */
export const MAX_EVIDENCE_PER_RULE = 20;

/**
 * A hunted log as a scan result, so detections land in the same store and reports as every other finding:
 * one finding per (engine rule, host) with the first matching records as evidence. Finding ids are
 * `<engine>.<rule id>`: stable for a given rule.
 */
export function huntResult(
  input: HuntInputInfo,
  detections: readonly Detection[],
  maxEvidenceChars = 512,
): ScanResult {
  const groups = new Map<string, { finding: Finding; count: number }>();
  for (const d of detections) {
    const key = `${d.engine ?? ''}\u0000${d.rule.id}\u0000${d.host ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        count: 0,
        finding: {
          id: `${d.engine ?? 'hunt'}.${d.rule.id}`,
          title: d.rule.title,
          severity: d.rule.level,
          step: d.step,
          attack: [...d.attack],
          evidence: [],
        },
      };
      groups.set(key, group);
    }
    group.count++;
    if (group.finding.evidence.length < MAX_EVIDENCE_PER_RULE) {
      group.finding.evidence.push({
        location:
          d.source.recordId !== undefined
            ? `record ${d.source.recordId}`
            : `line ${d.source.line ?? '?'}`,
        ...(d.source.line !== undefined ? { line: d.source.line } : {}),
        text: clipText(summarise(d), maxEvidenceChars),
        note: [d.host, d.time].filter(Boolean).join(' '),
      });
    }
  }
  const findings = [...groups.values()].map(({ finding, count }) => {
    if (count > finding.evidence.length) {
      finding.evidence.push({ note: `${count} matches in all, ${finding.evidence.length} shown` });
    }
    return finding;
  });
  findings.sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || a.id.localeCompare(b.id),
  );
  return {
    ...input,
    verdict: verdictOf(findings),
    findings,
    extracted: emptyExtracted(),
    children: [],
  };
}

/** The few event fields a responder reads first: the command line, image, target, or the IOC. */
function summarise(d: Detection): string {
  if (d.ioc) return `${d.ioc.type} ${d.ioc.value} (${d.ioc.feed})`;
  const data = eventFields(d.event);
  for (const key of [
    'CommandLine',
    'ScriptBlockText',
    'Image',
    'TargetObject',
    'TargetFilename',
    'QueryName',
    'DestinationIp',
  ]) {
    const value = data[key];
    if (typeof value === 'string' && value !== '') return `${key}: ${value}`;
  }
  return JSON.stringify(d.event ?? {}).slice(0, 512);
}

function eventFields(event: Record<string, unknown> | undefined): Record<string, unknown> {
  const root = (event?.Event ?? event) as Record<string, unknown> | undefined;
  const data = (root?.EventData ?? root?.UserData ?? root) as Record<string, unknown> | undefined;
  return data && typeof data === 'object' ? data : {};
}
