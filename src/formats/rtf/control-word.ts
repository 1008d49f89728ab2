import { isAsciiDigit, isAsciiLetter } from '../../core/index.js';

/**
 * The control-word reader every RTF pass shares (parse.ts, rewrite.ts, text.ts), so that the parser,
 * the disarm rewrite and the text view split `\word-123 ` the same way (RTF 1.9.1 "Control words"):
 * letters, an optional signed decimal parameter, and one space delimiter that belongs to the word.
 */

// SECURITY: the rewrite keeps or cuts bytes by what this reader says a control word is; if it and
// the parser disagreed, a `\object` the parser saw could survive the rewrite. One reader for both.

/** Word reads control words of up to ~250 letters (rtfobj's tests); longer runs are cut there. */
export const MAX_WORD_LETTERS = 250;
/** Parameters are clamped to a signed 32-bit value, as Word does. */
const MAX_PARAM = 0x7fffffff;

export const isLetter = isAsciiLetter;
export const isDigit = (b: number | undefined) => b !== undefined && isAsciiDigit(b);

export interface ControlWord {
  /** The letters (at most MAX_WORD_LETTERS of them). */
  word: string;
  param: number | undefined;
  /** Offset just past the word, its parameter and its space delimiter. */
  end: number;
}

/**
 * Reads the control word whose backslash is at `i` (`b[i + 1]` is a letter).
 *
 * @example
 * readControlWord(bytes('\\fs-24 x'), 0) // { word: 'fs', param: -24, end: 6 }
 */
export function readControlWord(b: Uint8Array, i: number): ControlWord {
  let j = i + 1;
  while (j < b.length && isLetter(b[j]!)) j++;
  const last = Math.min(j, i + 1 + MAX_WORD_LETTERS);
  let word = '';
  for (let p = i + 1; p < last; p++) word += String.fromCharCode(b[p]!);
  let k = j;
  let param: number | undefined;
  const negative = b[k] === 0x2d && isDigit(b[k + 1]);
  if (negative) k++;
  if (isDigit(b[k])) {
    param = 0;
    for (; isDigit(b[k]); k++) param = Math.min(param * 10 + (b[k]! - 0x30), MAX_PARAM);
    if (negative) param = -param;
  } else k = j;
  if (b[k] === 0x20) k++;
  return { word, param, end: k };
}

export const BACKSLASH = 0x5c;
export const BRACE_OPEN = 0x7b;
export const BRACE_CLOSE = 0x7d;
/** Bytes between two `checkDeadline` calls of a lexing pass. */
const DEADLINE_EVERY = 1 << 20;

/** After `\uN`, one fallback character (`\uc1`, the default) is skipped: a byte or a `\'hh`. */
export function skipFallback(b: Uint8Array, at: number): number {
  const c = b[at];
  if (c === BACKSLASH && b[at + 1] === 0x27) return Math.min(b.length, at + 4);
  if (c !== undefined && c !== BACKSLASH && c !== BRACE_OPEN && c !== BRACE_CLOSE) return at + 1;
  return at;
}

/** What a lexing pass does with each token; offsets are into the lexed bytes. */
export interface RtfTokenHandler {
  /** A `{` at `at`; false stops the pass (a bound was hit). */
  openGroup(at: number): boolean;
  closeGroup(at: number): void;
  /** A `\word` whose backslash is at `at`; returns the offset after it. */
  controlWord(at: number): number;
  /** A `\` followed by a non-letter (or nothing) at `at`; returns the offset after it. */
  controlSymbol(at: number): number;
  /** A run of other bytes, `from` to `to`. */
  text(from: number, to: number): void;
}

// SECURITY: parse.ts and rewrite.ts both group bytes with this loop, so the disarm rewrite cuts exactly
// the groups the scanner saw.
/**
 * The group/control-word/text split of one linear pass over RTF bytes. Returns false when
 * `openGroup` stopped it. Throws only what `checkDeadline` throws.
 */
export function lexRtf(
  b: Uint8Array,
  handler: RtfTokenHandler,
  checkDeadline?: () => void,
): boolean {
  const n = b.length;
  let nextCheck = DEADLINE_EVERY;
  let i = 0;
  while (i < n) {
    if (i >= nextCheck) {
      checkDeadline?.();
      nextCheck = i + DEADLINE_EVERY;
    }
    const c = b[i]!;
    if (c === BRACE_OPEN) {
      if (!handler.openGroup(i)) return false;
      i++;
    } else if (c === BRACE_CLOSE) {
      handler.closeGroup(i);
      i++;
    } else if (c === BACKSLASH) {
      i = isLetter(b[i + 1] ?? 0) ? handler.controlWord(i) : handler.controlSymbol(i);
    } else {
      let j = i + 1;
      while (j < n && b[j] !== BRACE_OPEN && b[j] !== BRACE_CLOSE && b[j] !== BACKSLASH) j++;
      handler.text(i, j);
      i = j;
    }
  }
  return true;
}
