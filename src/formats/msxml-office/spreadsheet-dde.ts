import { attribute } from './xml-text.js';

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
