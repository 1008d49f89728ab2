import { describeError, type AnalysisContext, type Anomaly } from '../../core/index.js';
import { readOoxmlPart, type OoxmlPackage } from '../../formats/ooxml/index.js';
import {
  decodeXml,
  MAX_PART_CELLS,
  MAX_WORKBOOK_ITEMS,
  parseSharedStringsBin,
  parseSharedStringsXml,
  parseSheetBin,
  parseSheetXml,
  parseWorkbookBin,
  parseWorkbookXml,
  type MacroSheetCell,
  type WorkbookInfo,
} from '../../formats/xlsb/index.js';
import { cellKey, emptyBook, undecodedFormulas, type XlmBook, type XlmCell } from './model.js';

/** Bytes read from one workbook, sheet or string part. */
const MAX_PART_BYTES = 64 * 1024 * 1024;

/**
 * The macro workbook of an .xlsm or .xlsb: the workbook part (sheet names and states, defined
 * names), the shared strings, every sheet the workbook lists (worksheets too: macros read their
 * cells) and every macro sheet part, listed or not. A part that cannot be read is an anomaly.
 */
export async function loadOoxmlBook(ctx: AnalysisContext, pkg: OoxmlPackage): Promise<XlmBook> {
  const main = pkg.mainPart ?? 'xl/workbook.xml';
  const isBinary = main.toLowerCase().endsWith('.bin');
  const book = emptyBook(isBinary ? 'xlsb' : 'xlsm', main);
  const read = async (part: string): Promise<Uint8Array | undefined> => {
    try {
      return await readOoxmlPart(pkg, part, {
        maxBytes: Math.max(0, Math.min(MAX_PART_BYTES, ctx.remainingBytes())),
      });
    } catch (error) {
      book.anomalies.push({
        code: 'E_XLM_PART_UNREADABLE',
        message: describeError(error),
        location: part,
      });
      return undefined;
    }
  };
  const workbookBytes = await read(main);
  const info: WorkbookInfo = workbookBytes
    ? isBinary
      ? parseWorkbookBin(workbookBytes, main, MAX_WORKBOOK_ITEMS)
      : parseWorkbookXml(decodeXml(workbookBytes), MAX_WORKBOOK_ITEMS)
    : { sheets: [], names: [], externSheets: [], anomalies: [] };
  book.anomalies.push(...info.anomalies);
  book.names.push(...info.names);
  const rels = pkg.relationships.filter((r) => r.source.toLowerCase() === main.toLowerCase());
  const stringsPart = rels.find((r) => r.typeName === 'sharedStrings')?.partName;
  const stringsBytes = stringsPart ? await read(stringsPart) : undefined;
  const sharedStrings = !stringsBytes
    ? []
    : stringsPart!.toLowerCase().endsWith('.bin')
      ? parseSharedStringsBin(stringsBytes, stringsPart!, MAX_WORKBOOK_ITEMS, book.anomalies)
      : parseSharedStringsXml(decodeXml(stringsBytes), MAX_WORKBOOK_ITEMS);
  const macroParts = new Set(pkg.macroSheets.map((p) => p.toLowerCase()));
  const seen = new Set<string>();
  const sheets = info.sheets.map((s) => ({
    ...s,
    part: rels.find((r) => r.id === s.relId)?.partName,
  }));
  for (const part of pkg.macroSheets) {
    if (!sheets.some((s) => s.part?.toLowerCase() === part.toLowerCase())) {
      // A macro sheet part the workbook does not list still holds formulas worth showing.
      book.anomalies.push({
        code: 'E_XLM_UNLISTED_MACRO_SHEET',
        message: `${part} is a macro sheet that the workbook part does not list`,
        location: part,
      });
      sheets.push({
        name: part.replace(/^.*\//, '').replace(/\.\w+$/, ''),
        state: 'very-hidden',
        relId: '',
        part,
      });
    }
  }
  for (const sheet of sheets) {
    if (!sheet.part || seen.has(sheet.part.toLowerCase())) continue;
    seen.add(sheet.part.toLowerCase());
    ctx.checkDeadline();
    const bytes = await read(sheet.part);
    if (!bytes) continue;
    const cells = parseSheetPart(bytes, sheet.part, sharedStrings, info, book.anomalies);
    const map = new Map<number, XlmCell>();
    for (const cell of cells) map.set(cellKey(cell.row, cell.col), cell);
    const isMacro = macroParts.has(sheet.part.toLowerCase());
    const partial = isMacro && undecodedFormulas(sheet.name, sheet.part, cells);
    if (partial) book.anomalies.push(partial);
    book.sheets.push({
      name: sheet.name,
      isMacro,
      state: sheet.state,
      source: sheet.part,
      cells: map,
    });
  }
  return book;
}

function parseSheetPart(
  bytes: Uint8Array,
  part: string,
  sharedStrings: readonly string[],
  info: WorkbookInfo,
  anomalies: Anomaly[],
): MacroSheetCell[] {
  const options = { maxCells: MAX_PART_CELLS, sharedStrings };
  if (!part.toLowerCase().endsWith('.bin'))
    return parseSheetXml(decodeXml(bytes), part, options, anomalies);
  const env = {
    sheetName: (ixti: number) => info.sheets[info.externSheets[ixti] ?? -1]?.name,
    definedName: (index: number) => info.names[index - 1]?.name,
  };
  return parseSheetBin(bytes, part, { ...options, env }, anomalies);
}
