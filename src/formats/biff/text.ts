import { formatNumber } from './ptg.js';
import type { BiffSheet, BiffWorkbook, CellValue } from './types.js';

export interface BiffTable {
  name: string;
  /** `hidden` and `very-hidden` sheets are shown too, labelled: what a user could not see matters. */
  state: BiffSheet['state'];
  rows: string[][];
  isTruncated: boolean;
}

/** Rows and columns of one sheet shown as a table (the safe view's bounds). */
export const MAX_BIFF_TABLE_ROWS = 1000;
export const MAX_BIFF_TABLE_COLS = 50;

/**
 * The worksheets of a workbook as tables of the values Excel shows ([MS-XLS] LABELSST, LABEL,
 * NUMBER, RK, MULRK, BOOLERR cells and cached formula results). Macro sheets, charts and VB modules
 * are not tables of data and are left out (the caller lists them as omitted).
 *
 * @example
 * workbookTables(parseWorkbook(stream))[0]?.rows // [['Invoice', '1200']]
 */
export function workbookTables(
  book: BiffWorkbook,
  bounds: { maxRows?: number; maxCols?: number } = {},
): BiffTable[] {
  const maxRows = bounds.maxRows ?? MAX_BIFF_TABLE_ROWS;
  const maxCols = bounds.maxCols ?? MAX_BIFF_TABLE_COLS;
  return book.sheets
    .filter((s) => s.type === 'worksheet')
    .map((sheet) => {
      const rows: string[][] = [];
      let isTruncated = false;
      for (const cell of sheet.cells) {
        if (cell.value === undefined) continue;
        if (cell.row >= maxRows || cell.col >= maxCols) {
          isTruncated = true;
          continue;
        }
        while (rows.length <= cell.row) rows.push([]);
        const row = rows[cell.row]!;
        while (row.length < cell.col) row.push('');
        row[cell.col] = valueText(cell.value);
      }
      return { name: sheet.name, state: sheet.state, rows, isTruncated };
    });
}

function valueText(value: CellValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return value.error;
}
