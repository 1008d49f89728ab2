import { decodeXmlEntities } from './xml-scan.js';

/** One XML token, by local name (prefixes vary between writers: `w:t`, `t`, `ns0:t`). */
export type XmlToken =
  | { type: 'open'; name: string; attrs: string; isEmpty: boolean }
  | { type: 'close'; name: string }
  | { type: 'text'; text: string };

const TAG = /^(\/?)(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)([\s\S]*?)(\/?)$/;

/**
 * Walks the elements and text of an XML part in document order. Hand-written and forward-only (every
 * search starts where the last one ended), so hostile input — unterminated comments, a million `<` —
 * stays linear; no DTD, no entities beyond the predefined five and character references (no entity
 * expansion). Comments, processing instructions and DOCTYPE are skipped. `visit` returns false to stop.
 */
export function walkXml(xml: string, visit: (token: XmlToken) => boolean | void): void {
  const n = xml.length;
  let i = 0;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (
      textEnd > i &&
      visit({ type: 'text', text: decodeXmlEntities(xml.slice(i, textEnd)) }) === false
    ) {
      return;
    }
    if (lt < 0) return;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      const text = xml.slice(lt + 9, end < 0 ? n : end);
      if (visit({ type: 'text', text }) === false) return;
      i = end < 0 ? n : end + 3;
      continue;
    }
    const end = tagEnd(xml, lt + 1);
    if (end < 0) return;
    i = end + 1;
    if (xml[lt + 1] === '?' || xml[lt + 1] === '!') continue;
    const m = TAG.exec(xml.slice(lt + 1, end));
    if (!m) continue;
    const token: XmlToken =
      m[1] === '/'
        ? { type: 'close', name: m[2]! }
        : { type: 'open', name: m[2]!, attrs: m[3] ?? '', isEmpty: m[4] === '/' };
    if (visit(token) === false) return;
  }
}

/** Index of the `>` closing a tag that starts before `from`, skipping quoted attribute values. */
function tagEnd(xml: string, from: number): number {
  let quote = 0;
  for (let j = from; j < xml.length; j++) {
    const c = xml.charCodeAt(j);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x3e) return j;
  }
  return -1;
}

const ATTRIBUTE_PATTERNS = new Map<string, RegExp>();

/** The value of attribute `local` (any prefix) in an attribute string, entities decoded. */
export function xmlAttr(attrs: string, local: string): string | undefined {
  let re = ATTRIBUTE_PATTERNS.get(local);
  if (!re) {
    re = new RegExp(`(?:^|\\s)(?:[\\w.-]+:)?${local}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`);
    if (ATTRIBUTE_PATTERNS.size < 64) ATTRIBUTE_PATTERNS.set(local, re);
  }
  const m = re.exec(attrs);
  if (!m) return undefined;
  return decodeXmlEntities(m[1] ?? m[2] ?? '');
}
