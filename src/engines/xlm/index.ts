/**
 * @module xlm — Excel 4.0 (XLM) macros: macro sheets in .xls (BIFF8/BIFF5, [MS-XLS]; BIFF2–4 .xlm/.xls
 * files, OpenOffice.org's Excel file format notes), .xlsm
 * (`xl/macrosheets/*.xml`, [MS-OFFMACRO2]), .xlsb ([MS-XLSB]) and SYLK; their formulas
 * (`extracted.xlm`, A1 cell addresses), Auto_Open names, hidden sheets, and an emulator that
 * deobfuscates CHAR()/concatenation/FORMULA-written macros far enough to recover the EXEC command
 * lines, CALL/REGISTER Win32 API calls (URLDownloadToFileA …), download URLs and sandbox checks.
 * Decoded PowerShell goes back into the pipeline as children.
 *
 * @example
 * const out = await xlmEngine.analyze(ctx); // xlm.autoexec-execution-chain on an XLM dropper
 */
import type { Engine } from '../../core/index.js';
import { analyzeXlm } from './analyze.js';
import { XLM_FINDINGS } from './findings.js';

export const xlmEngine: Engine = {
  name: 'xlm',
  types: ['ole', 'ooxml', 'sylk', 'biff'],
  findings: XLM_FINDINGS,
  analyze: analyzeXlm,
};

export { XLM_FINDINGS } from './findings.js';
export { MAX_XLM_LISTED } from './analyze.js';
export { MAX_EMULATOR_STEPS } from './emulator.js';
