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
