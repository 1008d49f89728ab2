/**
 * Rewrites the header section of a raw message for the gateway's `tag` action: our verdict header on top
 * and a subject prefix. The body bytes are untouched (signatures over the body stay valid).
 * SECURITY: any copy of our header already in the message is removed first — a sender must not be able to
 * pre-label its own mail as clean.
 */
export interface TagOptions {
  header: string;
  value: string;
  subjectPrefix?: string;
}

export function tagMessage(raw: Uint8Array, options: TagOptions): Uint8Array {
  // Only the header section is decoded and rewritten; the body is copied as bytes, not round-tripped
  // through a string one character at a time (a 2 MiB attachment cost more than the scan's MIME parse).
  const end = headerEnd(raw);
  const decoder = new TextDecoder('latin1');
  const head = decoder.decode(end === -1 ? raw : raw.subarray(0, end));
  const probe = end === -1 ? head.slice(0, 4096) : decoder.decode(raw.subarray(0, end + 2));
  const eol = /\r\n/.test(probe) ? '\r\n' : '\n';
  const lines = unfoldable(head, eol).filter((field) => !isField(field, options.header));
  const value = options.value.replace(/[\r\n]+/g, ' ');
  let subjectSeen = false;
  const out = lines.map((field) => {
    if (!options.subjectPrefix || subjectSeen || !isField(field, 'Subject')) return field;
    subjectSeen = true;
    return field.replace(/^(Subject:[ \t]*)/i, `$1${options.subjectPrefix}`);
  });
  if (options.subjectPrefix && !subjectSeen) out.push(`Subject: ${options.subjectPrefix.trim()}`);
  const joined = [`${options.header}: ${value}`, ...out].join(eol);
  if (end === -1) return latin1(`${joined}${eol}${eol}`);
  const top = latin1(joined);
  const tagged = new Uint8Array(top.length + raw.length - end);
  tagged.set(top, 0);
  tagged.set(raw.subarray(end), top.length);
  return tagged;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Offset of the blank line that ends the header section (RFC 5322 2.1): the first `\r\n\r\n` or `\n\n`,
 * whichever comes first, or -1.
 */
function headerEnd(raw: Uint8Array): number {
  for (let p = raw.indexOf(LF); p >= 0; p = raw.indexOf(LF, p + 1)) {
    if (raw[p + 1] === LF) return p;
    if (p > 0 && raw[p - 1] === CR && raw[p + 1] === CR && raw[p + 2] === LF) return p - 1;
  }
  return -1;
}

/** Header fields with their folded continuation lines kept together (RFC 5322 2.2.3). */
function unfoldable(head: string, eol: string): string[] {
  const fields: string[] = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && fields.length > 0) fields[fields.length - 1] += eol + line;
    else fields.push(line);
  }
  return fields;
}

function isField(field: string, name: string): boolean {
  return field.slice(0, name.length + 1).toLowerCase() === `${name.toLowerCase()}:`;
}

function latin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}
