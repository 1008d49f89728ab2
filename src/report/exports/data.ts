import { ConfigError, type Evidence, type Severity, type Step } from '../../core/index.js';
import { layerOf, type IncidentView, type Layer } from '../../correlate/index.js';
import type { FindingRecord, IocKind, Store } from '../../store/index.js';

/**
 * What every export format is made from: findings with their best-known time and layer, and IOCs with
 * where and when they were seen. Built from one incident (`exportDataFromIncident`) or from the store
 * (`readExportData`, optionally one scan), then serialised by pure functions.
 */
export interface ExportData {
  generatedAt: string;
  /** What was exported; names the Navigator layer and the STIX report. */
  title: string;
  incidentId: number | null;
  scanId: number | null;
  findings: ExportFinding[];
  iocs: ExportIoc[];
  /** True when `maxFindings` cut the list. */
  isTruncated: boolean;
}

export interface ExportFinding {
  /** Store row id. */
  id: number;
  ruleId: string;
  title: string;
  severity: Severity;
  step: Step;
  attack: string[];
  evidence: Evidence[];
  host: string | null;
  artifactPath: string;
  artifactSha256: string;
  scanId: number;
  /** ISO-8601: the event time when known, else the time the finding was stored. */
  time: string;
  isEventTime: boolean;
  layer: Layer;
}

export const EXPORT_IOC_KINDS = ['url', 'domain', 'ip', 'email', 'sha256', 'file'] as const;
export type ExportIocKind = (typeof EXPORT_IOC_KINDS)[number];

export interface ExportSighting {
  host: string | null;
  firstSeen: string;
  lastSeen: string;
  count: number;
}

export interface ExportIoc {
  kind: ExportIocKind;
  value: string;
  feeds: string[];
  sightings: ExportSighting[];
}

export const MAX_EXPORT_FINDINGS = 200_000;
const PAGE = 1_000;
const MAX_SIGHTINGS_PER_IOC = 10_000;

const iso = (d: Date | string): string => (typeof d === 'string' ? d : d.toISOString());

function toExportFinding(
  f: FindingRecord,
  time?: { at: string; isEventTime: boolean; layer?: Layer },
): ExportFinding {
  return {
    id: f.id,
    ruleId: f.ruleId,
    title: f.title,
    severity: f.severity,
    step: f.step,
    attack: f.attack,
    evidence: f.evidence,
    host: f.host,
    artifactPath: f.artifactPath,
    artifactSha256: f.artifactSha256,
    scanId: f.scanId,
    time: time?.at ?? iso(f.observedAt ?? f.createdAt),
    isEventTime: time?.isEventTime ?? f.observedAt != null,
    layer: time?.layer ?? layerOf(f.ruleId),
  };
}

/** One incident: findings timed by the correlated timeline, IOCs sighted on the incident's hosts. */
export function exportDataFromIncident(view: IncidentView, now = new Date()): ExportData {
  const byFinding = new Map(view.timeline.map((t) => [t.findingId, t]));
  const findings = view.findings.map((f) => toExportFinding(f, byFinding.get(f.id)));
  const byId = new Map(findings.map((f) => [String(f.id), f]));
  const fallbackHost = view.host?.name ?? view.scope.hosts[0] ?? null;
  const times = findings.map((f) => f.time).sort();
  const iocs = view.iocs.map((ioc): ExportIoc => {
    const seen = ioc.sources
      .map((s) => byId.get(s.replace(/^#/, '')))
      .filter((f) => f !== undefined);
    const sightings =
      seen.length > 0
        ? sightingsOf(seen.map((f) => ({ host: f.host ?? fallbackHost, time: f.time })))
        : [
            {
              host: fallbackHost,
              firstSeen: times[0] ?? now.toISOString(),
              lastSeen: times.at(-1) ?? now.toISOString(),
              count: Math.max(1, ioc.sources.length),
            },
          ];
    return { kind: ioc.kind, value: ioc.value, feeds: ioc.feeds, sightings };
  });
  return {
    generatedAt: now.toISOString(),
    title: `emoguard incident #${view.incident.id}: ${view.incident.title}`,
    incidentId: view.incident.id,
    scanId: null,
    findings,
    iocs,
    isTruncated: false,
  };
}

function sightingsOf(seen: Array<{ host: string | null; time: string }>): ExportSighting[] {
  const byHost = new Map<string, ExportSighting>();
  for (const { host, time } of seen) {
    const key = host ?? '';
    const s = byHost.get(key);
    if (s === undefined) byHost.set(key, { host, firstSeen: time, lastSeen: time, count: 1 });
    else {
      s.count += 1;
      if (time < s.firstSeen) s.firstSeen = time;
      if (time > s.lastSeen) s.lastSeen = time;
    }
  }
  return [...byHost.values()].sort((a, b) => (a.host ?? '').localeCompare(b.host ?? ''));
}

const IOC_KIND: Record<IocKind, ExportIocKind> = {
  urls: 'url',
  domains: 'domain',
  ips: 'ip',
  emails: 'email',
  files: 'file',
};

/**
 * The whole store, or one scan: findings in store order (paged, at most `maxFindings`), IOCs from every
 * artifact's extracted indicators, sighted on the artifact's host at its scan's start time.
 */
export async function readExportData(
  store: Store,
  options: { scanId?: number; now?: Date; maxFindings?: number } = {},
): Promise<ExportData> {
  const { scanId } = options;
  const max = options.maxFindings ?? MAX_EXPORT_FINDINGS;
  if (!Number.isSafeInteger(max) || max < 0) {
    throw new ConfigError('E_EXPORT_OPTION', 'maxFindings must be a non-negative integer');
  }
  const scans = new Map((await store.listScans({ limit: 10_000 })).map((s) => [s.id, s]));
  if (scanId !== undefined && !scans.has(scanId)) {
    const scan = await store.getScan(scanId);
    if (scan === undefined)
      throw new ConfigError('E_REPORT_SCAN_NOT_FOUND', `scan ${scanId} does not exist`);
    scans.set(scan.id, scan);
  }
  const filter = scanId === undefined ? {} : { scanId };
  const findings: ExportFinding[] = [];
  let isTruncated = false;
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.listFindings({ ...filter, limit: PAGE, offset });
    for (const f of page) {
      if (findings.length >= max) {
        isTruncated = true;
        break;
      }
      findings.push(toExportFinding(f));
    }
    if (page.length < PAGE || isTruncated) break;
  }
  const hosts = new Map((await store.listHosts()).map((h) => [h.id, h.name]));
  const seen = new Map<
    string,
    { kind: ExportIocKind; value: string; at: Array<{ host: string | null; time: string }> }
  >();
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.listArtifacts({ ...filter, limit: PAGE, offset });
    for (const a of page) {
      const time = scans.get(a.scanId)?.startedAt.toISOString() ?? new Date(0).toISOString();
      const host = a.hostId === null ? null : (hosts.get(a.hostId) ?? null);
      const found: Array<[ExportIocKind, string]> =
        a.verdict === 'malicious' ? [['sha256', a.sha256]] : [];
      for (const [key, kind] of Object.entries(IOC_KIND) as Array<[IocKind, ExportIocKind]>) {
        for (const value of a.extracted.iocs[key] ?? []) found.push([kind, value]);
      }
      for (const [kind, value] of found) {
        const k = `${kind}\u0000${value}`;
        const entry = seen.get(k) ?? { kind, value, at: [] };
        seen.set(k, entry);
        // SECURITY: one IOC seen in millions of artifacts must not grow without bound.
        if (entry.at.length < MAX_SIGHTINGS_PER_IOC) entry.at.push({ host, time });
      }
    }
    if (page.length < PAGE) break;
  }
  const iocs = [...seen.values()].map((e) => ({
    kind: e.kind,
    value: e.value,
    feeds: [],
    sightings: sightingsOf(e.at),
  }));
  const now = options.now ?? new Date();
  return {
    generatedAt: now.toISOString(),
    title: scanId === undefined ? 'emoguard findings (all scans)' : `emoguard scan #${scanId}`,
    incidentId: null,
    scanId: scanId ?? null,
    findings,
    iocs,
    isTruncated,
  };
}
