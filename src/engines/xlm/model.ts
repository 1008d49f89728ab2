import type { Anomaly } from '../../core/index.js';
import type { CellValue, SheetState } from '../../formats/biff/index.js';

/**
 * One model of an Excel 4.0 macro workbook whatever it came from (.xls BIFF8/BIFF5, .xlsm XML macro
 * sheets, .xlsb BIFF12, SYLK): what the emulator runs and what the engine reports.
 */

export interface XlmCell {
  row: number;
  col: number;
  /** Formula text without `=`, A1 references (SYLK keeps its R1C1 text; the parser reads both). */
  formula?: string;
  /** Constant, or the result the file cached for the formula. */
  value?: CellValue;
}

export interface XlmSheet {
  name: string;
  isMacro: boolean;
  state: SheetState;
  /** Stream or part the sheet was read from, for evidence. */
  source: string;
  cells: Map<number, XlmCell>;
}

export interface XlmName {
  name: string;
  /** Definition without `=`: `Macro1!$A$1`, a constant, or any formula. */
  formula: string;
  isHidden: boolean;
  isBuiltin: boolean;
}

export interface XlmBook {
  format: 'xls' | 'xlsm' | 'xlsb' | 'sylk' | 'biff';
  /** Where the workbook came from (stream or part), for evidence. */
  source: string;
  sheets: XlmSheet[];
  names: XlmName[];
  anomalies: Anomaly[];
  /** FILEPASS: the cell records are encrypted and were not read (the offcrypto engine decrypts). */
  encryption?: string;
}

/** Column count of the biggest grid (XLSB/XLSX, 16384 columns): keys stay unique across formats. */
const COLS = 16384;

export function cellKey(row: number, col: number): number {
  return row * COLS + col;
}

export function emptyBook(format: XlmBook['format'], source: string): XlmBook {
  return { format, source, sheets: [], names: [], anomalies: [] };
}

/**
 * One anomaly per macro sheet whose formulas could not all be decoded (unknown tokens, a PtgExp to no
 * shared formula …): the text kept is what was decoded, and the analyst should know it is partial.
 */
export function undecodedFormulas(
  sheet: string,
  source: string,
  cells: Iterable<{ row: number; col: number; formulaError?: string }>,
): Anomaly | undefined {
  let count = 0;
  let first: string | undefined;
  for (const cell of cells) {
    if (cell.formulaError === undefined) continue;
    count++;
    first ??= `${cell.formulaError} (row ${cell.row + 1}, column ${cell.col + 1})`;
  }
  return count === 0
    ? undefined
    : {
        code: 'E_XLM_FORMULA_UNDECODED',
        message: `${count} formula(s) of macro sheet "${sheet}" decoded partially; first: ${first}`,
        location: source,
      };
}

/** Auto_Open-style names: Excel runs any defined name starting with Auto_Open (or Auto_Close). */
export function autoexecKind(name: string): 'Auto_Open' | 'Auto_Close' | undefined {
  const plain = name.replace(/^_xlnm\./i, '').toLowerCase();
  if (plain.startsWith('auto_open')) return 'Auto_Open';
  if (plain.startsWith('auto_close')) return 'Auto_Close';
  return undefined;
}
