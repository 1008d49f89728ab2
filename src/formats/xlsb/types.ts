import type { Anomaly } from '../../core/index.js';
import type { CellValue, SheetState } from '../biff/index.js';

export interface MacroSheetCell {
  /** 0-based. */
  row: number;
  col: number;
  /** A1 formula text without `=`. */
  formula?: string;
  formulaError?: string;
  value?: CellValue;
}

export interface WorkbookSheetInfo {
  name: string;
  state: SheetState;
  /** Relationship id of the sheet part (r:id / strRelID). */
  relId: string;
}

export interface WorkbookNameInfo {
  name: string;
  formula: string;
  isHidden: boolean;
  isBuiltin: boolean;
}

export interface WorkbookInfo {
  sheets: WorkbookSheetInfo[];
  names: WorkbookNameInfo[];
  /** BIFF12 only: the sheet index (itabFirst) of each XTI, for 3-D references in sheet formulas. */
  externSheets: number[];
  anomalies: Anomaly[];
}

/** Cells read from one sheet part; sheets, names and strings listed from the workbook part. */
export const MAX_PART_CELLS = 250_000;
export const MAX_WORKBOOK_ITEMS = 100_000;
