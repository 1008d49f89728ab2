import { LimitError } from '../../core/index.js';
import { decodeEncodedWords } from '../../formats/mime/index.js';

/**
 * The MIME structure of a raw message as byte ranges (RFC 2045 header/body, RFC 2046 5.1.1 multipart
 * delimiters), so that one part can be swapped for another while every other byte — headers, Message-ID,
 * threading, signatures' coverage of untouched parts, preamble and epilogue — stays as it came.
 * Text is handled as latin1: one character per byte, so string offsets are byte offsets.
 */
export interface MimeField {
  /** Field name as written. */
  name: string;
  /** The field with its folded continuation lines, without the final line break. */
  raw: string;
  /** Unfolded value. */
  value: string;
}

export interface MimeEntity {
  /** Offset of the first header byte. */
  start: number;
  bodyStart: number;
  /** Offset just past the body (the line break before the next delimiter belongs to the delimiter). */
  end: number;
  fields: MimeField[];
  /** Lower-cased `type/subtype` (RFC 2045 5.2 default `text/plain`). */
  type: string;
  /** Content-Type parameters, names lower-cased, values unquoted. */
  params: Record<string, string>;
  children: MimeEntity[];
  /** `1`, `2.1` …: the part's position, for messages and notes. */
  id: string;
}

/** Nesting of multiparts followed; deeper ones are treated as opaque leaves (and so are not disarmed). */
export const MAX_MIME_DEPTH = 20;

export interface MimeTreeLimits {
  maxParts: number;
  maxDepth?: number;
}

/** Parses the entity tree of `text` (a whole message as latin1). Throws `LimitError` past `maxParts`. */
export function parseMimeTree(text: string, limits: MimeTreeLimits): MimeEntity {
  const count = { parts: 0 };
  return parseEntity(text, 0, text.length, '', 0, limits, count);
}

function parseEntity(
  text: string,
  start: number,
  end: number,
  id: string,
  depth: number,
  limits: MimeTreeLimits,
  count: { parts: number },
): MimeEntity {
  // SECURITY: part bombs (thousands of empty parts) are cut at maxParts, not walked.
  if (++count.parts > limits.maxParts) {
    throw new LimitError('E_LIMIT_MIME_PARTS', `more than ${limits.maxParts} MIME parts`, {
      limit: 'maxParts',
      max: limits.maxParts,
    });
  }
  const bodyStart = headerEnd(text, start, end);
  const fields = parseFields(text.slice(start, bodyStart));
  const ct = parseParams(fieldValue(fields, 'content-type') ?? 'text/plain');
  const type = /^[!-~]+\/[!-~]+$/.test(ct.value) ? ct.value.toLowerCase() : 'text/plain';
  const entity: MimeEntity = {
    start,
    bodyStart,
    end,
    fields,
    type,
    params: ct.params,
    children: [],
    id: id || '0',
  };
  const boundary = ct.params.boundary;
  if (type.startsWith('multipart/') && boundary && depth < (limits.maxDepth ?? MAX_MIME_DEPTH)) {
    const ranges = splitMultipart(text, bodyStart, end, boundary);
    ranges.forEach(([s, e], i) => {
      const childId = id ? `${id}.${i + 1}` : String(i + 1);
      entity.children.push(parseEntity(text, s, e, childId, depth + 1, limits, count));
    });
  }
  return entity;
}

/** Offset where the body starts: after the blank line, or `end` when there is none. */
function headerEnd(text: string, start: number, end: number): number {
  if (text.startsWith('\r\n', start)) return start + 2;
  if (text.startsWith('\n', start)) return start + 1;
  const crlf = text.indexOf('\r\n\r\n', start);
  const lf = text.indexOf('\n\n', start);
  const candidates = [crlf === -1 ? Infinity : crlf + 4, lf === -1 ? Infinity : lf + 2];
  const found = Math.min(...candidates);
  return found > end ? end : found;
}

function parseFields(head: string): MimeField[] {
  const fields: MimeField[] = [];
  for (const line of head.split(/\r?\n/)) {
    if (line === '') continue;
    const last = fields[fields.length - 1];
    if (/^[ \t]/.test(line) && last) {
      last.raw += `\n${line}`;
      last.value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    fields.push({ name: line.slice(0, colon), raw: line, value: line.slice(colon + 1).trim() });
  }
  return fields;
}

export function fieldValue(fields: readonly MimeField[], name: string): string | undefined {
  return fields.find((f) => f.name.toLowerCase() === name)?.value;
}

/** `attachment; filename="a;b.doc"; size=3` → value + lower-cased parameters (quotes and `\` escapes removed). */
export function parseParams(header: string): { value: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const semi = header.indexOf(';');
  const value = (semi === -1 ? header : header.slice(0, semi)).trim();
  const re = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (const m of header.slice(semi === -1 ? header.length : semi).matchAll(re)) {
    const name = m[1]!.toLowerCase();
    if (!(name in params))
      params[name] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!.trim();
  }
  return { value, params };
}

/** Body ranges of the parts between `--boundary` delimiter lines (RFC 2046 5.1.1). */
function splitMultipart(
  text: string,
  bodyStart: number,
  end: number,
  boundary: string,
): [number, number][] {
  const delimiter = `--${boundary}`;
  const ranges: [number, number][] = [];
  let partStart = -1;
  let pos = bodyStart;
  while (pos < end) {
    const at = text.indexOf(delimiter, pos);
    if (at === -1 || at >= end) break;
    pos = at + delimiter.length;
    if (at !== bodyStart && text[at - 1] !== '\n') continue;
    const isClose = text.startsWith('--', pos);
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd === -1 || lineEnd > end) lineEnd = end;
    const tail = text.slice(isClose ? pos + 2 : pos, lineEnd).replace(/\r$/, '');
    if (!/^[ \t]*$/.test(tail)) continue; // `--boundaryX`: not our delimiter
    if (partStart !== -1) {
      const before = at === bodyStart ? at : at - (text[at - 2] === '\r' ? 2 : 1);
      ranges.push([partStart, Math.max(partStart, before)]);
    }
    if (isClose) return ranges;
    partStart = Math.min(lineEnd + 1, end);
    pos = partStart;
  }
  if (partStart !== -1) ranges.push([partStart, end]);
  return ranges;
}

/** The decoded body of a leaf (base64, quoted-printable, or as is). */
export function decodeBody(text: string, entity: MimeEntity): Uint8Array {
  const body = text.slice(entity.bodyStart, entity.end);
  const cte = (fieldValue(entity.fields, 'content-transfer-encoding') ?? '').toLowerCase().trim();
  if (cte === 'base64')
    return new Uint8Array(Buffer.from(body.replace(/[^A-Za-z0-9+/]/g, ''), 'base64'));
  if (cte === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return new Uint8Array(Buffer.from(bytes, 'latin1'));
  }
  return new Uint8Array(Buffer.from(body, 'latin1'));
}

/** The file name of a part: RFC 2231 `filename*` (with continuations), `filename`, then Content-Type `name`. */
export function filenameOf(entity: MimeEntity): string | undefined {
  const disposition = parseParams(fieldValue(entity.fields, 'content-disposition') ?? '').params;
  return (
    extendedParam(disposition, 'filename') ??
    plainParam(disposition.filename) ??
    extendedParam(entity.params, 'name') ??
    plainParam(entity.params.name)
  );
}

function plainParam(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : decodeEncodedWords(value);
}

/** RFC 2231 3–4: `name*=charset'lang'%xx…` and `name*0*=…; name*1=…` continuations. */
function extendedParam(params: Record<string, string>, name: string): string | undefined {
  const segments: { index: number; value: string; encoded: boolean }[] = [];
  for (const [key, value] of Object.entries(params)) {
    const m = new RegExp(`^${name}\\*(?:(\\d{1,3})(\\*)?)?$`).exec(key);
    if (!m) continue;
    const isSingle = m[1] === undefined;
    segments.push({
      index: isSingle ? 0 : Number(m[1]),
      value,
      encoded: isSingle || m[2] === '*',
    });
  }
  if (segments.length === 0) return undefined;
  segments.sort((a, b) => a.index - b.index);
  let charset = 'utf-8';
  const bytes: number[] = [];
  segments.forEach((segment, i) => {
    let value = segment.value;
    if (i === 0 && segment.encoded) {
      const m = /^([^']*)'[^']*'(.*)$/.exec(value);
      if (m) {
        charset = m[1] || charset;
        value = m[2]!;
      }
    }
    const raw = segment.encoded
      ? value.replace(/%([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16)))
      : value;
    for (let k = 0; k < raw.length; k++) bytes.push(raw.charCodeAt(k) & 0xff);
  });
  try {
    return new TextDecoder(charset).decode(new Uint8Array(bytes));
  } catch {
    return new TextDecoder('utf-8').decode(new Uint8Array(bytes));
  }
}

/** Leaf entities in document order (multipart containers are walked, not returned). */
export function* leaves(entity: MimeEntity): Generator<MimeEntity> {
  if (entity.children.length === 0) {
    yield entity;
    return;
  }
  for (const child of entity.children) yield* leaves(child);
}
