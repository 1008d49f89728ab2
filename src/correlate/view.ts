import { ConfigError, severityRank, STEPS, techniqueName, type Step } from '../core/index.js';
import type { FindingRecord, MailRecord, SightingRecord, Store } from '../store/index.js';
import { subjectKey } from './book.js';
import { LAYERS, type Layer } from './types.js';
import { ACCOUNT } from './entities.js';
import { isContentLayer, layerOf } from './layers.js';
import { buildProcessTree } from './process-tree.js';
import { affectedData, externalContacts, lateralEdges, sharedIndicators } from './scope.js';
import type {
  IncidentIoc,
  IncidentTechnique,
  IncidentView,
  StepObservation,
  TimelineEntry,
} from './types.js';

/** Linked findings read into one view; an incident past this is summarised from its first findings. */
export const MAX_VIEW_FINDINGS = 20_000;
/** IOCs looked up in the intel store per view. */
export const MAX_VIEW_IOCS = 500;
/** Findings whose disarm or gateway action stopped the step. */
const BLOCKING = /disarm|quarantin|reject|blocked/;

/**
 * One incident seen whole: progression per step, timeline, scope, process tree, IOCs with the feeds that
 * list them, techniques and the delivering mails. An unknown id throws `E_STORE_NOT_FOUND`.
 *
 * @example
 * const view = await buildIncidentView(store, 1);
 * view.progression.filter((s) => s.observed).map((s) => s.step); // ['1', '2', '3', '4', '5', '6']
 */
export async function buildIncidentView(store: Store, id: number): Promise<IncidentView> {
  const incident = await store.getIncident(id);
  if (incident === undefined) {
    throw new ConfigError('E_STORE_NOT_FOUND', `incident ${id} does not exist`);
  }
  const findings = await linkedFindings(store, id);
  const host =
    incident.hostId === null
      ? null
      : ((await store.listHosts()).find((h) => h.id === incident.hostId) ?? null);
  const sightings = await sightingsOf(store, findings);
  const mails = await deliveringMails(store, findings);
  const hosts = new Set<string>();
  const users = new Set<string>();
  const mailboxes = new Set<string>();
  if (incident.subject !== null) {
    (incident.kind === 'host' ? hosts : mailboxes).add(incident.subject);
  }
  for (const s of sightings) {
    if (s.kind === 'host' && ![...hosts].some((h) => h.toLowerCase() === s.value.toLowerCase())) {
      hosts.add(s.value);
    }
    if (s.kind === 'user' && !s.value.startsWith(ACCOUNT)) users.add(s.value);
    if (s.kind === 'mailbox') mailboxes.add(s.value);
  }
  const subjects = new Set<string>(
    [...hosts]
      .map((h) => subjectKey('host', h))
      .concat([...mailboxes].map((m) => subjectKey('mailbox', m))),
  );
  return {
    incident,
    host,
    progression: progression(findings),
    timeline: timeline(findings),
    scope: {
      hosts: [...hosts].sort(),
      users: [...users].sort(),
      mailboxes: [...mailboxes].sort(),
      externalContacts: await externalContacts(store, [...mailboxes], mails, findings),
      lateral: lateralEdges(findings),
      shared: await sharedIndicators(store, sightings, findings, subjects),
      affectedData: affectedData(findings),
    },
    processTree: buildProcessTree(findings.filter((f) => layerOf(f.ruleId) === 'endpoint')),
    iocs: await iocs(store, sightings, findings),
    techniques: techniques(findings),
    findings,
    notes: await store.listIncidentNotes(id),
    mails: await mailViews(store, mails),
  };
}

async function linkedFindings(store: Store, incidentId: number): Promise<FindingRecord[]> {
  const out: FindingRecord[] = [];
  for (let afterId = 0; out.length < MAX_VIEW_FINDINGS;) {
    const page = await store.listFindings({
      incidentId,
      afterId,
      limit: Math.min(10_000, MAX_VIEW_FINDINGS - out.length),
    });
    if (page.length === 0) break;
    out.push(...page);
    afterId = page[page.length - 1]!.id;
  }
  return out.sort((a, b) => eventTime(a).localeCompare(eventTime(b)) || a.id - b.id);
}

function eventTime(f: FindingRecord): string {
  return (f.observedAt ?? f.createdAt).toISOString();
}

async function sightingsOf(
  store: Store,
  findings: readonly FindingRecord[],
): Promise<SightingRecord[]> {
  const out: SightingRecord[] = [];
  for (let i = 0; i < findings.length; i += 1_000) {
    out.push(
      ...(await store.listSightings({ findingIds: findings.slice(i, i + 1_000).map((f) => f.id) })),
    );
  }
  return out;
}

async function deliveringMails(
  store: Store,
  findings: readonly FindingRecord[],
): Promise<MailRecord[]> {
  const ids = [
    ...new Set(findings.filter((f) => isContentLayer(layerOf(f.ruleId))).map((f) => f.artifactId)),
  ];
  const mails = new Map<number, MailRecord>();
  for (const { mail } of await store.findDeliveringMails(ids)) mails.set(mail.artifactId, mail);
  return [...mails.values()];
}

export function progression(findings: readonly FindingRecord[]): StepObservation[] {
  return STEPS.map((step: Step) => {
    const mine = findings.filter((f) => f.step === step);
    const layers = new Set(mine.map((f) => layerOf(f.ruleId)));
    const times = mine
      .map((f) => f.observedAt?.toISOString())
      .filter((t): t is string => t !== undefined)
      .sort();
    let worst: FindingRecord['severity'] | null = null;
    for (const f of mine) {
      if (worst === null || severityRank(f.severity) > severityRank(worst)) worst = f.severity;
    }
    return {
      step,
      observed: mine.length > 0,
      layers: LAYERS.filter((l: Layer) => layers.has(l)),
      firstSeen: times[0] ?? null,
      lastSeen: times[times.length - 1] ?? null,
      findings: mine.length,
      worstSeverity: worst,
      blocked: mine.some((f) => layerOf(f.ruleId) === 'disarm' || BLOCKING.test(f.ruleId)),
    };
  });
}

export function timeline(findings: readonly FindingRecord[]): TimelineEntry[] {
  return findings.map((f) => {
    const first = f.evidence[0];
    const summary =
      [first?.text, first?.location, first?.note].find((s) => typeof s === 'string' && s !== '') ??
      f.title;
    return {
      at: eventTime(f),
      isEventTime: f.observedAt !== null,
      step: f.step,
      layer: layerOf(f.ruleId),
      severity: f.severity,
      findingId: f.id,
      ruleId: f.ruleId,
      title: f.title,
      // A content finding's stored host is the machine that scanned it, not where the attack happened.
      host: isContentLayer(layerOf(f.ruleId)) ? null : f.host,
      artifactPath: f.artifactPath,
      artifactSha256: f.artifactSha256,
      summary: summary.replace(/\s+/g, ' ').slice(0, 200),
    };
  });
}

const IOC_KIND: Partial<Record<SightingRecord['kind'], IncidentIoc['kind']>> = {
  url: 'url',
  domain: 'domain',
  ip: 'ip',
  sha256: 'sha256',
  file: 'file',
};

async function iocs(
  store: Store,
  sightings: readonly SightingRecord[],
  findings: readonly FindingRecord[],
): Promise<IncidentIoc[]> {
  const out = new Map<string, IncidentIoc>();
  for (const s of sightings) {
    const kind = IOC_KIND[s.kind];
    if (kind === undefined) continue;
    const key = `${kind}\u0000${s.value}`;
    let ioc = out.get(key);
    if (ioc === undefined) {
      if (out.size >= MAX_VIEW_IOCS) continue;
      ioc = { kind, value: s.value, sources: [], feeds: [] };
      out.set(key, ioc);
    }
    if (ioc.sources.length < 5 && !ioc.sources.includes(`finding ${s.findingId}`)) {
      ioc.sources.push(`finding ${s.findingId}`);
    }
  }
  void findings;
  for (const ioc of out.values()) {
    if (ioc.kind === 'file') continue;
    const rows = await store.listIntel({ value: ioc.value, limit: 20 });
    ioc.feeds = [...new Set(rows.map((r) => r.source))].sort();
  }
  return [...out.values()];
}

export function techniques(findings: readonly FindingRecord[]): IncidentTechnique[] {
  const byId = new Map<string, IncidentTechnique>();
  for (const f of findings) {
    for (const t of f.attack) {
      let item = byId.get(t);
      if (item === undefined) {
        item = { id: t, name: techniqueName(t) ?? t, steps: [], findings: 0 };
        byId.set(t, item);
      }
      if (!item.steps.includes(f.step)) item.steps.push(f.step);
      item.findings++;
    }
  }
  for (const item of byId.values()) item.steps = STEPS.filter((s) => item.steps.includes(s));
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

async function mailViews(
  store: Store,
  mails: readonly MailRecord[],
): Promise<IncidentView['mails']> {
  const out: IncidentView['mails'] = [];
  for (const m of mails.slice(0, 200)) {
    const children = await store.listArtifacts({ parentId: m.artifactId, limit: 200 });
    out.push({
      artifactId: m.artifactId,
      subject: m.subject,
      from: m.from,
      to: [...m.to, ...m.cc],
      date: m.date,
      messageId: m.messageId,
      attachments: children
        .filter((c) => c.relation === 'attachment')
        .map((c) => ({ name: c.name, sha256: c.sha256, verdict: c.verdict })),
    });
  }
  return out;
}
