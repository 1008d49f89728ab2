import type { Anomaly } from '../../core/index.js';
import {
  BOF_CHART,
  BOF_MACRO_SHEET,
  ERROR_CODES,
  RT_ARRAY,
  RT_BOF,
  RT_BOOLERR,
  RT_EOF,
  RT_FORMULA,
  RT_LABEL,
  RT_LABELSST,
  RT_MULRK,
  RT_NUMBER,
  RT_RK,
  RT_RSTRING,
  RT_SHRFMLA,
  RT_STRING,
} from './constants.js';
import { Cursor, Truncated } from './cursor.js';
import type { Globals } from './globals.js';
import { decodeFormula } from './ptg.js';
import type { BiffRecord, RecordReader } from './records.js';
import { readByteString16, readXLUnicode } from './strings.js';
import { MAX_SUBSTREAM_DEPTH, type BiffCell, type BiffSheet, type CellValue } from './types.js';

/**
 * One sheet substream (BOF … EOF, [MS-XLS] 2.1.7.20.5/.6): cell records with their values, FORMULA
 * records with their cached results (STRING, 2.4.268), and the shared and array formulas (SHRFMLA,
 * ARRAY) that PtgExp cells point to. Formulas are decoded after the EOF, once every shared formula of
 * the sheet is known; a shared formula that points to another one is refused, never followed.
 */

export interface CellBudget {
  readonly maxCells: number;
  readonly maxFormulaBytes: number;
  readonly maxFormulaChars: number;
  formulaChars: number;
  macroCells: number;
  otherCells: number;
  formulaBytes: number;
  /** The limit anomalies already reported, once per kind. */
  reported: Set<string>;
}

interface PendingFormula {
  cell: BiffCell;
  rgce: Uint8Array;
  rgcb: Uint8Array;
}

interface SharedFormula {
  rgce: Uint8Array;
  rgcb: Uint8Array;
}

export function parseSheet(
  reader: RecordReader,
  bof: BiffRecord,
  sheet: BiffSheet,
  globals: Globals,
  budget: CellBudget,
  anomalies: Anomaly[],
): void {
  checkBofType(bof, sheet, anomalies);
  const pending: PendingFormula[] = [];
  const shared = new Map<string, SharedFormula>();
  let last: BiffCell | undefined;
  let depth = 1;
  for (;;) {
    const record = reader.next();
    if (!record) {
      anomalies.push({
        code: 'E_BIFF_NO_EOF',
        message: `sheet "${sheet.name}" ends without an EOF record`,
        location: sheet.name,
      });
      break;
    }
    if (record.type === RT_BOF) {
      if (++depth > MAX_SUBSTREAM_DEPTH) {
        anomalies.push({
          code: 'E_BIFF_TOO_DEEP',
          message: `substreams nested deeper than ${MAX_SUBSTREAM_DEPTH} in sheet "${sheet.name}"`,
          offset: record.offset,
          location: sheet.name,
        });
        break;
      }
      continue;
    }
    if (record.type === RT_EOF && --depth === 0) break;
    if (depth !== 1) continue;
    try {
      last = takeRecord(record, sheet, globals, budget, anomalies, pending, shared, last);
    } catch (error) {
      if (!(error instanceof Truncated)) throw error;
      anomalies.push({
        code: 'E_BIFF_RECORD_TRUNCATED',
        message: `record 0x${record.type.toString(16)} in sheet "${sheet.name}": ${error.message}`,
        offset: record.offset,
        location: sheet.name,
      });
    }
  }
  for (const p of pending) decodeCell(p, shared, globals, budget, anomalies, sheet.name);
}

function checkBofType(bof: BiffRecord, sheet: BiffSheet, anomalies: Anomaly[]): void {
  const dt = bof.data.length >= 4 ? bof.data[2]! | (bof.data[3]! << 8) : 0;
  const isMacroBof = dt === BOF_MACRO_SHEET;
  if (isMacroBof === (sheet.type === 'macro')) {
    if (dt === BOF_CHART && sheet.type === 'worksheet') sheet.type = 'chart';
    return;
  }
  anomalies.push({
    code: 'E_BIFF_SHEET_TYPE_MISMATCH',
    message: `sheet "${sheet.name}" is listed as ${sheet.type} but its BOF says ${isMacroBof ? 'macro sheet' : `type 0x${dt.toString(16)}`}`,
    offset: bof.offset,
    location: sheet.name,
  });
  // Either header saying "macro sheet" is enough for Excel 4.0 macros to be there: keep the wider reading.
  if (isMacroBof) sheet.type = 'macro';
}

function takeRecord(
  record: BiffRecord,
  sheet: BiffSheet,
  globals: Globals,
  budget: CellBudget,
  anomalies: Anomaly[],
  pending: PendingFormula[],
  shared: Map<string, SharedFormula>,
  last: BiffCell | undefined,
): BiffCell | undefined {
  const cur = new Cursor(record.data);
  const add = (cell: BiffCell): BiffCell | undefined =>
    admitCell(sheet, budget, anomalies, record.offset) ? (sheet.cells.push(cell), cell) : undefined;
  switch (record.type) {
    case RT_FORMULA: {
      const row = cur.u16('rw');
      const col = cur.u16('col');
      cur.skip(2, 'ixfe');
      const value = formulaValue(cur.bytes(8, 'FormulaValue'));
      cur.skip(6, 'flags');
      const rgce = cur.bytes(cur.u16('cce'), 'rgce');
      const isPlain = value === STRING_FOLLOWS || value === undefined;
      const cell = add(isPlain ? { row, col } : { row, col, value });
      if (cell) pending.push({ cell, rgce, rgcb: cur.bytes(cur.left) });
      return value === STRING_FOLLOWS ? cell : undefined;
    }
    case RT_STRING:
      if (last) {
        last.value =
          globals.version === 8
            ? readXLUnicode(cur, record.boundaries)
            : readByteString16(cur, globals.decoder);
      }
      return undefined;
    case RT_SHRFMLA:
    case RT_ARRAY: {
      const row = cur.u16('rwFirst');
      cur.u16('rwLast');
      const col = cur.u8('colFirst');
      cur.u8('colLast');
      cur.skip(record.type === RT_SHRFMLA ? 2 : 6, 'flags');
      const rgce = cur.bytes(cur.u16('cce'), 'rgce');
      shared.set(`${row},${col}`, { rgce, rgcb: cur.bytes(cur.left) });
      return last; // the STRING of the anchor cell's result comes after this record
    }
    case RT_LABEL:
    case RT_RSTRING: {
      const [row, col] = [cur.u16('rw'), cur.u16('col')];
      cur.skip(2, 'ixfe');
      const text =
        globals.version === 8 && record.type === RT_LABEL
          ? readXLUnicode(cur, record.boundaries)
          : readByteString16(cur, globals.decoder);
      add({ row, col, value: text });
      return undefined;
    }
    case RT_LABELSST: {
      const [row, col] = [cur.u16('rw'), cur.u16('col')];
      cur.skip(2, 'ixfe');
      const isst = cur.u32('isst');
      const text = globals.sst[isst];
      if (text === undefined) {
        anomalies.push({
          code: 'E_BIFF_BAD_SST_INDEX',
          message: `LABELSST points to string ${isst} of ${globals.sst.length}`,
          offset: record.offset,
          location: sheet.name,
        });
      }
      add({ row, col, value: text ?? '' });
      return undefined;
    }
    case RT_NUMBER: {
      const [row, col] = [cur.u16('rw'), cur.u16('col')];
      cur.skip(2, 'ixfe');
      add({ row, col, value: cur.f64('num') });
      return undefined;
    }
    case RT_RK: {
      const [row, col] = [cur.u16('rw'), cur.u16('col')];
      cur.skip(2, 'ixfe');
      add({ row, col, value: rkNumber(cur.u32('rk')) });
      return undefined;
    }
    case RT_MULRK: {
      const row = cur.u16('rw');
      const first = cur.u16('colFirst');
      for (let col = first; cur.left >= 8; col++) {
        cur.skip(2, 'ixfe');
        if (!add({ row, col, value: rkNumber(cur.u32('rk')) })) break;
      }
      return undefined;
    }
    case RT_BOOLERR: {
      const [row, col] = [cur.u16('rw'), cur.u16('col')];
      cur.skip(2, 'ixfe');
      const value = cur.u8('bBoolErr');
      const isError = cur.u8('fError') === 1;
      add({ row, col, value: isError ? { error: ERROR_CODES[value] ?? '#ERR!' } : value !== 0 });
      return undefined;
    }
    default:
      return last;
  }
}

function admitCell(
  sheet: BiffSheet,
  budget: CellBudget,
  anomalies: Anomaly[],
  offset: number,
): boolean {
  const isMacro = sheet.type === 'macro';
  const used = isMacro ? budget.macroCells : budget.otherCells;
  if (used >= budget.maxCells) {
    const kind = isMacro ? 'macro' : 'other';
    if (!budget.reported.has(kind)) {
      budget.reported.add(kind);
      anomalies.push({
        code: 'E_BIFF_CELL_LIMIT',
        message: `more than ${budget.maxCells} cells in ${isMacro ? 'macro sheets' : 'worksheets'}; the rest were not read`,
        offset,
        location: sheet.name,
      });
    }
    return false;
  }
  if (isMacro) budget.macroCells++;
  else budget.otherCells++;
  return true;
}

function decodeCell(
  p: PendingFormula,
  shared: Map<string, SharedFormula>,
  globals: Globals,
  budget: CellBudget,
  anomalies: Anomaly[],
  sheetName: string,
): void {
  const { cell } = p;
  let decoded = decodeWithin(p.rgce, p.rgcb, cell, globals, budget, anomalies, sheetName);
  if (decoded?.sharedAt) {
    const anchor = shared.get(`${decoded.sharedAt.row},${decoded.sharedAt.col}`);
    decoded = anchor
      ? decodeWithin(anchor.rgce, anchor.rgcb, cell, globals, budget, anomalies, sheetName)
      : { text: '', error: 'PtgExp points to no shared or array formula' };
    // SECURITY: a shared formula is never itself resolved through PtgExp: no chains, no cycles.
    if (decoded?.sharedAt) decoded = { text: '', error: 'shared formula refers to another one' };
  }
  if (!decoded) return;
  cell.formula = decoded.text;
  if (decoded.error !== undefined) cell.formulaError = decoded.error;
}

function decodeWithin(
  rgce: Uint8Array,
  rgcb: Uint8Array,
  cell: BiffCell,
  globals: Globals,
  budget: CellBudget,
  anomalies: Anomaly[],
  sheetName: string,
) {
  budget.formulaBytes += rgce.length;
  const decoded =
    budget.formulaBytes <= budget.maxFormulaBytes
      ? decodeFormula(rgce, globals.env(cell.row, cell.col), rgcb)
      : undefined;
  if (decoded && budget.formulaChars + decoded.text.length <= budget.maxFormulaChars) {
    budget.formulaChars += decoded.text.length;
    return decoded;
  }
  budget.formulaChars = budget.maxFormulaChars; // once over, every later formula is refused too
  if (!budget.reported.has('formula')) {
    budget.reported.add('formula');
    anomalies.push({
      code: 'E_BIFF_FORMULA_LIMIT',
      message: `more than ${budget.maxFormulaBytes} bytes or ${budget.maxFormulaChars} characters of formulas; the rest were not decoded`,
      location: sheetName,
    });
  }
  return undefined;
}

/** FormulaValue says the result is text, in the STRING record that follows. */
export const STRING_FOLLOWS = Symbol('string follows');

/** FormulaValue (2.5.133): a number, or a tagged string/boolean/error/empty result. */
export function formulaValue(bytes: Uint8Array): CellValue | typeof STRING_FOLLOWS | undefined {
  if (bytes[6] !== 0xff || bytes[7] !== 0xff) {
    return new DataView(bytes.buffer, bytes.byteOffset, 8).getFloat64(0, true);
  }
  switch (bytes[0]) {
    case 0:
      return STRING_FOLLOWS;
    case 1:
      return bytes[2] !== 0;
    case 2:
      return { error: ERROR_CODES[bytes[2]!] ?? '#ERR!' };
    case 3:
      return '';
    default:
      return undefined;
  }
}

/** RkNumber (2.5.217): a 30-bit integer or the high 30 bits of a double, optionally over 100. */
export function rkNumber(rk: number): number {
  let value: number;
  if (rk & 0x02) value = rk >> 2;
  else {
    const bytes = new DataView(new ArrayBuffer(8));
    bytes.setUint32(4, rk & 0xfffffffc, true);
    value = bytes.getFloat64(0, true);
  }
  return rk & 0x01 ? value / 100 : value;
}
