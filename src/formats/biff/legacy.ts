import { FormatError, type Anomaly } from '../../core/index.js';
import {
  BOF_CHART,
  BOF_MACRO_SHEET,
  BOF_WORKSPACE,
  BUILTIN_NAMES,
  ERROR_CODES,
  RT_CODEPAGE,
  RT_EOF,
  RT_FILEPASS,
  RT_RK,
  SHEET_STATES,
} from './constants.js';
import { Cursor, Truncated } from './cursor.js';
import { LegacyLinkTable } from './legacy-links.js';
import { decodeFormula, type FormulaEnv } from './ptg.js';
import { RecordReader, type BiffRecord } from './records.js';
import { formulaValue, rkNumber, STRING_FOLLOWS } from './sheet.js';
import { CodePageDecoder, readByteString16, readByteString8 } from './strings.js';
import { linkDdeCells } from './workbook.js';
import {
  MAX_BIFF_CELLS,
  MAX_BIFF_NAMES,
  MAX_BIFF_SHEETS,
  MAX_FORMULA_BYTES,
  MAX_FORMULA_CHARS,
  MAX_SUBSTREAM_DEPTH,
  type BiffCell,
  type BiffOptions,
  type BiffSheet,
  type BiffWorkbook,
} from './types.js';

/**
 * Excel 2.x–4.0 files: BIFF2, BIFF3 and BIFF4 record streams, not wrapped in a compound file, as
 * described by OpenOffice.org's "Microsoft Excel File Format" (sections 4 and 5; [MS-XLS] covers
 * BIFF8 only). One file is one sheet — a worksheet, a chart or an Excel 4.0 macro sheet (`.xlm`,
 * BOF type 0x0040), where the XLM macro language comes from and which attackers still send — or a
 * BIFF4W workbook (BOF type 0x0100) bundling sheets, each with its own BOF … EOF and names. Cell and
 * name records differ from BIFF5/8 in their sizes (BIFF2 cells carry 3 attribute bytes, BIFF2 names
 * and formulas 1-byte lengths), strings are bytes in the code page, defined names belong to the sheet
 * substream they are written in, and formula tokens use the BIFF2–4 dialects of `decodeFormula`.
 */

/** BOF record type per version (5.8): 0x0009 BIFF2, 0x0209 BIFF3, 0x0409 BIFF4. */
const LEGACY_BOF: Readonly<Record<number, 2 | 3 | 4>> = { 0x0009: 2, 0x0209: 3, 0x0409: 4 };

const RT2_INTEGER = 0x0002; // BIFF2 only
const RT2_NUMBER = 0x0003;
const RT2_LABEL = 0x0004;
const RT2_BOOLERR = 0x0005;
const RT2_FORMULA = 0x0006;
const RT2_STRING = 0x0007;
const RT2_NAME = 0x0018;
const RT3_NAME = 0x0218;
const RT3_NUMBER = 0x0203;
const RT3_LABEL = 0x0204;
const RT3_BOOLERR = 0x0205;
const RT3_FORMULA = 0x0206;
const RT3_STRING = 0x0207;
const RT4_FORMULA = 0x0406;
const RT4_BUNDLESHEET = 0x008f; // BIFF4W: one per bundled sheet
const NAME_FLAG_BUILTIN = 0x0020;
const NAME2_FLAG_FUNC = 0x02; // BIFF2 option byte: function or command macro

/** Whether `stream` opens with a BIFF2, BIFF3 or BIFF4 BOF record (the sniffer's test). */
export function legacyBiffVersion(stream: Uint8Array): 2 | 3 | 4 | undefined {
  if (stream.length < 8) return undefined;
  const version = LEGACY_BOF[stream[0]! | (stream[1]! << 8)];
  const size = stream[2]! | (stream[3]! << 8);
  const dt = stream[6]! | (stream[7]! << 8);
  // BOF data is 4 bytes in BIFF2 and 6 in BIFF3/4 (5.8); dt names what the substream holds.
  const isKnownType = [0x0010, BOF_CHART, BOF_MACRO_SHEET, BOF_WORKSPACE].includes(dt);
  return version && size >= 4 && size <= 16 && isKnownType ? version : undefined;
}

interface Budget {
  maxCells: number;
  cells: { macro: number; other: number };
  formulaBytes: number;
  formulaChars: number;
  maxFormulaBytes: number;
  maxFormulaChars: number;
}

interface Substream {
  sheet: BiffSheet;
  names: RawName[];
  formulas: { cell: BiffCell; rgce: Uint8Array }[];
  /** EXTERNSHEET/EXTERNNAME of this sheet: external references and DDE links (`cmd|'/c …'!A0`). */
  links: LegacyLinkTable;
}

interface RawName {
  flags: number;
  name: string;
  rgce: Uint8Array;
}

/**
 * Parses a BIFF2/3/4 file: its sheet(s) with cells and decoded formulas, and the defined names
 * (Auto_Open …) of each sheet. A standalone sheet has no name of its own (`''`: the caller names it
 * after the file, as Excel does); bundled sheets take theirs from BUNDLESHEET.
 *
 * Throws `FormatError` E_BIFF_NOT_BIFF when the stream does not open with a BIFF2–4 BOF record;
 * everything else malformed becomes an anomaly (the same codes as `parseWorkbook`).
 *
 * @example
 * const book = parseLegacyWorkbook(bytes); // an Excel 4.0 .xlm macro sheet
 * book.names.find((n) => n.name === 'Auto_Open')?.formula; // '$A$1'
 */
export function parseLegacyWorkbook(stream: Uint8Array, options: BiffOptions = {}): BiffWorkbook {
  const version = legacyBiffVersion(stream);
  if (version === undefined) {
    throw new FormatError('E_BIFF_NOT_BIFF', 'the file does not start with a BIFF2–4 BOF record', {
      offset: 0,
    });
  }
  const anomalies: Anomaly[] = [];
  const book: BiffWorkbook = { version, sheets: [], names: [], ddeLinks: [], anomalies };
  const decoder = new CodePageDecoder(anomalies);
  const budget: Budget = {
    maxCells: options.maxCells ?? MAX_BIFF_CELLS,
    cells: { macro: 0, other: 0 },
    formulaBytes: 0,
    formulaChars: 0,
    maxFormulaBytes: options.maxFormulaBytes ?? MAX_FORMULA_BYTES,
    maxFormulaChars: options.maxFormulaChars ?? MAX_FORMULA_CHARS,
  };
  const maxNames = options.maxNames ?? MAX_BIFF_NAMES;
  const maxSheets = options.maxSheets ?? MAX_BIFF_SHEETS;
  const bundled: { offset: number; name: string; state: BiffSheet['state'] }[] = [];
  const subs: Substream[] = [];
  const reader = new RecordReader(stream, 0, anomalies);
  let current: Substream | undefined;
  let sheetDepth = 0; // the nesting level of the current sheet's BOF; deeper is an embedded chart
  let depth = 0;
  let nameCount = 0;
  let last: BiffCell | undefined;
  for (let record = reader.next(); record; record = reader.next()) {
    if (LEGACY_BOF[record.type] !== undefined) {
      if (++depth > MAX_SUBSTREAM_DEPTH) {
        anomalies.push({
          code: 'E_BIFF_TOO_DEEP',
          message: `substreams nested deeper than ${MAX_SUBSTREAM_DEPTH}`,
          offset: record.offset,
        });
        break;
      }
      const dt = record.data.length >= 4 ? record.data[2]! | (record.data[3]! << 8) : 0;
      if (dt === BOF_WORKSPACE || current) continue; // BIFF4W globals, or an embedded chart
      if (subs.length >= maxSheets) {
        limitOnce(anomalies, 'E_BIFF_SHEET_LIMIT', `more than ${maxSheets} sheets`, record.offset);
        break;
      }
      const entry = bundled.find((b) => b.offset === record.offset) ?? bundled[subs.length];
      current = newSubstream(
        record,
        dt,
        entry,
        new LegacyLinkTable(book.ddeLinks, anomalies, maxNames),
      );
      sheetDepth = depth;
      subs.push(current);
      continue;
    }
    if (record.type === RT_EOF) {
      if (current && depth === sheetDepth) current = undefined;
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (current && depth !== sheetDepth) continue; // inside an embedded chart
    try {
      switch (record.type) {
        case RT_FILEPASS:
          book.encryption = { type: 'xor', offset: record.offset };
          return finish(book, subs, decoder, budget, version);
        case RT_CODEPAGE:
          decoder.setCodePage(new Cursor(record.data).u16('codepage'));
          break;
        case RT4_BUNDLESHEET:
          bundled.push(bundleSheet(record, decoder));
          break;
        case RT2_NAME:
        case RT3_NAME:
          if (!current) break;
          if (nameCount++ >= maxNames) {
            limitOnce(anomalies, 'E_BIFF_NAME_LIMIT', `more than ${maxNames} names`, record.offset);
            break;
          }
          current.names.push(readName(record, decoder));
          break;
        default:
          if (current && !current.links.take(record, decoder))
            last = takeCell(record, current, decoder, budget, anomalies, last);
      }
    } catch (error) {
      if (!(error instanceof Truncated)) throw error;
      anomalies.push({
        code: 'E_BIFF_RECORD_TRUNCATED',
        message: `record 0x${record.type.toString(16)}: ${error.message}`,
        offset: record.offset,
      });
    }
  }
  if (depth > 0 && depth <= MAX_SUBSTREAM_DEPTH) {
    anomalies.push({ code: 'E_BIFF_NO_EOF', message: 'the file ends without an EOF record' });
  }
  return finish(book, subs, decoder, budget, version);
}

function newSubstream(
  bof: BiffRecord,
  dt: number,
  entry: { name: string; state: BiffSheet['state'] } | undefined,
  links: LegacyLinkTable,
): Substream {
  const type = dt === BOF_MACRO_SHEET ? 'macro' : dt === BOF_CHART ? 'chart' : 'worksheet';
  const sheet: BiffSheet = {
    name: entry?.name ?? '',
    type,
    state: entry?.state ?? 'visible',
    offset: bof.offset,
    cells: [],
  };
  return { sheet, names: [], formulas: [], links };
}

function limitOnce(anomalies: Anomaly[], code: `E_${string}`, message: string, offset: number) {
  if (!anomalies.some((a) => a.code === code)) anomalies.push({ code, message, offset });
}

/** BUNDLESHEET (BIFF4W, 5.95): BOF position, option flags (visibility), byte-string name. */
function bundleSheet(record: BiffRecord, decoder: CodePageDecoder) {
  const cur = new Cursor(record.data);
  const offset = cur.u32('BOF position');
  const state = SHEET_STATES[cur.u16('flags') & 0x03] ?? 'very-hidden';
  return { offset, state, name: readByteString8(cur, decoder) };
}

/** NAME (5.67): BIFF2 option byte + 1-byte sizes, BIFF3/4 option word + 2-byte formula size. */
function readName(record: BiffRecord, decoder: CodePageDecoder): RawName {
  const cur = new Cursor(record.data);
  let flags: number;
  let cch: number;
  let cce: number;
  if (record.type === RT2_NAME) {
    const biff2 = cur.u8('flags');
    cur.skip(2, 'flags, shortcut');
    cch = cur.u8('cch');
    cce = cur.u8('cce');
    flags = biff2 & NAME2_FLAG_FUNC;
  } else {
    flags = cur.u16('flags');
    cur.u8('shortcut');
    cch = cur.u8('cch');
    cce = cur.u16('cce');
  }
  const name = decoder.decode(cur.bytes(cch, 'name'));
  return { flags, name, rgce: cur.bytes(cce, 'rgce') };
}

/** Cell records of BIFF2 (3 attribute bytes) and BIFF3/4 (XF index); returns the cell a STRING fills. */
function takeCell(
  record: BiffRecord,
  sub: Substream,
  decoder: CodePageDecoder,
  budget: Budget,
  anomalies: Anomaly[],
  last: BiffCell | undefined,
): BiffCell | undefined {
  const cur = new Cursor(record.data);
  const type = record.type;
  if (type === RT2_STRING || type === RT3_STRING) {
    if (last) {
      last.value =
        type === RT2_STRING ? readByteString8(cur, decoder) : readByteString16(cur, decoder);
    }
    return undefined;
  }
  const isBiff2 = type < 0x0100;
  const known = [RT2_INTEGER, RT2_NUMBER, RT2_LABEL, RT2_BOOLERR, RT2_FORMULA, RT3_NUMBER];
  if (![...known, RT3_LABEL, RT3_BOOLERR, RT3_FORMULA, RT4_FORMULA, RT_RK].includes(type))
    return last;
  const row = cur.u16('rw');
  const col = cur.u16('col');
  cur.skip(isBiff2 ? 3 : 2, isBiff2 ? 'cell attributes' : 'ixfe');
  const add = (cell: BiffCell): BiffCell | undefined => {
    const kind = sub.sheet.type === 'macro' ? 'macro' : 'other';
    if (budget.cells[kind] >= budget.maxCells) {
      limitOnce(
        anomalies,
        'E_BIFF_CELL_LIMIT',
        `more than ${budget.maxCells} cells`,
        record.offset,
      );
      return undefined;
    }
    budget.cells[kind]++;
    sub.sheet.cells.push(cell);
    return cell;
  };
  switch (type) {
    case RT2_FORMULA:
    case RT3_FORMULA:
    case RT4_FORMULA: {
      const value = formulaValue(cur.bytes(8, 'result'));
      cur.skip(isBiff2 ? 1 : 2, 'flags');
      const cce = isBiff2 ? cur.u8('cce') : cur.u16('cce');
      const rgce = cur.bytes(cce, 'rgce');
      const isPlain = value === STRING_FOLLOWS || value === undefined;
      const cell = add(isPlain ? { row, col } : { row, col, value });
      if (cell) sub.formulas.push({ cell, rgce });
      return value === STRING_FOLLOWS ? cell : undefined;
    }
    case RT2_LABEL:
    case RT3_LABEL:
      add({
        row,
        col,
        value: isBiff2 ? readByteString8(cur, decoder) : readByteString16(cur, decoder),
      });
      return undefined;
    case RT2_INTEGER:
      add({ row, col, value: cur.u16('integer') });
      return undefined;
    case RT2_NUMBER:
    case RT3_NUMBER:
      add({ row, col, value: cur.f64('number') });
      return undefined;
    case RT_RK:
      add({ row, col, value: rkNumber(cur.u32('rk')) });
      return undefined;
    default: {
      const value = cur.u8('value');
      const isError = cur.u8('fError') === 1;
      add({ row, col, value: isError ? { error: ERROR_CODES[value] ?? '#ERR!' } : value !== 0 });
      return undefined;
    }
  }
}

/** Decodes names and formulas once each substream's names are all known (they refer to each other). */
function finish(
  book: BiffWorkbook,
  subs: Substream[],
  decoder: CodePageDecoder,
  budget: Budget,
  version: 2 | 3 | 4,
): BiffWorkbook {
  subs.forEach((sub, index) => {
    const display = sub.names.map((n) => displayName(n));
    sub.links.finish();
    const env = (row: number, col: number): FormulaEnv => ({
      dialect: version,
      row,
      col,
      definedName: (i) => display[i - 1],
      externName: (ixals, i) => sub.links.externName(ixals, i),
      externPrefix: (ixals) => sub.links.prefix(ixals),
      decodeBytes: (bytes) => decoder.decode(bytes),
    });
    for (const raw of sub.names) {
      const decoded = decodeFormula(raw.rgce, env(0, 0));
      book.names.push({
        name: displayName(raw),
        isBuiltin: (raw.flags & NAME_FLAG_BUILTIN) !== 0,
        isHidden: (raw.flags & 0x01) !== 0 && version > 2,
        isMacro: (raw.flags & 0x0a) !== 0,
        // SECURITY: a name refers to cells of the sheet it is written in (BIFF2–4 have no 3-D refs).
        sheetIndex: subs.length > 1 ? index + 1 : 0,
        formula: decoded.text,
        ...(decoded.error === undefined ? {} : { formulaError: decoded.error }),
      });
    }
    for (const { cell, rgce } of sub.formulas) decodeCell(cell, rgce, env, budget, book);
    book.sheets.push(sub.sheet);
  });
  linkDdeCells(book);
  return book;
}

function decodeCell(
  cell: BiffCell,
  rgce: Uint8Array,
  env: (row: number, col: number) => FormulaEnv,
  budget: Budget,
  book: BiffWorkbook,
): void {
  budget.formulaBytes += rgce.length;
  const decoded =
    budget.formulaBytes <= budget.maxFormulaBytes
      ? decodeFormula(rgce, env(cell.row, cell.col))
      : undefined;
  if (!decoded || budget.formulaChars + decoded.text.length > budget.maxFormulaChars) {
    budget.formulaChars = budget.maxFormulaChars;
    limitOnce(
      book.anomalies,
      'E_BIFF_FORMULA_LIMIT',
      `more than ${budget.maxFormulaBytes} bytes or ${budget.maxFormulaChars} characters of formulas; the rest were not decoded`,
      0,
    );
    return;
  }
  budget.formulaChars += decoded.text.length;
  // BIFF2–4 have no shared formulas; a PtgExp points into an ARRAY/TABLE record, not followed.
  cell.formula = decoded.sharedAt ? '' : decoded.text;
  if (decoded.sharedAt) cell.formulaError = 'PtgExp to an array or table formula, not resolved';
  else if (decoded.error !== undefined) cell.formulaError = decoded.error;
}

/** A built-in name (BIFF3/4 option 0x0020) is one character, its index in the built-in list. */
function displayName(raw: RawName): string {
  const isBuiltin = (raw.flags & NAME_FLAG_BUILTIN) !== 0 && raw.name.length === 1;
  return (isBuiltin ? BUILTIN_NAMES[raw.name.charCodeAt(0)] : undefined) ?? raw.name;
}
