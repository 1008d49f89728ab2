import { attribute, readElementText } from './xml-text.js';

export const MAX_DDE_FORMULAS = 1000;

/** A remote reference `server|'topic'!item` in a formula: Excel asks the server over DDE. */
export interface DdeFormula {
  /** Offset in the text searched. */
  offset: number;
  /** The whole reference, e.g. `cmd|'/c calc.exe'!A0`. */
  text: string;
  /** DDE server application (`cmd`, `MSEXCEL` with a path trick …). */
  application: string;
  topic: string;
  item: string;
}

// MS-XLS 2.5.198.x / ECMA-376 §18.17: a DDE remote reference is app|'topic'!item; the application may
// be quoted, and the topic holds the command line in DDE attacks (=cmd|'/c calc'!A0, CVE-2014-3524 era).
const DDE_REFERENCE =
  /(?:'([^'|]{1,255})'|([A-Za-z0-9_.$~\\-]{1,255}))\s*\|\s*'((?:[^']|'')*)'\s*!\s*([^\s,;)&]{0,255})/g;

/**
 * DDE remote references in formula text (an xlsx `<f>`, an Excel 2003 XML `ss:Formula`, CSV cells).
 *
 * @example
 * findDdeFormulas("=cmd|'/c calc.exe'!A0")[0]?.application // 'cmd'
 */
export function findDdeFormulas(text: string, max = MAX_DDE_FORMULAS): DdeFormula[] {
  if (!text.includes('|')) return [];
  const out: DdeFormula[] = [];
  DDE_REFERENCE.lastIndex = 0;
  for (let m = DDE_REFERENCE.exec(text); m && out.length < max; m = DDE_REFERENCE.exec(text)) {
    out.push({
      offset: m.index,
      text: m[0],
      application: m[1] ?? m[2] ?? '',
      topic: (m[3] ?? '').replace(/''/g, "'"),
      item: m[4] ?? '',
    });
  }
  return out;
}

/** A `ddeLink` of an xlsx external link part (ECMA-376 Part 1 §18.14.4): server and topic of a DDE link. */
export interface DdeLink {
  offset: number;
  service: string;
  topic: string;
}

const DDE_LINK = /<(?:[\w.-]+:)?ddeLink\b([^>]*)>/g;

/**
 * The DDE links of an `xl/externalLinks/externalLinkN.xml` part.
 *
 * @example
 * findDdeLinks('<ddeLink ddeService="cmd" ddeTopic="/c calc"/>') // [{ service: 'cmd', topic: '/c calc', … }]
 */
export function findDdeLinks(xml: string, max = MAX_DDE_FORMULAS): DdeLink[] {
  const out: DdeLink[] = [];
  DDE_LINK.lastIndex = 0;
  for (let m = DDE_LINK.exec(xml); m && out.length < max; m = DDE_LINK.exec(xml)) {
    const attributes = m[1] ?? '';
    out.push({
      offset: m.index,
      service: attribute(attributes, 'ddeService') ?? '',
      topic: attribute(attributes, 'ddeTopic') ?? '',
    });
  }
  return out;
}

/** Characters kept of one formula element (Excel's own limit is 8,192). */
const MAX_FORMULA_ELEMENT_CHARS = 16 * 1024;

/** A formula of a SpreadsheetML part, its XML decoded. */
export interface FormulaElement {
  /** Offset of the element's start tag in the part's text. */
  offset: number;
  /** `f` (cell), `formula` (cfRule), `formula1`/`formula2` (dataValidation), `definedName`. */
  element: string;
  formula: string;
}

// ECMA-376 Part 1: §18.3.1.40 f (cell formula), §18.3.1.43/44 formula1/formula2 (dataValidation),
// §18.3.1.42 formula (cfRule), §18.2.5 definedName: every place Excel evaluates a formula, and so
// every place a `cmd|'/c …'!A0` DDE request can sit.
const FORMULA_ELEMENT = /<(?:[\w.-]+:)?(f|formula[12]?|definedName)\b([^>]*)>/g;

/**
 * The formulas of an xlsx/xlsm part (worksheet, macro sheet, workbook), read as XML: character
 * references decoded and CDATA kept, so `cmd&#124;'/c calc'!A0` and `<![CDATA[…]]>` read as Excel
 * reads them. Inline strings and shared-string text are not formulas and are not returned.
 *
 * @example
 * findFormulaElements('<formula1>cmd&#124;\'/c calc\'!A0</formula1>')[0]?.formula // "cmd|'/c calc'!A0"
 */
export function findFormulaElements(xml: string, max = MAX_DDE_FORMULAS): FormulaElement[] {
  const out: FormulaElement[] = [];
  FORMULA_ELEMENT.lastIndex = 0;
  for (let m = FORMULA_ELEMENT.exec(xml); m && out.length < max; m = FORMULA_ELEMENT.exec(xml)) {
    if ((m[2] ?? '').endsWith('/')) continue;
    const { text, end } = readElementText(
      xml,
      FORMULA_ELEMENT.lastIndex,
      MAX_FORMULA_ELEMENT_CHARS,
    );
    FORMULA_ELEMENT.lastIndex = Math.max(end, FORMULA_ELEMENT.lastIndex);
    if (text.trim() !== '') out.push({ offset: m.index, element: m[1]!, formula: text });
  }
  return out;
}
