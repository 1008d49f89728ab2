import {
  HINT_ARCHIVE_PASSWORDS,
  limitExceeded,
  parseError,
  type AnalysisContext,
  type ChildInput,
  type EngineOutput,
  type ExtractedPart,
} from '../../core/index.js';
import { extractIndicators, MAX_INDICATORS_PER_KIND } from '../../formats/indicators/index.js';
import {
  findPasswordCandidates,
  MIME_LIMIT_CODES,
  parseMail,
  type MailAttachment,
  type ParsedMail,
} from '../../formats/mime/index.js';
import { checkAttachment, type Report } from './attachments.js';
import { checkLinks, decodeEntities, hrefsOf, MAX_LINKS_CHECKED } from './links.js';
import { envelopeOf } from './envelope.js';
import { checkLure } from './lure.js';
import { checkSender } from './sender.js';
import { checkThread } from './thread.js';
import { checkThreadReferences, type SentMessageIndex } from './thread-db.js';
import { FindingSink } from './sink.js';

/** Extensions for unnamed parts, so a child reads as what its sender declared (`part-2.doc`). */
const EXTENSION_BY_TYPE: Readonly<Record<string, string>> = {
  'application/msword': 'doc',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.ms-powerpoint': 'ppt',
  'application/rtf': 'rtf',
  'text/rtf': 'rtf',
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'application/x-zip-compressed': 'zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'message/rfc822': 'eml',
  'message/global': 'eml',
  'text/plain': 'txt',
  'text/html': 'html',
  'text/calendar': 'ics',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
};

const PASSWORD_HINT = /パスワード|暗証番号|解凍|password|passcode|passwd/i;
/** Clickable URLs in plain text (what clients auto-link); defanged `hxxp` forms are not clickable. */
const PLAIN_URL = /\b(?:https?|ftp):\/\/[^\s"'<>`\\^{}|]{1,2048}/gi;

/** The name an attachment is reported and scanned under: its file name, or `part-N.<ext>`. */
export function attachmentName(attachment: MailAttachment, index: number): string {
  const filename = attachment.filename ?? '';
  if (filename.trim() !== '') return filename;
  return `part-${index + 1}.${EXTENSION_BY_TYPE[attachment.contentType] ?? 'bin'}`;
}

function reportAnomalies(mail: ParsedMail, sink: FindingSink) {
  for (const anomaly of mail.anomalies) {
    const finding = MIME_LIMIT_CODES.has(anomaly.code) ? limitExceeded : parseError;
    sink.add(finding, {
      location: anomaly.location ?? 'mail',
      text: anomaly.message,
      note: anomaly.code,
      ...(anomaly.offset === undefined ? {} : { offset: anomaly.offset }),
    });
  }
}

function* linksOf(mail: ParsedMail, hrefs: readonly string[]): Generator<[string, string]> {
  for (const href of hrefs) yield [href, 'html'];
  let count = 0;
  for (const match of (mail.text ?? '').matchAll(PLAIN_URL)) {
    if (++count > MAX_LINKS_CHECKED) return;
    yield [match[0].replace(/[.,;:!?)\]}'"]+$/, ''), 'text'];
  }
}

function union(...lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())].slice(0, MAX_INDICATORS_PER_KIND);
}

function iocsOf(mail: ParsedMail, hrefs: readonly string[]): ExtractedPart['iocs'] {
  const text = extractIndicators(mail.text ?? '');
  const html = extractIndicators(decodeEntities(mail.html ?? ''));
  const links = extractIndicators(hrefs.join('\n'));
  const people = [...mail.from, ...mail.sender, ...mail.replyTo, ...mail.to, ...mail.cc];
  const headerEmails = [...people.map((a) => a.address), mail.returnPath ?? ''].filter((a) =>
    a.includes('@'),
  );
  return {
    urls: union(links.urls, text.urls, html.urls),
    domains: union(links.domains, text.domains, html.domains),
    ips: union(links.ips, text.ips, html.ips),
    emails: union(headerEmails, text.emails, html.emails),
  };
}

/** What the apps load for the mail engine (`createMailEngine`). */
export interface MailEngineOptions {
  /** The organisation's sent Message-IDs (`--msgid-db`): thread-hijack checks against real threads. */
  sentMessages?: SentMessageIndex;
}

/** Mail-level analysis: sender identity, attachments (reported and handed back as children), links, lures. */
export async function analyzeMail(
  ctx: AnalysisContext,
  bytes = ctx.bytes,
  options: MailEngineOptions = {},
): Promise<EngineOutput> {
  const mail = await ctx.memo('mime:parseMail', () => parseMail(bytes));
  const sink = new FindingSink(ctx.limits.maxEvidenceChars);
  const report: Report = (finding, evidence) => sink.add(finding, evidence);
  reportAnomalies(mail, sink);
  checkSender(mail, report);
  checkThread(mail, report);
  if (options.sentMessages) checkThreadReferences(mail, options.sentMessages, report);
  const hasPasswordHint = PASSWORD_HINT.test((mail.text ?? '').slice(0, 64 * 1024));
  // Emotet 2020: the ZIP is encrypted and its password is in the body; the archive engine tries them.
  const passwords = findPasswordCandidates(mail.subject, mail.text);
  const hints = passwords.length > 0 ? { hints: { [HINT_ARCHIVE_PASSWORDS]: passwords } } : {};
  const children: ChildInput[] = [];
  for (const [index, attachment] of mail.attachments.entries()) {
    ctx.checkDeadline();
    const name = attachmentName(attachment, index);
    await checkAttachment(
      attachment,
      name,
      { hasHint: hasPasswordHint, candidates: passwords, checkDeadline: () => ctx.checkDeadline() },
      report,
    );
    children.push({
      name,
      bytes: attachment.bytes,
      relation: 'attachment',
      ...(attachment.isNestedMessage ? { typeHint: 'eml' as const } : {}),
      ...hints,
    });
  }
  ctx.checkDeadline();
  const hrefs = hrefsOf(mail.html ?? '');
  checkLinks(linksOf(mail, hrefs), report);
  checkLure(mail.subject, mail.text, report);
  const envelope = envelopeOf(mail);
  // The Date header is the event time of everything the mail itself evidences (correlation timelines).
  const findings = sink
    .findings()
    .map((f) => (envelope.date === null ? f : { ...f, observedAt: envelope.date }));
  return { findings, extracted: { iocs: iocsOf(mail, hrefs), mail: envelope }, children };
}
