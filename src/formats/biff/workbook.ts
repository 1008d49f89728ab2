import { FormatError, type Anomaly } from '../../core/index.js';
import {
  BIFF5_VERSION,
  BIFF8_VERSION,
  BOF_GLOBALS,
  BOF_MACRO_SHEET,
  RT_BOF,
  RT_EOF,
} from './constants.js';
import { cellName, sheetPrefix } from './cell-ref.js';
import { Globals } from './globals.js';
import { RecordReader, type BiffRecord } from './records.js';
import { parseSheet, type CellBudget } from './sheet.js';
import {
  MAX_BIFF_CELLS,
  MAX_FORMULA_BYTES,
  MAX_FORMULA_CHARS,
  MAX_SST_STRINGS,
  type BiffOptions,
  type BiffSheet,
  type BiffWorkbook,
} from './types.js';

/**
 * Parses a BIFF8 or BIFF5 workbook stream (the `Workbook` / `Book` stream of an .xls compound file,
 * [MS-XLS] 2.1.7.20): the globals substream, then every sheet substream with its cells and decoded
 * formulas. Sheets are matched to their BoundSheet8 entry by offset; substreams no entry points to
 * and entries that point elsewhere are both read and reported. After FILEPASS the records are
 * encrypted: the sheet list so far and `encryption` are returned, nothing is decrypted.
 *
 * Throws `FormatError` E_BIFF_NOT_BIFF when the stream does not open with a BIFF5/BIFF8 BOF record;
 * everything else malformed becomes an anomaly.
 *
 * @example
 * const book = parseWorkbook(cfb.readStream('Workbook')!);
 * for (const sheet of book.sheets.filter((s) => s.type === 'macro')) console.log(sheet.cells);
 */
export function parseWorkbook(stream: Uint8Array, options: BiffOptions = {}): BiffWorkbook {
  const anomalies: Anomaly[] = [];
  const version = bofVersion(stream);
  const reader = new RecordReader(stream, 0, anomalies);
  const globals = new Globals(
    version,
    anomalies,
    options.maxSstStrings ?? MAX_SST_STRINGS,
    options.maxNames,
    options.maxSheets,
  );
  reader.next(); // the globals BOF
  for (let record = reader.next(); ; record = reader.next()) {
    if (!record) {
      anomalies.push({ code: 'E_BIFF_NO_EOF', message: 'the globals substream has no EOF record' });
      break;
    }
    if (record.type === RT_EOF) break;
    if (!globals.take(record)) break;
  }
  globals.finishNames();
  globals.finishDdeLinks();
  const book: BiffWorkbook = {
    version,
    sheets: globals.sheets,
    names: globals.names,
    ddeLinks: globals.ddeLinks,
    anomalies,
  };
  if (globals.encryption) {
    book.encryption = globals.encryption;
    return book;
  }
  const budget: CellBudget = {
    maxCells: options.maxCells ?? MAX_BIFF_CELLS,
    maxFormulaBytes: options.maxFormulaBytes ?? MAX_FORMULA_BYTES,
    maxFormulaChars: options.maxFormulaChars ?? MAX_FORMULA_CHARS,
    formulaChars: 0,
    macroCells: 0,
    otherCells: 0,
    formulaBytes: 0,
    reported: new Set(),
  };
  readSheets(stream, reader, globals, budget, anomalies);
  linkDdeCells(book);
  return book;
}

/** Links whose cells are looked up, and cells kept per link: enough for evidence, bounded for hostile books. */
const MAX_DDE_LINKS_MATCHED = 64;
const MAX_DDE_CELLS_PER_LINK = 32;

/**
 * Which FORMULA cells reach a DDE link through PtgNameX, or PtgSheet + PtgName in BIFF2–4 (their
 * text shows `app|'topic'!item`). A lone BIFF2–4 sheet has no name yet: its cells are bare `A1`.
 */
export function linkDdeCells(book: BiffWorkbook): void {
  const links = book.ddeLinks.slice(0, MAX_DDE_LINKS_MATCHED).filter((l) => l.item !== '');
  if (links.length === 0) return;
  for (const sheet of book.sheets) {
    for (const cell of sheet.cells) {
      if (!cell.formula?.includes("|'")) continue;
      for (const link of links) {
        if (link.cells.length < MAX_DDE_CELLS_PER_LINK && cell.formula.includes(link.formula))
          link.cells.push(
            `${sheet.name ? sheetPrefix(sheet.name) : ''}${cellName(cell.row, cell.col)}`,
          );
      }
    }
  }
}

/** `parseWorkbook` that returns its E_BIFF_NOT_BIFF error instead of throwing (for a shared memo). */
export type WorkbookParse = { ok: true; book: BiffWorkbook } | { ok: false; error: unknown };

export function tryParseWorkbook(stream: Uint8Array, options: BiffOptions = {}): WorkbookParse {
  try {
    return { ok: true, book: parseWorkbook(stream, options) };
  } catch (error) {
    return { ok: false, error };
  }
}

function bofVersion(stream: Uint8Array): 5 | 8 {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  if (stream.length < 8 || view.getUint16(0, true) !== RT_BOF) {
    throw new FormatError(
      'E_BIFF_NOT_BIFF',
      'the workbook stream does not start with a BOF record',
      {
        offset: 0,
      },
    );
  }
  const vers = view.getUint16(4, true);
  const dt = view.getUint16(6, true);
  if ((vers !== BIFF8_VERSION && vers !== BIFF5_VERSION) || dt !== BOF_GLOBALS) {
    throw new FormatError(
      'E_BIFF_NOT_BIFF',
      `unsupported BOF (version 0x${vers.toString(16)}, type 0x${dt.toString(16)})`,
      { offset: 0 },
    );
  }
  return vers === BIFF8_VERSION ? 8 : 5;
}

function readSheets(
  stream: Uint8Array,
  reader: RecordReader,
  globals: Globals,
  budget: CellBudget,
  anomalies: Anomaly[],
): void {
  const done = new Set<BiffSheet>();
  const byOffset = new Map(globals.sheets.map((s) => [s.offset, s]));
  for (let record = reader.next(); record; record = reader.next()) {
    if (record.type !== RT_BOF) continue;
    let sheet = byOffset.get(record.offset);
    if (!sheet || done.has(sheet)) {
      sheet = orphanSheet(record);
      globals.sheets.push(sheet);
      anomalies.push({
        code: 'E_BIFF_ORPHAN_SUBSTREAM',
        message: `a ${sheet.type} substream at ${record.offset} is listed by no BOUNDSHEET record`,
        offset: record.offset,
      });
    }
    done.add(sheet);
    parseSheet(reader, record, sheet, globals, budget, anomalies);
  }
  // Entries whose lbPlyPos the sequential walk did not meet: read them where they point, once.
  for (const sheet of globals.sheets) {
    if (done.has(sheet)) continue;
    done.add(sheet);
    const isBof =
      sheet.offset + 4 <= stream.length &&
      stream[sheet.offset] === 0x09 &&
      stream[sheet.offset + 1] === 0x08;
    const at = new RecordReader(stream, sheet.offset, anomalies);
    const bof = isBof ? at.next() : undefined;
    if (bof?.type !== RT_BOF) {
      anomalies.push({
        code: 'E_BIFF_BAD_SHEET_OFFSET',
        message: `sheet "${sheet.name}" points to offset ${sheet.offset}, where no BOF record is`,
        offset: sheet.offset,
        location: sheet.name,
      });
      continue;
    }
    parseSheet(at, bof, sheet, globals, budget, anomalies);
  }
}

function orphanSheet(bof: BiffRecord): BiffSheet {
  const dt = bof.data.length >= 4 ? bof.data[2]! | (bof.data[3]! << 8) : 0;
  return {
    name: `(unlisted sheet at ${bof.offset})`,
    type: dt === BOF_MACRO_SHEET ? 'macro' : 'worksheet',
    state: 'very-hidden',
    offset: bof.offset,
    cells: [],
  };
}
