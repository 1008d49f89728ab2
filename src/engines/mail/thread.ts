import { extractIndicators } from '../../formats/indicators/index.js';
import type { ParsedMail } from '../../formats/mime/index.js';
import type { Report } from './attachments.js';
import { domainOf, orgDomain } from './domains.js';
import { threadHijack } from './findings.js';

// Reply and forward prefixes in the languages Emotet lures used (RFC 5322 3.6.5 "Re:", Outlook's locales).
const REPLY_SUBJECT =
  /^\s*(?:(?:re|fw|fwd|aw|wg|sv|vs|tr|rv|ref|返信|転送|回复|答复)\s*(?:\[\d+\])?\s*[:：]\s*)+/i;
// Where quoted text starts: "> " lines, Outlook's separator, "On … wrote:", Japanese clients' forms.
export const QUOTE_START =
  /^(?:>|-{2,}\s*(?:Original Message|元のメッセージ|転送されたメッセージ)\s*-{2,}|On .{3,200} wrote:\s*$|.{1,100}(?:さんは書きました|wrote):\s*$|From:\s.+@|差出人:\s)/im;
const MAX_QUOTE_CHARS = 64 * 1024;
const ADDRESS_IN_NAME = /[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}/g;

/**
 * Thread hijacking, two shapes: (A) the display name claims an organisation that is part of the
 * conversation (quoted addresses or the domains of the Message-IDs replied to) while the mail comes from
 * elsewhere; (B) the quoted text shows a conversation of two or more organisations, the recipient's among
 * them, and the sender belongs to none. A plain two-party reply (one quoted organisation) never fires.
 */
export function checkThread(mail: ParsedMail, report: Report): void {
  const isReply =
    REPLY_SUBJECT.test(mail.subject ?? '') ||
    mail.inReplyTo !== undefined ||
    mail.references.length > 0;
  if (!isReply) return;
  const senders = new Set(mail.from.map((a) => orgDomain(domainOf(a.address))).filter(Boolean));
  if (senders.size === 0) return;
  const quoted = quotedOrgs(mail);
  const conversation = new Set([...quoted, ...messageIdOrgs(mail)]);
  const outside = (org: string) => !senders.has(org);
  const claimed = mail.from.flatMap((a) =>
    (a.name.match(ADDRESS_IN_NAME) ?? []).map((x) => orgDomain(domainOf(x))),
  );
  const impersonated = claimed.filter((org) => conversation.has(org) && outside(org));
  const recipients = [...mail.to, ...mail.cc].map((a) => orgDomain(domainOf(a.address)));
  const thirdParty =
    quoted.size >= 2 && [...quoted].every(outside) && recipients.some((org) => quoted.has(org));
  if (impersonated.length === 0 && !thirdParty) return;
  report(threadHijack, {
    location: 'Subject',
    text: mail.subject ?? '',
    note:
      `a reply in a conversation of ${[...conversation].join(', ')}, sent from ${[...senders].join(', ')}` +
      (impersonated.length > 0 ? ` under the name of ${impersonated.join(', ')}` : ''),
  });
}

function messageIdOrgs(mail: ParsedMail): Set<string> {
  const orgs = new Set<string>();
  for (const id of [mail.inReplyTo ?? '', ...mail.references]) {
    const org = orgDomain(domainOf(id.replace(/[<>]/g, '')));
    if (org.includes('.')) orgs.add(org);
  }
  return orgs;
}

function quotedOrgs(mail: ParsedMail): Set<string> {
  const orgs = new Set<string>();
  const text = mail.text ?? '';
  const start = text.search(QUOTE_START);
  if (start < 0) return orgs;
  for (const email of extractIndicators(text.slice(start, start + MAX_QUOTE_CHARS)).emails) {
    orgs.add(orgDomain(domainOf(email)));
  }
  return orgs;
}
