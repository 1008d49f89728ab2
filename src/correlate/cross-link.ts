import type { FindingRecord, SightingRecord, Store } from '../store/index.js';
import { IncidentBook, MAX_CROSS_LINKS, normalizeSubject, type SubjectKey } from './book.js';
import { isLinkingKind, type Entity } from './entities.js';
import { isContentLayer, layerOf } from './layers.js';

/**
 * Clocks of the mail gateway and of a host's event log disagree by this much at most: a host event up
 * to this long before the mail's delivery time still counts as after it.
 */
export const MAX_CLOCK_SKEW_MS = 10 * 60_000;
/** Depth walked up from a delivered document to the mail file it came in. */
const MAX_TREE_DEPTH = 32;
const MAIL_TYPES = new Set(['eml', 'msg', 'mbox']);

export interface Linkable {
  finding: FindingRecord;
  entities: Entity[];
}

/**
 * The mail findings a host event links to through one shared value: delivered no later than the event
 * (with MAX_CLOCK_SKEW_MS), and of those only the closest delivery — the mail the victim opened, not an
 * older copy of the same attachment. A mail or an event without a time cannot be ordered and links as
 * before; a timed mail after every timed event of the host never does.
 */
export function chooseMails(
  hostRows: readonly SightingRecord[],
  mailRows: readonly SightingRecord[],
): SightingRecord[] {
  const times = [
    ...new Set(hostRows.map((r) => r.observedAt?.getTime()).filter((t) => t !== undefined)),
  ];
  if (times.length === 0 || mailRows.length === 0) return [...mailRows];
  const byTime = new Map<number, SightingRecord[]>();
  const untimed: SightingRecord[] = [];
  for (const r of mailRows) {
    const at = r.observedAt?.getTime();
    if (at === undefined) untimed.push(r);
    else {
      const list = byTime.get(at);
      if (list === undefined) byTime.set(at, [r]);
      else list.push(r);
    }
  }
  const delivered = [...byTime.keys()].sort((a, b) => a - b);
  const chosen = new Set<number>();
  let isUntimedChosen = false;
  for (const t of times) {
    // The latest delivery at or before t + skew (binary search over the sorted delivery times).
    let lo = 0;
    let hi = delivered.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (delivered[mid]! <= t + MAX_CLOCK_SKEW_MS) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) isUntimedChosen = true;
    else chosen.add(delivered[lo - 1]!);
  }
  const out = isUntimedChosen ? [...untimed] : [];
  for (const at of chosen) out.push(...byTime.get(at)!);
  return out;
}

/**
 * Links across subjects through shared entities: host ↔ delivered content (hash, name, URL, account),
 * and findings without a subject → the hosts that share an indicator with them.
 */
export async function crossLink(
  store: Store,
  book: IncidentBook,
  placed: readonly Linkable[],
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
      const byValue = new Map<string, SightingRecord[]>();
      for (const r of rows) {
        const list = byValue.get(r.value);
        if (list === undefined) byValue.set(r.value, [r]);
        else list.push(r);
      }
      for (const group of byValue.values()) {
        const hostRows = new Map<SubjectKey, SightingRecord[]>();
        for (const r of group) {
          if (!r.subject?.startsWith('host:')) continue;
          const key = normalizeSubject(r.subject);
          const list = hostRows.get(key);
          if (list === undefined) hostRows.set(key, [r]);
          else list.push(r);
        }
        if (hostRows.size === 0) continue;
        const loose = group.filter((r) => r.subject === null);
        // A mailbox's mail shares its URLs and domains with every reader: only files tie it to a host.
        const mails =
          kind === 'sha256' || kind === 'file' || kind === 'url' || kind === 'user'
            ? group.filter((r) => r.subject?.startsWith('mailbox:'))
            : [];
        for (const [host, own] of hostRows) {
          for (const o of loose) pull(host, o.findingId);
          for (const o of chooseMails(own, mails)) {
            pull(host, o.findingId);
            fromMail.add(o.findingId);
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
    await book.link(incident, await expandMails(store, findings, fromMail));
  }
}

/**
 * Every finding of the mails (with their attachments) that delivered these findings' artifacts. A
 * document linked by name or hash alone brings the mail file it was found in when no envelope was
 * stored for it (a mail whose headers did not parse is still the delivery).
 */
async function expandMails(
  store: Store,
  findings: readonly FindingRecord[],
  fromMail: ReadonlySet<number>,
): Promise<FindingRecord[]> {
  const content = findings.filter((f) => isContentLayer(layerOf(f.ruleId)));
  if (content.length === 0) return [];
  const delivered = await store.findDeliveringMails([...new Set(content.map((f) => f.artifactId))]);
  const roots = new Set(delivered.map((d) => d.mail.artifactId));
  const covered = new Set(delivered.map((d) => d.artifactId));
  for (const f of content) {
    if (covered.has(f.artifactId) || fromMail.has(f.id)) continue;
    const root = await mailRootOf(store, f.artifactId);
    if (root !== null) roots.add(root);
  }
  const out: FindingRecord[] = [];
  for (const id of roots) {
    out.push(...(await store.listFindings({ underArtifactId: id, limit: MAX_CROSS_LINKS })));
  }
  return out;
}

/** The input artifact above `artifactId` when it is a mail file (.eml, .msg, mbox), else null. */
async function mailRootOf(store: Store, artifactId: number): Promise<number | null> {
  let current = await store.getArtifact(artifactId);
  for (let depth = 0; current !== undefined && depth < MAX_TREE_DEPTH; depth++) {
    if (current.parentId === null) return MAIL_TYPES.has(current.type) ? current.id : null;
    current = await store.getArtifact(current.parentId);
  }
  return null;
}

export async function findingsById(store: Store, ids: number[]): Promise<FindingRecord[]> {
  const out: FindingRecord[] = [];
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i += 5_000) {
    const chunk = sorted.slice(i, i + 5_000);
    out.push(...(await store.listFindings({ ids: chunk, limit: chunk.length })));
  }
  return out;
}
