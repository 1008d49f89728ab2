/**
 * @module formats/biff — Excel binary workbooks, BIFF8 and BIFF5, written from [MS-XLS]
 * https://learn.microsoft.com/en-us/openspecs/office_file_formats/ms-xls/ — the `Workbook` (BIFF8) or
 * `Book` (BIFF5) stream of an .xls compound file: sheets with their type (worksheet, Excel 4.0 macro
 * sheet, chart, VB module) and visibility (hidden, very hidden), defined names (Auto_Open,
 * Auto_Close …), cells with values, and formulas decoded from their token streams (Rgce) to the text
 * Excel shows, with the Excel 4.0 (XLM) macro function and command tables; DDE links (SUPBOOK
 * `app` U+0003 `topic` + EXTERNNAME, 2.4.271/2.5.277) with the cells that reach them through PtgNameX
 * (`=cmd|'/c …'!A0`). Excel 2.x–4.0 files (BIFF2, BIFF3, BIFF4 record streams outside any
 * compound file: `.xlm` macro sheets, BIFF4W workbooks) are read by `parseLegacyWorkbook` from the
 * OpenOffice.org "Microsoft Excel File Format" description into the same `BiffWorkbook`. The same token decoder
 * serves .xlsb (BIFF12, [MS-XLSB] 2.5.97). FILEPASS (encryption) is reported, not decrypted. For
 * rewriting (disarm), `splitBiffStream`/`joinBiffStream` cut a stream into raw records per substream
 * and join them back with BoundSheet8, Index and ExtSST offsets moved (thrown: E_BIFF_RECORD_TOO_LONG,
 * and the split's E_BIFF_NOT_BIFF, E_BIFF_RECORD_PAST_END, E_BIFF_NO_EOF, E_BIFF_SHEET_LIMIT).
 *
 * Anomaly codes: E_BIFF_RECORD_PAST_END, E_BIFF_TRAILING_BYTES, E_BIFF_RECORD_TRUNCATED,
 * E_BIFF_NO_EOF, E_BIFF_TOO_DEEP, E_BIFF_SST_LIMIT, E_BIFF_SST_TRUNCATED, E_BIFF_BAD_SST_INDEX,
 * E_BIFF_CELL_LIMIT, E_BIFF_FORMULA_LIMIT, E_BIFF_SHEET_TYPE_MISMATCH, E_BIFF_ORPHAN_SUBSTREAM,
 * E_BIFF_BAD_SHEET_OFFSET, E_BIFF_UNKNOWN_CODEPAGE, E_BIFF_NAME_LIMIT, E_BIFF_SHEET_LIMIT.
 * Thrown: E_BIFF_NOT_BIFF.
 *
 * @example
 * const book = parseWorkbook(cfb.readStream('Workbook')!);
 * book.sheets.filter((s) => s.type === 'macro' && s.state === 'very-hidden');
 */
export { parseWorkbook, tryParseWorkbook } from './workbook.js';
export { legacyBiffVersion, parseLegacyWorkbook } from './legacy.js';
export { ddeFormula } from './globals.js';
export type { WorkbookParse } from './workbook.js';
export {
  MAX_BIFF_TABLE_COLS,
  MAX_BIFF_TABLE_ROWS,
  workbookTables,
  type BiffTable,
} from './text.js';
export {
  decodeFormula,
  FORMULA_OPERATOR_PRECEDENCE,
  formatNumber,
  MAX_FORMULA_TEXT,
  quote,
} from './ptg.js';
export type { BiffDialect, DecodedFormula, FormulaEnv } from './ptg.js';
export { functionAt, functionNamed, FTAB_USER_DEFINED } from './functions.js';
export type { FunctionInfo } from './functions.js';
export { cellName, columnName, sheetPrefix } from './cell-ref.js';
export { Cursor, decodeUtf16, Truncated } from './cursor.js';
export { rkNumber } from './sheet.js';
export { BUILTIN_NAMES, ERROR_CODES } from './constants.js';
export type { SheetState, SheetType } from './constants.js';
export {
  MAX_BIFF_CELLS,
  MAX_BIFF_NAMES,
  MAX_BIFF_SHEETS,
  MAX_FORMULA_BYTES,
  MAX_FORMULA_CHARS,
  MAX_SST_STRINGS,
  MAX_SUBSTREAM_DEPTH,
} from './types.js';
export type {
  BiffCell,
  BiffDdeLink,
  BiffEncryption,
  BiffName,
  BiffOptions,
  BiffSheet,
  BiffWorkbook,
  CellValue,
} from './types.js';
export {
  joinBiffStream,
  MAX_BIFF_SUBSTREAMS,
  RT_DBCELL,
  RT_EXTSST,
  RT_INDEX,
  splitBiffStream,
} from './edit.js';
export type { BiffLayout, RawBiffRecord } from './edit.js';
