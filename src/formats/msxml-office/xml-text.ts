/** Just enough XML for markup scanning (XML 1.0 §4.1, §4.3.3, §4.6): text decoding and entities. */

// One entity decoder for every XML reader (formats/ooxml owns it): no DTD, no expansion bombs.
import { decodeXmlEntities } from '../ooxml/index.js';

export { decodeXmlEntities };

/**
 * XML bytes → text: a UTF-16 byte order mark, else the declared encoding when the platform knows it
 * (Shift_JIS, windows-1252 …), else UTF-8. At most `maxBytes` are decoded; `isTruncated` says so.
 */
export function decodeXmlText(
  bytes: Uint8Array,
  maxBytes: number,
): { text: string; isTruncated: boolean } {
  const isTruncated = bytes.length > maxBytes;
  const head = isTruncated ? bytes.subarray(0, maxBytes) : bytes;
  if (head[0] === 0xff && head[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(head.subarray(2)), isTruncated };
  }
  if (head[0] === 0xfe && head[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(head.subarray(2)), isTruncated };
  }
  const declaration = new TextDecoder('windows-1252').decode(head.subarray(0, 200));
  const label = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(declaration)?.[1];
  let decoder = new TextDecoder('utf-8');
  if (label) {
    try {
      decoder = new TextDecoder(label);
    } catch {
      // an encoding the platform does not know: UTF-8 still reads the ASCII markup
    }
  }
  return { text: decoder.decode(head), isTruncated };
}

const ATTRIBUTE_PATTERNS = new Map<string, RegExp>();

/** Attribute `name` (any namespace prefix) of an element's attribute text, decoded. */
export function attribute(attributes: string, name: string): string | undefined {
  let re = ATTRIBUTE_PATTERNS.get(name);
  if (!re) {
    re = new RegExp(`(?:^|\\s)(?:[\\w.-]+:)?${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`);
    ATTRIBUTE_PATTERNS.set(name, re);
  }
  const m = re.exec(attributes);
  return m ? decodeXmlEntities(m[1] ?? m[2] ?? '') : undefined;
}

/**
 * The character data of the element whose start tag ends at `from`, up to its end tag (XML 1.0 §2.4,
 * §2.7): entity and character references decoded (`&#124;` is `|`, `&#x44;` is `D`), CDATA sections
 * taken literally, comments, processing instructions and child tags skipped. Linear, and at most
 * `maxChars` characters are kept; `end` is where scanning stopped (after the end tag when found).
 *
 * @example
 * readElementText('<f><![CDATA[cmd|]]>&#39;/c calc&#39;!A0</f>', 3).text // "cmd|'/c calc'!A0"
 */
export function readElementText(
  xml: string,
  from: number,
  maxChars: number,
): { text: string; end: number } {
  let text = '';
  let i = from;
  let depth = 0;
  while (i < xml.length && text.length < maxChars) {
    const lt = xml.indexOf('<', i);
    const stop = lt < 0 ? xml.length : lt;
    if (stop > i) text += decodeXmlEntities(xml.slice(i, stop));
    if (lt < 0) return { text: text.slice(0, maxChars), end: xml.length };
    if (xml.startsWith('<![CDATA[', lt)) {
      const close = xml.indexOf(']]>', lt + 9);
      text += xml.slice(lt + 9, close < 0 ? xml.length : close);
      i = close < 0 ? xml.length : close + 3;
    } else if (xml.startsWith('<!--', lt)) {
      const close = xml.indexOf('-->', lt + 4);
      i = close < 0 ? xml.length : close + 3;
    } else {
      const close = xml.indexOf('>', lt + 1);
      i = close < 0 ? xml.length : close + 1;
      const isEnd = xml[lt + 1] === '/';
      const isEmpty = xml[close - 1] === '/' || xml[lt + 1] === '?';
      if (isEnd && depth-- === 0) return { text: text.slice(0, maxChars), end: i };
      if (!isEnd && !isEmpty) depth++;
    }
  }
  return { text: text.slice(0, maxChars), end: i };
}
