import type { ParsedMail } from '../../formats/mime/index.js';
import type { Report } from './attachments.js';
import { domainOf, orgDomain } from './domains.js';
import { authFail, displayNameSpoof, replyToMismatch } from './findings.js';

const ADDRESS_IN_NAME = /[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}/g;

/** RFC 8601 results that mean "not from where it claims"; spf softfail (~all) counts (RFC 7208 8.5). */
const FAILING: Readonly<Record<string, ReadonlySet<string>>> = {
  spf: new Set(['fail', 'softfail']),
  dkim: new Set(['fail']),
  dmarc: new Set(['fail']),
};

function headerValue(mail: ParsedMail, name: string): string {
  const lower = name.toLowerCase();
  return mail.headers.find((h) => h.name.toLowerCase() === lower)?.value ?? '';
}

function checkDisplayName(mail: ParsedMail, report: Report) {
  for (const from of mail.from) {
    const real = domainOf(from.address);
    if (real === '') continue;
    for (const shown of from.name.match(ADDRESS_IN_NAME) ?? []) {
      // Same organisation (billing@ vs noreply@ of one company) is branding, not spoofing.
      if (orgDomain(domainOf(shown)) === orgDomain(real)) continue;
      report(displayNameSpoof, {
        location: 'From',
        text: headerValue(mail, 'From'),
        note: `display name shows ${shown}; the sender is ${from.address}`,
      });
    }
  }
}

function checkReplyTo(mail: ParsedMail, report: Report) {
  const fromOrgs = new Set(mail.from.map((a) => orgDomain(domainOf(a.address))).filter(Boolean));
  if (fromOrgs.size === 0) return;
  for (const reply of mail.replyTo) {
    const org = orgDomain(domainOf(reply.address));
    if (org === '' || fromOrgs.has(org)) continue;
    report(replyToMismatch, {
      location: 'Reply-To',
      text: headerValue(mail, 'Reply-To'),
      note: `replies go to ${org}; From is ${[...fromOrgs].join(', ')}`,
    });
  }
}

function checkAuthResults(mail: ParsedMail, report: Report) {
  for (const result of mail.authResults) {
    if (!FAILING[result.method]?.has(result.result)) continue;
    report(authFail, {
      location: 'Authentication-Results',
      text: result.raw,
      note: `${result.method}=${result.result}${result.authservId ? ` according to ${result.authservId}` : ''}`,
    });
  }
}

/** Sender-identity checks on the header: display name, Reply-To and authentication results. */
export function checkSender(mail: ParsedMail, report: Report): void {
  checkDisplayName(mail, report);
  checkReplyTo(mail, report);
  checkAuthResults(mail, report);
}
