import type { AttachmentStream, MailParser, MessageText } from 'mailparser';
import {
  decodeRun,
  findBase64Runs,
  isTextBodyRun,
  substituteRuns,
  type Placeholder,
} from './base64-runs.js';
import { anomalyForError, MailCollector, type Bounds } from './collect.js';
import type { RawHeaderLine } from './headers.js';
import type { MailAttachment, ParsedMail, ParseMailOptions } from './types.js';

/** Attachments kept with bytes. Stops mails with thousands of attachments flooding the pipeline. */
export const MAX_MAIL_ATTACHMENTS = 250;
/** Header bytes of one MIME part (mailsplit `maxHeadSize`). Stops header floods that exhaust memory. */
export const MAX_MAIL_HEADER_BYTES = 256 * 1024;
/** Characters kept of the text and of the HTML body each. Stops padding that slows IOC extraction. */
export const MAX_MAIL_TEXT_CHARS = 2 * 1024 * 1024;
/**
 * MIME parts, nested ones included (mailsplit `maxChildNodes`). Stops "10,000 tiny parts" and endless
 * nested multiparts: mailparser walks its part tree recursively, so depth is bounded by this too
 * (15,000 nested parts overflow its stack after seconds of quadratic work; 1,000 take ~0.1 s).
 */
export const MAX_MAIL_PARTS = 1000;

/** Parts mailsplit may see beyond `maxParts` (message/rfc822 roots, a first part without delimiter). */
const PARTS_BACKSTOP_MARGIN = 16;

/** Input is fed to the streaming parser in slices of this size, with back-pressure. */
const FEED_CHUNK_BYTES = 64 * 1024;

/** Anomaly codes that mean "content was left unanalysed because a limit was reached". */
export const MIME_LIMIT_CODES: ReadonlySet<string> = new Set([
  'E_MIME_TOO_MANY_PARTS',
  'E_MIME_HEADER_TOO_LARGE',
  'E_MIME_TOO_MANY_ATTACHMENTS',
  'E_MIME_TOO_MANY_HEADERS',
  'E_MIME_TOO_MANY_ADDRESSES',
  'E_MIME_TEXT_TRUNCATED',
]);

function resolveBounds(options: ParseMailOptions): Bounds {
  const pick = (value: number | undefined, fallback: number) =>
    value !== undefined && Number.isSafeInteger(value) && value > 0 ? value : fallback;
  return {
    maxAttachments: pick(options.maxAttachments, MAX_MAIL_ATTACHMENTS),
    maxHeaderBytes: pick(options.maxHeaderBytes, MAX_MAIL_HEADER_BYTES),
    maxTextChars: pick(options.maxTextChars, MAX_MAIL_TEXT_CHARS),
    maxParts: pick(options.maxParts, MAX_MAIL_PARTS),
  };
}

/** RFC 2046 5.1.1 bchars (without space, which may not end a boundary and rarely starts one). */
function isBoundaryChar(b: number): boolean {
  return (
    (b >= 0x27 && b <= 0x29) || // ' ( )
    (b >= 0x2b && b <= 0x3a) || // + , - . / 0-9 :
    b === 0x3d || // =
    b === 0x3f || // ?
    (b >= 0x41 && b <= 0x5a) ||
    b === 0x5f || // _
    (b >= 0x61 && b <= 0x7a)
  );
}

/** `--boundary--` (RFC 2046 5.1.1 close-delimiter, trailing white space allowed) opens no part. */
function isCloseDelimiter(bytes: Uint8Array, start: number, end: number): boolean {
  let last = end - 1;
  while (last > start && (bytes[last] === 0x0d || bytes[last] === 0x20 || bytes[last] === 0x09))
    last--;
  return last - start >= 4 && bytes[last] === 0x2d && bytes[last - 1] === 0x2d;
}

/**
 * Offset of the line that would start part number `maxParts + 1`, or undefined when there are
 * fewer. Every MIME part after the first begins at a delimiter line `--boundary`, so counting lines
 * that could be delimiters bounds the parts mailsplit will see. Cutting the input there (instead of
 * letting mailsplit stop with an error, which it raises before mailparser has emitted the parts
 * already split) keeps the attachments and text before the cut.
 */
export function findPartsCutoff(bytes: Uint8Array, maxParts: number): number | undefined {
  let delimiters = 0;
  // Jumps from '-' to '-' natively: base64 bodies, most of a mail's bytes, hold none.
  for (let pos = bytes.indexOf(0x2d); pos >= 0; pos = bytes.indexOf(0x2d, pos + 1)) {
    if (pos > 0 && bytes[pos - 1] !== 0x0a) continue;
    if (bytes[pos + 1] !== 0x2d || !isBoundaryChar(bytes[pos + 2] ?? 0)) continue;
    const next = bytes.indexOf(0x0a, pos);
    const end = next < 0 ? bytes.length : next;
    if (!isCloseDelimiter(bytes, pos, end) && ++delimiters > maxParts) return pos;
    if (next < 0) break;
    pos = next;
  }
  return undefined;
}

/** Writes `bytes` in slices, waiting for 'drain' (or 'close' after an error) when the parser is full. */
async function feed(parser: MailParser, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.length; offset += FEED_CHUNK_BYTES) {
    if (parser.destroyed) return;
    const slice = bytes.subarray(offset, offset + FEED_CHUNK_BYTES);
    // mailparser takes Buffers: a view over the same memory, no copy.
    if (!parser.write(Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength))) {
      await new Promise<void>((resolve) => {
        const done = () => {
          parser.off('drain', done);
          parser.off('close', done);
          resolve();
        };
        parser.on('drain', done);
        parser.on('close', done);
      });
    }
  }
  if (!parser.destroyed) parser.end();
}

/**
 * Parses an RFC 5322 / MIME message with mailparser's streaming parser. Never rejects on malformed
 * input: what was parsed before an error or a limit is returned, with `anomalies` saying why it
 * stopped. Nested `message/rfc822` parts are kept as attachments, not parsed.
 *
 * Large base64 bodies are decoded natively: mailsplit walks every byte of every line in JavaScript and
 * libbase64 filters each chunk with a regular expression, which together cost more than the rest of a
 * mail scan. Each run of base64 lines is replaced by a one-line placeholder, mailparser parses the
 * (much smaller) structure, and the attachment that decodes to a placeholder gets the run's bytes.
 * Unless every placeholder comes back as exactly one whole attachment, the mail is parsed again as it
 * is, so the result never differs from mailparser's own.
 *
 * @example
 * const mail = await parseMail(bytes);
 * for (const a of mail.attachments) console.log(a.filename, a.contentType, a.size);
 */
export async function parseMail(
  bytes: Uint8Array,
  options: ParseMailOptions = {},
): Promise<ParsedMail> {
  const bounds = resolveBounds(options);
  const cutoff = findPartsCutoff(bytes, bounds.maxParts);
  const input = cutoff === undefined ? bytes : bytes.subarray(0, cutoff);
  const runs = findBase64Runs(input).filter((run) => !isTextBodyRun(input, run));
  if (runs.length > 0) {
    const substituted = substituteRuns(input, runs);
    const mail = await runParser(substituted.bytes, bounds, cutoff);
    if (restoreRuns(mail, input, substituted.placeholders)) return mail;
  }
  return runParser(input, bounds, cutoff);
}

/** Anomalies whose meaning depends on the exact bytes mailparser saw: the fast path is not trusted then. */
const UNSTABLE_CODES: ReadonlySet<string> = new Set([
  'E_MIME_PARSE',
  'E_MIME_ATTACHMENT_TRUNCATED',
]);

/** Puts each run's decoded bytes in the attachment its placeholder became; false when one did not. */
function restoreRuns(
  mail: ParsedMail,
  input: Uint8Array,
  placeholders: readonly Placeholder[],
): boolean {
  if (mail.anomalies.some((a) => UNSTABLE_CODES.has(a.code))) return false;
  const byMarker = new Map(placeholders.map((p) => [p.marker, p]));
  const markerLength = placeholders[0]?.marker.length ?? 0;
  const found: [MailAttachment, Placeholder][] = [];
  for (const attachment of mail.attachments) {
    if (attachment.size !== markerLength) continue;
    const placeholder = byMarker.get(String.fromCharCode(...attachment.bytes));
    if (placeholder === undefined) continue;
    byMarker.delete(placeholder.marker);
    found.push([attachment, placeholder]);
  }
  if (byMarker.size > 0) return false;
  for (const [attachment, placeholder] of found) {
    attachment.bytes = decodeRun(input, placeholder.run);
    attachment.size = attachment.bytes.length;
  }
  return true;
}

// mailparser and what it pulls in (linkify-it, iconv tables, libmime) cost ~150 ms of CPU to load in
// each scan worker; it is loaded on the first mail, so a scan of documents never pays for it.
let mailParserClass: Promise<typeof MailParser> | undefined;

async function runParser(
  bytes: Uint8Array,
  bounds: Bounds,
  cutoff: number | undefined,
): Promise<ParsedMail> {
  mailParserClass ??= import('mailparser').then((m) => m.MailParser);
  const MailParserClass = await mailParserClass;
  const collector = new MailCollector(bounds);
  const parser = new MailParserClass({
    // SECURITY: nested messages stay attachments; the pipeline scans them as children under its depth limit.
    ignoreEmbedded: true,
    checksumAlgo: false,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
    maxHeadSize: bounds.maxHeaderBytes,
    // Backstop only: the input is cut before this many parts by findPartsCutoff.
    maxChildNodes: bounds.maxParts + PARTS_BACKSTOP_MARGIN,
    maxHtmlLengthToParse: bounds.maxTextChars,
  });
  if (cutoff !== undefined) {
    collector.anomaly({
      code: 'E_MIME_TOO_MANY_PARTS',
      message: `more than ${bounds.maxParts} MIME parts; input cut at byte ${cutoff}`,
      offset: cutoff,
    });
  }
  return new Promise<ParsedMail>((resolve) => {
    let isSettled = false;
    const settle = () => {
      if (isSettled) return;
      isSettled = true;
      resolve(collector.result());
    };
    // mailparser reports malformed input and its limits as 'error' events; the listener stays
    // attached after settling so that a late error cannot become an uncaught exception.
    const fail = (error: unknown) => {
      if (!isSettled) collector.anomaly(anomalyForError(error));
      parser.destroy();
      settle();
    };
    parser.on('headerLines', (lines: readonly RawHeaderLine[]) => collector.headers(lines));
    parser.on('data', (data: AttachmentStream | MessageText) => {
      if (data.type === 'attachment') collector.attachment(data);
      else collector.body(data);
    });
    parser.on('error', fail);
    parser.on('end', settle);
    parser.on('close', settle);
    feed(parser, bytes).catch(fail);
  });
}
