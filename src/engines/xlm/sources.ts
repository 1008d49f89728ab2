import { describeError, type AnalysisContext } from '../../core/index.js';
import {
  parseLegacyWorkbook,
  tryParseWorkbook,
  sheetPrefix,
  type BiffWorkbook,
} from '../../formats/biff/index.js';
import { parseCfb } from '../../formats/cfb/index.js';
import { readOoxml } from '../../formats/ooxml/index.js';
import { parseSylk } from '../../formats/sylk/index.js';
import {
  autoexecKind,
  cellKey,
  emptyBook,
  undecodedFormulas,
  type XlmBook,
  type XlmCell,
  type XlmSheet,
} from './model.js';
import { loadOoxmlBook } from './sources-ooxml.js';

/**
 * The Excel 4.0 macro workbooks an artifact carries: the `Workbook`/`Book` stream of a compound file
 * (BIFF8/BIFF5), the macro sheets of an OOXML package (.xlsm XML or .xlsb binary), or a SYLK file.
 * Compound files and packages are parsed once per artifact and shared with the VBA engine (`memo`).
 */
export async function loadBook(ctx: AnalysisContext): Promise<XlmBook | undefined> {
  switch (ctx.artifact.type) {
    case 'ole':
      return fromCompoundFile(ctx);
    case 'ooxml': {
      const pkg = await ctx.memo('ooxml', () =>
        readOoxml(ctx.bytes, { maxTotalBytes: ctx.remainingBytes() }),
      );
      return pkg.macroSheets.length === 0 ? undefined : loadOoxmlBook(ctx, pkg);
    }
    case 'sylk':
      return fromSylk(ctx);
    case 'biff':
      return fromLegacyBiff(ctx);
    default:
      return undefined;
  }
}

function fromCompoundFile(ctx: AnalysisContext): XlmBook | undefined {
  const cfb = ctx.memo('cfb', () =>
    parseCfb(ctx.bytes, { maxStreamBytes: ctx.limits.maxFileSize }),
  );
  const entry = cfb.find('Workbook') ?? cfb.find('Book');
  if (entry?.type !== 'stream') return undefined;
  const stream = cfb.readStream(entry.path);
  if (!stream) return undefined;
  const book = emptyBook('xls', entry.path);
  // Shared with the office engine (DDE links in the globals): the workbook is parsed once per artifact.
  const result = ctx.memo(`biff.workbook:${entry.path}`, () => tryParseWorkbook(stream));
  if (!result.ok) {
    book.anomalies.push({
      code: 'E_BIFF_NOT_BIFF',
      message: describeError(result.error),
      location: entry.path,
    });
    return book;
  }
  addWorkbook(book, result.book, entry.path);
  return book;
}

/**
 * An Excel 2.x–4.0 file (BIFF2/3/4, no compound file). A lone sheet is named after the file, as
 * Excel names it; a BIFF4W name pointing into another bundled sheet is qualified with that sheet.
 */
function fromLegacyBiff(ctx: AnalysisContext): XlmBook {
  const book = emptyBook('biff', ctx.artifact.name);
  let parsed: BiffWorkbook;
  try {
    parsed = parseLegacyWorkbook(ctx.bytes);
  } catch (error) {
    book.anomalies.push({ code: 'E_BIFF_NOT_BIFF', message: describeError(error) });
    return book;
  }
  const fileName = ctx.artifact.name.replace(/^.*[!/\\]/, '').replace(/\.[^.]*$/, '') || 'Macro1';
  parsed.sheets.forEach(
    (s, i) => (s.name ||= parsed.sheets.length === 1 ? fileName : `Sheet${i + 1}`),
  );
  for (const name of parsed.names) {
    const sheet = parsed.sheets[name.sheetIndex - 1];
    if (sheet && /^\$?[A-Z]{1,3}\$?\d/.test(name.formula))
      name.formula = `${sheetPrefix(sheet.name)}${name.formula}`;
  }
  addWorkbook(book, parsed, ctx.artifact.name);
  return book;
}

function addWorkbook(book: XlmBook, parsed: BiffWorkbook, source: string): void {
  book.anomalies.push(...parsed.anomalies.map((a) => ({ ...a, location: a.location ?? source })));
  if (parsed.encryption) book.encryption = `FILEPASS ${parsed.encryption.type}`;
  for (const sheet of parsed.sheets) {
    const cells = new Map<number, XlmCell>();
    for (const cell of sheet.cells) cells.set(cellKey(cell.row, cell.col), cell);
    const partial = sheet.type === 'macro' && undecodedFormulas(sheet.name, source, sheet.cells);
    if (partial) book.anomalies.push(partial);
    book.sheets.push({
      name: sheet.name,
      isMacro: sheet.type === 'macro',
      state: sheet.state,
      source,
      cells,
    });
  }
  for (const name of parsed.names) {
    book.names.push({
      name: name.name,
      formula: name.formula,
      isHidden: name.isHidden,
      isBuiltin: name.isBuiltin,
    });
  }
}

function fromSylk(ctx: AnalysisContext): XlmBook {
  const parsed = parseSylk(ctx.bytes);
  const book = emptyBook('sylk', ctx.artifact.name);
  book.anomalies.push(...parsed.anomalies);
  const cells = new Map<number, XlmCell>();
  for (const cell of parsed.cells) cells.set(cellKey(cell.row, cell.col), cell);
  const sheet: XlmSheet = {
    // SYLK has one sheet, named after the file as Excel does.
    name: ctx.artifact.name.replace(/\.[^.]*$/, '') || 'Sheet1',
    // Excel runs SYLK formulas as macros when the file declares a macro sheet (O;E); an Auto_Open
    // name is read the same way, since it exists only to start a macro.
    isMacro: parsed.isMacroSheet || parsed.names.some((n) => autoexecKind(n.name) !== undefined),
    state: 'visible',
    source: ctx.artifact.name,
    cells,
  };
  book.sheets.push(sheet);
  for (const name of parsed.names) {
    book.names.push({ name: name.name, formula: name.formula, isHidden: false, isBuiltin: false });
  }
  return book;
}
