import { cellName, sheetPrefix } from './cell-ref.js';
import { ERROR_CODES } from './constants.js';
import { Cursor, decodeLatin1, decodeUtf16, Truncated } from './cursor.js';
import { functionAt, FTAB_USER_DEFINED } from './functions.js';
import { readShortXLUnicode, readXLUnicode } from './strings.js';

/**
 * Formula token streams (Rgce, [MS-XLS] 2.5.198 and [MS-XLSB] 2.5.97) → formula text, the way Excel
 * displays it: A1 references (`$` on absolute parts), quoted strings with doubled quotes, explicit
 * parentheses from PtgParen only. One decoder serves the dialects whose operand sizes differ: BIFF2,
 * BIFF3 and BIFF4 (Excel 2.x–4.0, where the XLM macro language comes from: 1-byte function indexes
 * before BIFF4, 1-byte sizes in BIFF2, byte strings, no 3-D references; OpenOffice.org's "Microsoft
 * Excel File Format" 3.x), BIFF5 (Excel 5/95), BIFF8 (97–2003) and BIFF12 (.xlsb).
 */

export type BiffDialect = 2 | 3 | 4 | 5 | 8 | 12;

export interface FormulaEnv {
  dialect: BiffDialect;
  /** 0-based position of the cell that holds the formula (PtgRefN/PtgAreaN are relative to it). */
  row: number;
  col: number;
  /** Sheet name for a 3-D reference: the XTI index in BIFF8/12, the sheet index in BIFF5. */
  sheetName?(index: number): string | undefined;
  /** A defined name by 1-based index (PtgName). */
  definedName?(index: number): string | undefined;
  /** An external or add-in name (PtgNameX). */
  externName?(ixti: number, index: number): string | undefined;
  /** BIFF5 byte strings, in the workbook's code page. */
  decodeBytes?(bytes: Uint8Array): string;
  /**
   * BIFF2–4: the prefix (`[book.xls]Sheet1!`, `cmd|'/c …'!`) of the 1-based EXTERNSHEET record a
   * PtgSheet opens; PtgName inside PtgSheet … PtgEndSheet names its EXTERNNAME (`externName`).
   */
  externPrefix?(ixals: number): string | undefined;
}

export interface DecodedFormula {
  text: string;
  /** A PtgExp: the formula lives in the shared or array formula anchored at this cell. */
  sharedAt?: { row: number; col: number };
  /** Why decoding stopped early or the token stream is inconsistent; `text` holds what was decoded. */
  error?: string;
}

const BINARY_OPERATORS: Readonly<Record<number, string>> = {
  0x03: '+',
  0x04: '-',
  0x05: '*',
  0x06: '/',
  0x07: '^',
  0x08: '&',
  0x09: '<',
  0x0a: '<=',
  0x0b: '=',
  0x0c: '>=',
  0x0d: '>',
  0x0e: '<>',
  0x0f: ' ',
  0x10: ',',
  0x11: ':',
};

/**
 * Binding strength of the binary operators in formula text, as Excel orders them (comparison <
 * concatenation `&` < additive < multiplicative < `^`). One table for both directions: the XLM engine
 * parses formula text with it, and test builders encode formula text to tokens with it.
 */
export const FORMULA_OPERATOR_PRECEDENCE: Readonly<Record<string, number>> = {
  '=': 1,
  '<>': 1,
  '<': 1,
  '>': 1,
  '<=': 1,
  '>=': 1,
  '&': 2,
  '+': 3,
  '-': 3,
  '*': 4,
  '/': 4,
  '^': 5,
};

const LIMITS = {
  2: { rows: 16384, cols: 256 },
  3: { rows: 16384, cols: 256 },
  4: { rows: 16384, cols: 256 },
  5: { rows: 16384, cols: 256 },
  8: { rows: 65536, cols: 256 },
  12: { rows: 1048576, cols: 16384 },
} as const;

/**
 * Characters of one decoded formula. Excel shows at most 8,192; a 3-D reference to a sheet with a
 * 255-character name decodes 7 bytes into 260 characters, so hostile token streams could expand 40-fold.
 */
export const MAX_FORMULA_TEXT = 64 * 1024;

/** Decodes one Rgce. Never throws: a truncated or unknown token ends decoding with `error` set. */
export function decodeFormula(
  rgce: Uint8Array,
  env: FormulaEnv,
  rgcb?: Uint8Array,
  maxChars = MAX_FORMULA_TEXT,
): DecodedFormula {
  const decoder = new Decoder(rgce, env, rgcb, maxChars);
  return decoder.run();
}

class Decoder {
  private readonly cur: Cursor;
  private readonly extra: Cursor | undefined;
  private readonly stack: string[] = [];
  private error: string | undefined;
  /** BIFF2–4: the EXTERNSHEET a PtgSheet opened, until its PtgEndSheet. */
  private externSheet: number | undefined;

  constructor(
    rgce: Uint8Array,
    private readonly env: FormulaEnv,
    rgcb: Uint8Array | undefined,
    private readonly maxChars = MAX_FORMULA_TEXT,
  ) {
    this.cur = new Cursor(rgce);
    this.extra = rgcb && rgcb.length > 0 ? new Cursor(rgcb) : undefined;
  }

  run(): DecodedFormula {
    try {
      while (this.cur.left > 0 && this.error === undefined) {
        const ptg = this.cur.u8('ptg');
        if (ptg === 0x01 && this.cur.pos === 1) {
          const d = this.env.dialect;
          const row = d === 12 ? this.cur.u32('PtgExp row') : this.cur.u16('row');
          const col =
            d === 12
              ? this.env.col
              : d === 2
                ? this.cur.u8('PtgExp col')
                : this.cur.u16('PtgExp col');
          return { text: '', sharedAt: { row, col } };
        }
        this.token(ptg);
        // SECURITY: operands only grow by concatenation, so checking the newest bounds them all.
        if ((this.stack[this.stack.length - 1]?.length ?? 0) > this.maxChars) {
          this.error = `formula text longer than ${this.maxChars} characters`;
          this.stack.length = 0;
        }
      }
    } catch (error) {
      if (!(error instanceof Truncated)) throw error;
      this.error = error.message;
    }
    if (this.error === undefined && this.stack.length !== 1 && this.cur.data.length > 0) {
      this.error = `token stream leaves ${this.stack.length} operands`;
    }
    const text = this.stack.join(' ');
    return this.error === undefined ? { text } : { text, error: this.error };
  }

  private pop(): string {
    const value = this.stack.pop();
    if (value === undefined) {
      this.error ??= 'operand stack underflow';
      return '';
    }
    return value;
  }

  /** The top `count` operands, deepest first; missing ones (underflow) are '' at the front. */
  private popArgs(count: number): string[] {
    const have = Math.min(count, this.stack.length);
    const args = this.stack.splice(this.stack.length - have, have);
    if (have < count) {
      this.error ??= 'operand stack underflow';
      return [...new Array<string>(count - have).fill(''), ...args];
    }
    return args;
  }

  private token(ptg: number): void {
    const op = BINARY_OPERATORS[ptg];
    if (op !== undefined) {
      const right = this.pop();
      this.stack.push(`${this.pop()}${op}${right}`);
      return;
    }
    const { cur, env } = this;
    const d = env.dialect;
    switch (ptg >= 0x20 ? (ptg & 0x1f) | 0x20 : ptg) {
      case 0x12:
        return void this.stack.push(`+${this.pop()}`);
      case 0x13:
        return void this.stack.push(`-${this.pop()}`);
      case 0x14:
        return void this.stack.push(`${this.pop()}%`);
      case 0x15:
        return void this.stack.push(`(${this.pop()})`);
      case 0x16:
        return void this.stack.push('');
      case 0x17:
        return void this.stack.push(quote(this.readPtgStr()));
      case 0x19:
        return this.attr();
      case 0x1a:
        // PtgSheet, BIFF2–4 only (BIFF5 moved external references into PtgNameX/PtgRef3d): 10 bytes
        // (BIFF2: 7), the sizes LibreOffice's and SheetJS's BIFF2–4 readers skip; SheetJS splits them
        // 4 + 2 + 4 (BIFF2: 4 + 2 + 1), and the 2-byte field is read here as the 1-based EXTERNSHEET
        // index — no Excel-written sample checked it.
        if (d > 4) return this.unsupported(ptg);
        cur.skip(4, 'PtgSheet reserved');
        this.externSheet = cur.u16('ixals');
        return void cur.skip(d === 2 ? 1 : 4, 'PtgSheet reserved');
      case 0x1b:
        if (d > 4) return this.unsupported(ptg);
        this.externSheet = undefined;
        return void cur.skip(d === 2 ? 3 : 4, 'PtgEndSheet reserved');
      case 0x1c:
        return void this.stack.push(ERROR_CODES[cur.u8('error')] ?? '#ERR!');
      case 0x1d:
        return void this.stack.push(cur.u8('bool') ? 'TRUE' : 'FALSE');
      case 0x1e:
        return void this.stack.push(String(cur.u16('int')));
      case 0x1f:
        return void this.stack.push(formatNumber(cur.f64('number')));
      case 0x20:
        cur.skip(d === 12 ? 14 : d === 2 ? 6 : 7, 'PtgArray');
        return void this.stack.push(this.readArray());
      case 0x21:
        // The function index grew from one byte to two with BIFF4.
        return this.func(d < 4 ? cur.u8('iftab') : cur.u16('iftab'), undefined, false);
      case 0x22: {
        const count = cur.u8('cparams') & 0x7f;
        const tab = d < 4 ? cur.u8('tab') : cur.u16('tab');
        return this.func(tab & 0x7fff, count, d >= 4 && (tab & 0x8000) !== 0);
      }
      case 0x23:
        return void this.stack.push(this.readName());
      case 0x24:
        return void this.stack.push(`${this.externPrefix()}${this.ref(false)}`);
      case 0x25:
        return void this.stack.push(`${this.externPrefix()}${this.area(false)}`);
      case 0x26:
      case 0x27:
      case 0x28:
        // BIFF2 writes 3 reserved bytes and a 1-byte size, later versions 4 and 2.
        cur.skip(d === 2 ? 3 : 4, 'PtgMem');
        if (d === 2) cur.u8('cce');
        else cur.u16('cce');
        if (ptg === 0x26 || ptg === 0x46 || ptg === 0x66) this.skipExtraMem();
        return;
      case 0x29:
      case 0x2e:
      case 0x2f:
        return void (d === 2 ? cur.u8('cce') : cur.u16('cce'));
      case 0x2a:
        cur.skip(d <= 5 ? 3 : d === 8 ? 4 : 6, 'PtgRefErr');
        return void this.stack.push('#REF!');
      case 0x2b:
        cur.skip(d <= 5 ? 6 : d === 8 ? 8 : 12, 'PtgAreaErr');
        return void this.stack.push('#REF!');
      case 0x2c:
        return void this.stack.push(this.ref(true));
      case 0x2d:
        return void this.stack.push(this.area(true));
      case 0x38:
        // PtgFuncCE, BIFF2–4 macro sheets only: a command-equivalent function, index then argument
        // count (the order LibreOffice's importer reads; no Excel-written sample checked it).
        if (d > 4) return this.unsupported(ptg);
        return this.func(cur.u8('ce index'), cur.u8('ce count'), true);
      case 0x39:
        if (d < 5) return this.unsupported(ptg); // external names and 3-D references came with BIFF5
        return void this.stack.push(this.readNameX());
      case 0x3a: {
        if (d < 5) return this.unsupported(ptg);
        const sheet = this.sheet3d();
        return void this.stack.push(`${sheet}${this.ref(false)}`);
      }
      case 0x3b: {
        if (d < 5) return this.unsupported(ptg);
        const sheet = this.sheet3d();
        return void this.stack.push(`${sheet}${this.area(false)}`);
      }
      case 0x3c:
      case 0x3d: {
        if (d < 5) return this.unsupported(ptg);
        const sheet = this.sheet3d();
        const isArea = (ptg & 0x1f) === 0x1d;
        cur.skip(d === 5 ? (isArea ? 6 : 3) : d === 8 ? (isArea ? 8 : 4) : isArea ? 12 : 6);
        return void this.stack.push(`${sheet}#REF!`);
      }
      default:
        this.unsupported(ptg);
    }
  }

  private unsupported(ptg: number): void {
    this.error = `unsupported token 0x${ptg.toString(16).padStart(2, '0')} at ${this.cur.pos - 1}`;
  }

  private attr(): void {
    const grbit = this.cur.u8('attr flags');
    // BIFF2 writes the data and the tAttrChoose offsets one byte wide, later versions two.
    const width = this.env.dialect === 2 ? 1 : 2;
    const data = width === 1 ? this.cur.u8('attr data') : this.cur.u16('attr data');
    if (grbit & 0x04) this.cur.skip((data + 1) * width, 'tAttrChoose offsets');
    if (grbit & 0x10) this.stack.push(`SUM(${this.pop()})`);
  }

  private func(index: number, count: number | undefined, isCommand: boolean): void {
    const info = functionAt(index, isCommand);
    const argc = count ?? (info ? info.minArgs : 0);
    const args = this.popArgs(argc);
    if (!isCommand && index === FTAB_USER_DEFINED) {
      const name = args.shift() ?? '';
      this.stack.push(`${name}(${args.join(',')})`);
      return;
    }
    const name = info?.name ?? `${isCommand ? '_CMD' : '_FUNC'}${index}`;
    this.stack.push(`${name}(${args.join(',')})`);
  }

  private readPtgStr(): string {
    const { cur, env } = this;
    if (env.dialect === 8) return readShortXLUnicode(cur);
    if (env.dialect === 12) return decodeUtf16(cur.bytes(cur.u16('cch') * 2, 'PtgStr'));
    const bytes = cur.bytes(cur.u8('cch'), 'PtgStr');
    return env.decodeBytes ? env.decodeBytes(bytes) : decodeLatin1(bytes);
  }

  private readName(): string {
    const { cur, env } = this;
    const d = env.dialect;
    const index = d <= 5 ? cur.u16('ilbl') : cur.u32('nameindex');
    // Unused bytes after the index: 5 in BIFF2, 8 in BIFF3–4, 12 in BIFF5.
    if (d <= 5) cur.skip(d === 2 ? 5 : d < 5 ? 8 : 12, 'PtgName reserved');
    if (d <= 4 && this.externSheet !== undefined)
      return env.externName?.(this.externSheet, index) ?? `_NAMEX${index}`;
    return env.definedName?.(index) ?? `_NAME${index}`;
  }

  /** Inside PtgSheet … PtgEndSheet (BIFF2–4), references are to that EXTERNSHEET's sheet. */
  private externPrefix(): string {
    const ixals = this.externSheet;
    if (ixals === undefined || this.env.dialect > 4) return '';
    return this.env.externPrefix?.(ixals) ?? `_EXTERN${ixals}!`;
  }

  private readNameX(): string {
    const { cur, env } = this;
    if (env.dialect === 5) {
      const ixals = cur.i16('ixals');
      cur.skip(8, 'PtgNameX reserved');
      const index = cur.u16('ilbl');
      cur.skip(12, 'PtgNameX reserved');
      return env.externName?.(ixals, index) ?? `_NAMEX${index}`;
    }
    const ixti = cur.u16('ixti');
    const index = cur.u32('nameindex');
    return env.externName?.(ixti, index) ?? `_NAMEX${index}`;
  }

  private sheet3d(): string {
    const { cur, env } = this;
    if (env.dialect === 5) {
      const ixals = cur.i16('ixals');
      cur.skip(8, 'PtgRef3d reserved');
      const itab = cur.i16('itabFirst');
      cur.i16('itabLast');
      const name = ixals < 0 ? env.sheetName?.(itab) : undefined;
      return sheetPrefix(name ?? `_EXTERN${ixals}`);
    }
    const ixti = cur.u16('ixti');
    return sheetPrefix(env.sheetName?.(ixti) ?? `_SHEET${ixti}`);
  }

  /** One RgceLoc (or RgceLocRel when `isRelative`), wrapped like Excel does at the sheet edge. */
  private loc(isRelative: boolean): { row: number; col: number; rowRel: boolean; colRel: boolean } {
    const { cur, env } = this;
    const { rows, cols } = LIMITS[env.dialect];
    let row: number;
    let col: number;
    let rowRel: boolean;
    let colRel: boolean;
    if (env.dialect <= 5) {
      const field = cur.u16('row');
      col = cur.u8('col');
      row = field & 0x3fff;
      colRel = (field & 0x4000) !== 0;
      rowRel = (field & 0x8000) !== 0;
      if (isRelative && rowRel) row = (row << 18) >> 18;
      if (isRelative && colRel) col = (col << 24) >> 24;
    } else {
      row = env.dialect === 8 ? cur.u16('row') : cur.u32('row');
      const field = cur.u16('col');
      col = field & 0x3fff;
      colRel = (field & 0x4000) !== 0;
      rowRel = (field & 0x8000) !== 0;
      if (isRelative && rowRel) row = env.dialect === 8 ? (row << 16) >> 16 : row | 0;
      if (isRelative && colRel) col = env.dialect === 8 ? (col << 24) >> 24 : (col << 18) >> 18;
    }
    if (isRelative) {
      if (rowRel) row = mod(env.row + row, rows);
      if (colRel) col = mod(env.col + col, cols);
    }
    return { row, col, rowRel, colRel };
  }

  private ref(isRelative: boolean): string {
    const l = this.loc(isRelative);
    return cellName(l.row, l.col, !l.rowRel, !l.colRel);
  }

  private area(isRelative: boolean): string {
    const { cur, env } = this;
    if (env.dialect <= 5) {
      // RgceArea BIFF2–5: both row fields (with flags), then both column bytes.
      const r1 = cur.u16('rowFirst');
      const r2 = cur.u16('rowLast');
      const c1 = cur.u8('colFirst');
      const c2 = cur.u8('colLast');
      const rebuild = (r: number, c: number) => {
        const bytes = Uint8Array.of(r & 0xff, r >> 8, c);
        const sub = new Decoder(bytes, env, undefined);
        return sub.ref(isRelative);
      };
      return `${rebuild(r1, c1)}:${rebuild(r2, c2)}`;
    }
    const wide = env.dialect === 12;
    const r1 = wide ? cur.u32('rowFirst') : cur.u16('rowFirst');
    const r2 = wide ? cur.u32('rowLast') : cur.u16('rowLast');
    const c1 = cur.u16('colFirst');
    const c2 = cur.u16('colLast');
    const encode = (r: number, c: number) => {
      const bytes = new Uint8Array(wide ? 6 : 4);
      const view = new DataView(bytes.buffer);
      if (wide) view.setUint32(0, r, true);
      else view.setUint16(0, r, true);
      view.setUint16(wide ? 4 : 2, c, true);
      return new Decoder(bytes, env, undefined).ref(isRelative);
    };
    return `${encode(r1, c1)}:${encode(r2, c2)}`;
  }

  /** PtgExtraArray (2.5.198.81) in rgcb, BIFF8 only: the constant array of a PtgArray. */
  private readArray(): string {
    const extra = this.extra;
    if (!extra || this.env.dialect !== 8) return '{}';
    const cols = extra.u8('array columns') + 1;
    const rows = extra.u16('array rows') + 1;
    const lines: string[] = [];
    for (let r = 0; r < rows; r++) {
      const cells: string[] = [];
      for (let c = 0; c < cols; c++) cells.push(this.serAr(extra));
      lines.push(cells.join(','));
    }
    return `{${lines.join(';')}}`;
  }

  private serAr(extra: Cursor): string {
    const type = extra.u8('SerAr type');
    switch (type) {
      case 0x01:
        return formatNumber(extra.f64('SerNum'));
      case 0x02:
        return quote(readXLUnicode(extra));
      case 0x04: {
        const value = extra.u8('SerBool');
        extra.skip(7);
        return value ? 'TRUE' : 'FALSE';
      }
      case 0x10: {
        const value = extra.u8('SerErr');
        extra.skip(7);
        return ERROR_CODES[value] ?? '#ERR!';
      }
      default:
        extra.skip(8, 'SerNil');
        return '';
    }
  }

  /** PtgExtraMem (2.5.198.84): the cached area list of a PtgMemArea, skipped to keep rgcb aligned. */
  private skipExtraMem(): void {
    if (!this.extra || this.env.dialect !== 8) return;
    this.extra.skip(this.extra.u16('cref') * 8, 'PtgExtraMem');
  }
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}

export function quote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** Numbers as Excel shows them in a formula: integers plainly, others with up to 15 digits. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '#NUM!';
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  return String(Number(n.toPrecision(15))).replace('e', 'E');
}
