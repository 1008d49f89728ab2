import type { Anomaly } from '../../core/index.js';
import type { SheetState, SheetType } from './constants.js';

/** A constant or a formula's cached result: text, number, boolean or an error such as `#N/A`. */
export type CellValue = string | number | boolean | { error: string };

export interface BiffCell {
  /** 0-based row and column. */
  row: number;
  col: number;
  /** Formula text as Excel displays it, without the leading `=`. */
  formula?: string;
  /** Why the formula could not be decoded completely (the text holds what was decoded). */
  formulaError?: string;
  /** The constant, or the result Excel cached for the formula (the STRING record for text). */
  value?: CellValue;
}

export interface BiffSheet {
  name: string;
  type: SheetType;
  state: SheetState;
  /** Offset of the sheet's BOF record in the stream (BoundSheet8.lbPlyPos). */
  offset: number;
  cells: BiffCell[];
}

export interface BiffName {
  /** The name; for a built-in name its meaning (`Auto_Open`, `Auto_Close`, `Print_Area` …). */
  name: string;
  isBuiltin: boolean;
  isHidden: boolean;
  /** fFunc / fProc: the name is a function or macro (command) name. */
  isMacro: boolean;
  /** 0 for a workbook-level name, otherwise the 1-based index of the sheet it belongs to. */
  sheetIndex: number;
  /** Formula text of the definition (`Macro1!$A$1`), without `=`. */
  formula: string;
  formulaError?: string;
}

/**
 * A DDE link of the workbook ([MS-XLS] 2.4.271 SupBook whose virtPath is a DDE-OLE link,
 * `application` U+0003 `topic` (2.5.277), with one ExternName per item): what Excel shows as
 * `application|'topic'!item` and starts `application` with `topic` for, the `=cmd|'/c …'!A0` trick.
 */
export interface BiffDdeLink {
  application: string;
  topic: string;
  /** The ExternName's name (`A0`); empty when the SUPBOOK has no EXTERNNAME yet. */
  item: string;
  /** fOleLink/fOle (2.4.105): an OLE link through the same record shape, not DDE. */
  isOle: boolean;
  /** The link as a formula shows it. */
  formula: string;
  /** Offset of the EXTERNNAME (or SUPBOOK) record in the stream. */
  offset: number;
  /** Cells whose formula uses the link (PtgNameX), `Sheet1!A1`. */
  cells: string[];
}

/** FILEPASS (2.4.117): the workbook's records are encrypted from here on. */
export interface BiffEncryption {
  type: 'xor' | 'rc4' | 'rc4-cryptoapi' | 'unknown';
  offset: number;
}

export interface BiffWorkbook {
  /** BIFF version: 2, 3, 4 (Excel 2.x–4.0 files, `parseLegacyWorkbook`), 5 or 8 (`parseWorkbook`). */
  version: 2 | 3 | 4 | 5 | 8;
  sheets: BiffSheet[];
  names: BiffName[];
  /** BIFF8 DDE/OLE links (SUPBOOK + EXTERNNAME), capped at `maxNames`. */
  ddeLinks: BiffDdeLink[];
  encryption?: BiffEncryption;
  anomalies: Anomaly[];
}

export interface BiffOptions {
  /** Cells kept per kind of sheet (macro sheets, other sheets). */
  maxCells?: number;
  /** Strings read from the shared string table, whatever cstUnique claims. */
  maxSstStrings?: number;
  /** Formula bytes decoded in all; shared formulas count once per cell that uses them. */
  maxFormulaBytes?: number;
  /** Characters of decoded formula text kept in all (hostile tokens expand up to 40-fold). */
  maxFormulaChars?: number;
  /** Defined names (NAME records) read. */
  maxNames?: number;
  /** Sheets (BOUNDSHEET records) read. */
  maxSheets?: number;
}

/** Cells kept per kind of sheet: a padded worksheet must not push a macro sheet past the cap. */
export const MAX_BIFF_CELLS = 250_000;
export const MAX_SST_STRINGS = 1_000_000;
/** Defined names and sheets read from the globals; Excel's own limits are far lower in practice. */
export const MAX_BIFF_NAMES = 10_000;
export const MAX_BIFF_SHEETS = 4_096;
/** About 2,000 full-size formulas; a real workbook decodes kilobytes. */
export const MAX_FORMULA_BYTES = 64 * 1024 * 1024;
export const MAX_FORMULA_CHARS = 32 * 1024 * 1024;
/** BOF/EOF nesting inside a sheet (embedded charts); deeper is hostile. */
export const MAX_SUBSTREAM_DEPTH = 8;
