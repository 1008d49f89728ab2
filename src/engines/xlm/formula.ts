/**
 * Formula text → syntax tree, for every source of XLM formulas: BIFF token streams decoded to text,
 * `<f>` elements of .xlsm macro sheets, SYLK `E` fields (R1C1), and the strings FORMULA() writes into
 * cells at run time. Both reference styles are read (A1, and R1C1 with `R[-1]C[2]` offsets resolved
 * against the formula's own cell). Hostile text cannot overflow the stack: nesting is capped.
 */
import { FORMULA_OPERATOR_PRECEDENCE } from '../../formats/biff/index.js';

export interface CellPos {
  row: number;
  col: number;
}

export type Node =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'bool'; v: boolean }
  | { k: 'err'; v: string }
  | { k: 'missing' }
  | { k: 'ref'; sheet?: string; row: number; col: number; row2: number; col2: number }
  | { k: 'name'; v: string; sheet?: string }
  | { k: 'call'; name: string; args: Node[] }
  | { k: 'bin'; op: string; a: Node; b: Node }
  | { k: 'un'; op: string; a: Node };

export class FormulaSyntaxError extends Error {}

/** Parenthesis and call nesting accepted; Excel itself allows 64 levels. */
export const MAX_FORMULA_DEPTH = 128;

type Tok =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'err'; v: string }
  | { t: 'ref'; v: CellRef; sheet?: string }
  | { t: 'id'; v: string; sheet?: string }
  | { t: 'op'; v: string };

interface CellRef {
  row: number;
  col: number;
}

// Sticky patterns, matched in place at a position of the formula text (no slicing per token).
const SHEET = /(?:'((?:[^']|'')*)'|(\[[^\]]*\][^!'"(),;:=<>&+*/^ -]*|[\p{L}_][\p{L}\p{N}_.]*))!/uy;
const A1 = /\$?([A-Za-z]{1,3})\$?(\d{1,7})(?![A-Za-z0-9_.(])/y;
const R1C1 = /[Rr](\[-?\d{1,7}\]|\d{1,7})?[Cc](\[-?\d{1,5}\]|\d{1,5})?(?![A-Za-z0-9_.(\[])/y;
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const ERROR = /#(?:NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|N\/A|GETTING_DATA)/iy;
const NON_ASCII_WORD = /[\p{L}\p{N}]/u;
const SINGLE_OPERATORS = new Set([...'-+*/^&=<>(),%:;{}']);

function operatorAt(text: string, at: number): string | undefined {
  const two = text.slice(at, at + 2);
  if (two === '<>' || two === '<=' || two === '>=') return two;
  const one = text[at]!;
  return SINGLE_OPERATORS.has(one) ? one : undefined;
}

/** End of the name starting at `at` (letters, digits, `_ . ? \\`, any script), or `at` if none. */
function identEnd(text: string, at: number): number {
  let i = at;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const isAscii =
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      c === 0x5f ||
      c === 0x5c ||
      (i > at && ((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x3f));
    if (isAscii) continue;
    if (c > 0x7f && NON_ASCII_WORD.test(text[i]!) && (i > at || !/\p{N}/u.test(text[i]!))) continue;
    break;
  }
  return i;
}

function match(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

function columnIndex(letters: string): number {
  let col = 0;
  for (let i = 0; i < letters.length; i++) col = col * 26 + (letters.charCodeAt(i) & 0xdf) - 64;
  return col - 1;
}

function r1c1Part(part: string | undefined, origin: number): number {
  if (part === undefined) return origin;
  if (part.startsWith('[')) return origin + Number(part.slice(1, -1));
  return Number(part) - 1;
}

interface RefMatch {
  ref: CellRef;
  length: number;
}

/** A reference must not run on into a name: `A1B`, `A1(`, `A1é` are names or calls. */
function endsWord(text: string, end: number): boolean {
  const c = text.charCodeAt(end);
  return !(c > 0x7f && NON_ASCII_WORD.test(text[end]!));
}

function a1At(text: string, at: number): RefMatch | undefined {
  // Cheap precondition before the pattern: up to three letters, then `$` or a digit.
  let j = text.charCodeAt(at) === 0x24 ? at + 1 : at;
  const start = j;
  while (j < start + 4 && isLetter(text.charCodeAt(j))) j++;
  const next = text.charCodeAt(j);
  if (j === start || j > start + 3 || !(next === 0x24 || isDigit(next))) return undefined;
  const m = match(A1, text, at);
  if (!m || !endsWord(text, at + m[0].length)) return undefined;
  const col = columnIndex(m[1]!);
  return col < 16384 ? { ref: { row: Number(m[2]) - 1, col }, length: m[0].length } : undefined;
}

function r1c1At(text: string, at: number, origin: CellPos): RefMatch | undefined {
  if ((text.charCodeAt(at) | 0x20) !== 0x72) return undefined;
  const m = match(R1C1, text, at);
  // A bare "RC" is the formula's own cell; "R" or "C" alone (whole row/column) is not read.
  if (!m || !endsWord(text, at + m[0].length)) return undefined;
  if (m[1] === undefined && m[2] === undefined && m[0].length !== 2) return undefined;
  const ref = { row: r1c1Part(m[1], origin.row), col: r1c1Part(m[2], origin.col) };
  return ref.row >= 0 && ref.col >= 0 ? { ref, length: m[0].length } : undefined;
}

function refAt(text: string, at: number, origin: CellPos, preferR1C1: boolean) {
  return preferR1C1
    ? (r1c1At(text, at, origin) ?? a1At(text, at))
    : (a1At(text, at) ?? r1c1At(text, at, origin));
}

function readString(text: string, at: number): { value: string; end: number } {
  let s = '';
  let j = at + 1;
  for (;;) {
    const next = text.indexOf('"', j);
    if (next < 0) throw new FormulaSyntaxError('unterminated string');
    s += text.slice(j, next);
    if (text[next + 1] !== '"') return { value: s, end: next + 1 };
    s += '"';
    j = next + 2;
  }
}

function tokenize(text: string, origin: CellPos, preferR1C1: boolean): Tok[] {
  const toks: Tok[] = [];
  const hasSheets = text.includes('!');
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      i++;
      continue;
    }
    if (c === 0x22) {
      const { value, end } = readString(text, i);
      toks.push({ t: 'str', v: value });
      i = end;
      continue;
    }
    // Dispatch on the first character: most tokens need one pattern, not seven.
    const m =
      isDigit(c) || c === 0x2e ? match(NUMBER, text, i) : c === 0x23 ? match(ERROR, text, i) : null;
    if (m) {
      toks.push(c === 0x23 ? { t: 'err', v: m[0].toUpperCase() } : { t: 'num', v: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    if (isWordStart(c)) {
      const next = word(text, i, origin, preferR1C1, hasSheets);
      if (next) {
        toks.push(next.tok);
        i = next.end;
        continue;
      }
    }
    const op = operatorAt(text, i);
    if (!op) throw new FormulaSyntaxError(`unexpected character ${JSON.stringify(text[i])}`);
    toks.push({ t: 'op', v: op });
    i += op.length;
  }
  return toks;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
/** Letters, `$`, `'`, `[`, `_`, `\` and anything non-ASCII may start a reference or a name. */
const isWordStart = (c: number) =>
  (c >= 0x41 && c <= 0x5a) ||
  (c >= 0x61 && c <= 0x7a) ||
  c === 0x24 ||
  c === 0x27 ||
  c === 0x5b ||
  c === 0x5f ||
  c === 0x5c ||
  c > 0x7f;

/** A (sheet-qualified) reference or name at `i`. */
function word(
  text: string,
  i: number,
  origin: CellPos,
  preferR1C1: boolean,
  hasSheets: boolean,
): { tok: Tok; end: number } | undefined {
  const sheet = hasSheets ? match(SHEET, text, i) : null;
  if (sheet) {
    const name = (sheet[1] ?? sheet[2] ?? '').replace(/''/g, "'").replace(/^\[[^\]]*\]/, '');
    const after = i + sheet[0].length;
    const ref = refAt(text, after, origin, preferR1C1);
    if (ref) return { tok: { t: 'ref', v: ref.ref, sheet: name }, end: after + ref.length };
    const end = identEnd(text, after);
    if (end > after) return { tok: { t: 'id', v: text.slice(after, end), sheet: name }, end };
  }
  const ref = refAt(text, i, origin, preferR1C1);
  if (ref) return { tok: { t: 'ref', v: ref.ref }, end: i + ref.length };
  const end = identEnd(text, i);
  return end > i ? { tok: { t: 'id', v: text.slice(i, end) }, end } : undefined;
}

const PRECEDENCE = FORMULA_OPERATOR_PRECEDENCE;

/**
 * Parses formula text (with or without the leading `=`). `origin` is the cell the formula sits in,
 * for R1C1 relative references; `preferR1C1` reads ambiguous text such as `RC4` as R1C1 (SYLK, and
 * FORMULA() text, whose references are R1C1 by definition). Throws `FormulaSyntaxError`.
 */
export function parseFormula(text: string, origin: CellPos, preferR1C1 = false): Node {
  const parser = new Parser(tokenize(text.replace(/^\s*=/, ''), origin, preferR1C1));
  const node = parser.expression(1);
  if (parser.pos < parser.toks.length) throw new FormulaSyntaxError('trailing tokens');
  return node;
}

class Parser {
  pos = 0;
  private depth = 0;

  constructor(readonly toks: Tok[]) {}

  private isOp(v: string): boolean {
    const t = this.toks[this.pos];
    return t?.t === 'op' && t.v === v;
  }

  private enter(): void {
    if (++this.depth > MAX_FORMULA_DEPTH) throw new FormulaSyntaxError('formula nested too deeply');
  }

  expression(minPrec: number): Node {
    this.enter();
    let left = this.unary();
    for (;;) {
      const t = this.toks[this.pos];
      const prec = t?.t === 'op' ? PRECEDENCE[t.v] : undefined;
      if (t?.t !== 'op' || prec === undefined || prec < minPrec) break;
      this.pos++;
      const right = this.expression(t.v === '^' ? prec : prec + 1);
      left = { k: 'bin', op: t.v, a: left, b: right };
    }
    this.depth--;
    return left;
  }

  private unary(): Node {
    if (this.isOp('-') || this.isOp('+')) {
      const op = (this.toks[this.pos++] as { v: string }).v;
      this.enter();
      const a = this.unary();
      this.depth--;
      return { k: 'un', op, a };
    }
    let node = this.primary();
    while (this.isOp('%')) {
      this.pos++;
      node = { k: 'un', op: '%', a: node };
    }
    return node;
  }

  private primary(): Node {
    const t = this.toks[this.pos++];
    if (!t) throw new FormulaSyntaxError('unexpected end of formula');
    switch (t.t) {
      case 'num':
        return { k: 'num', v: t.v };
      case 'str':
        return { k: 'str', v: t.v };
      case 'err':
        return { k: 'err', v: t.v };
      case 'ref': {
        const sheet = t.sheet === undefined ? {} : { sheet: t.sheet };
        const next = this.toks[this.pos + 1];
        if (this.isOp(':') && next?.t === 'ref') {
          this.pos += 2;
          return { k: 'ref', ...sheet, ...span(t.v, next.v) };
        }
        return { k: 'ref', ...sheet, row: t.v.row, col: t.v.col, row2: t.v.row, col2: t.v.col };
      }
      case 'id':
        if (this.isOp('(')) {
          this.pos++;
          return { k: 'call', name: t.v.toUpperCase(), args: this.args() };
        }
        if (/^(TRUE|FALSE)$/i.test(t.v)) return { k: 'bool', v: /^TRUE$/i.test(t.v) };
        return t.sheet === undefined
          ? { k: 'name', v: t.v }
          : { k: 'name', v: t.v, sheet: t.sheet };
      case 'op':
        if (t.v === '(') {
          const inner = this.expression(1);
          if (!this.isOp(')')) throw new FormulaSyntaxError('missing )');
          this.pos++;
          return inner;
        }
        if (t.v === '{') return this.arrayLiteral();
    }
    throw new FormulaSyntaxError(`unexpected ${JSON.stringify((t as { v: unknown }).v)}`);
  }

  private args(): Node[] {
    this.enter();
    const list: Node[] = [];
    if (this.isOp(')')) {
      this.pos++;
      this.depth--;
      return list;
    }
    for (;;) {
      list.push(this.isOp(',') || this.isOp(')') ? { k: 'missing' } : this.expression(1));
      if (this.isOp(',')) {
        this.pos++;
        continue;
      }
      if (this.isOp(')')) {
        this.pos++;
        this.depth--;
        return list;
      }
      throw new FormulaSyntaxError('expected , or )');
    }
  }

  /** Constant arrays are rare in macros: keep the first element, skip to the closing brace. */
  private arrayLiteral(): Node {
    const first: Node = this.isOp('}') ? { k: 'missing' } : this.expression(1);
    while (this.pos < this.toks.length && !this.isOp('}')) this.pos++;
    this.pos++;
    return first;
  }
}

function span(a: CellRef, b: CellRef) {
  return {
    row: Math.min(a.row, b.row),
    col: Math.min(a.col, b.col),
    row2: Math.max(a.row, b.row),
    col2: Math.max(a.col, b.col),
  };
}
