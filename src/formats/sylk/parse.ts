import type { Anomaly } from '../../core/index.js';

/**
 * SYLK (Symbolic Link, .slk): a text spreadsheet format Excel still opens. Each line is a record, a
 * type then `;`-separated fields that start with a letter (`;;` is a literal semicolon). `ID;P…`
 * opens the file, `C;X<col>;Y<row>;K<value>;E<formula>` is a cell (X/Y may be omitted: the last
 * position is kept), `NN;N<name>;E<formula>` a defined name, `O;…;E` marks a macro sheet, `E` ends.
 * Formulas are R1C1 text without `=`. Droppers used it in 2019–2020 for Excel 4.0 macros
 * (`NN;NAuto_open;ER1C1` + `C;X1;Y1;EEXEC("…")`) because mail filters ignored the format.
 */

export type SylkValue = string | number | boolean | { error: string };

export interface SylkCell {
  /** 0-based. */
  row: number;
  col: number;
  /** R1C1 formula text without `=`. */
  formula?: string;
  value?: SylkValue;
}

export interface SylkName {
  name: string;
  formula: string;
}

export interface SylkFile {
  /** The producing application from `ID;P…`. */
  application: string;
  /** `O` record with the `E` option: an Excel 4.0 macro sheet. */
  isMacroSheet: boolean;
  cells: SylkCell[];
  names: SylkName[];
  anomalies: Anomaly[];
}

export interface SylkOptions {
  maxCells?: number;
  maxNames?: number;
}

export const MAX_SYLK_CELLS = 250_000;
export const MAX_SYLK_NAMES = 10_000;
/** Columns and rows Excel's grid has; larger coordinates are refused. */
const MAX_ROW = 1_048_576;
const MAX_COL = 16_384;

const CP1252 = new TextDecoder('windows-1252');

/** True when the bytes open like a SYLK file: an `ID;P` record first. */
export function isSylk(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x49 &&
    bytes[1] === 0x44 &&
    bytes[2] === 0x3b &&
    bytes[3] === 0x50
  );
}

/**
 * Parses a SYLK file. Never throws: records it cannot read become anomalies, and what it can read
 * is returned.
 *
 * @example
 * const slk = parseSylk(bytes);
 * slk.names.find((n) => /^auto_open/i.test(n.name));
 */
export function parseSylk(bytes: Uint8Array, options: SylkOptions = {}): SylkFile {
  const maxCells = options.maxCells ?? MAX_SYLK_CELLS;
  const maxNames = options.maxNames ?? MAX_SYLK_NAMES;
  const text = CP1252.decode(bytes);
  const out: SylkFile = {
    application: '',
    isMacroSheet: false,
    cells: [],
    names: [],
    anomalies: [],
  };
  if (!text.startsWith('ID;')) {
    out.anomalies.push({
      code: 'E_SYLK_NO_ID',
      message: 'the file does not open with an ID record',
      offset: 0,
    });
  }
  let row = 0;
  let col = 0;
  let line = 0;
  let offset = 0;
  for (const raw of text.split(/\r\n|\n|\r/)) {
    line++;
    const at = offset;
    offset += raw.length + 1;
    if (raw === '') continue;
    const [type = '', ...fields] = splitFields(raw);
    const field = (letter: string) => fields.find((f) => f.startsWith(letter))?.slice(1);
    switch (type) {
      case 'ID':
        out.application = field('P') ?? '';
        break;
      case 'O':
        if (fields.includes('E')) out.isMacroSheet = true;
        break;
      case 'NN': {
        const name = field('N');
        const formula = field('E');
        if (name === undefined || formula === undefined) break;
        if (out.names.length >= maxNames) {
          limit(out, 'E_SYLK_NAME_LIMIT', `more than ${maxNames} names`, at);
          break;
        }
        out.names.push({ name, formula });
        break;
      }
      case 'C':
      case 'F': {
        const x = field('X');
        const y = field('Y');
        if (x !== undefined) col = Number(x) - 1;
        if (y !== undefined) row = Number(y) - 1;
        if (
          !(row >= 0 && row < MAX_ROW && col >= 0 && col < MAX_COL) ||
          !Number.isInteger(row + col)
        ) {
          out.anomalies.push({
            code: 'E_SYLK_BAD_POSITION',
            message: `line ${line}: cell position X${x ?? '?'} Y${y ?? '?'} is outside the grid`,
            offset: at,
          });
          row = 0;
          col = 0;
          break;
        }
        if (type === 'F') break;
        const formula = field('E');
        const value = field('K');
        if (formula === undefined && value === undefined) break;
        if (out.cells.length >= maxCells) {
          limit(out, 'E_SYLK_CELL_LIMIT', `more than ${maxCells} cells`, at);
          break;
        }
        const cell: SylkCell = { row, col };
        if (formula !== undefined) cell.formula = formula;
        if (value !== undefined) cell.value = parseValue(value);
        out.cells.push(cell);
        break;
      }
    }
  }
  return out;
}

function limit(out: SylkFile, code: `E_${string}`, message: string, offset: number): void {
  if (!out.anomalies.some((a) => a.code === code)) out.anomalies.push({ code, message, offset });
}

/** Splits a record on `;`, reading `;;` as a literal semicolon. */
export function splitFields(line: string): string[] {
  // Most records have no escaped semicolon: the native split is the same and far faster.
  if (!line.includes(';;')) return line.split(';');
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c !== ';') current += c;
    else if (line[i + 1] === ';') {
      current += ';';
      i++;
    } else {
      fields.push(current);
      current = '';
    }
  }
  fields.push(current);
  return fields;
}

function parseValue(raw: string): SylkValue {
  if (raw.startsWith('"'))
    return raw.slice(1, raw.endsWith('"') && raw.length > 1 ? -1 : undefined);
  if (/^TRUE$/i.test(raw)) return true;
  if (/^FALSE$/i.test(raw)) return false;
  if (raw.startsWith('#')) return { error: raw };
  const n = Number(raw);
  return Number.isFinite(n) && raw.trim() !== '' ? n : raw;
}
