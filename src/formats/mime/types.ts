import type { Anomaly } from '../../core/index.js';

/** One mailbox of an address header (RFC 5322 3.4). Groups are flattened into their members. */
export interface Address {
  /** Display name, RFC 2047 decoded; '' when absent. */
  name: string;
  /** addr-spec as written (compare case-insensitively); '' when the header had none. */
  address: string;
}

/** One header field of the top-level message, in raw order, unfolded and RFC 2047 decoded. */
export interface MailHeader {
  /** Field name as written (`Subject`, `X-Mailer`). */
  name: string;
  value: string;
}

/** One `resinfo` of an Authentication-Results header (RFC 8601 2.2). */
export interface AuthResult {
  /** Lower-cased method: spf, dkim, dmarc, arc, auth, iprev, or whatever the MTA wrote. */
  method: 'spf' | 'dkim' | 'dmarc' | (string & {});
  /** Lower-cased result keyword: pass, fail, softfail, neutral, none, temperror, permerror … */
  result: string;
  /** The resinfo text as written, comments included (`spf=fail (sender IP is 192.0.2.1) smtp.mailfrom=…`). */
  raw: string;
  /** authserv-id of the header the result came from (the MTA that evaluated it). */
  authservId: string;
}

/** One non-body leaf part of the message, content decoded (base64 / quoted-printable). */
export interface MailAttachment {
  /** File name from Content-Disposition `filename` or Content-Type `name`, RFC 2231/2047 decoded. */
  filename?: string;
  /** Declared Content-Type value, lower-cased, without parameters. Never trust it: sniff `bytes`. */
  contentType: string;
  /** Content-Disposition value as declared (`attachment`, `inline`, or anything the sender wrote). */
  disposition?: string;
  /** Decoded size in bytes (equals `bytes.length` unless the attachment was cut by a parse error). */
  size: number;
  bytes: Uint8Array;
  /** Content-ID with angle brackets, when the part has one. */
  contentId?: string;
  /** Shown inside the body (inline disposition, or a related part such as an embedded image). */
  isInline: boolean;
  /** A `message/rfc822` (or `message/global`) part: kept as an attachment, scanned as a child mail. */
  isNestedMessage: boolean;
}

export interface ParsedMail {
  /** Top-level header fields in raw order. */
  headers: MailHeader[];
  subject?: string;
  from: Address[];
  to: Address[];
  cc: Address[];
  replyTo: Address[];
  sender: Address[];
  /** Return-Path addr-spec without angle brackets ('' for the null sender `<>`). */
  returnPath?: string;
  /** Date header as ISO 8601, when it parses. */
  date?: string;
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  /** Results from every Authentication-Results header, topmost first. */
  authResults: AuthResult[];
  /** Plain text body (HTML converted to text when there is no text part), cut to `maxTextChars`. */
  text?: string;
  /** HTML body, cut to `maxTextChars`. */
  html?: string;
  attachments: MailAttachment[];
  anomalies: Anomaly[];
}

/** Bounds for one parse. Each names the attack it stops; see the `MAX_MAIL_*` defaults. */
export interface ParseMailOptions {
  /** Attachments kept with their bytes; later ones are counted and dropped (anomaly). */
  maxAttachments?: number;
  /** Bytes of one MIME part's header block; past it the parse stops (anomaly). */
  maxHeaderBytes?: number;
  /** Characters kept of the text and of the HTML body each (anomaly + truncate). */
  maxTextChars?: number;
  /** MIME parts (nodes, nested included); past it the parse stops (anomaly). */
  maxParts?: number;
}
