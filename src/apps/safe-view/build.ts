import { describeError, type FileType } from '../../core/index.js';
import { htmlToText, parseMail, type ParsedMail } from '../../formats/mime/index.js';
import { msgToEml } from '../../formats/msg/index.js';
import { sniffType } from '../../formats/sniff/index.js';
import {
  rasterType,
  renderSafeView,
  type RenderSafeViewOptions,
  type SafeView,
  type ViewSection,
} from '../../report/view/index.js';
import { DEFAULT_VIEW_BOUNDS, type ViewBounds } from './bounds.js';
import { legacyXlsSection, ooxmlSection, oleSection, rtfSection } from './office.js';

export interface SafeViewOptions {
  lang?: 'en' | 'ja';
  bounds?: Partial<ViewBounds>;
}

const TEXT_TYPES: ReadonlySet<FileType> = new Set([
  'text',
  'vba-source',
  'powershell',
  'script',
  'xml',
  'html',
  'log',
  'jsonl',
  'sylk',
]);
const SHOWN_HEADERS = ['From', 'Sender', 'Reply-To', 'To', 'Cc', 'Date', 'Subject', 'Message-ID'];

/**
 * Reads a document or a mail into the safe view's model: its text and pictures, what was left out,
 * and — for a mail — its attachments, each shown below it. Never throws for hostile input: what
 * cannot be read becomes a note in its section.
 *
 * @example
 * const view = await buildSafeView(bytes, 'invoice.eml', { lang: 'ja' });
 */
export async function buildSafeView(
  bytes: Uint8Array,
  name: string,
  options: SafeViewOptions = {},
): Promise<SafeView> {
  const bounds: ViewBounds = { ...DEFAULT_VIEW_BOUNDS, ...options.bounds };
  const sections: ViewSection[] = [];
  await addFile(sections, bytes.subarray(0, bounds.maxInputBytes), name, 0, bounds);
  if (bytes.length > bounds.maxInputBytes) {
    sections[0]?.omitted.push(`bytes past ${bounds.maxInputBytes}`);
  }
  return { title: name, lang: options.lang ?? 'en', sections };
}

/** `buildSafeView` then `renderSafeView`: the page itself. */
export async function renderSafeViewOf(
  bytes: Uint8Array,
  name: string,
  options: SafeViewOptions & { render?: RenderSafeViewOptions } = {},
): Promise<string> {
  const view = await buildSafeView(bytes, name, options);
  const bounds = { ...DEFAULT_VIEW_BOUNDS, ...options.bounds };
  return renderSafeView(view, { maxImageBytes: bounds.maxImageBytes, ...options.render });
}

async function addFile(
  sections: ViewSection[],
  bytes: Uint8Array,
  name: string,
  depth: number,
  bounds: ViewBounds,
): Promise<void> {
  const type = sniffType(bytes);
  const section: ViewSection = { name, type, blocks: [], omitted: [], depth };
  sections.push(section);
  let children: { name: string; bytes: Uint8Array }[] = [];
  try {
    if (type === 'ooxml') await ooxmlSection(section, bytes, bounds);
    else if (type === 'ole') oleSection(section, bytes, bounds);
    else if (type === 'rtf') rtfSection(section, bytes, bounds);
    else if (type === 'biff') legacyXlsSection(section, bytes, bounds);
    else if (type === 'eml' || type === 'msg') children = await mailSection(section, bytes, bounds);
    else if (rasterType(bytes)) section.blocks.push({ kind: 'image', bytes, name });
    else if (TEXT_TYPES.has(type)) textSection(section, bytes, bounds);
    else if (type !== 'empty') {
      section.blocks.push({ kind: 'note', text: `no safe view for ${type} content` });
    }
  } catch (error) {
    section.blocks.push({ kind: 'note', text: `could not be read: ${describeError(error)}` });
  }
  for (const child of children) {
    if (sections.length >= bounds.maxSections || depth + 1 > bounds.maxDepth) {
      section.omitted.push(
        `${children.length} attachment(s) not shown (at most ${bounds.maxSections} files, ${bounds.maxDepth} levels)`,
      );
      break;
    }
    await addFile(sections, child.bytes, `${name}!${child.name}`, depth + 1, bounds);
  }
}

/** Headers, the text body (an HTML body only as text, never rendered), the attachment list. */
async function mailSection(
  section: ViewSection,
  bytes: Uint8Array,
  bounds: ViewBounds,
): Promise<{ name: string; bytes: Uint8Array }[]> {
  let raw = bytes;
  if (section.type === 'msg') {
    const converted = msgToEml(bytes);
    if (!converted.eml) throw new Error('the Outlook message could not be read');
    raw = converted.eml;
  }
  const mail: ParsedMail = await parseMail(raw, { maxTextChars: bounds.maxChars });
  const entries = SHOWN_HEADERS.flatMap((wanted) =>
    mail.headers
      .filter((h) => h.name.toLowerCase() === wanted.toLowerCase())
      .slice(0, 5)
      .map((h) => [wanted, h.value] as const),
  );
  section.blocks.push({ kind: 'fields', entries });
  if (mail.text !== undefined && mail.text.trim() !== '') {
    section.blocks.push({ kind: 'paragraph', text: mail.text });
  } else if (mail.html !== undefined) {
    section.blocks.push({ kind: 'note', text: 'HTML body shown as text' });
    section.blocks.push({ kind: 'paragraph', text: htmlToText(mail.html, bounds.maxChars) });
  }
  if (mail.html !== undefined)
    section.omitted.push('HTML formatting, links and remote images of the body');
  const attachments = mail.attachments;
  if (attachments.length > 0) {
    section.blocks.push({
      kind: 'list',
      title: 'Attachments',
      items: attachments.map(
        (a, i) =>
          `${a.filename ?? `attachment-${i + 1}`} — ${a.contentType}, ${a.size} bytes, ${sniffType(a.bytes)}`,
      ),
    });
  }
  return attachments.map((a, i) => ({ name: a.filename ?? `attachment-${i + 1}`, bytes: a.bytes }));
}

/** Plain text: UTF-8, UTF-16 with a BOM, else Shift_JIS when it decodes cleanly, else windows-1252. */
function textSection(section: ViewSection, bytes: Uint8Array, bounds: ViewBounds): void {
  let text = decodeText(bytes.subarray(0, bounds.maxChars * 4));
  if (text.length > bounds.maxChars) {
    text = text.slice(0, bounds.maxChars);
    section.omitted.push('text past the size limit');
  }
  section.blocks.push({ kind: 'paragraph', text });
}

export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  for (const label of ['utf-8', 'shift_jis']) {
    try {
      return new TextDecoder(label, { fatal: true }).decode(bytes);
    } catch {
      // not this encoding
    }
  }
  return new TextDecoder('windows-1252').decode(bytes);
}
