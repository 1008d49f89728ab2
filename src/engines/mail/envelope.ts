import type { ExtractedMail } from '../../core/index.js';
import { extractIndicators } from '../../formats/indicators/index.js';
import type { Address, ParsedMail } from '../../formats/mime/index.js';
import { QUOTE_START } from './thread.js';

/** Addresses kept per header: a mail to 100,000 recipients must not flood the store. */
export const MAX_ENVELOPE_ADDRESSES = 200;
const MAX_QUOTE_CHARS = 64 * 1024;
/** Header values kept in the envelope (a Subject of megabytes is an attack, not a subject). */
const MAX_HEADER_CHARS = 1_000;

function addresses(list: readonly Address[]): string[] {
  const out = list.map((a) => a.address).filter((a) => a.includes('@'));
  return [...new Set(out)].slice(0, MAX_ENVELOPE_ADDRESSES);
}

function cut(value: string | undefined): string | null {
  return value === undefined ? null : value.slice(0, MAX_HEADER_CHARS);
}

/**
 * The envelope correlation needs (RFC 5322 3.6): who sent it to whom, when, in which thread, and the
 * addresses quoted in the body — the earlier correspondents Emotet's reply-chain mails replay (JPCERT/CC).
 */
export function envelopeOf(mail: ParsedMail): ExtractedMail {
  const text = mail.text ?? '';
  const start = text.search(QUOTE_START);
  const quoted =
    start < 0 ? [] : extractIndicators(text.slice(start, start + MAX_QUOTE_CHARS)).emails;
  return {
    from: mail.from[0]?.address || null,
    fromName: (mail.from[0]?.name ?? '').slice(0, MAX_HEADER_CHARS),
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    replyTo: addresses(mail.replyTo),
    subject: cut(mail.subject),
    date: mail.date ?? null,
    messageId: cut(mail.messageId),
    inReplyTo: cut(mail.inReplyTo),
    quoted: [...new Set(quoted)].slice(0, MAX_ENVELOPE_ADDRESSES),
  };
}
