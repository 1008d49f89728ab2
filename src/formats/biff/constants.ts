/** Record types and field values of the BIFF5/BIFF8 workbook stream ([MS-XLS] 2.3, 2.4). */

export const RT_FORMULA = 0x0006; // 2.4.127 Formula
export const RT_EOF = 0x000a; // 2.4.103
export const RT_EXTERNSHEET = 0x0017; // 2.4.106
export const RT_NAME = 0x0018; // 2.4.150 Lbl
export const RT_EXTERNNAME = 0x0023; // 2.4.105
export const RT_FILEPASS = 0x002f; // 2.4.117
export const RT_CONTINUE = 0x003c; // 2.4.58
export const RT_CODEPAGE = 0x0042; // 2.4.52
export const RT_BOUNDSHEET = 0x0085; // 2.4.28 BoundSheet8
export const RT_MULRK = 0x00bd; // 2.4.175
export const RT_RSTRING = 0x00d6; // BIFF5 rich-text label
export const RT_SST = 0x00fc; // 2.4.265
export const RT_LABELSST = 0x00fd; // 2.4.149
export const RT_SUPBOOK = 0x01ae; // 2.4.271
export const RT_NUMBER = 0x0203; // 2.4.180
export const RT_LABEL = 0x0204; // 2.4.148
export const RT_BOOLERR = 0x0205; // 2.4.24
export const RT_STRING = 0x0207; // 2.4.268
export const RT_ARRAY = 0x0221; // 2.4.4
export const RT_RK = 0x027e; // 2.4.220
export const RT_SHRFMLA = 0x04bc; // 2.4.260
export const RT_BOF = 0x0809; // 2.4.21

/** BOF.vers (2.4.21): the BIFF version of the stream. */
export const BIFF8_VERSION = 0x0600;
export const BIFF5_VERSION = 0x0500;

/** BOF.dt (2.4.21): what the substream holds. */
export const BOF_GLOBALS = 0x0005;
export const BOF_WORKSHEET = 0x0010;
export const BOF_CHART = 0x0020;
export const BOF_MACRO_SHEET = 0x0040; // Excel 4.0 macro sheet
export const BOF_WORKSPACE = 0x0100;

/** BoundSheet8.dt (2.4.28). */
export const SHEET_TYPES: Readonly<Record<number, SheetType>> = {
  0x00: 'worksheet',
  0x01: 'macro',
  0x02: 'chart',
  0x06: 'vb-module',
};

/** BoundSheet8.hsState (2.4.28). */
export const SHEET_STATES: Readonly<Record<number, SheetState>> = {
  0: 'visible',
  1: 'hidden',
  2: 'very-hidden',
};

export type SheetType = 'worksheet' | 'macro' | 'chart' | 'vb-module' | 'dialog' | 'unknown';
export type SheetState = 'visible' | 'hidden' | 'very-hidden';

/** Lbl.name of a built-in name (fBuiltin, 2.5.98.10 / 2.4.150): one character giving its meaning. */
export const BUILTIN_NAMES: readonly string[] = [
  'Consolidate_Area',
  'Auto_Open',
  'Auto_Close',
  'Extract',
  'Database',
  'Criteria',
  'Print_Area',
  'Print_Titles',
  'Recorder',
  'Data_Form',
  'Auto_Activate',
  'Auto_Deactivate',
  'Sheet_Title',
  '_FilterDatabase',
];

/** BErr (2.5.198.2): error codes of PtgErr, BoolErr and FormulaValue. */
export const ERROR_CODES: Readonly<Record<number, string>> = {
  0x00: '#NULL!',
  0x07: '#DIV/0!',
  0x0f: '#VALUE!',
  0x17: '#REF!',
  0x1d: '#NAME?',
  0x24: '#NUM!',
  0x2a: '#N/A',
  0x2b: '#GETTING_DATA',
};

/** Largest record payload Excel writes (2.1.4); longer data continues in CONTINUE records. */
export const MAX_RECORD_DATA = 8224;
