/**
 * A bounded scanner for the few XML parts OPC needs ([Content_Types].xml, *.rels): it finds elements by
 * local name and reads their attributes. It is not an XML parser and needs none of one's power (no
 * DTDs, no entity expansion beyond the five predefined entities and character references, so no
 * billion-laughs), and it runs in one linear pass with a cap on elements returned.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

/** Decodes the five predefined entities and numeric character references (XML 1.0 §4.1, §4.6). */
export function decodeXmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9A-Fa-f]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
        ? String.fromCodePoint(code)
        : whole;
    }
    return ENTITIES[ref] ?? whole;
  });
}

// Decoders are kept: decode() without { stream } starts afresh on each call.
const UTF8 = new TextDecoder('utf-8');
const UTF16LE = new TextDecoder('utf-16le');

/** XML bytes → text, honouring a UTF-8 or UTF-16 byte order mark (XML 1.0 §4.3.3, Appendix F). */
export function decodeXmlBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return UTF16LE.decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = new Uint8Array(bytes.length - 2 - (bytes.length % 2));
    for (let i = 0; i + 1 < swapped.length; i += 2) {
      swapped[i] = bytes[i + 3] as number;
      swapped[i + 1] = bytes[i + 2] as number;
    }
    return UTF16LE.decode(swapped);
  }
  return UTF8.decode(bytes); // also strips a UTF-8 BOM
}

export interface ScannedElements {
  elements: Record<string, string>[];
  /** True when more than `max` elements matched and the rest were dropped. */
  isTruncated: boolean;
}

const NAME = /([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/y;
const ATTRIBUTE = /\s+([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
const AFTER_NAME = /[\s/>]/;

/**
 * Every element whose local name (prefix ignored) is `localName`, as a map of attribute name →
 * decoded value, in document order. Comments, CDATA and processing instructions are skipped.
 */
export function scanElements(xml: string, localName: string, max: number): ScannedElements {
  const elements: Record<string, string>[] = [];
  let at = xml.indexOf('<');
  while (at !== -1) {
    const skipTo = skippedSectionEnd(xml, at);
    if (skipTo !== undefined) {
      at = xml.indexOf('<', skipTo);
      continue;
    }
    NAME.lastIndex = at + 1;
    const name = NAME.exec(xml);
    let next = at + 1;
    if (name && name[2] === localName && AFTER_NAME.test(xml[NAME.lastIndex] ?? '')) {
      if (elements.length >= max) return { elements, isTruncated: true };
      const attributes = Object.create(null) as Record<string, string>;
      let cursor = NAME.lastIndex;
      for (;;) {
        ATTRIBUTE.lastIndex = cursor;
        const attribute = ATTRIBUTE.exec(xml);
        if (!attribute) break;
        const key = attribute[1] as string;
        if (!Object.hasOwn(attributes, key)) {
          attributes[key] = decodeXmlEntities(attribute[2] ?? attribute[3] ?? '');
        }
        cursor = ATTRIBUTE.lastIndex;
      }
      elements.push(attributes);
      next = cursor;
    }
    at = xml.indexOf('<', next);
  }
  return { elements, isTruncated: false };
}

/** End of a comment, CDATA section or processing instruction starting at `at`, if one does. */
function skippedSectionEnd(xml: string, at: number): number | undefined {
  const c = xml.charCodeAt(at + 1);
  if (c === 0x21 /* ! */) {
    if (xml.startsWith('<!--', at)) return sectionEnd(xml, at + 4, '-->');
    if (xml.startsWith('<![CDATA[', at)) return sectionEnd(xml, at + 9, ']]>');
  } else if (c === 0x3f /* ? */) {
    return sectionEnd(xml, at + 2, '?>');
  }
  return undefined;
}

function sectionEnd(xml: string, from: number, close: string): number {
  const end = xml.indexOf(close, from);
  return end === -1 ? xml.length : end + close.length;
}
