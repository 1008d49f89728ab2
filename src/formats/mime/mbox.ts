/**
 * mbox (RFC 4155): messages separated by lines that start with "From " at the start of the file or after
 * an empty line. The mboxrd/mboxo quoting (">From ") is undone. Offsets let a responder find a message.
 */
export interface MboxMessage {
  /** Byte offset of the message's "From " separator line. */
  offset: number;
  /** 1-based line of the separator. */
  line: number;
  bytes: Uint8Array;
}

export const MAX_MBOX_MESSAGES = 100_000;
const LF = 0x0a;
const FROM_ = [0x46, 0x72, 0x6f, 0x6d, 0x20]; // "From "

function startsWithFrom(bytes: Uint8Array, at: number): boolean {
  for (let i = 0; i < FROM_.length; i++) if (bytes[at + i] !== FROM_[i]) return false;
  return true;
}

/** Splits an mbox into messages (separator line dropped, `>From ` unquoted). At most `maxMessages`. */
export function splitMbox(
  bytes: Uint8Array,
  maxMessages = MAX_MBOX_MESSAGES,
): { messages: MboxMessage[]; truncated: boolean } {
  const starts: { offset: number; line: number; body: number }[] = [];
  let line = 1;
  let previousBlank = true;
  for (let at = 0; at < bytes.length;) {
    let end = bytes.indexOf(LF, at);
    if (end < 0) end = bytes.length;
    const isBlank = end === at || (end === at + 1 && bytes[at] === 0x0d);
    if (previousBlank && startsWithFrom(bytes, at)) {
      if (starts.length >= maxMessages) return { messages: cut(bytes, starts), truncated: true };
      starts.push({ offset: at, line, body: Math.min(end + 1, bytes.length) });
    }
    previousBlank = isBlank;
    at = end + 1;
    line++;
  }
  return { messages: cut(bytes, starts), truncated: false };
}

function cut(
  bytes: Uint8Array,
  starts: { offset: number; line: number; body: number }[],
): MboxMessage[] {
  return starts.map((s, i) => ({
    offset: s.offset,
    line: s.line,
    bytes: unquote(bytes.subarray(s.body, starts[i + 1]?.offset ?? bytes.length)),
  }));
}

/** ">From " → "From ", ">>From " → ">From " at line starts (mboxrd); other bytes untouched. */
function unquote(message: Uint8Array): Uint8Array {
  const text = new TextDecoder('latin1').decode(message);
  if (!/^>+From /m.test(text)) return message;
  const out = text.replace(/^>(>*From )/gm, '$1');
  return Uint8Array.from(out, (c) => c.charCodeAt(0));
}
