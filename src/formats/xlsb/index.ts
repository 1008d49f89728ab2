/**
 * @module formats/xlsb — the workbook and sheet parts of Excel 2007+ packages where Excel 4.0 macro
 * sheets live: binary BIFF12 parts of .xlsb ([MS-XLSB] https://learn.microsoft.com/en-us/openspecs/
 * office_file_formats/ms-xlsb/ — BrtBundleSh, BrtName, BrtExternSheet, cell and BrtFmla* records,
 * formulas decoded by formats/biff in the BIFF12 dialect, PtgExp cells resolved through the
 * BrtShrFmla/BrtArrFmla range that holds them) and the SpreadsheetML XML parts of .xlsm
 * (ECMA-376 Part 1 §18.3, [MS-XLSX], [MS-OFFMACRO2] `xm:macrosheet`): cells with `<f>` formulas,
 * sheet `state` (hidden, veryHidden) and defined names such as `_xlnm.Auto_Open`. The package itself
 * (ZIP, content types, relationships) is formats/ooxml's.
 *
 * Anomaly codes: E_XLSB_RECORD_PAST_END, E_XLSB_RECORD_TRUNCATED, E_XLSB_CELL_LIMIT, E_XLSX_CELL_LIMIT,
 * E_XLSB_FORMULA_LIMIT, E_XLSB_SHARED_FORMULA_LIMIT.
 *
 * @example
 * const wb = parseWorkbookXml(decodeXml(workbookBytes), MAX_WORKBOOK_ITEMS);
 * const cells = parseSheetXml(decodeXml(sheetBytes), 'xl/macrosheets/sheet1.xml', { maxCells, sharedStrings: [] }, anomalies);
 */
export { parseSharedStringsBin, parseSheetBin, parseWorkbookBin } from './binary.js';
export { readBiff12Records } from './records.js';
export type { Biff12Record } from './records.js';
export {
  decodeEntities,
  decodeXml,
  parseA1,
  parseSharedStringsXml,
  parseSheetXml,
  parseWorkbookXml,
  shiftFormula,
} from './spreadsheetml.js';
export { MAX_PART_CELLS, MAX_WORKBOOK_ITEMS } from './types.js';
export type { MacroSheetCell, WorkbookInfo, WorkbookNameInfo, WorkbookSheetInfo } from './types.js';
