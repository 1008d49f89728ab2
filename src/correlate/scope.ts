import type { FindingRecord, MailRecord, SightingRecord, Store } from '../store/index.js';
import { normalizeSubject } from './book.js';
import { layerOf } from './layers.js';
import { noteFacts } from './process-tree.js';
import type { AffectedData, ExternalContact, LateralEdge, SharedIndicator } from './types.js';

/** Contacts, edges and shared indicators listed per incident view. */
export const MAX_SCOPE_ITEMS = 1_000;
/** Mails read per mailbox to find its correspondents. */
export const MAX_MAILS_PER_MAILBOX = 2_000;

const EMAIL = /[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}/g;
/** Mail findings that mean the sender's name or address was borrowed (spoofing, thread hijacking). */
const IMPERSONATION = /display-name|spoof|hijack|impersonat|lookalike|reply-to/;

/**
 * Who may now receive mail written with this mailbox's stolen threads (JPCERT/CC Emotet FAQ): everyone it
 * corresponded with, the addresses quoted in its threads, and the senders whose names the attack used.
 */
export async function externalContacts(
  store: Store,
  mailboxes: readonly string[],
  deliveringMails: readonly MailRecord[],
  findings: readonly FindingRecord[],
): Promise<ExternalContact[]> {
  const contacts = new Map<string, ExternalContact>();
  const own = new Set(mailboxes.map((m) => m.toLowerCase()));
  const add = (address: string, reason: ExternalContact['reasons'][number], via: string) => {
    const key = address.toLowerCase();
    if (own.has(key) || key === '') return;
    let c = contacts.get(key);
    if (c === undefined) {
      if (contacts.size >= MAX_SCOPE_ITEMS) return;
      c = { address: key, reasons: [], via: [] };
      contacts.set(key, c);
    }
    if (!c.reasons.includes(reason)) c.reasons.push(reason);
    if (!c.via.includes(via)) c.via.push(via);
  };
  // The attack mails' senders wrote to the mailbox; they are the attacker, not its correspondents.
  const attacks = new Set(deliveringMails.map((m) => m.artifactId));
  for (const mailbox of own) {
    const mails = await store.listMails({ address: mailbox, limit: MAX_MAILS_PER_MAILBOX });
    for (const m of mails) {
      const isSender = m.from?.toLowerCase() === mailbox;
      const people =
        isSender || attacks.has(m.artifactId)
          ? [...m.to, ...m.cc]
          : [m.from ?? '', ...m.to, ...m.cc];
      for (const a of [...people, ...m.quoted]) add(a, 'correspondent', mailbox);
    }
  }
  const attackMails = new Set(
    findings
      .filter((f) => layerOf(f.ruleId) === 'mail' && IMPERSONATION.test(f.ruleId))
      .map((f) => f.artifactId),
  );
  for (const m of deliveringMails) {
    if (!attackMails.has(m.artifactId)) continue;
    const named = m.fromName.match(EMAIL) ?? [];
    const via = [...m.to, ...m.cc][0] ?? m.path;
    for (const a of named.length > 0 ? named : m.from === null ? [] : [m.from]) {
      add(a, 'impersonated', via);
    }
  }
  return [...contacts.values()].sort((a, b) => a.address.localeCompare(b.address));
}

/** The triage finding that lists a host's mail stores and address books (engines/triage mail-data). */
const MAIL_DATA_RULE = 'triage.mail-data-at-risk';

/** Mail stores and address books the linked triage findings listed, one per host and path. */
export function affectedData(findings: readonly FindingRecord[]): AffectedData[] {
  const out = new Map<string, AffectedData>();
  for (const f of findings) {
    if (f.ruleId !== MAIL_DATA_RULE || f.host === null) continue;
    for (const e of f.evidence) {
      const kind = e.note === 'mail-store' || e.note === 'address-book' ? e.note : null;
      if (kind === null || typeof e.text !== 'string' || e.text === '') continue;
      const key = `${f.host.toLowerCase()}\u0000${e.text.toLowerCase()}`;
      if (out.has(key) || out.size >= MAX_SCOPE_ITEMS) continue;
      out.set(key, { host: f.host, path: e.text, kind, findingId: f.id });
    }
  }
  return [...out.values()];
}

const SMB = /smb|lateral|admin\$|\\\\[^\\\s]+\\(?:c\$|admin\$|ipc\$)/i;
const UNC_HOST = /\\\\([A-Za-z0-9._-]{1,253})\\/;
const IP = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;

/** SMB spread (ATT&CK T1021.002 / T1570): the host it came from and the one it reached. */
export function lateralEdges(findings: readonly FindingRecord[]): LateralEdge[] {
  const edges = new Map<string, LateralEdge>();
  for (const f of findings) {
    const isSmb =
      f.attack.some((t) => t === 'T1021.002' || t === 'T1570') || SMB.test(f.ruleId + f.title);
    if (!isSmb || f.host === null) continue;
    const from = f.host;
    for (const e of f.evidence) {
      const text = `${e.text ?? ''} ${e.location ?? ''}`;
      const facts = noteFacts(e.note);
      const targets = [UNC_HOST.exec(text)?.[1], facts.target, ...(text.match(IP) ?? [])].filter(
        (t): t is string => t !== undefined && t.toLowerCase() !== from.toLowerCase(),
      );
      for (const to of targets.slice(0, 1)) {
        const key = `${from}\u0000${to.toLowerCase()}`;
        let edge = edges.get(key);
        if (edge === undefined) {
          if (edges.size >= MAX_SCOPE_ITEMS) break;
          edge = { from, to, protocol: 'smb', firstSeen: null, findingIds: [] };
          edges.set(key, edge);
        }
        const at = f.observedAt?.toISOString() ?? null;
        if (at !== null && (edge.firstSeen === null || at < edge.firstSeen)) edge.firstSeen = at;
        if (!edge.findingIds.includes(f.id)) edge.findingIds.push(f.id);
      }
    }
  }
  return [...edges.values()];
}

/** Kind of a shared indicator as the view names it. */
function sharedKind(
  s: SightingRecord,
  networkFindings: Set<number>,
): SharedIndicator['kind'] | null {
  if (s.kind === 'sha256') return 'attachment-sha256';
  if (s.kind === 'url') return 'url';
  if (s.kind === 'ip') return 'c2';
  if (s.kind === 'domain') return networkFindings.has(s.findingId) ? 'c2' : 'domain';
  return null;
}

/** Other hosts and mailboxes that saw this incident's C2s, URLs, domains or attachment hashes. */
export async function sharedIndicators(
  store: Store,
  own: readonly SightingRecord[],
  findings: readonly FindingRecord[],
  subjects: ReadonlySet<string>,
): Promise<SharedIndicator[]> {
  const network = new Set(
    findings.filter((f) => ['network', 'memory'].includes(layerOf(f.ruleId))).map((f) => f.id),
  );
  const wanted = new Map<string, SharedIndicator>();
  for (const s of own) {
    const kind = sharedKind(s, network);
    if (kind === null) continue;
    const key = `${s.kind}\u0000${s.value}`;
    if (!wanted.has(key) && wanted.size < MAX_SCOPE_ITEMS) {
      wanted.set(key, { kind, value: s.value, others: [] });
    }
  }
  const byKind = new Map<SightingRecord['kind'], string[]>();
  for (const key of wanted.keys()) {
    const [kind, value] = key.split('\u0000') as [SightingRecord['kind'], string];
    byKind.set(kind, [...(byKind.get(kind) ?? []), value]);
  }
  for (const [kind, values] of byKind) {
    for (let i = 0; i < values.length; i += 1_000) {
      for (const row of await store.listSightings({ kind, values: values.slice(i, i + 1_000) })) {
        if (row.subject === null || subjects.has(normalizeSubject(row.subject))) continue;
        const item = wanted.get(`${kind}\u0000${row.value}`);
        const other = row.subject.slice(row.subject.indexOf(':') + 1);
        if (item !== undefined && !item.others.includes(other) && item.others.length < 100) {
          item.others.push(other);
        }
      }
    }
  }
  return [...wanted.values()].filter((s) => s.others.length > 0);
}
