import addressparser from 'nodemailer/lib/addressparser/index.js';
import type { Anomaly } from '../../core/index.js';
import { parseAuthenticationResults } from './auth-results.js';
import { decodeRawHeaderText } from './charset.js';
import { decodeEncodedWords } from './encoded-words.js';
import type { Address, MailHeader, ParsedMail } from './types.js';

/** Header fields kept from the top-level header block; real mail has a few dozen to a few hundred. */
export const MAX_MAIL_HEADERS = 1000;
/** Addresses kept per address field: stops `To:` lists of millions built to exhaust memory. */
const MAX_ADDRESSES_PER_FIELD = 1000;
const MAX_REFERENCES = 1000;

/** RFC 5322 2.2: field-name = 1*ftext, printable US-ASCII except ':' */
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

/** Fields RFC 5322 3.6 allows once; a second copy is a spoofing trick (clients disagree on which they show). */
const SINGLE_FIELDS = ['from', 'sender', 'reply-to', 'to', 'cc', 'subject', 'date', 'message-id'];

/** One header line as mailsplit hands it over: raw bytes as a one-char-per-byte string, folding kept. */
export interface RawHeaderLine {
  key: string;
  line: string;
}

/** A decoded header plus its value before RFC 2047 decoding, which address parsing needs. */
interface HeaderEntry extends MailHeader {
  key: string;
  undecoded: string;
}

function readHeaderEntries(lines: readonly RawHeaderLine[], anomalies: Anomaly[]): HeaderEntry[] {
  const entries: HeaderEntry[] = [];
  let invalid = 0;
  let firstInvalid = '';
  for (const { line } of lines) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).replace(/[ \t]+$/, '') : '';
    if (!FIELD_NAME.test(name)) {
      if (invalid++ === 0) firstInvalid = line.slice(0, 80);
      continue;
    }
    if (entries.length >= MAX_MAIL_HEADERS) {
      anomalies.push({
        code: 'E_MIME_TOO_MANY_HEADERS',
        message: `more than ${MAX_MAIL_HEADERS} header fields; the rest were not read`,
      });
      break;
    }
    // RFC 5322 2.2.3: unfolding removes each CRLF that is followed by white space.
    const unfolded = line
      .slice(colon + 1)
      .replace(/\r?\n(?=[ \t])/g, '')
      .trim();
    const undecoded = decodeRawHeaderText(unfolded);
    const value = decodeEncodedWords(undecoded, anomalies, name);
    entries.push({ name, key: name.toLowerCase(), value, undecoded });
  }
  if (invalid > 0) {
    anomalies.push({
      code: 'E_MIME_BAD_HEADER_LINE',
      message: `${invalid} header line(s) without a valid field name, first: ${JSON.stringify(firstInvalid)}`,
    });
  }
  return entries;
}

function toAddresses(undecoded: string, anomalies: Anomaly[], location: string): Address[] {
  const parsed = addressparser(undecoded, { flatten: true });
  if (parsed.length > MAX_ADDRESSES_PER_FIELD) {
    anomalies.push({
      code: 'E_MIME_TOO_MANY_ADDRESSES',
      message: `${parsed.length} addresses, kept ${MAX_ADDRESSES_PER_FIELD}`,
      location,
    });
  }
  return parsed.slice(0, MAX_ADDRESSES_PER_FIELD).map((a) => ({
    // Decoded only after parsing: a display name that decodes to `"x" <a@b>, c@d` must stay a name.
    name: decodeEncodedWords(a.name ?? '', anomalies, location),
    address: a.address ?? '',
  }));
}

type Envelope = Omit<ParsedMail, 'text' | 'html' | 'attachments' | 'anomalies'>;

function dateOf(value: string | undefined, anomalies: Anomaly[]): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    anomalies.push({
      code: 'E_MIME_BAD_DATE',
      message: `unparsable Date ${JSON.stringify(value.slice(0, 80))}`,
      location: 'Date',
    });
    return undefined;
  }
  return new Date(time).toISOString();
}

/**
 * Reads the top-level header block: every field in raw order (decoded), and the envelope fields.
 * The first copy of a single-occurrence field wins, as in mailsplit, which built the MIME tree from it.
 */
export function readEnvelope(lines: readonly RawHeaderLine[], anomalies: Anomaly[]): Envelope {
  const entries = readHeaderEntries(lines, anomalies);
  const first = (key: string) => entries.find((e) => e.key === key);
  for (const key of SINGLE_FIELDS) {
    const copies = entries.filter((e) => e.key === key);
    if (copies.length > 1) {
      anomalies.push({
        code: 'E_MIME_DUPLICATE_HEADER',
        message: `${copies.length} ${copies[0]?.name} fields; the first is used`,
        location: copies[0]?.name ?? key,
      });
    }
  }
  const addresses = (key: string) => {
    const entry = first(key);
    return entry ? toAddresses(entry.undecoded, anomalies, entry.name) : [];
  };
  const returnPath = first('return-path')?.value;
  const references = first('references')?.value ?? '';
  const envelope: Envelope = {
    headers: entries.map(({ name, value }) => ({ name, value })),
    from: addresses('from'),
    to: addresses('to'),
    cc: addresses('cc'),
    replyTo: addresses('reply-to'),
    sender: addresses('sender'),
    references: (references.match(/<[^<>\s]{1,998}>/g) ?? []).slice(0, MAX_REFERENCES),
    authResults: entries
      .filter((e) => e.key === 'authentication-results')
      .flatMap((e) => parseAuthenticationResults(e.value)),
  };
  const subject = first('subject')?.value;
  if (subject !== undefined) envelope.subject = subject;
  if (returnPath !== undefined)
    envelope.returnPath = /<([^<>]*)>/.exec(returnPath)?.[1]?.trim() ?? returnPath;
  const date = dateOf(first('date')?.value, anomalies);
  if (date !== undefined) envelope.date = date;
  const messageId = first('message-id')?.value;
  if (messageId) envelope.messageId = messageId;
  const inReplyTo = first('in-reply-to')?.value;
  if (inReplyTo) envelope.inReplyTo = inReplyTo;
  return envelope;
}
