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
  const text = new TextDecoder('latin1').decode(raw);
  const end = headerEnd(text);
  const eol = /\r\n/.test(text.slice(0, end === -1 ? 4096 : end + 2)) ? '\r\n' : '\n';
  const head = end === -1 ? text : text.slice(0, end);
  const rest = end === -1 ? '' : text.slice(end);
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
  return latin1(end === -1 ? `${joined}${eol}${eol}` : joined + rest);
}

/** Index of the blank line that ends the header section (RFC 5322 2.1), or -1. */
function headerEnd(text: string): number {
  const crlf = text.indexOf('\r\n\r\n');
  const lf = text.indexOf('\n\n');
  if (crlf === -1) return lf;
  if (lf === -1) return crlf;
  return Math.min(crlf, lf);
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
