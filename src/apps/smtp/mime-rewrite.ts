import { randomBytes } from 'node:crypto';
import { MAX_MAIL_PARTS } from '../../formats/mime/index.js';
import { fieldValue, parseMimeTree, type MimeEntity } from './mime-parts.js';

/**
 * Writing side of the gateway's part substitution: a leaf part re-emitted with new content (RFC 2045
 * base64, RFC 2047/2231 names), and the disarm note put first in the message (RFC 2046 multipart/mixed).
 */

const CONTENT_TYPES: Record<string, string> = {
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.doc': 'application/msword',
  '.xls': 'application/vnd.ms-excel',
  '.ppt': 'application/vnd.ms-powerpoint',
  '.rtf': 'application/rtf',
};

const DROPPED = new Set(['content-transfer-encoding', 'content-length', 'content-md5']);

/** The part with its own header fields kept, the disarmed bytes as base64, and a new name/type when converted. */
export function replacedPart(
  leaf: MimeEntity,
  newName: string | undefined,
  output: Uint8Array,
  eol: string,
): string {
  const converted = newName !== undefined;
  const lines: string[] = [];
  for (const f of leaf.fields) {
    const name = f.name.toLowerCase();
    if (DROPPED.has(name)) continue;
    if (converted && (name === 'content-type' || name === 'content-disposition')) continue;
    lines.push(f.raw.replace(/\n/g, eol));
  }
  if (converted) {
    const ext = /\.[^.]+$/.exec(newName)?.[0]?.toLowerCase() ?? '';
    const disposition =
      (fieldValue(leaf.fields, 'content-disposition') ?? 'attachment').split(';')[0]!.trim() ||
      'attachment';
    // Parameters on folded lines, the name cut: a sender's 2,000-character name must not push a
    // header line past RFC 5322's 998 characters.
    const name = clipName(newName);
    lines.push(
      `Content-Type: ${CONTENT_TYPES[ext] ?? 'application/octet-stream'};${eol} name="${encodeName(name)}"`,
    );
    lines.push(`Content-Disposition: ${disposition};${eol} ${filenameParams(name, eol)}`);
  }
  lines.push('Content-Transfer-Encoding: base64');
  return `${lines.join(eol)}${eol}${eol}${base64Lines(output, eol)}`;
}

/** Characters of a new file name kept before its extension. */
const MAX_NAME_CHARS = 120;
/** Longest RFC 2231 value written on one line (no continuations): under the 998-character line limit. */
const MAX_PARAM_CHARS = 900;

function clipName(name: string): string {
  const ext = /\.[^.]{1,8}$/.exec(name)?.[0] ?? '';
  const stem = [...name.slice(0, name.length - ext.length)];
  return stem.length <= MAX_NAME_CHARS ? name : `${stem.slice(0, MAX_NAME_CHARS).join('')}${ext}`;
}

const isPlainName = (name: string) => /^[\x20-\x7e]*$/.test(name) && !/["\\]/.test(name);

/** RFC 2047 encoded word for `name=` (what Outlook reads); plain when ASCII. */
function encodeName(name: string): string {
  return isPlainName(name) ? name : `=?UTF-8?B?${Buffer.from(name, 'utf8').toString('base64')}?=`;
}

/** `filename="…"` plus RFC 2231 `filename*=UTF-8''…` for non-ASCII names. */
function filenameParams(name: string, eol: string): string {
  if (isPlainName(name)) return `filename="${name}"`;
  const pct = [...Buffer.from(name, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9._-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
  const plain = `filename="${encodeName(name)}"`;
  return pct.length > MAX_PARAM_CHARS ? plain : `${plain};${eol} filename*=UTF-8''${pct}`;
}

function base64Lines(bytes: Uint8Array, eol: string): string {
  const b64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join(eol);
}

function notePart(note: string, eol: string): string {
  return [
    'Content-Type: text/plain; charset=utf-8',
    'Content-Disposition: inline',
    'Content-Description: emoguard disarm note',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(Buffer.from(note, 'utf8'), eol),
  ].join(eol);
}

/**
 * Puts the note first: as the first part of a multipart/mixed message, or by wrapping the message's
 * content in a new multipart/mixed whose first part is the note (the top-level fields — From, To,
 * Message-ID, References — stay on top; only Content-* fields move down with the content).
 */
export function withNote(text: string, note: string, eol: string): string {
  const root = parseMimeTree(text, { maxParts: MAX_MAIL_PARTS });
  const first = root.children[0];
  if (root.type === 'multipart/mixed' && root.params.boundary && first) {
    const delimiter = `--${root.params.boundary}`;
    const at = text.lastIndexOf(delimiter, first.start);
    if (at >= root.bodyStart) {
      return `${text.slice(0, at)}${delimiter}${eol}${notePart(note, eol)}${eol}${text.slice(at)}`;
    }
  }
  const boundary = newBoundary(text);
  const top = root.fields.filter((f) => !f.name.toLowerCase().startsWith('content-'));
  const moved = root.fields.filter((f) => f.name.toLowerCase().startsWith('content-'));
  const hasVersion = top.some((f) => f.name.toLowerCase() === 'mime-version');
  const head = [
    ...top.map((f) => f.raw.replace(/\n/g, eol)),
    ...(hasVersion ? [] : ['MIME-Version: 1.0']),
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
  ];
  const body = text.slice(root.bodyStart);
  return [
    ...head,
    '',
    'This is a multi-part message in MIME format.',
    `--${boundary}`,
    notePart(note, eol),
    `--${boundary}`,
    ...moved.map((f) => f.raw.replace(/\n/g, eol)),
    '',
    body.replace(/\r?\n$/, ''),
    `--${boundary}--`,
    '',
  ].join(eol);
}

function newBoundary(text: string): string {
  // 96 random bits: a collision with the message's own text is not expected, but checked.
  for (let i = 0; i < 8; i++) {
    const b = `----emoguard-disarm-${randomBytes(12).toString('hex')}`;
    if (!text.includes(b)) return b;
  }
  throw new Error('no free MIME boundary');
}
