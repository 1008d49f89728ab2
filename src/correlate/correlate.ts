import { severityRank, type Severity } from '../core/index.js';
import type { FindingRecord, MailRecord, SightingInput, Store } from '../store/index.js';
import {
  entitiesOf,
  isLinkingKind,
  mailboxAccountKeys,
  userAccountKey,
  type Entity,
} from './entities.js';
import {
  IncidentBook,
  MAX_CROSS_LINKS,
  normalizeSubject,
  PassCache,
  subjectKey,
  type SubjectKey,
} from './book.js';
import { isContentLayer, isHostLayer, layerOf } from './layers.js';
import type { CorrelationSummary } from './types.js';

export interface CorrelateOptions {
  /** Re-read every finding instead of those after the stored cursor (still idempotent). */
  full?: boolean;
  /** Findings read per page (default 5,000). */
  pageSize?: number;
}

export {
  MAX_ATTACHMENTS_PER_MAIL,
  MAX_CROSS_LINKS,
  normalizeSubject,
  subjectKey,
  type SubjectKey,
} from './book.js';

/** Recipients that make an incident each; a mail to a whole company is one mail, not 10,000 incidents. */
export const MAX_RECIPIENT_INCIDENTS = 50;
interface Placed {
  finding: FindingRecord;
  subjects: SubjectKey[];
  /** Each subject as written, by key. */
  names: Map<SubjectKey, string>;
  entities: Entity[];
}

/** Host findings that make an incident; lower ones only join an incident that exists. */
const OPENS_INCIDENT: Severity = 'medium';

/**
 * One correlation pass over the findings stored since the last pass (or all with `full`). Idempotent:
 * a finding is linked to an incident at most once and an incident is created once per open subject.
 *
 * - host incidents: findings of the endpoint, network and response layers, by the host they were stored
 *   under (a network log's client IP maps to the host that has that IP);
 * - mailbox incidents: mail and document findings, by the recipients of the mail that delivered them;
 * - links across: a host finding that names a delivered file (same SHA256, file name or URL) pulls the
 *   mail and document findings of that file into the host's incident, whichever was stored first; a
 *   finding with no subject (a memory dump, a network log without client) joins the hosts it shares an
 *   indicator with.
 *
 * Not safe against two passes running at the same moment on one store (both could open an incident for a
 * new subject); the CLI runs one pass per command.
 *
 * @example
 * const summary = await correlate(store); // { created: [1], updated: [], linked: 12 }
 */
export async function correlate(
  store: Store,
  options: CorrelateOptions = {},
): Promise<CorrelationSummary> {
  const pageSize = Math.max(1, Math.min(options.pageSize ?? 5_000, 10_000));
  const cache = new PassCache(store);
  await cache.init();
  const book = new IncidentBook(store, await store.listIncidents());
  let cursor = options.full === true ? 0 : await store.getCorrelationCursor();
  const updated = new Set<number>();
  for (;;) {
    const page = await store.listFindings({ afterId: cursor, limit: pageSize });
    if (page.length === 0) break;
    const placed = await place(store, cache, page);
    await store.addSightings(sightingsOf(placed));
    await assign(book, placed);
    await crossLink(store, book, placed);
    for (const id of await book.flush()) updated.add(id);
    cursor = page[page.length - 1]!.id;
    await store.setCorrelationCursor(Math.max(cursor, await store.getCorrelationCursor()));
  }
  for (const id of book.created) updated.delete(id);
  return {
    created: book.created,
    updated: [...updated].sort((a, b) => a - b),
    linked: book.linked,
  };
}

/** Subjects and entities of each finding of a page. */
async function place(store: Store, cache: PassCache, page: FindingRecord[]): Promise<Placed[]> {
  const content = page.filter((f) => isContentLayer(layerOf(f.ruleId)));
  const mails = new Map<number, MailRecord>();
  for (const { artifactId, mail } of await store.findDeliveringMails([
    ...new Set(content.map((f) => f.artifactId)),
  ])) {
    mails.set(artifactId, mail);
  }
  const out: Placed[] = [];
  for (const finding of page) {
    const layer = layerOf(finding.ruleId);
    const entities = entitiesOf(finding.evidence);
    const subjects: SubjectKey[] = [];
    const names = new Map<SubjectKey, string>();
    if (isContentLayer(layer)) {
      const mail = mails.get(finding.artifactId);
      if (mail !== undefined) {
        const recipients = [...new Set([...mail.to, ...mail.cc].map((a) => a.toLowerCase()))];
        for (const r of recipients.slice(0, MAX_RECIPIENT_INCIDENTS)) {
          subjects.push(subjectKey('mailbox', r));
          names.set(subjectKey('mailbox', r), r);
          entities.push({ kind: 'mailbox', value: r });
          for (const value of mailboxAccountKeys(r)) entities.push({ kind: 'user', value });
        }
        const attached = await cache.attachmentsOf(mail);
        for (const value of attached.sha256) entities.push({ kind: 'sha256', value });
        for (const value of attached.names) entities.push({ kind: 'file', value });
      }
      if (finding.artifactPath.includes('!') || mail === undefined) {
        entities.push({ kind: 'sha256', value: finding.artifactSha256.toLowerCase() });
      }
    } else if (finding.host !== null && (await isHostFact(cache, finding, layer))) {
      const host = cache.hostsByIp.get(finding.host)?.name ?? finding.host;
      subjects.push(subjectKey('host', host));
      names.set(subjectKey('host', host), host);
      entities.push({ kind: 'host', value: host });
      for (const e of [...entities]) {
        const key = e.kind === 'user' ? userAccountKey(e.value) : null;
        if (key !== null) entities.push({ kind: 'user', value: key });
      }
      const own = new Set([finding.host.toLowerCase(), host.toLowerCase()]);
      for (let i = entities.length - 1; i >= 0; i--) {
        if (entities[i]!.kind === 'ip' && own.has(entities[i]!.value)) entities.splice(i, 1);
      }
    }
    out.push({ finding, subjects, names, entities: dedupe(entities) });
  }
  return out;
}

/**
 * Whether the finding's host is where it happened. Hunt and triage store the host the log or snapshot
 * names; a network log without a client address falls back to the hunting machine (the scan's host),
 * which is not the victim. Memory findings from `scan` carry the scanning machine too.
 */
async function isHostFact(cache: PassCache, f: FindingRecord, layer: string): Promise<boolean> {
  const scan = await cache.scan(f.scanId);
  if (layer === 'memory')
    return scan !== undefined && scan.command !== 'scan' && scan.command !== 'demo';
  if (!isHostLayer(layerOf(f.ruleId))) return false;
  if (layer === 'network' && scan !== undefined && scan.host === f.host) return false;
  return true;
}

function dedupe(entities: Entity[]): Entity[] {
  const seen = new Set<string>();
  return entities.filter((e) => {
    const key = `${e.kind}\u0000${e.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sightingsOf(placed: readonly Placed[]): SightingInput[] {
  const rows: SightingInput[] = [];
  for (const p of placed) {
    for (const e of p.entities) {
      const key = p.subjects[0];
      const subject =
        key === undefined ? null : `${key.slice(0, key.indexOf(':'))}:${p.names.get(key) ?? key}`;
      rows.push({ ...e, findingId: p.finding.id, subject });
    }
  }
  return rows;
}

async function assign(book: IncidentBook, placed: readonly Placed[]): Promise<void> {
  const bySubject = new Map<SubjectKey, FindingRecord[]>();
  const names = new Map<SubjectKey, string>();
  for (const p of placed) {
    for (const s of p.subjects) {
      names.set(s, p.names.get(s) ?? s);
      const list = bySubject.get(s) ?? [];
      list.push(p.finding);
      bySubject.set(s, list);
    }
  }
  for (const [subject, findings] of bySubject) {
    let incident = book.get(subject);
    if (incident === undefined) {
      const opens = findings.some((f) => severityRank(f.severity) >= severityRank(OPENS_INCIDENT));
      if (!opens) continue;
      const hostId = subject.startsWith('host:')
        ? (findings.find((f) => f.hostId !== null)?.hostId ?? null)
        : null;
      incident = await book.open(subject, names.get(subject) ?? subject, hostId);
    }
    await book.link(incident, findings);
  }
}

/**
 * Links across subjects through shared entities: host ↔ delivered content (hash, name, URL), and
 * findings without a subject → the hosts that share an indicator with them.
 */
async function crossLink(
  store: Store,
  book: IncidentBook,
  placed: readonly Placed[],
): Promise<void> {
  const byKind = new Map<Entity['kind'], Set<string>>();
  for (const p of placed) {
    for (const e of p.entities) {
      if (!isLinkingKind(e.kind, e.value)) continue;
      const set = byKind.get(e.kind) ?? new Set<string>();
      set.add(e.value);
      byKind.set(e.kind, set);
    }
  }
  // host subject → findings to pull in
  const pulls = new Map<SubjectKey, Set<number>>();
  /** Pulled findings that came with a mail: the whole mail follows them (expandMails). */
  const fromMail = new Set<number>();
  const pull = (host: SubjectKey, findingId: number) => {
    const set = pulls.get(host) ?? new Set<number>();
    if (set.size < MAX_CROSS_LINKS) set.add(findingId);
    pulls.set(host, set);
  };
  for (const [kind, values] of byKind) {
    const list = [...values];
    for (let i = 0; i < list.length; i += 1_000) {
      const rows = await store.listSightings({ kind, values: list.slice(i, i + 1_000) });
      const byValue = new Map<string, typeof rows>();
      for (const r of rows) {
        const group = byValue.get(r.value) ?? [];
        group.push(r);
        byValue.set(r.value, group);
      }
      for (const group of byValue.values()) {
        const hosts = group.filter((r) => r.subject?.startsWith('host:'));
        if (hosts.length === 0) continue;
        // A mailbox's mail shares its URLs and domains with every reader: only files tie it to a host.
        const others = group.filter(
          (r) =>
            r.subject === null ||
            (r.subject.startsWith('mailbox:') &&
              (kind === 'sha256' || kind === 'file' || kind === 'url' || kind === 'user')),
        );
        for (const h of new Set(hosts.map((r) => normalizeSubject(r.subject!)))) {
          for (const o of others) {
            pull(h, o.findingId);
            if (o.subject !== null) fromMail.add(o.findingId);
          }
        }
      }
    }
  }
  for (const [host, ids] of pulls) {
    const incident = book.get(host);
    if (incident === undefined) continue;
    const missing = [...ids].filter((id) => !book.has(incident, id));
    if (missing.length === 0) continue;
    const findings = await findingsById(store, missing);
    await book.link(incident, findings);
    await book.link(
      incident,
      await expandMails(
        store,
        findings.filter((f) => fromMail.has(f.id)),
      ),
    );
  }
}

/** Every finding of the mails (with their attachments) that delivered these findings' artifacts. */
async function expandMails(
  store: Store,
  findings: readonly FindingRecord[],
): Promise<FindingRecord[]> {
  if (findings.length === 0) return [];
  const mails = new Set(
    (await store.findDeliveringMails([...new Set(findings.map((f) => f.artifactId))])).map(
      (d) => d.mail.artifactId,
    ),
  );
  const out: FindingRecord[] = [];
  for (const id of mails) {
    out.push(...(await store.listFindings({ underArtifactId: id, limit: MAX_CROSS_LINKS })));
  }
  return out;
}

async function findingsById(store: Store, ids: number[]): Promise<FindingRecord[]> {
  const out: FindingRecord[] = [];
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i += 5_000) {
    const chunk = sorted.slice(i, i + 5_000);
    out.push(...(await store.listFindings({ ids: chunk, limit: chunk.length })));
  }
  return out;
}
