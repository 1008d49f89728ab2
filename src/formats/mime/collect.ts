import type { AttachmentStream, MessageText } from 'mailparser';
import type { Anomaly } from '../../core/index.js';
import { repairRawText } from './charset.js';
import { readEnvelope, type RawHeaderLine } from './headers.js';
import type { MailAttachment, ParsedMail, ParseMailOptions } from './types.js';

export type Bounds = Required<ParseMailOptions>;

interface PendingAttachment {
  stream: AttachmentStream;
  chunks: Uint8Array[];
  size: number;
  isComplete: boolean;
}

/** Anomaly for an 'error' event of mailparser (mailsplit tags its limit errors EMAXLEN). */
export function anomalyForError(error: unknown): Anomaly {
  const message = error instanceof Error ? error.message : String(error);
  if (/child nodes/i.test(message)) return { code: 'E_MIME_TOO_MANY_PARTS', message };
  if (/header size/i.test(message)) return { code: 'E_MIME_HEADER_TOO_LARGE', message };
  return { code: 'E_MIME_PARSE', message: `mail parser stopped: ${message}` };
}

function joinChunks(chunks: readonly Uint8Array[], size: number): Uint8Array {
  // A fresh array, not Buffer.concat: small Buffers are views into a shared pool slab.
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function toAttachment(pending: PendingAttachment): MailAttachment {
  const { stream } = pending;
  const declared = stream.headers.get('content-type');
  const declaredType =
    declared && typeof declared === 'object' && 'value' in declared ? String(declared.value) : '';
  // mailparser replaces application/octet-stream by a guess from the file name; keep what was declared.
  const contentType = (
    declaredType ||
    stream.contentType ||
    'application/octet-stream'
  ).toLowerCase();
  const attachment: MailAttachment = {
    contentType,
    size: pending.size,
    bytes: joinChunks(pending.chunks, pending.size),
    isInline: stream.contentDisposition === 'inline' || stream.related === true,
    isNestedMessage: contentType === 'message/rfc822' || contentType === 'message/global',
  };
  if (stream.filename !== undefined) attachment.filename = repairRawText(stream.filename);
  if (stream.contentDisposition !== undefined) attachment.disposition = stream.contentDisposition;
  if (stream.contentId !== undefined) attachment.contentId = stream.contentId;
  return attachment;
}

function clip(value: string | undefined, max: number, what: string, anomalies: Anomaly[]) {
  if (value === undefined || value.length <= max) return value;
  anomalies.push({
    code: 'E_MIME_TEXT_TRUNCATED',
    message: `${what} body of ${value.length} characters cut to ${max}`,
    location: what,
  });
  return value.slice(0, max);
}

/** Gathers what mailparser emits (headers, attachment streams, text) into a bounded `ParsedMail`. */
export class MailCollector {
  readonly #bounds: Bounds;
  readonly #anomalies: Anomaly[] = [];
  readonly #kept: PendingAttachment[] = [];
  #dropped = 0;
  #headerLines: readonly RawHeaderLine[] = [];
  #body: MessageText | undefined;

  constructor(bounds: Bounds) {
    this.#bounds = bounds;
  }

  anomaly(anomaly: Anomaly): void {
    this.#anomalies.push(anomaly);
  }

  headers(lines: readonly RawHeaderLine[]): void {
    this.#headerLines = lines;
  }

  body(text: MessageText): void {
    this.#body = text;
  }

  /** Reads one attachment stream to its end; keeps the bytes of the first `maxAttachments`. */
  attachment(stream: AttachmentStream): void {
    const entry: PendingAttachment = { stream, chunks: [], size: 0, isComplete: false };
    const isKept = this.#kept.length < this.#bounds.maxAttachments;
    if (isKept) this.#kept.push(entry);
    else this.#dropped++;
    // Every attachment must be read to its end and released, or mailparser waits forever.
    stream.content.on('data', (chunk: Uint8Array) => {
      entry.size += chunk.length;
      if (isKept) entry.chunks.push(chunk);
    });
    stream.content.once('end', () => {
      entry.isComplete = true;
      stream.release?.();
    });
    stream.content.once('error', (error: unknown) => {
      this.anomaly({ ...anomalyForError(error), location: stream.filename ?? 'attachment' });
      stream.release?.();
    });
  }

  /** The result so far; later events do not change it (arrays are copied). */
  result(): ParsedMail {
    const anomalies = [...this.#anomalies];
    const attachments = this.#kept.map((entry) => {
      if (!entry.isComplete) {
        anomalies.push({
          code: 'E_MIME_ATTACHMENT_TRUNCATED',
          message: `attachment cut at ${entry.size} bytes by a parse error`,
          location: entry.stream.filename ?? 'attachment',
        });
      }
      return toAttachment(entry);
    });
    if (this.#dropped > 0) {
      anomalies.push({
        code: 'E_MIME_TOO_MANY_ATTACHMENTS',
        message: `${this.#dropped} attachment(s) past the first ${this.#bounds.maxAttachments} were not kept`,
      });
    }
    const body = this.#body;
    if (body?.textConversionError) {
      anomalies.push({
        code: 'E_MIME_HTML_TO_TEXT',
        message: `HTML body not converted to text: ${body.textConversionError.message}`,
      });
    }
    const envelope = readEnvelope(this.#headerLines, anomalies);
    if (envelope.headers.length === 0) {
      anomalies.push({ code: 'E_MIME_NO_HEADERS', message: 'no RFC 5322 header field found' });
    }
    const mail: ParsedMail = { ...envelope, attachments, anomalies };
    const text = clip(body?.text, this.#bounds.maxTextChars, 'text', anomalies);
    if (text !== undefined) mail.text = text;
    const html = clip(body?.html, this.#bounds.maxTextChars, 'html', anomalies);
    if (html !== undefined) mail.html = html;
    return mail;
  }
}
