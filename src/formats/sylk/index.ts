/**
 * @module formats/sylk — SYLK (Symbolic Link) spreadsheets, the .slk text format Excel opens, after
 * Microsoft's Multiplan/Excel SYLK description (summarised at
 * https://en.wikipedia.org/wiki/Symbolic_Link_(SYLK)): cells with R1C1 formulas, defined names such
 * as Auto_Open, and the macro-sheet option, which together carry Excel 4.0 macros in plain text.
 *
 * `rewriteSylk` writes the copy the disarm layer delivers: cell values kept, formulas, names, external
 * links and the macro-sheet flag taken out.
 *
 * Anomaly codes: E_SYLK_NO_ID, E_SYLK_BAD_POSITION, E_SYLK_CELL_LIMIT, E_SYLK_NAME_LIMIT.
 *
 * @example
 * const slk = parseSylk(bytes);
 * for (const cell of slk.cells) if (cell.formula) console.log(cell.row, cell.col, cell.formula);
 */
export { isSylk, MAX_SYLK_CELLS, MAX_SYLK_NAMES, parseSylk, splitFields } from './parse.js';
export type { SylkCell, SylkFile, SylkName, SylkOptions, SylkValue } from './parse.js';
export { rewriteSylk } from './rewrite.js';
export type { SylkRemoval, SylkRewrite, SylkRewriteOptions } from './rewrite.js';
