import { describeError, type AnalysisContext } from '../../core/index.js';
import { tryParseWorkbook } from '../../formats/biff/index.js';
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
  const parsed = result.book;
  book.anomalies.push(
    ...parsed.anomalies.map((a) => ({ ...a, location: a.location ?? entry.path })),
  );
  if (parsed.encryption) book.encryption = `FILEPASS ${parsed.encryption.type}`;
  for (const sheet of parsed.sheets) {
    const cells = new Map<number, XlmCell>();
    for (const cell of sheet.cells) cells.set(cellKey(cell.row, cell.col), cell);
    const partial =
      sheet.type === 'macro' && undecodedFormulas(sheet.name, entry.path, sheet.cells);
    if (partial) book.anomalies.push(partial);
    book.sheets.push({
      name: sheet.name,
      isMacro: sheet.type === 'macro',
      state: sheet.state,
      source: entry.path,
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
  return book;
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
