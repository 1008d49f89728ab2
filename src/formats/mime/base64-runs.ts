import { randomBytes } from 'node:crypto';

/**
 * Runs of base64 lines at least this long are decoded natively and handed to mailparser as a short
 * placeholder. Below it the line-by-line path costs less than the bookkeeping.
 */
export const MIN_BASE64_RUN_BYTES = 16 * 1024;
/** Runs replaced per mail; the rest go through mailparser as they are. */
export const MAX_BASE64_RUNS = 256;

/** RFC 4648 4 alphabet, without '=' (padding is only accepted at the end of a run). */
const ALPHABET = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')
  ALPHABET[c.charCodeAt(0)] = 1;
const LF = 0x0a;
const CR = 0x0d;
const PAD = 0x3d;

/** `[start, end)`: whole lines (the last one's line break included) holding only base64. */
export interface Base64Run {
  start: number;
  end: number;
}

/**
 * Maximal runs of consecutive base64 lines of at least `minBytes`, whose base64 characters are a whole
 * number of quanta (RFC 4648 4), so that any decoder gives the same bytes. A delimiter line (`--…`), a
 * header (`:`), an empty line or a quoted-printable line (`=` inside) is never in a run: a run is always
 * inside one part's body, which is what lets mailparser see the same structure with a placeholder there.
 * '=' padding (at most two) may only end the last line of a run.
 */
export function findBase64Runs(
  bytes: Uint8Array,
  minBytes = MIN_BASE64_RUN_BYTES,
  maxRuns = MAX_BASE64_RUNS,
): Base64Run[] {
  const runs: Base64Run[] = [];
  let runStart = -1;
  let chars = 0;
  const close = (end: number) => {
    if (runStart >= 0 && end - runStart >= minBytes && chars % 4 === 0)
      runs.push({ start: runStart, end });
    runStart = -1;
    chars = 0;
  };
  // One flat loop with no call or allocation per base64 line: this runs over every byte of every mail.
  const n = bytes.length;
  for (let pos = 0; pos < n && runs.length < maxRuns;) {
    let i = pos;
    while (i < n && ALPHABET[bytes[i]!] === 1) i++;
    const last = i;
    while (i < n && bytes[i] === PAD && i - last < 2) i++;
    const pads = i - last;
    if (i < n && bytes[i] === CR) i++;
    if (last > pos && i < n && bytes[i] === LF) {
      if (runStart < 0) runStart = pos;
      chars += last - pos + pads;
      pos = i + 1;
      if (pads > 0) close(pos);
      continue;
    }
    close(pos);
    const lf = bytes.indexOf(LF, i);
    if (lf < 0) break; // a last line without a break stays with mailparser
    pos = lf + 1;
  }
  close(bytes.length);
  return runs;
}

/** One run replaced by a placeholder: what the placeholder decodes to, and the run's real bytes. */
export interface Placeholder {
  /** The decoded placeholder, as latin1 text (the key mailparser's output is matched against). */
  marker: string;
  run: Base64Run;
}

export interface Substituted {
  /** The input with every run replaced by one base64 line of its placeholder. */
  bytes: Uint8Array;
  placeholders: Placeholder[];
}

const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);

/**
 * Replaces each run by one line that decodes to a marker unique to this call.
 * SECURITY: the marker carries 128 random bits, so a mail cannot contain a forged one and make the
 * parser take another part's bytes for an attachment.
 */
export function substituteRuns(bytes: Uint8Array, runs: readonly Base64Run[]): Substituted {
  const nonce = randomBytes(16).toString('hex');
  const encoder = new TextEncoder();
  const pieces: Uint8Array[] = [];
  const placeholders: Placeholder[] = [];
  let at = 0;
  for (const [index, run] of runs.entries()) {
    // 48 bytes: a multiple of 3, so the placeholder has no '=' padding.
    const marker = `emoguard-base64-run:${nonce}:${String(index).padStart(4, '0')}`;
    const decoded = encoder.encode(marker);
    const lineBreak = bytes[run.end - 2] === CR ? '\r\n' : '\n';
    pieces.push(bytes.subarray(at, run.start));
    pieces.push(encoder.encode(`${btoa(latin1(decoded))}${lineBreak}`));
    placeholders.push({ marker: latin1(decoded), run });
    at = run.end;
  }
  pieces.push(bytes.subarray(at));
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return { bytes: out, placeholders };
}

/** Decodes a run (validated by findBase64Runs: base64 characters, line breaks, final padding). */
export function decodeRun(bytes: Uint8Array, run: Base64Run): Uint8Array {
  const view = bytes.subarray(run.start, run.end);
  // Node's native decoder skips the line breaks; latin1 maps each byte to one character, no copy of note.
  const decoded = Buffer.from(
    Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('latin1'),
    'base64',
  );
  // A Buffer this large has its own ArrayBuffer (the pool is for < 4 KiB); keep it a plain view.
  return new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.byteLength);
}

/** Header bytes looked at before a run to find its part's header. */
const PART_HEADER_WINDOW = 4096;

/**
 * Whether the part holding `run` is a text body (text/* and not `attachment`), which mailparser decodes
 * into `text`/`html` rather than an attachment: a placeholder there could only come back unmatched and
 * cost a second parse, so such runs are left to mailparser. A wrong guess costs time, never correctness.
 */
export function isTextBodyRun(bytes: Uint8Array, run: Base64Run): boolean {
  const from = Math.max(0, run.start - PART_HEADER_WINDOW);
  let head = new TextDecoder('latin1').decode(bytes.subarray(from, run.start));
  const delimiter = head.lastIndexOf('\n--');
  if (delimiter >= 0) head = head.slice(delimiter + 1);
  return (
    /^content-type:[ \t]*text\//im.test(head) &&
    !/^content-disposition:[ \t]*attachment/im.test(head)
  );
}
