import { isAsciiDigit, isAsciiLetter } from '../../core/index.js';
import { FORMULA_OPERATOR_PRECEDENCE } from '../../formats/biff/index.js';

/**
 * Formula text → tokens for the XLM formula parser (formula.ts). Both reference styles are read: A1,
 * and R1C1 with `R[-1]C[2]` offsets resolved against the formula's own cell. Hot path: every formula
 * cell of every macro sheet goes through here, so the common tokens (names, A1 references, numbers,
 * operators) are scanned by hand, without match arrays or substrings, and operator tokens are shared.
 */

export class FormulaSyntaxError extends Error {}

export interface CellPos {
  row: number;
  col: number;
}

export type TokKind = 'num' | 'str' | 'err' | 'ref' | 'id' | 'op';

/**
 * One token. A single class (rather than one object shape per kind) keeps the parser's property
 * reads monomorphic.
 */
export class Tok {
  constructor(
    readonly t: TokKind,
    /** Text of a string, error, name or operator. */
    readonly v: string,
    /** Value of a number; row of a reference. */
    readonly n: number,
    /** Column of a reference. */
    readonly col: number,
    /** Sheet qualifying a reference or a name. */
    readonly sheet: string | undefined,
    /** Binding strength of a binary operator, 0 for the other operators. */
    readonly prec: number,
  ) {}
}

const token = (t: TokKind, v: string, sheet?: string) => new Tok(t, v, 0, 0, sheet, 0);

// Sticky patterns, matched in place at a position of the formula text (no slicing per token).
const SHEET = /(?:'((?:[^']|'')*)'|(\[[^\]]*\][^!'"(),;:=<>&+*/^ -]*|[\p{L}_][\p{L}\p{N}_.]*))!/uy;
const R1C1 = /[Rr](\[-?\d{1,7}\]|\d{1,7})?[Cc](\[-?\d{1,5}\]|\d{1,5})?(?![A-Za-z0-9_.(\[])/y;
const ERROR = /#(?:NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|N\/A|GETTING_DATA)/iy;
const NON_ASCII_WORD = /[\p{L}\p{N}]/u;

/** One shared token per operator: tokens are never changed, and a formula has hundreds of them. */
const OPERATOR_TOKENS: ReadonlyMap<string, Tok> = new Map(
  [...'-+*/^&=<>(),%:;{}', '<>', '<=', '>='].map((v): [string, Tok] => [
    v,
    new Tok('op', v, 0, 0, undefined, FORMULA_OPERATOR_PRECEDENCE[v] ?? 0),
  ]),
);
/** The one-character operators by character code. */
const OPERATOR_BY_CODE: readonly (Tok | undefined)[] = Array.from({ length: 128 }, (_, c) =>
  OPERATOR_TOKENS.get(String.fromCharCode(c)),
);

const isDigit = isAsciiDigit;
const isLetter = isAsciiLetter;
/** Letters, `$`, `'`, `[`, `_`, `\` and anything non-ASCII may start a reference or a name. */
const isWordStart = (c: number) =>
  isLetter(c) || c === 0x24 || c === 0x27 || c === 0x5b || c === 0x5f || c === 0x5c || c > 0x7f;

/**
 * `charCodeAt` that is -1 past the end. Scans read one character beyond a token; a read out of range
 * (NaN) would deoptimise the compiled lexer once per worker thread.
 */
function codeAt(text: string, at: number): number {
  return at < text.length ? text.charCodeAt(at) : -1;
}

function match(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

export function tokenize(text: string, origin: CellPos, preferR1C1: boolean): Tok[] {
  const toks: Tok[] = [];
  const hasSheets = text.includes('!');
  let i = 0;
  while (i < text.length) {
    const c = codeAt(text, i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      i++;
      continue;
    }
    if (c === 0x22) {
      i = readString(text, i, toks);
      continue;
    }
    // Dispatch on the first character: most tokens need one scan, not seven patterns.
    if (isDigit(c) || c === 0x2e) {
      const end = numberEnd(text, i);
      if (end > i) {
        toks.push(new Tok('num', '', numberValue(text, i, end), 0, undefined, 0));
        i = end;
        continue;
      }
    } else if (c === 0x23) {
      const m = match(ERROR, text, i);
      if (m) {
        toks.push(token('err', m[0].toUpperCase()));
        i += m[0].length;
        continue;
      }
    } else if (isWordStart(c)) {
      const end = word(text, i, origin, preferR1C1, hasSheets, toks);
      if (end > i) {
        i = end;
        continue;
      }
    }
    const op = operatorAt(text, i);
    if (!op) throw new FormulaSyntaxError(`unexpected character ${JSON.stringify(text[i])}`);
    toks.push(op);
    i += op.v.length;
  }
  return toks;
}

function operatorAt(text: string, at: number): Tok | undefined {
  const c = codeAt(text, at);
  if (c === 0x3c || c === 0x3e) {
    const d = codeAt(text, at + 1);
    if ((c === 0x3c && d === 0x3e) || d === 0x3d)
      return OPERATOR_TOKENS.get(text.slice(at, at + 2));
  }
  return c < 0x80 ? OPERATOR_BY_CODE[c] : undefined;
}

/** A string literal at `at` (quotes doubled inside); pushes its token and returns its end. */
function readString(text: string, at: number, toks: Tok[]): number {
  let s = '';
  let j = at + 1;
  for (;;) {
    const next = text.indexOf('"', j);
    if (next < 0) throw new FormulaSyntaxError('unterminated string');
    s += text.slice(j, next);
    if (codeAt(text, next + 1) !== 0x22) {
      toks.push(token('str', s));
      return next + 1;
    }
    s += '"';
    j = next + 2;
  }
}

/** End of the number at `at` (`\d+(\.\d*)?|\.\d+`, then an optional exponent), or `at` if none. */
function numberEnd(text: string, at: number): number {
  let j = at;
  while (isDigit(codeAt(text, j))) j++;
  if (j > at) {
    if (codeAt(text, j) === 0x2e) for (j++; isDigit(codeAt(text, j));) j++;
  } else {
    if (!isDigit(codeAt(text, at + 1))) return at;
    for (j = at + 1; isDigit(codeAt(text, j));) j++;
  }
  if ((codeAt(text, j) | 0x20) === 0x65) {
    let k = j + 1;
    const sign = codeAt(text, k);
    if (sign === 0x2b || sign === 0x2d) k++;
    if (isDigit(codeAt(text, k))) {
      while (isDigit(codeAt(text, k))) k++;
      j = k;
    }
  }
  return j;
}

/** The number `text[start, end)`: up to 15 plain digits are summed exactly, the rest go to Number. */
function numberValue(text: string, start: number, end: number): number {
  if (end - start > 15) return Number(text.slice(start, end));
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = codeAt(text, i);
    if (!isDigit(c)) return Number(text.slice(start, end));
    n = n * 10 + c - 0x30;
  }
  return n;
}

/** End of the name starting at `at` (letters, digits, `_ . ? \\`, any script), or `at` if none. */
function identEnd(text: string, at: number): number {
  let i = at;
  for (; i < text.length; i++) {
    const c = codeAt(text, i);
    const isAscii =
      isLetter(c) ||
      c === 0x5f ||
      c === 0x5c ||
      (i > at && (isDigit(c) || c === 0x2e || c === 0x3f));
    if (isAscii) continue;
    if (c > 0x7f && NON_ASCII_WORD.test(text[i]!) && (i > at || !/\p{N}/u.test(text[i]!))) continue;
    break;
  }
  return i;
}

/**
 * A (sheet-qualified) reference or name at `i`: pushes its token and returns its end, or returns `i`
 * when there is none.
 */
function word(
  text: string,
  i: number,
  origin: CellPos,
  preferR1C1: boolean,
  hasSheets: boolean,
  toks: Tok[],
): number {
  const sheet = hasSheets ? match(SHEET, text, i) : null;
  if (sheet) {
    const name = (sheet[1] ?? sheet[2] ?? '').replace(/''/g, "'").replace(/^\[[^\]]*\]/, '');
    const after = i + sheet[0].length;
    const length = refAt(text, after, origin, preferR1C1);
    if (length > 0) {
      toks.push(new Tok('ref', '', found.row, found.col, name, 0));
      return after + length;
    }
    const end = identEnd(text, after);
    if (end > after) {
      toks.push(token('id', text.slice(after, end), name));
      return end;
    }
  }
  const length = refAt(text, i, origin, preferR1C1);
  if (length > 0) {
    toks.push(new Tok('ref', '', found.row, found.col, undefined, 0));
    return i + length;
  }
  const end = identEnd(text, i);
  if (end > i) toks.push(token('id', text.slice(i, end)));
  return end;
}

/** The cell the last successful `a1At`/`r1c1At` read (the lexer is synchronous: one at a time). */
const found: CellPos = { row: 0, col: 0 };

/** Length of the reference at `at` (0 if none); its cell is left in `found`. */
function refAt(text: string, at: number, origin: CellPos, preferR1C1: boolean): number {
  if (preferR1C1) return r1c1At(text, at, origin) || a1At(text, at);
  return a1At(text, at) || r1c1At(text, at, origin);
}

/** A reference must not run on into a name: `A1B`, `A1(`, `A1é` are names or calls. */
function endsWord(text: string, end: number): boolean {
  const c = codeAt(text, end);
  return !(c > 0x7f && NON_ASCII_WORD.test(text[end]!));
}

/** `$?[A-Za-z]{1,3}$?\d{1,7}` not followed by `[A-Za-z0-9_.(]`, scanned by hand. */
function a1At(text: string, at: number): number {
  let j = codeAt(text, at) === 0x24 ? at + 1 : at;
  const start = j;
  while (j < start + 4 && isLetter(codeAt(text, j))) j++;
  if (j === start || j > start + 3) return 0;
  const letters = j;
  if (codeAt(text, j) === 0x24) j++;
  const digits = j;
  while (isDigit(codeAt(text, j))) j++;
  if (j === digits || j - digits > 7) return 0;
  const next = codeAt(text, j);
  if (isLetter(next) || next === 0x5f || next === 0x2e || next === 0x28) return 0;
  if (!endsWord(text, j)) return 0;
  let col = 0;
  for (let k = start; k < letters; k++) col = col * 26 + (codeAt(text, k) & 0xdf) - 64;
  if (col > 16384) return 0;
  let row = 0;
  for (let k = digits; k < j; k++) row = row * 10 + codeAt(text, k) - 0x30;
  found.row = row - 1;
  found.col = col - 1;
  return j - at;
}

function r1c1At(text: string, at: number, origin: CellPos): number {
  if ((codeAt(text, at) | 0x20) !== 0x72) return 0;
  const m = match(R1C1, text, at);
  // A bare "RC" is the formula's own cell; "R" or "C" alone (whole row/column) is not read.
  if (!m || !endsWord(text, at + m[0].length)) return 0;
  if (m[1] === undefined && m[2] === undefined && m[0].length !== 2) return 0;
  const row = r1c1Part(m[1], origin.row);
  const col = r1c1Part(m[2], origin.col);
  if (row < 0 || col < 0) return 0;
  found.row = row;
  found.col = col;
  return m[0].length;
}

function r1c1Part(part: string | undefined, origin: number): number {
  if (part === undefined) return origin;
  if (part.startsWith('[')) return origin + Number(part.slice(1, -1));
  return Number(part) - 1;
}
