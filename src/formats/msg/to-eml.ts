import { createRequire } from 'node:module';
import type msgreaderModule from '@kenjiuno/msgreader';
import type { FieldsData } from '@kenjiuno/msgreader';
import { describeError, type Anomaly } from '../../core/index.js';

// The package is CommonJS with `exports.default`: under ESM the class sits one level down.
type MsgReaderClass = (typeof msgreaderModule)['default'];
let MsgReader: MsgReaderClass | undefined;

/**
 * The reader class, required on the first .msg: sniffing imports this folder for `isOutlookMsg`, and
 * loading the package with it cost every scan worker about 25 ms of CPU at start-up.
 */
function msgReaderClass(): MsgReaderClass {
  if (MsgReader === undefined) {
    const loaded = createRequire(import.meta.url)('@kenjiuno/msgreader') as unknown;
    MsgReader = (loaded as { default?: MsgReaderClass }).default ?? (loaded as MsgReaderClass);
  }
  return MsgReader;
}

export interface MsgOptions {
  maxAttachments?: number;
}

export const MAX_MSG_ATTACHMENTS = 250;
// Transport headers that describe the original MIME structure, which the rebuilt message replaces.
const MIME_STRUCTURE =
  /^(?:content-type|content-transfer-encoding|mime-version|content-disposition):/i;

/**
 * An Outlook message ([MS-OXMSG]: a compound file of MAPI property streams) rebuilt as RFC 5322 bytes, so
 * the mail engine analyses it like any mail: the original transport headers when Outlook kept them
 * (PidTagTransportMessageHeaders), else headers made from the MAPI properties; the text and HTML bodies;
 * every attachment with its file name (embedded .msg attachments as .msg files).
 */
export function msgToEml(
  bytes: Uint8Array,
  options: MsgOptions = {},
): { eml?: Uint8Array; anomalies: Anomaly[] } {
  const anomalies: Anomaly[] = [];
  let reader: InstanceType<MsgReaderClass>;
  let fields: FieldsData;
  const Reader = msgReaderClass();
  try {
    reader = new Reader(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    fields = reader.getFileData();
  } catch (error) {
    return { anomalies: [{ code: 'E_MSG_UNREADABLE', message: describeError(error) }] };
  }
  if ((fields as { error?: string }).error) {
    return {
      anomalies: [
        { code: 'E_MSG_UNREADABLE', message: String((fields as { error?: string }).error) },
      ],
    };
  }
  const boundary = `=_emoguard_msg_${Date.now().toString(36)}`;
  const lines = [
    ...headerLines(fields),
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
  ];
  lines.push(
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64(fields.body ?? ''),
  );
  if (fields.bodyHtml) {
    lines.push(
      `--${boundary}`,
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      base64(fields.bodyHtml),
    );
  }
  const max = options.maxAttachments ?? MAX_MSG_ATTACHMENTS;
  for (const [i, attachment] of (fields.attachments ?? []).entries()) {
    if (i >= max) {
      anomalies.push({
        code: 'E_LIMIT_MSG_ATTACHMENTS',
        message: `more than ${max} attachments; the rest were not extracted`,
      });
      break;
    }
    try {
      const data = reader.getAttachment(attachment);
      const name =
        data.fileName ||
        attachment.fileName ||
        attachment.fileNameShort ||
        `attachment-${i + 1}${attachment.innerMsgContent ? '.msg' : '.bin'}`;
      lines.push(
        `--${boundary}`,
        `Content-Type: ${safeType(attachment.attachMimeTag)}`,
        'Content-Transfer-Encoding: base64',
        `Content-Disposition: attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
        '',
        base64(data.content),
      );
    } catch (error) {
      anomalies.push({
        code: 'E_MSG_ATTACHMENT',
        message: describeError(error),
        location: `attachment ${i + 1}`,
      });
    }
  }
  lines.push(`--${boundary}--`, '');
  return { eml: new TextEncoder().encode(lines.join('\r\n')), anomalies };
}

function headerLines(fields: FieldsData): string[] {
  if (fields.headers && fields.headers.trim() !== '') {
    const kept: string[] = [];
    let skipping = false;
    for (const line of fields.headers.split(/\r?\n/)) {
      if (line === '') break;
      if (/^[ \t]/.test(line)) {
        if (!skipping) kept.push(line);
        continue;
      }
      skipping = MIME_STRUCTURE.test(line);
      if (!skipping) kept.push(line);
    }
    return kept;
  }
  const address = (name?: string, email?: string) =>
    email ? `${encodeWord(name ?? '')} <${email}>` : encodeWord(name ?? '');
  const recipients = (type: 'to' | 'cc') =>
    (fields.recipients ?? [])
      .filter((r) => (r.recipType ?? 'to') === type)
      .map((r) => address(r.name, r.smtpAddress ?? r.email));
  const out = [
    `From: ${address(fields.senderName, fields.senderSmtpAddress ?? fields.senderEmail)}`,
  ];
  const to = recipients('to');
  const cc = recipients('cc');
  if (to.length) out.push(`To: ${to.join(', ')}`);
  if (cc.length) out.push(`Cc: ${cc.join(', ')}`);
  out.push(`Subject: ${encodeWord(fields.subject ?? '')}`);
  if (fields.messageDeliveryTime)
    out.push(`Date: ${new Date(fields.messageDeliveryTime).toUTCString()}`);
  return out;
}

/** RFC 2047 B-encoding when the text is not plain ASCII. */
function encodeWord(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(clean) ? clean : `=?UTF-8?B?${base64(clean)}?=`;
}

function safeType(mime: string | undefined): string {
  return mime && /^[\w.+-]+\/[\w.+-]+$/.test(mime) ? mime : 'application/octet-stream';
}

function base64(data: string | Uint8Array): string {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return (btoa(binary).match(/.{1,76}/g) ?? ['']).join('\r\n');
}
