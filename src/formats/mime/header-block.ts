import type { Anomaly } from '../../core/index.js';
import { readEnvelope, type RawHeaderLine } from './headers.js';
import type { ParsedMail } from './types.js';

/** The top-level header fields of a mail without its body: what learning and indexing need, fast. */
export type MailHeaderBlock = Omit<ParsedMail, 'text' | 'html' | 'attachments'>;

/**
 * Reads the header block (RFC 5322 2.1: up to the first empty line) of a message, or of its first
 * `bytes.length` bytes — callers hand over the head of the file, so a 50 MB body is never read. The
 * fields are decoded exactly as `parseMail` decodes them (same readEnvelope).
 */
export function readHeaderBlock(bytes: Uint8Array): MailHeaderBlock {
  const anomalies: Anomaly[] = [];
  const text = new TextDecoder('latin1').decode(bytes);
  const end = /\r?\n\r?\n/.exec(text);
  const head = end === null ? text : text.slice(0, end.index);
  const lines: RawHeaderLine[] = [];
  // RFC 5322 2.2.3: a line starting with white space continues the field before it.
  for (const line of head.split(/(?<=\n)(?![ \t])/)) {
    const clean = line.replace(/\r?\n$/, '');
    if (clean === '') continue;
    const colon = clean.indexOf(':');
    lines.push({ key: colon > 0 ? clean.slice(0, colon).trim().toLowerCase() : '', line: clean });
  }
  return { ...readEnvelope(lines, anomalies), anomalies };
}
