import {
  cellName,
  ddeFormula,
  decodeFormula,
  RT_DBCELL,
  RT_INDEX,
  type RawBiffRecord,
} from '../../formats/biff/index.js';
import type { Removal } from './types.js';

// [MS-XLS] 2.3 record types read or written here.
const RT_BOF = 0x0809;
const RT_EOF = 0x000a;
const RT_CONTINUE = 0x003c;
const RT_SUPBOOK = 0x01ae;
const RT_EXTERNNAME = 0x0023;
const RT_EXTERNSHEET = 0x0017;
const RT_FORMULA = 0x0006;
const RT_SHRFMLA = 0x04bc;
const RT_ARRAY = 0x0221;
const RT_STRING = 0x0207;
const RT_NUMBER = 0x0203;
const RT_BOOLERR = 0x0205;
const RT_LABEL = 0x0204;
const RT_BLANK = 0x0201;
/** SupBook cch markers (2.4.271): self-reference and add-in. */
const CCH_SELF = 0x0401;
const CCH_ADDIN = 0x3a01;
/** 2.5.277 VirtualPath: `application` U+0003 `topic` for a DDE-OLE link. */
const DDE_SEPARATOR = 3;
/** PtgExp (2.5.198.58): the cell's formula is the shared or array formula anchored elsewhere. */
const PTG_EXP = 0x01;
/** Cells listed one by one in the removals; the rest are counted in one summary entry. */
export const MAX_DDE_CELLS_REPORTED = 256;
/** The inert name every disarmed EXTERNNAME gets (an add-in function nobody defines: #NAME?). */
export const DISARMED_EXTERN_NAME = 'Disarmed';

interface DdeBook {
  application: string;
  topic: string;
  items: string[];
}

interface Range {
  rowFirst: number;
  rowLast: number;
  colFirst: number;
  colLast: number;
}

/**
 * Neutralises the DDE/OLE links of a BIFF8 workbook (`=cmd|'/c …'!A0`): every FORMULA cell whose
 * tokens reach a link's EXTERNNAME through PtgNameX, directly or through a SHRFMLA/ARRAY, becomes a
 * constant cell holding its cached result (NUMBER, BOOLERR, LABEL from the STRING record, or BLANK);
 * the link's SUPBOOK becomes an add-in SUPBOOK (2.4.271 cch 0x3A01) and each of its EXTERNNAMEs an
 * AddinUdf named `Disarmed` with fOle/fOleLink and the DDE flags cleared. The records keep their
 * places, so EXTERNSHEET's XTI indexes and every other PtgNameX stay right, and no DDE server or
 * OLE class is left for Excel to start. Edits `substreams` in place; returns whether anything changed.
 */
export function disarmDdeLinks(
  substreams: RawBiffRecord[][],
  sheetNames: ReadonlyMap<number, string>,
  removed: Removal[],
): boolean {
  const globals = substreams[0]!;
  const books = new Map<number, DdeBook>();
  const xtiBooks: number[] = [];
  let supbooks = -1;
  // As the parser reads it: an EXTERNNAME belongs to the last SUPBOOK before it.
  let current: DdeBook | undefined;
  const edited: RawBiffRecord[] = [];
  for (let i = 0; i < globals.length; i++) {
    const record = globals[i]!;
    if (record.type === RT_SUPBOOK) {
      supbooks++;
      current = ddeBook(record.data);
      if (current) {
        books.set(supbooks, current);
        // SECURITY: an add-in SupBook names no program and no file: nothing is started on update.
        edited.push({ type: RT_SUPBOOK, data: Uint8Array.from([1, 0, 0x01, 0x3a]) });
        while (globals[i + 1]?.type === RT_CONTINUE) i++;
        continue;
      }
    } else if (record.type === RT_EXTERNNAME && current) {
      current.items.push(externItem(record.data));
      edited.push({ type: RT_EXTERNNAME, data: addinUdf() });
      while (globals[i + 1]?.type === RT_CONTINUE) i++;
      continue;
    } else if (record.type === RT_EXTERNSHEET) {
      const data = withContinues(globals, i);
      const count = u16(data, 0);
      for (let x = 0; x < count && 2 + x * 6 + 2 <= data.length; x++) {
        xtiBooks.push(u16(data, 2 + x * 6));
      }
    }
    edited.push(record);
  }
  if (books.size === 0) return false;
  substreams[0] = edited;
  for (const [index, book] of books) {
    const links = book.items.length > 0 ? book.items : [''];
    for (const item of links) {
      removed.push({
        kind: 'dde-field',
        location: `Workbook SUPBOOK iSupBook=${index}`,
        detail: `${ddeFormula(book.application, book.topic, item)} → add-in name ${DISARMED_EXTERN_NAME}`,
      });
    }
  }
  const reported = { count: 0 };
  for (let s = 1; s < substreams.length; s++) {
    const sheet = sheetNames.get(s) ?? `substream ${s}`;
    const out = disarmSheet(substreams[s]!, books, xtiBooks, sheet, removed, reported);
    if (out) substreams[s] = out;
  }
  if (reported.count > MAX_DDE_CELLS_REPORTED) {
    removed.push({
      kind: 'dde-field',
      location: 'Workbook',
      detail: `${reported.count - MAX_DDE_CELLS_REPORTED} more DDE formula cells made constants`,
    });
  }
  return true;
}

// SECURITY: this must see every SUPBOOK that formats/biff reports as a link (same tests, same order),
// or a link survives; the re-scan of the output is the backstop that refuses such a copy.
/** The link of a SupBook with a DDE-OLE virtPath (no sheets, `app` U+0003 `topic`), as the parser reads it. */
function ddeBook(data: Uint8Array): DdeBook | undefined {
  if (data.length < 4) return undefined;
  const ctab = u16(data, 0);
  const cch = u16(data, 2);
  if (ctab !== 0 || cch === 0 || cch === CCH_SELF || cch === CCH_ADDIN) return undefined;
  const path = xlUnicode(data, 4, cch);
  const split = path.indexOf(String.fromCharCode(DDE_SEPARATOR));
  if (split <= 0 || path.startsWith('\u0001')) return undefined;
  return { application: path.slice(0, split), topic: path.slice(split + 1), items: [] };
}

/** ExternName (2.4.105): flags(2), reserved(4), then a ShortXLUnicodeString name. */
function externItem(data: Uint8Array): string {
  if (data.length < 8) return '';
  return xlUnicode(data, 7, data[6]!);
}

/** AddinUdf (2.5.4): no flags, reserved, the inert name, cb 0 (no definition). */
function addinUdf(): Uint8Array {
  const name = Array.from(DISARMED_EXTERN_NAME, (c) => c.charCodeAt(0));
  return Uint8Array.from([0, 0, 0, 0, 0, 0, name.length, 0, ...name, 0, 0]);
}

/** One sheet substream with its DDE formulas made constants; undefined when none. */
function disarmSheet(
  records: RawBiffRecord[],
  books: ReadonlyMap<number, DdeBook>,
  xtiBooks: readonly number[],
  sheet: string,
  removed: Removal[],
  reported: { count: number },
): RawBiffRecord[] | undefined {
  const usesDde = (rgce: Uint8Array, rgcb: Uint8Array, row: number, col: number) => {
    let hit = false;
    const decoded = decodeFormula(
      rgce,
      {
        dialect: 8,
        row,
        col,
        externName: (ixti, item) => {
          const book = books.get(xtiBooks[ixti] ?? -1);
          if (!book) return undefined;
          hit = true;
          return ddeFormula(book.application, book.topic, book.items[item - 1] ?? '');
        },
      },
      rgcb,
    );
    return hit ? decoded.text : undefined;
  };
  // Shared and array formulas first: a FORMULA cell inside their range carries only a PtgExp.
  const ranges: { range: Range; text: string }[] = [];
  const drop = new Set<number>();
  let depth = 0;
  for (let i = 0; i < records.length; i++) {
    const { type, data } = records[i]!;
    if (type === RT_BOF) depth++;
    else if (type === RT_EOF) depth--;
    if (depth !== 1 || (type !== RT_SHRFMLA && type !== RT_ARRAY) || data.length < 10) continue;
    const start = type === RT_SHRFMLA ? 8 : 12;
    const cce = u16(data, start);
    const range = refU(data);
    const rgce = data.subarray(start + 2, start + 2 + cce);
    const text = usesDde(rgce, data.subarray(start + 2 + cce), range.rowFirst, range.colFirst);
    if (text === undefined) continue;
    ranges.push({ range, text });
    drop.add(i);
  }
  const out: RawBiffRecord[] = [];
  let changed = false;
  depth = 0;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (record.type === RT_BOF) depth++;
    else if (record.type === RT_EOF) depth--;
    if (drop.has(i)) {
      while (records[i + 1]?.type === RT_CONTINUE) i++;
      continue;
    }
    if (depth !== 1 || record.type !== RT_FORMULA || record.data.length < 22) {
      out.push(record);
      continue;
    }
    const data = record.data;
    const row = u16(data, 0);
    const col = u16(data, 2);
    const cce = u16(data, 20);
    const rgce = data.subarray(22, 22 + cce);
    let text = usesDde(rgce, data.subarray(22 + cce), row, col);
    if (text === undefined && rgce[0] === PTG_EXP) {
      text = ranges.find((r) => inRange(r.range, row, col))?.text;
    }
    if (text === undefined) {
      out.push(record);
      continue;
    }
    // The cached result's STRING follows the FORMULA, or the SHRFMLA/ARRAY right after it.
    let next = i + 1;
    if (drop.has(next)) {
      while (records[next + 1]?.type === RT_CONTINUE) next++;
      next++;
    }
    const string = records[next]?.type === RT_STRING ? records[next]!.data : undefined;
    const isContinued = string !== undefined && records[next + 1]?.type === RT_CONTINUE;
    if (string) {
      drop.add(next);
      for (let c = next + 1; records[c]?.type === RT_CONTINUE; c++) drop.add(c);
    }
    out.push(constantCell(data, isContinued ? undefined : string));
    changed = true;
    reported.count++;
    if (reported.count <= MAX_DDE_CELLS_REPORTED) {
      removed.push({
        kind: 'dde-field',
        location: `Workbook sheet ${sheet}!${cellName(row, col)}`,
        detail: `=${text}`,
      });
    }
  }
  if (!changed && drop.size === 0) return undefined;
  // Records changed size: DBCell's relative offsets and Index's pointers to them no longer hold.
  return out.filter((r) => r.type !== RT_DBCELL && r.type !== RT_INDEX);
}

/**
 * The cell as a constant holding the formula's cached result, FormulaValue (2.5.133): a number,
 * or fExprO 0xFFFF with byte 0 the type: 0 string (in the STRING record), 1 boolean, 2 error, 3 empty.
 */
function constantCell(formula: Uint8Array, string: Uint8Array | undefined): RawBiffRecord {
  const cell = formula.subarray(0, 6); // rw, col, ixfe
  const value = formula.subarray(6, 14);
  const isSpecial = value[6] === 0xff && value[7] === 0xff;
  const join = (type: number, body: number[] | Uint8Array): RawBiffRecord => {
    const data = new Uint8Array(6 + body.length);
    data.set(cell, 0);
    data.set(body, 6);
    return { type, data };
  };
  if (!isSpecial) return join(RT_NUMBER, value);
  if (value[0] === 1 || value[0] === 2)
    return join(RT_BOOLERR, [value[2]!, value[0] === 2 ? 1 : 0]);
  if (value[0] === 0 && string && string.length >= 3) return join(RT_LABEL, string);
  return join(RT_BLANK, []);
}

/** RefU (2.5.207): rwFirst, rwLast, colFirst, colLast. */
function refU(data: Uint8Array): Range {
  return {
    rowFirst: u16(data, 0),
    rowLast: u16(data, 2),
    colFirst: data[4]!,
    colLast: data[5]!,
  };
}

const inRange = (r: Range, row: number, col: number): boolean =>
  row >= r.rowFirst && row <= r.rowLast && col >= r.colFirst && col <= r.colLast;

/** A record's payload with the CONTINUE records after it appended. */
function withContinues(records: RawBiffRecord[], at: number): Uint8Array {
  const parts = [records[at]!.data];
  for (let i = at + 1; records[i]?.type === RT_CONTINUE; i++) parts.push(records[i]!.data);
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) (out.set(part, offset), (offset += part.length));
  return out;
}

/** XLUnicodeStringNoCch body at `at`: fHighByte, then `cch` characters (clipped to the record). */
function xlUnicode(data: Uint8Array, at: number, cch: number): string {
  const isWide = ((data[at] ?? 0) & 1) === 1;
  let text = '';
  for (let i = 0; i < cch; i++) {
    const p = at + 1 + i * (isWide ? 2 : 1);
    if (p + (isWide ? 1 : 0) >= data.length) break;
    text += String.fromCharCode(isWide ? u16(data, p) : data[p]!);
  }
  return text;
}

const u16 = (b: Uint8Array, at: number): number => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
