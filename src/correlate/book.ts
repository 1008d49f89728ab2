import { severityRank, type Severity, type Step } from '../core/index.js';
import type {
  FindingRecord,
  Host,
  Incident,
  MailRecord,
  ScanRecord,
  Store,
} from '../store/index.js';
import { fileKey } from './entities.js';

// The state of one correlation pass: the incidents open per subject (with their links, so a page never
// re-reads them) and the lookups every page shares.

/** Attachments (at any depth) whose hashes and names a mail is known by. */
export const MAX_ATTACHMENTS_PER_MAIL = 200;
/** Findings of one sightings lookup linked across; bounds one popular hash linking the whole store. */
export const MAX_CROSS_LINKS = 10_000;

/** The subject of an incident as sightings store it: `host:<name>` or `mailbox:<address>`. */
export type SubjectKey = `host:${string}` | `mailbox:${string}`;

export function subjectKey(kind: 'host' | 'mailbox', subject: string): SubjectKey {
  return `${kind}:${subject.toLowerCase()}`;
}

/** A sighting's subject (stored as written, `host:PC-01`) as the key incidents are matched on. */
export function normalizeSubject(subject: string): SubjectKey {
  const colon = subject.indexOf(':');
  return subjectKey(
    subject.slice(0, colon) === 'mailbox' ? 'mailbox' : 'host',
    subject.slice(colon + 1),
  );
}

/** Incidents open for new findings, by subject; the oldest open one receives them. */
export class IncidentBook {
  readonly #bySubject = new Map<string, Incident>();
  /** Linked finding ids per incident, kept in step with `linkFindings` (no re-read per page). */
  readonly #linked = new Map<number, Set<number>>();
  readonly #touched = new Map<
    number,
    { severity: Severity; steps: Set<Step>; incident: Incident }
  >();
  readonly created: number[] = [];
  linked = 0;
  constructor(
    private readonly store: Store,
    incidents: Incident[],
  ) {
    for (const i of [...incidents].sort((a, b) => a.id - b.id)) {
      if (i.subject === null || i.status === 'closed') continue;
      const key = subjectKey(i.kind, i.subject);
      if (!this.#bySubject.has(key)) this.#bySubject.set(key, i);
    }
  }

  get(key: SubjectKey): Incident | undefined {
    return this.#bySubject.get(key);
  }

  /**
   * `subject` as written (host names keep their case); `key` compares case-insensitively. Get-or-create
   * in the store: a pass running at the same time gets the same incident, and only its creator counts it.
   */
  async open(key: SubjectKey, subject: string, hostId: number | null): Promise<Incident> {
    const known = this.#bySubject.get(key);
    if (known !== undefined) return known;
    const kind = key.slice(0, key.indexOf(':'));
    const { incident, created } = await this.store.openSubjectIncident({
      title:
        kind === 'host' ? `Compromise of host ${subject}` : `Attack mail received by ${subject}`,
      kind: kind === 'host' ? 'host' : 'mailbox',
      subject,
      severity: 'info',
      ...(hostId === null ? {} : { hostId }),
    });
    if (created) this.created.push(incident.id);
    this.#bySubject.set(key, incident);
    return incident;
  }

  /** Open incidents by subject key. */
  entries(): Array<[SubjectKey, Incident]> {
    return [...this.#bySubject.entries()] as Array<[SubjectKey, Incident]>;
  }

  /** After a merge or unlink in the store: the book re-reads the incident (or drops a closed one). */
  refresh(key: SubjectKey, incident: Incident | undefined): void {
    const old = this.#bySubject.get(key);
    if (old !== undefined) {
      this.#linked.delete(old.id);
      this.#touched.delete(old.id);
    }
    if (incident === undefined || incident.status === 'closed') this.#bySubject.delete(key);
    else this.#bySubject.set(key, incident);
  }

  /** Whether a finding is already linked to the incident. */
  has(incident: Incident, findingId: number): boolean {
    return this.#known(incident).has(findingId);
  }

  #known(incident: Incident): Set<number> {
    let known = this.#linked.get(incident.id);
    if (known === undefined) {
      known = new Set(incident.findingIds);
      this.#linked.set(incident.id, known);
    }
    return known;
  }

  async link(incident: Incident, findings: readonly FindingRecord[]): Promise<void> {
    const known = this.#known(incident);
    const fresh = findings.filter((f) => !known.has(f.id));
    if (fresh.length === 0) return;
    await this.store.linkFindings(incident.id, [...new Set(fresh.map((f) => f.id))]);
    for (const f of fresh) {
      if (known.has(f.id)) continue;
      known.add(f.id);
      this.linked++;
      let t = this.#touched.get(incident.id);
      if (t === undefined) {
        t = { severity: incident.severity, steps: new Set(incident.steps), incident };
        this.#touched.set(incident.id, t);
      }
      if (severityRank(f.severity) > severityRank(t.severity)) t.severity = f.severity;
      t.steps.add(f.step);
    }
  }

  /** Severity = worst linked (never lowered: an analyst may have raised it), steps = union. */
  async flush(): Promise<number[]> {
    const updated: number[] = [];
    for (const [id, t] of this.#touched) {
      const steps = [...t.steps];
      if (t.severity === t.incident.severity && steps.length === t.incident.steps.length) continue;
      const next = await this.store.updateIncident(id, { severity: t.severity, steps });
      t.incident.severity = next.severity;
      t.incident.steps = next.steps;
      if (!this.created.includes(id)) updated.push(id);
    }
    this.#touched.clear();
    return updated;
  }
}

/** Shared lookups of one pass: scans, hosts by name, mails and their attachments. */
export class PassCache {
  readonly scans = new Map<number, ScanRecord | undefined>();
  readonly attachments = new Map<number, { sha256: string[]; names: string[] }>();
  hostsByName = new Map<string, Host>();
  constructor(private readonly store: Store) {}

  async init(): Promise<void> {
    this.hostsByName.clear();
    for (const h of await this.store.listHosts()) this.hostsByName.set(h.name.toLowerCase(), h);
  }

  async scan(id: number): Promise<ScanRecord | undefined> {
    if (!this.scans.has(id)) this.scans.set(id, await this.store.getScan(id));
    return this.scans.get(id);
  }

  /** Hashes and names of everything under a mail (attachments, archive members), bounded. */
  async attachmentsOf(mail: MailRecord): Promise<{ sha256: string[]; names: string[] }> {
    const cached = this.attachments.get(mail.artifactId);
    if (cached !== undefined) return cached;
    const sha256 = new Set<string>();
    const names = new Set<string>();
    const queue = [mail.artifactId];
    for (let seen = 0; queue.length > 0 && seen < MAX_ATTACHMENTS_PER_MAIL;) {
      const children = await this.store.listArtifacts({ parentId: queue.shift()!, limit: 1000 });
      for (const c of children) {
        if (++seen > MAX_ATTACHMENTS_PER_MAIL) break;
        sha256.add(c.sha256.toLowerCase());
        if (c.relation === 'attachment' || c.relation === 'member') names.add(fileKey(c.name));
        queue.push(c.id);
      }
    }
    const out = { sha256: [...sha256], names: [...names].filter((n) => n.includes('.')) };
    this.attachments.set(mail.artifactId, out);
    return out;
  }
}
