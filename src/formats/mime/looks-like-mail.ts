/** Bytes looked at: a header block's first fields fit easily, and the check stays O(1) per input. */
const WINDOW_BYTES = 4096;

/** Fields that mark an RFC 5322 message (3.6) or its transport trace; two distinct ones are needed. */
const MAIL_FIELDS: ReadonlySet<string> = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'subject',
  'date',
  'received',
  'message-id',
  'mime-version',
  'return-path',
  'reply-to',
  'sender',
  'delivered-to',
  'in-reply-to',
  'references',
  'dkim-signature',
  'authentication-results',
  'x-mailer',
  'x-originating-ip',
  'thread-topic',
]);

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;

/** mbox (RFC 4155) separator `From ` that may precede the first header. */
function isMboxFromLine(bytes: Uint8Array, start: number, end: number): boolean {
  return end - start > 5 && String.fromCharCode(...bytes.subarray(start, start + 5)) === 'From ';
}

/** The lower-cased field name of a `name: value` line, or undefined when the line is not one. */
function fieldName(bytes: Uint8Array, start: number, end: number): string | undefined {
  let name = '';
  for (let i = start; i < end; i++) {
    const b = bytes[i] ?? 0;
    if (b === COLON) {
      // obs-optional (RFC 5322 4.5.3): white space may precede the colon.
      const trimmed = name.replace(/[ \t]+$/, '');
      return trimmed === '' || /[ \t]/.test(trimmed) ? undefined : trimmed.toLowerCase();
    }
    // RFC 5322 2.2: field names are printable US-ASCII (0x21–0x7E); WSP only before the colon.
    if ((b < 0x21 || b > 0x7e) && b !== 0x20 && b !== 0x09) return undefined;
    name += String.fromCharCode(b);
  }
  return undefined;
}

/**
 * A cheap check for an RFC 5322 message: the input starts with header lines (an mbox `From ` line
 * and folded continuation lines are allowed) holding at least two distinct well-known mail fields,
 * before any line that is not a header. Looks at the first 4 KiB only; pure and allocation-light.
 *
 * @example looksLikeMail(new TextEncoder().encode('From: a@example.com\r\nSubject: hi\r\n\r\nbody')) // true
 */
export function looksLikeMail(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, WINDOW_BYTES);
  const window = bytes.subarray(0, end); // SECURITY: never search past the window (a 1 GiB line)
  let pos = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0; // UTF-8 BOM
  const seen = new Set<string>();
  let fields = 0;
  for (let lineNo = 0; pos < end; lineNo++) {
    let next = window.indexOf(LF, pos);
    if (next < 0) {
      if (end < bytes.length) break; // the window cut this line: judge on what came before
      next = end;
    }
    const lineEnd = next > pos && bytes[next - 1] === CR ? next - 1 : next;
    if (lineEnd === pos) break; // the blank line that ends the header block
    if (bytes.subarray(pos, lineEnd).includes(0)) return false;
    const first = bytes[pos];
    if (first === 0x20 || first === 0x09) {
      if (fields === 0) return false; // a continuation line needs a field to continue
    } else if (!(lineNo === 0 && isMboxFromLine(bytes, pos, lineEnd))) {
      const name = fieldName(bytes, pos, lineEnd);
      if (name === undefined) return false;
      fields++;
      if (MAIL_FIELDS.has(name)) seen.add(name);
    }
    pos = next + 1;
  }
  return seen.size >= 2;
}
