/**
 * A small formula compiler for fixtures: formula text (A1 style, as Excel displays it, without `=`)
 * → an Rgce token stream ([MS-XLS] 2.5.198, [MS-XLSB] 2.5.97) in the BIFF2–4 (OpenOffice.org's Excel
 * file format notes), BIFF5, BIFF8 or BIFF12 dialect.
 * It knows what the fixtures need: numbers, strings, booleans, errors, missing arguments, operators,
 * parentheses, cell and area references (optionally `Sheet!`-qualified), defined names, built-in
 * functions and commands (PtgFunc / PtgFuncVar with fCeFunc) and calls of user-defined names.
 */
import {
  FORMULA_OPERATOR_PRECEDENCE,
  functionNamed,
  FTAB_USER_DEFINED,
} from '../../src/formats/biff/index.js';

export type Dialect = 2 | 3 | 4 | 5 | 8 | 12;

export interface CompileContext {
  dialect: Dialect;
  /** Sheet name → its index (BIFF5 itab; BIFF8/12 the XTI index the builder writes per sheet). */
  sheets: readonly string[];
  /** Defined names in record order (PtgName indexes are 1-based). */
  names: readonly string[];
}

type Token =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'id'; v: string }
  | { t: 'err'; v: string }
  | { t: 'ref'; sheet?: string; v: string }
  | { t: 'op'; v: string };

const ERRORS: Record<string, number> = {
  '#NULL!': 0x00,
  '#DIV/0!': 0x07,
  '#VALUE!': 0x0f,
  '#REF!': 0x17,
  '#NAME?': 0x1d,
  '#NUM!': 0x24,
  '#N/A': 0x2a,
};
const BINARY: Record<string, number> = {
  '+': 0x03,
  '-': 0x04,
  '*': 0x05,
  '/': 0x06,
  '^': 0x07,
  '&': 0x08,
  '<': 0x09,
  '<=': 0x0a,
  '=': 0x0b,
  '>=': 0x0c,
  '>': 0x0d,
  '<>': 0x0e,
};
const PRECEDENCE = FORMULA_OPERATOR_PRECEDENCE;

const REF = /^(\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)(?![A-Za-z0-9_.(])/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const c = text[i]!;
    if (c === ' ') {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let s = '';
      for (;;) {
        if (j >= text.length) throw new Error(`unterminated string in ${text}`);
        if (text[j] === '"' && text[j + 1] === '"') ((s += '"'), (j += 2));
        else if (text[j] === '"') break;
        else s += text[j++];
      }
      tokens.push({ t: 'str', v: s });
      i = j + 1;
      continue;
    }
    const sheet = /^(?:'((?:[^']|'')+)'|([A-Za-z_][A-Za-z0-9_.]*))!/.exec(rest);
    if (sheet) {
      const ref = REF.exec(rest.slice(sheet[0].length));
      if (!ref) throw new Error(`bad 3-D reference in ${text}`);
      tokens.push({ t: 'ref', sheet: (sheet[1] ?? sheet[2]!).replace(/''/g, "'"), v: ref[1]! });
      i += sheet[0].length + ref[0].length;
      continue;
    }
    const ref = REF.exec(rest);
    if (ref) {
      tokens.push({ t: 'ref', v: ref[1]! });
      i += ref[0].length;
      continue;
    }
    const num = /^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(rest);
    if (num) {
      tokens.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const err = /^#(?:NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|N\/A)/.exec(rest);
    if (err) {
      tokens.push({ t: 'err', v: err[0] });
      i += err[0].length;
      continue;
    }
    const id = /^[A-Za-z_\\][A-Za-z0-9_.]*/.exec(rest);
    if (id) {
      tokens.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = /^(?:<>|<=|>=|[-+*/^&=<>(),%])/.exec(rest);
    if (!op) throw new Error(`cannot tokenize "${rest}"`);
    tokens.push({ t: 'op', v: op[0] });
    i += op[0].length;
  }
  return tokens;
}

/** Compiles formula text to an Rgce; throws on anything it does not understand (a fixture bug). */
export function compileFormula(text: string, ctx: CompileContext): Uint8Array {
  const out: number[] = [];
  const tokens = tokenize(text.replace(/^=/, ''));
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (v: string) => peek()?.t === 'op' && (peek() as { v: string }).v === v;
  const e = new Emitter(out, ctx);

  const expression = (minPrec: number): void => {
    unary();
    for (;;) {
      const tok = peek();
      const prec = tok?.t === 'op' ? PRECEDENCE[tok.v] : undefined;
      if (tok?.t !== 'op' || prec === undefined || prec < minPrec) return;
      pos++;
      expression(tok.v === '^' ? prec : prec + 1);
      out.push(BINARY[tok.v]!);
    }
  };
  const unary = (): void => {
    if (isOp('-') || isOp('+')) {
      const sign = (peek() as { v: string }).v;
      pos++;
      unary();
      out.push(sign === '-' ? 0x13 : 0x12);
      return;
    }
    primary();
    while (isOp('%')) (pos++, out.push(0x14));
  };
  const primary = (): void => {
    const tok = tokens[pos++];
    if (!tok) throw new Error(`unexpected end of ${text}`);
    if (tok.t === 'num') return e.number(tok.v);
    if (tok.t === 'str') return e.string(tok.v);
    if (tok.t === 'err') return void out.push(0x1c, ERRORS[tok.v]!);
    if (tok.t === 'ref') return e.reference(tok.v, tok.sheet);
    if (tok.t === 'op' && tok.v === '(') {
      expression(1);
      if (!isOp(')')) throw new Error(`missing ) in ${text}`);
      pos++;
      return void out.push(0x15);
    }
    if (tok.t !== 'id') throw new Error(`unexpected ${tok.v} in ${text}`);
    if (!isOp('(')) {
      if (/^(TRUE|FALSE)$/i.test(tok.v)) return void out.push(0x1d, /^TRUE$/i.test(tok.v) ? 1 : 0);
      return e.name(tok.v);
    }
    pos++;
    const isUdf = !functionNamed(tok.v);
    if (isUdf) e.name(tok.v);
    let argc = 0;
    while (!isOp(')')) {
      if (isOp(',')) out.push(0x16);
      else expression(1);
      argc++;
      if (isOp(',')) {
        pos++;
        if (isOp(')')) (out.push(0x16), argc++);
      } else if (!isOp(')')) throw new Error(`expected , or ) in ${text}`);
    }
    pos++;
    e.call(tok.v, argc, isUdf);
  };
  expression(1);
  if (pos !== tokens.length) throw new Error(`trailing tokens in ${text}`);
  return Uint8Array.from(out);
}

class Emitter {
  constructor(
    private readonly out: number[],
    private readonly ctx: CompileContext,
  ) {}

  private u16(n: number): void {
    this.out.push(n & 0xff, (n >> 8) & 0xff);
  }

  private u32(n: number): void {
    this.out.push(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
  }

  number(n: number): void {
    if (Number.isInteger(n) && n >= 0 && n <= 0xffff) {
      this.out.push(0x1e);
      return this.u16(n);
    }
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, n, true);
    this.out.push(0x1f, ...bytes);
  }

  string(s: string): void {
    this.out.push(0x17);
    if (this.ctx.dialect === 12) {
      this.u16(s.length);
      for (const ch of s) this.u16(ch.charCodeAt(0));
      return;
    }
    if (s.length > 255) throw new Error('PtgStr holds at most 255 characters');
    const wide = this.ctx.dialect === 8 && [...s].some((ch) => ch.charCodeAt(0) > 0xff);
    this.out.push(s.length);
    if (this.ctx.dialect === 8) this.out.push(wide ? 1 : 0);
    for (const ch of s) {
      if (wide) this.u16(ch.charCodeAt(0));
      else this.out.push(ch.charCodeAt(0) & 0xff);
    }
  }

  name(name: string): void {
    const index = this.ctx.names.findIndex((n) => n.toLowerCase() === name.toLowerCase());
    if (index < 0) throw new Error(`unknown name ${name}`);
    this.out.push(0x43);
    const d = this.ctx.dialect;
    if (d <= 5) {
      this.u16(index + 1);
      this.out.push(...new Array<number>(d === 2 ? 5 : d < 5 ? 8 : 12).fill(0));
    } else this.u32(index + 1);
  }

  call(name: string, argc: number, isUdf: boolean): void {
    const info = functionNamed(name);
    // Before BIFF4 function indexes are one byte, and commands go through PtgFuncCE (0x38).
    const isNarrow = this.ctx.dialect < 4;
    const index = (n: number) => (isNarrow ? this.out.push(n & 0xff) : this.u16(n));
    if (isUdf || !info) {
      this.out.push(0x42, argc + 1);
      return void index(FTAB_USER_DEFINED);
    }
    if (isNarrow && info.isCommand) return void this.out.push(0x38, info.index & 0xff, argc);
    if (!info.isCommand && info.minArgs === info.maxArgs && argc === info.minArgs) {
      this.out.push(0x41);
      return void index(info.index);
    }
    this.out.push(0x42, argc);
    index(info.index | (info.isCommand ? 0x8000 : 0));
  }

  reference(text: string, sheet?: string): void {
    const parts = text.split(':').map(parseCell);
    const isArea = parts.length === 2;
    const d = this.ctx.dialect;
    if (sheet !== undefined) {
      if (d < 5) throw new Error('BIFF2–4 formulas have no 3-D references');
      const itab = this.ctx.sheets.indexOf(sheet);
      if (itab < 0) throw new Error(`unknown sheet ${sheet}`);
      this.out.push(isArea ? 0x3b : 0x3a);
      if (d === 5) {
        this.u16(0xffff); // ixals -1: an internal reference
        this.out.push(...new Array<number>(8).fill(0));
        this.u16(itab);
        this.u16(itab);
      } else this.u16(itab);
    } else this.out.push(isArea ? 0x25 : 0x24);
    if (d <= 5 && isArea) {
      for (const p of parts) this.rowField(p);
      for (const p of parts) this.out.push(p.col);
      return;
    }
    if (isArea) {
      for (const p of parts) d === 12 ? this.u32(p.row) : this.u16(p.row);
      for (const p of parts) this.u16(p.col | (p.colRel ? 0x4000 : 0) | (p.rowRel ? 0x8000 : 0));
      return;
    }
    const p = parts[0]!;
    if (d <= 5) {
      this.rowField(p);
      this.out.push(p.col);
      return;
    }
    d === 12 ? this.u32(p.row) : this.u16(p.row);
    this.u16(p.col | (p.colRel ? 0x4000 : 0) | (p.rowRel ? 0x8000 : 0));
  }

  private rowField(p: Cell): void {
    this.u16(p.row | (p.colRel ? 0x4000 : 0) | (p.rowRel ? 0x8000 : 0));
  }
}

interface Cell {
  row: number;
  col: number;
  rowRel: boolean;
  colRel: boolean;
}

/** `$B$7` → 0-based row/col with relative flags. */
export function parseCell(text: string): Cell {
  const m = /^(\$?)([A-Z]{1,3})(\$?)(\d+)$/.exec(text);
  if (!m) throw new Error(`bad cell ${text}`);
  let col = 0;
  for (const ch of m[2]!) col = col * 26 + ch.charCodeAt(0) - 64;
  return { row: Number(m[4]) - 1, col: col - 1, colRel: m[1] === '', rowRel: m[3] === '' };
}
