import type { ParsedMail } from '../../formats/mime/index.js';
import type { Report } from './attachments.js';
import { domainOf, orgDomain } from './domains.js';
import { knownThreadOutsider, unknownThreadReference } from './findings.js';

/**
 * The organisation's sent mail by Message-ID (`emoguard mail learn-msgids`, loaded by the apps from the
 * `--msgid-db` file). Lookups are synchronous: the file is a local SQLite index read in the scan worker.
 */
export interface SentMessageIndex {
  /** Organisational domains of the organisation (example.co.jp): whose Message-IDs it generates. */
  readonly orgDomains: ReadonlySet<string>;
  /**
   * The organisational domains the sent message with this id went to (To/Cc), or `undefined` when the
   * organisation never sent it. `id` is normalised by `normalizeMessageId`.
   */
  lookup(id: string): readonly string[] | undefined;
}

/** References looked up per mail: a References field of 1,000 ids costs at most this many lookups. */
export const MAX_REFERENCES_CHECKED = 100;

/** `<AbC@Example.COM>` → `abc@example.com`: ids compare case-insensitively, without brackets. */
export function normalizeMessageId(raw: string): string {
  return raw.trim().replace(/^<|>$/g, '').trim().toLowerCase();
}

function referencedIds(mail: ParsedMail): string[] {
  const raw = [...(mail.inReplyTo?.match(/<[^<>\s]{1,998}>/g) ?? []), ...mail.references];
  const ids = [...new Set(raw.map(normalizeMessageId).filter((id) => id.includes('@')))];
  // The newest references (the end of References, and In-Reply-To first) matter most.
  return ids.slice(0, MAX_REFERENCES_CHECKED);
}

/**
 * Thread hijacking against the organisation's real sent mail: a reply that names one of its Message-IDs
 * it never sent (forged thread), or one it did send while the sender took part in neither side of it.
 */
export function checkThreadReferences(
  mail: ParsedMail,
  index: SentMessageIndex,
  report: Report,
): void {
  const ids = referencedIds(mail);
  if (ids.length === 0) return;
  const senders = mail.from.map((a) => orgDomain(domainOf(a.address))).filter(Boolean);
  const location = mail.inReplyTo !== undefined ? 'In-Reply-To' : 'References';
  const participants = new Set<string>();
  let known: string | undefined;
  for (const id of ids) {
    const sentTo = index.lookup(id);
    if (sentTo !== undefined) {
      known ??= id;
      for (const org of sentTo) participants.add(org);
      continue;
    }
    const claimed = orgDomain(domainOf(id));
    if (!index.orgDomains.has(claimed)) continue;
    report(unknownThreadReference, {
      location,
      text: `<${id}>`,
      note: `a Message-ID of ${claimed} that is not in the organisation's sent mail`,
    });
    return;
  }
  if (known === undefined || senders.length === 0) return;
  const inThread = (org: string) => index.orgDomains.has(org) || participants.has(org);
  if (senders.some(inThread)) return;
  report(knownThreadOutsider, {
    location,
    text: `<${known}>`,
    note:
      `answers mail the organisation sent to ${[...participants].join(', ') || 'no outside domain'}, ` +
      `from ${[...new Set(senders)].join(', ')}`,
  });
}

/** One mail of the organisation's sent mail, as the index records it (see `sentMessageOf`). */
export interface SentMessage {
  id: string;
  sentAt?: string;
  /** Organisational domain of the sender. */
  sender: string;
  /** Organisational domains of To and Cc, the organisation's own included. */
  participants: string[];
}

/** `Mail.Example.CO.JP` or `a@mail.example.co.jp` → `example.co.jp`, as the thread checks compare. */
export function organisationOf(domainOrAddress: string): string {
  return orgDomain(domainOrAddress.includes('@') ? domainOf(domainOrAddress) : domainOrAddress);
}

/**
 * What the index learns from one mail: its Message-ID, sender and recipients' organisations. Undefined
 * when it has no usable Message-ID, or when `orgDomains` is given and the sender is not one of them
 * (mail received, not sent, by the organisation).
 */
export function sentMessageOf(
  mail: Pick<ParsedMail, 'from' | 'to' | 'cc' | 'messageId' | 'date'>,
  orgDomains?: ReadonlySet<string>,
): SentMessage | undefined {
  const id = normalizeMessageId(/<[^<>\s]{1,998}>/.exec(mail.messageId ?? '')?.[0] ?? '');
  const sender = organisationOf(mail.from[0]?.address ?? '');
  if (!id.includes('@') || sender === '') return undefined;
  if (orgDomains !== undefined && orgDomains.size > 0 && !orgDomains.has(sender)) return undefined;
  const participants = [
    ...new Set([...mail.to, ...mail.cc].map((a) => organisationOf(a.address)).filter(Boolean)),
  ].slice(0, 100);
  return { id, sender, participants, ...(mail.date ? { sentAt: mail.date } : {}) };
}
