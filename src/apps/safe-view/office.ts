import { describeError } from '../../core/index.js';
import {
  parseLegacyWorkbook,
  workbookTables,
  parseWorkbook,
  type BiffWorkbook,
} from '../../formats/biff/index.js';
import { parseCfb, type CfbFile } from '../../formats/cfb/index.js';
import { docText } from '../../formats/doc/index.js';
import { pptText } from '../../formats/ppt/index.js';
import {
  readOoxml,
  readOoxmlPart,
  sharedStrings,
  sheetRows,
  slideText,
  wordText,
  workbookSheets,
  type OoxmlPackage,
} from '../../formats/ooxml/index.js';
import { classifyFieldCode } from '../../formats/msxml-office/index.js';
import { parseRtf, rtfText } from '../../formats/rtf/index.js';
import type { ViewBlock, ViewSection } from '../../report/view/index.js';
import type { ViewBounds } from './bounds.js';

const IMAGE_PART = /^(?:word|xl|ppt)\/media\/[^/]+\.(?:png|jpe?g|gif)$/i;
const WORD = /wordprocessingml\.document|ms-word\./i;
const SHEET = /spreadsheetml\.sheet|ms-excel\./i;
const SLIDES = /presentationml\.|ms-powerpoint\./i;

/** .docx/.docm/.xlsx/.xlsm/.pptx/.pptm: the main part's text, then the pictures of the package. */
export async function ooxmlSection(
  section: ViewSection,
  bytes: Uint8Array,
  bounds: ViewBounds,
): Promise<void> {
  const pkg = await readOoxml(bytes, { maxTotalBytes: bounds.maxPartBytes * 4 });
  section.omitted.push(...ooxmlOmitted(pkg));
  const read = async (part: string) => {
    const data = await readOoxmlPart(pkg, part, { maxBytes: bounds.maxPartBytes });
    return new TextDecoder('utf-8').decode(data);
  };
  const main = pkg.mainPart;
  const type = pkg.mainContentType ?? '';
  const kind = SHEET.test(type) ? 'xls' : SLIDES.test(type) ? 'ppt' : WORD.test(type) ? 'doc' : '';
  if (kind) section.type = `${kind}${pkg.isMacroEnabled ? 'm' : 'x'}`;
  if (!main) section.blocks.push({ kind: 'note', text: 'no main document part' });
  else if (/\.bin$/i.test(main))
    section.blocks.push({ kind: 'note', text: 'binary workbook (.xlsb): text not shown' });
  else if (SHEET.test(type)) await sheets(section, pkg, main, read, bounds);
  else if (SLIDES.test(type)) await slides(section, pkg, read, bounds);
  else {
    if (!WORD.test(type)) section.blocks.push({ kind: 'note', text: `main part ${type}` });
    const text = wordText(await read(main), bounds);
    section.blocks.push(...text.value.map(toBlock));
    if (text.isTruncated) section.omitted.push('text past the size limit');
  }
  let images = 0;
  for (const part of pkg.parts) {
    if (!IMAGE_PART.test(part.name)) continue;
    if (images++ >= bounds.maxImages) {
      section.omitted.push('pictures past the count limit');
      break;
    }
    if (part.size > bounds.maxImageBytes) {
      section.blocks.push({ kind: 'note', text: `[picture ${part.name} too large]` });
      continue;
    }
    const data = await readOoxmlPart(pkg, part.name, { maxBytes: bounds.maxImageBytes });
    section.blocks.push({ kind: 'image', bytes: data, name: part.name });
  }
}

function toBlock(
  block: { kind: 'paragraph'; text: string } | { kind: 'table'; rows: string[][] },
): ViewBlock {
  return block.kind === 'paragraph'
    ? { kind: 'paragraph', text: block.text }
    : { kind: 'table', rows: block.rows };
}

function ooxmlOmitted(pkg: OoxmlPackage): string[] {
  const out: string[] = [];
  if (pkg.vbaProjects.length > 0) out.push('VBA macros');
  if (pkg.macroSheets.length > 0) out.push(`${pkg.macroSheets.length} Excel 4.0 macro sheet(s)`);
  if (pkg.embeddings.length > 0) out.push(`${pkg.embeddings.length} embedded object(s) / ActiveX`);
  const external = pkg.externalRelationships.filter((r) => r.typeName !== 'hyperlink');
  if (external.length > 0) {
    out.push(`${external.length} external link(s): ${external.map((r) => r.typeName).join(', ')}`);
  }
  return out;
}

async function sheets(
  section: ViewSection,
  pkg: OoxmlPackage,
  main: string,
  read: (part: string) => Promise<string>,
  bounds: ViewBounds,
): Promise<void> {
  const strings = pkg.parts.some((p) => p.name === 'xl/sharedStrings.xml')
    ? sharedStrings(await read('xl/sharedStrings.xml'), bounds).value
    : [];
  const rels = new Map(
    pkg.relationships.filter((r) => r.source === main).map((r) => [r.id, r.partName]),
  );
  for (const sheet of workbookSheets(await read(main), bounds.maxSheets)) {
    const part = rels.get(sheet.relId);
    if (!part || !pkg.parts.some((p) => p.name === part)) continue;
    if (!/worksheets\//i.test(part)) continue; // chartsheets, dialog and macro sheets hold no table
    const grid = sheetRows(await read(part), strings, bounds);
    const state = sheet.state === 'visible' ? '' : ` (${sheet.state})`;
    section.blocks.push({ kind: 'table', rows: grid.value, caption: `${sheet.name}${state}` });
    if (grid.isTruncated)
      section.omitted.push(
        `${sheet.name}: cells past ${bounds.maxRows} rows × ${bounds.maxCols} columns`,
      );
  }
}

async function slides(
  section: ViewSection,
  pkg: OoxmlPackage,
  read: (part: string) => Promise<string>,
  bounds: ViewBounds,
): Promise<void> {
  const names = pkg.parts
    .map((p) => p.name)
    .filter((n) => /^ppt\/slides\/slide\d+\.xml$/i.test(n))
    .sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]))
    .slice(0, bounds.maxSheets);
  for (const [i, name] of names.entries()) {
    section.blocks.push({ kind: 'heading', text: `Slide ${i + 1}` });
    const text = slideText(await read(name), bounds);
    section.blocks.push(...text.value.map((t): ViewBlock => ({ kind: 'paragraph', text: t })));
  }
}

/** .doc / .xls (and a note for .ppt and other compound files). */
export function oleSection(section: ViewSection, bytes: Uint8Array, bounds: ViewBounds): void {
  const cfb = parseCfb(bytes, { maxStreamBytes: bounds.maxPartBytes });
  const has = (path: string) =>
    cfb.entries.some((e) => e.path.toLowerCase() === path.toLowerCase());
  if (cfb.entries.some((e) => /^(?:Macros|_VBA_PROJECT_CUR)$/i.test(e.path)))
    section.omitted.push('VBA macros');
  if (has('ObjectPool')) section.omitted.push('embedded objects (ObjectPool)');
  const word = cfb.readStream('WordDocument');
  const book = cfb.readStream('Workbook') ?? cfb.readStream('Book');
  if (word) {
    section.type = 'doc';
    docSection(section, cfb, word, bounds);
  } else if (book) {
    section.type = 'xls';
    xlsSection(section, book, bounds);
  } else if (has('PowerPoint Document')) {
    section.type = 'ppt';
    const text = pptText(cfb.readStream('PowerPoint Document') ?? new Uint8Array(), {
      maxChars: bounds.maxChars,
    });
    for (const a of text.anomalies) section.blocks.push({ kind: 'note', text: a.message });
    section.blocks.push(...text.paragraphs.map((p): ViewBlock => ({ kind: 'paragraph', text: p })));
    if (text.isTruncated) section.omitted.push('text past the size limit');
  } else section.blocks.push({ kind: 'note', text: 'compound file with no document stream' });
}

function docSection(
  section: ViewSection,
  cfb: CfbFile,
  word: Uint8Array,
  bounds: ViewBounds,
): void {
  const text = docText(word, (name) => cfb.readStream(name), { maxChars: bounds.maxChars });
  if (text.isEncrypted) {
    section.blocks.push({
      kind: 'note',
      text: 'the document is encrypted: its text cannot be shown',
    });
    return;
  }
  for (const a of text.anomalies) section.blocks.push({ kind: 'note', text: a.message });
  section.blocks.push(...text.paragraphs.map((p): ViewBlock => ({ kind: 'paragraph', text: p })));
  if (text.isTruncated) section.omitted.push('text past the size limit');
}

function xlsSection(section: ViewSection, stream: Uint8Array, bounds: ViewBounds): void {
  bookSection(
    section,
    parseWorkbook(stream, { maxCells: bounds.maxRows * bounds.maxCols }),
    bounds,
  );
}

/**
 * Excel 2.x–4.0 files (BIFF2–4, `.xls`/`.xlm`/`.xlw`): the worksheets' cell values as tables, as for
 * .xls. A macro sheet's cells are XLM macros, never shown: a file with only a macro sheet says so.
 */
export function legacyXlsSection(
  section: ViewSection,
  bytes: Uint8Array,
  bounds: ViewBounds,
): void {
  const book = parseLegacyWorkbook(bytes, { maxCells: bounds.maxRows * bounds.maxCols });
  section.type = `xls (BIFF${book.version})`;
  // A lone sheet takes its name from the file in Excel; numbered here, as the caption needs one.
  book.sheets.forEach((s, i) => (s.name ||= `Sheet${i + 1}`));
  bookSection(section, book, bounds);
  const hasTable = book.sheets.some((s) => s.type === 'worksheet');
  if (!book.encryption && !hasTable) {
    const what = book.sheets.some((s) => s.type === 'macro')
      ? 'an Excel 4.0 macro sheet: its cells are macros, which are not shown'
      : 'no worksheet cells to show';
    section.blocks.push({ kind: 'note', text: `not viewable: ${what}` });
  }
}

function bookSection(section: ViewSection, book: BiffWorkbook, bounds: ViewBounds): void {
  if (book.encryption) {
    section.blocks.push({
      kind: 'note',
      text: 'the workbook is encrypted: its cells cannot be shown',
    });
    return;
  }
  const macro = book.sheets.filter((s) => s.type === 'macro');
  if (macro.length > 0) section.omitted.push(`${macro.length} Excel 4.0 macro sheet(s)`);
  const auto = book.names.filter((n) => /^auto_(?:open|close)/i.test(n.name));
  if (auto.length > 0)
    section.omitted.push(`auto-run names: ${auto.map((n) => n.name).join(', ')}`);
  const dde = book.ddeLinks.filter((l) => !l.isOle);
  if (dde.length > 0) section.omitted.push(`${dde.length} DDE link(s): ${dde[0]!.formula}`);
  for (const table of workbookTables(book, bounds)) {
    const state = table.state === 'visible' ? '' : ` (${table.state})`;
    section.blocks.push({ kind: 'table', rows: table.rows, caption: `${table.name}${state}` });
    if (table.isTruncated) section.omitted.push(`${table.name}: cells past the table bounds`);
  }
}

/** RTF: plain text; objects, active fields and templates listed as left out. */
export function rtfSection(section: ViewSection, bytes: Uint8Array, bounds: ViewBounds): void {
  try {
    const doc = parseRtf(bytes, { maxObjectBytes: 0, maxTotalObjectBytes: 0 });
    if (doc.objects.length > 0) section.omitted.push(`${doc.objects.length} embedded object(s)`);
    const active = doc.fields.filter((f) => classifyFieldCode(f.instruction));
    if (active.length > 0) section.omitted.push(`${active.length} DDE / INCLUDE field(s)`);
    if (doc.templates.length > 0) section.omitted.push('attached template');
  } catch (error) {
    section.blocks.push({ kind: 'note', text: describeError(error) });
  }
  const text = rtfText(bytes, {
    maxChars: bounds.maxChars,
    maxPictures: bounds.maxImages,
    maxPictureBytes: bounds.maxImageBytes,
  });
  section.blocks.push(...text.paragraphs.map((p): ViewBlock => ({ kind: 'paragraph', text: p })));
  for (const [i, picture] of text.pictures.entries()) {
    section.blocks.push({
      kind: 'image',
      bytes: picture.bytes,
      name: `picture ${i + 1}.${picture.type}`,
    });
  }
  if (text.isTruncated) section.omitted.push('text past the size limit');
}
