import { severityRank, type Severity } from '../core/index.js';
import type {
  FindingRecord,
  Host,
  HostAddressInput,
  MailRecord,
  SightingInput,
  Store,
} from '../store/index.js';
import { AddressBook, addressFactsOf, ipLiteral } from './addresses.js';
import { resolveAddressIncidents } from './address-incidents.js';
import {
  documentNameOf,
  entitiesOf,
  mailboxAccountKeys,
  userAccountKey,
  type Entity,
} from './entities.js';
import { IncidentBook, PassCache, subjectKey, type SubjectKey } from './book.js';
import { crossLink } from './cross-link.js';
import { isContentLayer, isHostLayer, layerOf } from './layers.js';
import { noteTime } from './process-tree.js';
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
  /** Event time: the host event's, or the delivering mail's date for content. */
  at: Date | null;
  /** Host findings: per entity (`kind\0value`), the latest time of the evidence records naming it. */
  times?: Map<string, Date> | undefined;
}

/** Host findings that make an incident; lower ones only join an incident that exists. */
const OPENS_INCIDENT: Severity = 'medium';

/**
 * One correlation pass over the findings stored since the last pass (or all with `full`). Idempotent:
 * a finding is linked to an incident at most once and an incident is created once per open subject.
 *
 * - host incidents: findings of the endpoint, network and response layers, by the host they were stored
 *   under (a network log's client IP maps to the host that held that IP at the finding's time, from the
 *   addresses layers observed; an address no layer has seen opens an incident named by the address,
 *   merged into the host's incident in the first pass that can resolve it);
 * - mailbox incidents: mail and document findings, by the recipients of the mail that delivered them;
 * - links across: a host finding that names a delivered file (same SHA256, file name or URL) pulls the
 *   mail and document findings of that file into the host's incident, whichever was stored first, from
 *   the closest mail delivered before the host event (with a clock-skew allowance); a
 *   finding with no subject (a memory dump, a network log without client) joins the hosts it shares an
 *   indicator with.
 *
 * Two passes at once on one store open one incident per subject (the store's get-or-create); links
 * are idempotent, so the later pass only repeats work.
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
  const addresses = new AddressBook(store);
  const book = new IncidentBook(store, await store.listIncidents());
  let cursor = options.full === true ? 0 : await store.getCorrelationCursor();
  const updated = new Set<number>();
  for (;;) {
    const page = await store.listFindings({ afterId: cursor, limit: pageSize });
    if (page.length === 0) break;
    const placed = await place(store, cache, addresses, page);
    await store.addSightings(sightingsOf(placed));
    await assign(book, placed, cache.hostsByName);
    await crossLink(store, book, placed);
    for (const id of await book.flush()) updated.add(id);
    cursor = page[page.length - 1]!.id;
    await store.setCorrelationCursor(Math.max(cursor, await store.getCorrelationCursor()));
  }
  await cache.init();
  for (const id of await resolveAddressIncidents(store, book, cache, addresses)) updated.add(id);
  for (const id of await book.flush()) updated.add(id);
  for (const id of book.created) updated.delete(id);
  return {
    created: book.created,
    updated: [...updated].sort((a, b) => a - b),
    linked: book.linked,
  };
}

/** Subjects and entities of each finding of a page. */
async function place(
  store: Store,
  cache: PassCache,
  addresses: AddressBook,
  page: FindingRecord[],
): Promise<Placed[]> {
  const content = page.filter((f) => isContentLayer(layerOf(f.ruleId)));
  await learnAddresses(addresses, page);
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
    let at = finding.observedAt;
    let times: Map<string, Date> | undefined;
    if (isContentLayer(layer)) {
      const mail = mails.get(finding.artifactId);
      const own = documentNameOf(finding.artifactPath);
      if (own !== null) entities.push({ kind: 'file', value: own });
      if (mail !== undefined) {
        at = mailTime(mail) ?? finding.observedAt;
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
      const host = addresses.resolve(finding.host, at) ?? finding.host;
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
    if (!isContentLayer(layer)) {
      at ??= noteTime(finding.evidence[0]?.note);
      times = evidenceTimes(finding);
    }
    out.push({ finding, subjects, names, entities: dedupe(entities), at, times });
  }
  return out;
}

/** Stores the (host, address, time) facts of a page and reads what its client addresses resolve to. */
async function learnAddresses(addresses: AddressBook, page: FindingRecord[]): Promise<void> {
  const facts = new Map<string, HostAddressInput>();
  const wanted = new Set<string>();
  for (const f of page) {
    if (isContentLayer(layerOf(f.ruleId)) || f.host === null) continue;
    for (const fact of addressFactsOf(f, f.host)) {
      // The earliest and the latest sighting per page and pair bound the rows a chatty log writes.
      for (const edge of ['first', 'last']) {
        const key = `${fact.host}\u0000${fact.address}\u0000${edge}`;
        const known = facts.get(key);
        const t = fact.seenAt.getTime();
        const isBetter =
          known === undefined ||
          (edge === 'first' ? t < known.seenAt.getTime() : t > known.seenAt.getTime());
        if (isBetter) facts.set(key, fact);
      }
    }
    const ip = ipLiteral(f.host);
    if (ip !== null) wanted.add(ip);
  }
  await addresses.prepare([...facts.values()], wanted);
}

/**
 * One hunt finding groups every match of a rule on a host, the earliest first: a hash or file name is
 * dated by the latest record that names it, so a document opened again after a newer delivery still
 * orders after that mail.
 */
function evidenceTimes(finding: FindingRecord): Map<string, Date> {
  const times = new Map<string, Date>();
  for (const e of finding.evidence) {
    const t = noteTime(e.note);
    if (t === null) continue;
    for (const x of entitiesOf([e])) {
      const key = `${x.kind}\u0000${x.value}`;
      const known = times.get(key);
      if (known === undefined || t > known) times.set(key, t);
    }
  }
  return times;
}

/** The mail's Date header as a time, or null when absent or unparsable. */
function mailTime(mail: MailRecord): Date | null {
  if (mail.date === null) return null;
  const d = new Date(mail.date);
  return Number.isNaN(d.getTime()) ? null : d;
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
      const at = p.times?.get(`${e.kind}\u0000${e.value}`) ?? p.at;
      rows.push({ ...e, findingId: p.finding.id, subject, observedAt: at });
    }
  }
  return rows;
}

async function assign(
  book: IncidentBook,
  placed: readonly Placed[],
  hostIds: ReadonlyMap<string, Host>,
): Promise<void> {
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
      // A finding stored under a client address has that address's host row, not the named host's.
      const hostId = subject.startsWith('host:')
        ? (findings.find((f) => f.hostId !== null && f.host?.toLowerCase() === subject.slice(5))
            ?.hostId ??
          hostIds.get(subject.slice(5))?.id ??
          null)
        : null;
      incident = await book.open(subject, names.get(subject) ?? subject, hostId);
    }
    await book.link(incident, findings);
  }
}
