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
    // The group's event time is its earliest detection (ISO 8601 UTC strings sort by time).
    if (d.time !== undefined && !Number.isNaN(Date.parse(d.time))) {
      const at = new Date(Date.parse(d.time)).toISOString();
      if (group.finding.observedAt === undefined || at < group.finding.observedAt) {
        group.finding.observedAt = at;
      }
    }
    if (group.finding.evidence.length < MAX_EVIDENCE_PER_RULE) {
      group.finding.evidence.push({
        location:
          d.source.recordId !== undefined
            ? `record ${d.source.recordId}`
            : `line ${d.source.line ?? '?'}`,
        ...(d.source.line !== undefined ? { line: d.source.line } : {}),
        text: clipText(summarise(d), maxEvidenceChars),
        note: clipText(
          [[d.host, d.time].filter(Boolean).join(' '), ...correlationKeys(d)].join(' | '),
          maxEvidenceChars,
        ),
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

/**
 * `key=value` facts correlation reads back (src/correlate): the process owner, the image's SHA256, the
 * process and parent ids and images (process trees), and the chain of a chain detection, so a log ties to
 * the mail that delivered the file, to the account that opened it and to the processes that followed.
 */
function correlationKeys(d: Detection): string[] {
  const data = eventFields(d.event);
  const keys: string[] = [];
  const str = (key: string) =>
    typeof data[key] === 'string' || typeof data[key] === 'number' ? String(data[key]) : '';
  if (str('User') !== '') keys.push(`user=${str('User')}`);
  const sha256 = /SHA256=([0-9a-f]{64})/i.exec(str('Hashes'));
  if (sha256) keys.push(`sha256=${sha256[1]!.toLowerCase()}`);
  if (str('ProcessId') !== '') keys.push(`pid=${str('ProcessId')}`);
  if (str('ParentProcessId') !== '') keys.push(`ppid=${str('ParentProcessId')}`);
  if (str('Image') !== '') keys.push(`image=${str('Image')}`);
  if (str('ParentImage') !== '') keys.push(`parent=${str('ParentImage')}`);
  if (d.events !== undefined && d.events.length > 1) {
    const steps = d.events.map((e) => {
      const f = eventFields(e);
      return `${String(f.Image ?? '?')}(${String(f.ProcessId ?? '?')})`;
    });
    keys.push(`chain=${steps.join(' > ')}`);
  }
  // Addresses that name a host, so correlation maps proxy/Zeek client IPs to hosts: the local side of a
  // Sysmon 3 connection (Initiated true → SourceIp, false → DestinationIp), and a logon's source
  // workstation with its address (Security 4624/4625 WorkstationName + IpAddress).
  const initiated = String(data.Initiated ?? '').toLowerCase();
  const local =
    initiated === 'true' ? str('SourceIp') : initiated === 'false' ? str('DestinationIp') : '';
  if (local !== '' && local !== '-') keys.push(`host_ip=${local}`);
  if (str('WorkstationName') !== '' && str('IpAddress') !== '' && str('IpAddress') !== '-') {
    keys.push(`src_host=${str('WorkstationName')}`, `src_ip=${str('IpAddress')}`);
  }
  return keys;
}

function eventFields(event: Record<string, unknown> | undefined): Record<string, unknown> {
  const root = (event?.Event ?? event) as Record<string, unknown> | undefined;
  const data = (root?.EventData ?? root?.UserData ?? root) as Record<string, unknown> | undefined;
  return data && typeof data === 'object' ? data : {};
}
