/**
 * Formula text → syntax tree, for every source of XLM formulas: BIFF token streams decoded to text,
 * `<f>` elements of .xlsm macro sheets, SYLK `E` fields (R1C1), and the strings FORMULA() writes into
 * cells at run time. Both reference styles are read (A1, and R1C1 with `R[-1]C[2]` offsets resolved
 * against the formula's own cell). Hostile text cannot overflow the stack: nesting is capped.
 */
import { FormulaSyntaxError, tokenize, type CellPos, type Tok } from './formula-lexer.js';

export { FormulaSyntaxError, type CellPos } from './formula-lexer.js';

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

/** Parenthesis and call nesting accepted; Excel itself allows 64 levels. */
export const MAX_FORMULA_DEPTH = 128;

/**
 * Parses formula text (with or without the leading `=`). `origin` is the cell the formula sits in,
 * for R1C1 relative references; `preferR1C1` reads ambiguous text such as `RC4` as R1C1 (SYLK, and
 * FORMULA() text, whose references are R1C1 by definition). Throws `FormulaSyntaxError`.
 */
export function parseFormula(text: string, origin: CellPos, preferR1C1 = false): Node {
  // Only `=` or a space (ASCII, or beyond 0x7f for Unicode's) can start what the pattern strips.
  const c = text.charCodeAt(0);
  const body = c === 0x3d || c <= 0x20 || c > 0x7f ? text.replace(/^\s*=/, '') : text;
  const parser = new Parser(tokenize(body, origin, preferR1C1));
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
      if (t?.t !== 'op' || t.prec === 0 || t.prec < minPrec) break;
      const prec = t.prec;
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
        return { k: 'num', v: t.n };
      case 'str':
        return { k: 'str', v: t.v };
      case 'err':
        return { k: 'err', v: t.v };
      case 'ref': {
        const next = this.toks[this.pos + 1];
        const isRange = next?.t === 'ref' && this.isOp(':');
        if (isRange) this.pos += 2;
        const end = isRange ? next : t;
        const row = Math.min(t.n, end.n);
        const col = Math.min(t.col, end.col);
        const row2 = Math.max(t.n, end.n);
        const col2 = Math.max(t.col, end.col);
        return t.sheet === undefined
          ? { k: 'ref', row, col, row2, col2 }
          : { k: 'ref', sheet: t.sheet, row, col, row2, col2 };
      }
      case 'id':
        if (this.isOp('(')) {
          this.pos++;
          return { k: 'call', name: upperCase(t.v), args: this.args() };
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

/** `toUpperCase` without a new string for names already in upper case (nearly all of them). */
function upperCase(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || c > 0x7f) return name.toUpperCase();
  }
  return name;
}
