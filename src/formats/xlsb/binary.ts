import type { Anomaly } from '../../core/index.js';
import {
  Cursor,
  decodeFormula,
  decodeUtf16,
  ERROR_CODES,
  MAX_FORMULA_CHARS,
  rkNumber,
  Truncated,
  type CellValue,
  type FormulaEnv,
} from '../biff/index.js';
import { BRT, readBiff12Records, type Biff12Record } from './records.js';
import { SharedFormulas } from './shared.js';
import type { MacroSheetCell, WorkbookInfo } from './types.js';

/**
 * The binary parts of an .xlsb ([MS-XLSB] 2.1.7): xl/workbook.bin (BrtBundleSh sheets with their
 * state, BrtName defined names, BrtExternSheet for 3-D references), the shared string table, and
 * sheet parts whose cell records carry values and BIFF12 formulas (BrtFmlaString/Num/Bool/Error,
 * CellParsedFormula = Rgce in the BIFF12 dialect, decoded by formats/biff).
 */

const STATES = ['visible', 'hidden', 'very-hidden'] as const;

function wideString(cur: Cursor, what: string): string {
  const cch = cur.u32(`${what} length`);
  if (cch === 0xffffffff) return '';
  return decodeUtf16(cur.bytes(cch * 2, what));
}

function guard(
  anomalies: Anomaly[],
  location: string,
  record: Biff12Record,
  read: () => void,
): void {
  try {
    read();
  } catch (error) {
    if (!(error instanceof Truncated)) throw error;
    anomalies.push({
      code: 'E_XLSB_RECORD_TRUNCATED',
      message: `record ${record.type}: ${error.message}`,
      offset: record.offset,
      location,
    });
  }
}

interface RawName {
  flags: number;
  name: string;
  rgce: Uint8Array;
  rgcb: Uint8Array;
}

/** xl/workbook.bin: sheets, defined names (decoded once all sheets are known). */
export function parseWorkbookBin(
  bytes: Uint8Array,
  location: string,
  maxItems: number,
): WorkbookInfo {
  const info: WorkbookInfo = { sheets: [], names: [], externSheets: [], anomalies: [] };
  const raw: RawName[] = [];
  const xti = info.externSheets;
  readBiff12Records(bytes, info.anomalies, location, (record) => {
    const cur = new Cursor(record.data);
    guard(info.anomalies, location, record, () => {
      if (record.type === BRT.BUNDLE_SH && info.sheets.length < maxItems) {
        const state = STATES[cur.u32('hsState')] ?? 'very-hidden';
        cur.u32('iTabID');
        const relId = wideString(cur, 'strRelID');
        info.sheets.push({ relId, state, name: wideString(cur, 'strName') });
      } else if (record.type === BRT.NAME && raw.length < maxItems) {
        const flags = cur.u32('flags');
        cur.u8('chKey');
        cur.u32('itab');
        const name = wideString(cur, 'name');
        const rgce = cur.bytes(cur.u32('cce'), 'rgce');
        const rgcb = cur.bytes(cur.u32('cb'), 'rgcb');
        raw.push({ flags, name, rgce, rgcb });
      } else if (record.type === BRT.EXTERN_SHEET) {
        const count = cur.u32('cXti');
        for (let i = 0; i < count && cur.left >= 12 && xti.length < maxItems; i++) {
          cur.u32('iSupBook');
          xti.push(cur.i32('itabFirst'));
          cur.i32('itabLast');
        }
      }
    });
  });
  const env: FormulaEnv = {
    dialect: 12,
    row: 0,
    col: 0,
    sheetName: (ixti) => info.sheets[xti[ixti] ?? -1]?.name,
    definedName: (index) => raw[index - 1]?.name,
  };
  let chars = 0;
  for (const name of raw) {
    const decoded = decodeFormula(name.rgce, env, name.rgcb);
    chars += decoded.text.length;
    if (chars > MAX_FORMULA_CHARS) {
      info.anomalies.push({
        code: 'E_XLSB_FORMULA_LIMIT',
        message: `more than ${MAX_FORMULA_CHARS} characters of name formulas`,
        location,
      });
      break;
    }
    info.names.push({
      name: name.name,
      formula: decoded.text,
      isHidden: (name.flags & 0x01) !== 0,
      isBuiltin: (name.flags & 0x20) !== 0,
    });
  }
  return info;
}

/** xl/sharedStrings.bin: BrtSSTItem records (RichStr: flags, then the text). */
export function parseSharedStringsBin(
  bytes: Uint8Array,
  location: string,
  maxItems: number,
  anomalies: Anomaly[],
): string[] {
  const strings: string[] = [];
  readBiff12Records(bytes, anomalies, location, (record) => {
    if (record.type !== BRT.SST_ITEM) return;
    if (strings.length >= maxItems) return false;
    const cur = new Cursor(record.data);
    guard(anomalies, location, record, () => {
      cur.u8('flags');
      strings.push(wideString(cur, 'string'));
    });
  });
  return strings;
}

/**
 * A BIFF12 sheet part (worksheet or macro sheet): cells with values and decoded formulas.
 * `sheetName` resolves 3-D references (ixti → sheet) as the workbook part says.
 */
export function parseSheetBin(
  bytes: Uint8Array,
  location: string,
  options: {
    maxCells: number;
    sharedStrings: readonly string[];
    env: Omit<FormulaEnv, 'row' | 'col' | 'dialect'>;
  },
  anomalies: Anomaly[],
): MacroSheetCell[] {
  const cells: MacroSheetCell[] = [];
  const shared = new SharedFormulas(anomalies, location);
  const pending: { cell: MacroSheetCell; anchorRow: number }[] = [];
  let row = 0;
  let chars = 0;
  const { sheetName, definedName, externName, decodeBytes, externPrefix } = options.env;
  const decode = (rgce: Uint8Array, rgcb: Uint8Array | undefined, cell: MacroSheetCell) => {
    // A literal, not a spread of options.env: once per formula cell, and a spread copies slowly.
    const env: FormulaEnv = {
      dialect: 12,
      row: cell.row,
      col: cell.col,
      sheetName,
      definedName,
      externName,
      decodeBytes,
      externPrefix,
    };
    const decoded = decodeFormula(rgce, env, rgcb);
    chars += decoded.text.length;
    if (chars > MAX_FORMULA_CHARS) {
      anomalies.push({
        code: 'E_XLSB_FORMULA_LIMIT',
        message: `more than ${MAX_FORMULA_CHARS} characters of formulas`,
        location,
      });
      return undefined;
    }
    return decoded;
  };
  readBiff12Records(bytes, anomalies, location, (record) => {
    if (record.type === BRT.SHR_FMLA || record.type === BRT.ARR_FMLA) {
      const cur = new Cursor(record.data);
      guard(anomalies, location, record, () =>
        shared.take(cur, record.type === BRT.ARR_FMLA, record.offset),
      );
      return;
    }
    if (record.type > BRT.FMLA_ERROR) return;
    if (chars > MAX_FORMULA_CHARS) return false;
    if (cells.length >= options.maxCells) {
      anomalies.push({
        code: 'E_XLSB_CELL_LIMIT',
        message: `more than ${options.maxCells} cells`,
        location,
      });
      return false;
    }
    const cur = new Cursor(record.data);
    guard(anomalies, location, record, () => {
      if (record.type === BRT.ROW_HDR) {
        row = cur.u32('rw');
        return;
      }
      const col = cur.u32('column');
      cur.u32('iStyleRef');
      const cell = readCell(record.type, cur, row, col, options.sharedStrings);
      if (!cell) return;
      if (record.type >= BRT.FMLA_STRING) {
        cur.u16('grbitFlags');
        const rgce = cur.bytes(cur.u32('cce'), 'rgce');
        const rgcb =
          cur.left >= 4 ? cur.bytes(Math.min(cur.u32('cb'), cur.left), 'rgcb') : undefined;
        const decoded = decode(rgce, rgcb, cell);
        if (!decoded) return;
        cell.formula = decoded.text;
        // The BrtShrFmla/BrtArrFmla a PtgExp names follows its anchor cell: resolved after the walk.
        if (decoded.sharedAt) pending.push({ cell, anchorRow: decoded.sharedAt.row });
        else if (decoded.error !== undefined) cell.formulaError = decoded.error;
      }
      cells.push(cell);
    });
  });
  for (const { cell, anchorRow } of pending) {
    if (chars > MAX_FORMULA_CHARS) {
      cell.formulaError = 'shared or array formula (PtgExp) not resolved';
      continue;
    }
    const anchor = shared.find(anchorRow, cell.row, cell.col);
    const decoded = anchor && decode(anchor.rgce, anchor.rgcb, cell);
    if (!anchor) cell.formulaError = 'PtgExp points to no shared or array formula';
    // SECURITY: a shared formula is never itself resolved through PtgExp: no chains, no cycles.
    else if (!decoded || decoded.sharedAt)
      cell.formulaError = decoded ? 'shared formula refers to another one' : 'formula budget spent';
    else {
      cell.formula = decoded.text;
      if (decoded.error !== undefined) cell.formulaError = decoded.error;
    }
  }
  return cells;
}

function readCell(
  type: number,
  cur: Cursor,
  row: number,
  col: number,
  sst: readonly string[],
): MacroSheetCell | undefined {
  let value: CellValue | undefined;
  switch (type) {
    case BRT.CELL_BLANK:
      return undefined;
    case BRT.CELL_RK:
      value = rkNumber(cur.u32('rk'));
      break;
    case BRT.CELL_ERROR:
    case BRT.FMLA_ERROR:
      value = { error: ERROR_CODES[cur.u8('error')] ?? '#ERR!' };
      break;
    case BRT.CELL_BOOL:
    case BRT.FMLA_BOOL:
      value = cur.u8('bool') !== 0;
      break;
    case BRT.CELL_REAL:
    case BRT.FMLA_NUM:
      value = cur.f64('num');
      break;
    case BRT.CELL_ST:
    case BRT.FMLA_STRING:
      value = wideString(cur, 'string');
      break;
    case BRT.CELL_ISST:
      value = sst[cur.u32('isst')] ?? '';
      break;
  }
  return value === undefined ? { row, col } : { row, col, value };
}
