/** Just enough XML for markup scanning (XML 1.0 §4.1, §4.3.3, §4.6): text decoding and entities. */

const ENTITIES: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

/** The five predefined entities and character references; nothing else (no DTD, no expansion bombs). */
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
