/**
 * Mail fixtures built in code: well-formed RFC 5322 messages from nodemailer's MailComposer, and
 * hand-written raw bytes for the shapes nodemailer will not produce (ISO-2022-JP raw bodies, RFC 2231
 * continuations, raw 8-bit Shift_JIS names, broken boundaries, part bombs). Inert content only:
 * example.com addresses and TEST-NET IPs.
 */
import iconv from 'iconv-lite';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { makeContext } from '../support/engine-context.js';
import type { AnalysisContext } from '../../src/core/index.js';

export interface MimeAttachmentSpec {
  filename?: string;
  content: Uint8Array | string;
  contentType?: string;
  contentDisposition?: 'attachment' | 'inline';
  cid?: string;
}

export interface MimeSpec {
  from?: string;
  to?: string | string[];
  cc?: string | string[];
  replyTo?: string;
  sender?: string;
  subject?: string;
  text?: string;
  html?: string;
  /** Extra header fields in order (Authentication-Results, Received, X-…). */
  headers?: { key: string; value: string }[];
  attachments?: MimeAttachmentSpec[];
  messageId?: string;
  date?: Date;
}

const FIXED_DATE = new Date('2024-01-15T09:30:00+09:00');

/** A well-formed message written by nodemailer's MailComposer (deterministic date and Message-ID). */
export async function buildMime(spec: MimeSpec): Promise<Uint8Array> {
  const composer = new MailComposer({
    from: spec.from ?? 'sender@example.com',
    to: spec.to ?? 'recipient@example.com',
    ...(spec.cc === undefined ? {} : { cc: spec.cc }),
    ...(spec.replyTo === undefined ? {} : { replyTo: spec.replyTo }),
    ...(spec.sender === undefined ? {} : { sender: spec.sender }),
    subject: spec.subject ?? 'Test message',
    ...(spec.text === undefined ? {} : { text: spec.text }),
    ...(spec.html === undefined ? {} : { html: spec.html }),
    ...(spec.headers === undefined ? {} : { headers: spec.headers }),
    messageId: spec.messageId ?? '<fixture@example.com>',
    date: spec.date ?? FIXED_DATE,
    attachments: (spec.attachments ?? []).map((a) => ({
      ...(a.filename === undefined ? { filename: false as const } : { filename: a.filename }),
      content: typeof a.content === 'string' ? a.content : Buffer.from(a.content),
      ...(a.contentType === undefined ? {} : { contentType: a.contentType }),
      ...(a.contentDisposition === undefined ? {} : { contentDisposition: a.contentDisposition }),
      ...(a.cid === undefined ? {} : { cid: a.cid }),
    })),
  });
  return new Uint8Array(await composer.compile().build());
}

/** Concatenates raw pieces: strings as UTF-8 (ASCII in practice), byte arrays as they are. */
export function rawMail(...pieces: (string | Uint8Array)[]): Uint8Array {
  return new Uint8Array(
    Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p))),
  );
}

export function shiftJis(text: string): Uint8Array {
  return new Uint8Array(iconv.encode(text, 'shift_jis'));
}

export function eucJp(text: string): Uint8Array {
  return new Uint8Array(iconv.encode(text, 'euc-jp'));
}

/**
 * ISO-2022-JP (RFC 1468) for JIS X 0208 text: iconv-lite has no encoder, but JIS X 0208 rows are the
 * EUC-JP bytes with the high bit cleared, between `ESC $ B` and `ESC ( B`.
 */
export function iso2022jp(text: string): Uint8Array {
  const out: number[] = [];
  let isKanji = false;
  for (const char of text) {
    const isAscii = char.charCodeAt(0) < 0x80;
    if (isAscii === isKanji) {
      out.push(...(isAscii ? [0x1b, 0x28, 0x42] : [0x1b, 0x24, 0x42]));
      isKanji = !isAscii;
    }
    out.push(...(isAscii ? [char.charCodeAt(0)] : [...eucJp(char)].map((b) => b & 0x7f)));
  }
  if (isKanji) out.push(0x1b, 0x28, 0x42);
  return Uint8Array.from(out);
}

const base64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');

/** An RFC 2047 B-encoded word of `bytes` already in `charset`. */
export function encodedWord(charset: string, bytes: Uint8Array): string {
  return `=?${charset}?B?${base64(bytes)}?=`;
}

/** RFC 2231 percent-encoding of raw bytes (`%90%BF…`), for `filename*=` parameters. */
export function percentEncode(bytes: Uint8Array): string {
  return [...bytes]
    .map((b) =>
      /[A-Za-z0-9.\-_]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** Base64 body lines of 76 characters (RFC 2045 6.8). */
export function base64Lines(bytes: Uint8Array | string): string {
  return base64(bytes).replace(/.{1,76}/g, '$&\r\n');
}

export type JapaneseCharset = 'ISO-2022-JP' | 'Shift_JIS' | 'EUC-JP';

const ENCODERS: Record<JapaneseCharset, (text: string) => Uint8Array> = {
  'ISO-2022-JP': iso2022jp,
  Shift_JIS: shiftJis,
  'EUC-JP': eucJp,
};

/**
 * A Japanese invoice lure the way Japanese mailers write it: encoded-word From name and Subject,
 * a raw 7/8-bit body in `charset`, and an attachment whose name is RFC 2231 encoded in `charset`.
 */
export function buildJapaneseMail(charset: JapaneseCharset, attachment: Uint8Array): Uint8Array {
  const encode = ENCODERS[charset];
  const isEightBit = charset !== 'ISO-2022-JP';
  return rawMail(
    `From: ${encodedWord(charset, encode('山田太郎'))} <yamada@example.co.jp>\r\n`,
    'To: keiri@example.com\r\n',
    `Subject: ${encodedWord(charset, encode('御請求書送付のお知らせ'))}\r\n`,
    'Date: Mon, 15 Jan 2024 09:30:00 +0900\r\n',
    'Message-ID: <jp-fixture@example.co.jp>\r\n',
    'MIME-Version: 1.0\r\n',
    'Content-Type: multipart/mixed; boundary="jp-boundary"\r\n\r\n',
    '--jp-boundary\r\n',
    `Content-Type: text/plain; charset=${charset}\r\n`,
    `Content-Transfer-Encoding: ${isEightBit ? '8bit' : '7bit'}\r\n\r\n`,
    encode('いつもお世話になっております。\r\n請求書を送付いたします。\r\n'),
    '--jp-boundary\r\n',
    'Content-Type: application/msword\r\n',
    `Content-Disposition: attachment; filename*=${charset}''${percentEncode(encode('請求書.doc'))}\r\n`,
    'Content-Transfer-Encoding: base64\r\n\r\n',
    base64Lines(attachment),
    '--jp-boundary--\r\n',
  );
}

/** An attachment name split over RFC 2231 continuations (`filename*0*=…; filename*1*=…`). */
export function buildRfc2231ContinuationMail(name: string, content: Uint8Array): Uint8Array {
  const encoded = percentEncode(new TextEncoder().encode(name));
  const half = encoded.lastIndexOf('%', Math.floor(encoded.length / 2));
  const cut = half > 0 ? half : Math.floor(encoded.length / 2);
  return rawMail(
    'From: sender@example.com\r\nTo: recipient@example.com\r\nSubject: continuation\r\n',
    'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b2231\r\n\r\n',
    '--b2231\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n',
    '--b2231\r\nContent-Type: application/octet-stream\r\n',
    `Content-Disposition: attachment;\r\n filename*0*=utf-8''${encoded.slice(0, cut)};\r\n`,
    ` filename*1*=${encoded.slice(cut)}\r\n`,
    'Content-Transfer-Encoding: base64\r\n\r\n',
    base64Lines(content),
    '--b2231--\r\n',
  );
}

/** An attachment whose name is raw 8-bit Shift_JIS, unencoded (old Japanese mailers). */
export function buildRawShiftJisFilenameMail(name: string, content: Uint8Array): Uint8Array {
  return rawMail(
    'From: sender@example.co.jp\r\nTo: recipient@example.com\r\nSubject: raw name\r\n',
    'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=braw\r\n\r\n',
    '--braw\r\nContent-Type: application/octet-stream; name="',
    shiftJis(name),
    '"\r\nContent-Disposition: attachment; filename="',
    shiftJis(name),
    '"\r\nContent-Transfer-Encoding: base64\r\n\r\n',
    base64Lines(content),
    '--braw--\r\n',
  );
}

/** Boundaries that lie: the closing delimiter is missing and one part uses an undeclared boundary. */
export function buildMalformedBoundaryMail(content: Uint8Array): Uint8Array {
  return rawMail(
    'From: sender@example.com\r\nTo: recipient@example.com\r\nSubject: broken\r\n',
    'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="declared"\r\n\r\n',
    'preamble text\r\n',
    '--declared\r\nContent-Type: text/plain\r\n\r\nvisit http://198.51.100.7/a.doc\r\n',
    '--undeclared\r\nContent-Type: text/plain\r\n\r\nstill text of the first part\r\n',
    '--declared\r\nContent-Type: application/octet-stream; name="a.bin"\r\n',
    'Content-Transfer-Encoding: base64\r\n\r\n',
    base64Lines(content),
    // no closing --declared-- and a truncated base64 line
    'QUJD',
  );
}

/** `depth` multiparts nested inside each other, never closed (the "endless nested multipart"). */
export function buildNestedMultipartBomb(depth: number, sameBoundary = false): Uint8Array {
  const lines = ['From: sender@example.com\r\nTo: recipient@example.com\r\nSubject: nest\r\n'];
  lines.push('MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=n0\r\n\r\n');
  for (let i = 1; i < depth; i++) {
    const outer = sameBoundary ? 'n0' : `n${i - 1}`;
    const inner = sameBoundary ? 'n0' : `n${i}`;
    lines.push(`--${outer}\r\nContent-Type: multipart/mixed; boundary=${inner}\r\n\r\n`);
  }
  return rawMail(lines.join(''));
}

/** One multipart with `count` tiny attachments. */
export function buildManyPartsMail(count: number): Uint8Array {
  const lines = ['From: sender@example.com\r\nTo: recipient@example.com\r\nSubject: many\r\n'];
  lines.push('MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n');
  for (let i = 0; i < count; i++) {
    lines.push(`--m\r\nContent-Type: application/octet-stream; name="p${i}.bin"\r\n\r\n${i}\r\n`);
  }
  lines.push('--m--\r\n');
  return rawMail(lines.join(''));
}

/** Wraps `inner` as a message/rfc822 attachment (a forwarded mail, or Emotet's stolen thread). */
export function buildForwardMail(inner: Uint8Array): Uint8Array {
  return rawMail(
    'From: sender@example.com\r\nTo: recipient@example.com\r\nSubject: Fwd: thread\r\n',
    'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=fwd\r\n\r\n',
    '--fwd\r\nContent-Type: text/plain\r\n\r\nforwarded\r\n',
    '--fwd\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n',
    inner,
    '\r\n--fwd--\r\n',
  );
}

/** The context the pipeline gives the mail engine for a top-level .eml input. */
export function buildMailContext(bytes: Uint8Array, name = 'mail.eml'): AnalysisContext {
  return makeContext(bytes, { name, type: 'eml' });
}
