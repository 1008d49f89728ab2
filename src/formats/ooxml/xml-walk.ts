/**
 * A bounded, single-pass XML walker for rewriting OPC parts: it reports each element's start tag and
 * end with character offsets, so that a caller can cut elements out or rewrite a start tag without
 * re-serialising (and so without changing) the rest of the part. It checks what a rewrite needs to be
 * safe: tags nest and match, attributes are quoted, one root, no DTD (ECMA-376 Part 2 §8.1.4 forbids
 * DTDs in package parts, and refusing them rules out entity-expansion bombs). Memory is O(depth).
 */

export interface XmlElement {
  qname: string;
  prefix: string;
  local: string;
  /** Offset of `<` of the start tag. */
  start: number;
  /** Offset just past the start tag's `>`. */
  openEnd: number;
  /** Offset just past the end tag (equals `openEnd` for an empty-element tag); set at close. */
  end: number;
  isSelfClosing: boolean;
  /** Raw attribute text of the start tag (entities not decoded). */
  attributes: string;
  depth: number;
}

export interface XmlWalkHandlers {
  open?(element: XmlElement, ancestors: readonly XmlElement[]): void;
  close?(element: XmlElement, ancestors: readonly XmlElement[]): void;
}

export interface XmlWalkLimits {
  maxElements: number;
  maxDepth: number;
}

export type XmlWalkResult = { ok: true; elements: number } | { ok: false; reason: string };

const NAME = /[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/y;
const ATTRIBUTE = /\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*')/y;
const TAG_END = /\s*(\/?)>/y;
const END_TAG_TAIL = /\s*>/y;

function fail(reason: string, at: number): XmlWalkResult {
  return { ok: false, reason: `${reason} at character ${at}` };
}

/** Walks every element of `xml`; stops with `ok: false` at the first thing it cannot rewrite safely. */
export function walkXmlElements(
  xml: string,
  handlers: XmlWalkHandlers,
  limits: XmlWalkLimits,
): XmlWalkResult {
  const stack: XmlElement[] = [];
  let count = 0;
  let roots = 0;
  let at = xml.indexOf('<');
  while (at !== -1) {
    const next = xml.charCodeAt(at + 1);
    if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
      const close = xml.startsWith('<!--', at) ? '-->' : next === 0x3f ? '?>' : ']]>';
      if (close === ']]>' && !xml.startsWith('<![CDATA[', at))
        return fail('DTD or declaration (not allowed in OPC parts)', at);
      if (close === ']]>' && stack.length === 0) return fail('CDATA outside the root', at);
      const end = xml.indexOf(close, at + 2);
      if (end === -1) return fail('unterminated comment, CDATA or processing instruction', at);
      at = xml.indexOf('<', end + close.length);
      continue;
    }
    if (next === 0x2f /* / */) {
      NAME.lastIndex = at + 2;
      const name = NAME.exec(xml);
      const top = stack[stack.length - 1];
      if (!name || !top || name[0] !== top.qname) return fail('mismatched end tag', at);
      END_TAG_TAIL.lastIndex = NAME.lastIndex;
      if (!END_TAG_TAIL.exec(xml)) return fail('malformed end tag', at);
      stack.pop();
      top.end = END_TAG_TAIL.lastIndex;
      handlers.close?.(top, stack);
      at = xml.indexOf('<', top.end);
      continue;
    }
    NAME.lastIndex = at + 1;
    const name = NAME.exec(xml);
    if (!name) return fail('markup that is not a tag', at);
    let cursor = NAME.lastIndex;
    for (;;) {
      ATTRIBUTE.lastIndex = cursor;
      if (!ATTRIBUTE.exec(xml)) break;
      cursor = ATTRIBUTE.lastIndex;
    }
    TAG_END.lastIndex = cursor;
    const tail = TAG_END.exec(xml);
    if (!tail) return fail('malformed start tag', at);
    if (++count > limits.maxElements) return fail(`more than ${limits.maxElements} elements`, at);
    if (stack.length === 0 && ++roots > 1) return fail('more than one root element', at);
    const qname = name[0];
    const colon = qname.indexOf(':');
    const element: XmlElement = {
      qname,
      prefix: colon === -1 ? '' : qname.slice(0, colon),
      local: colon === -1 ? qname : qname.slice(colon + 1),
      start: at,
      openEnd: TAG_END.lastIndex,
      end: TAG_END.lastIndex,
      isSelfClosing: tail[1] === '/',
      attributes: xml.slice(NAME.lastIndex, cursor),
      depth: stack.length,
    };
    handlers.open?.(element, stack);
    if (element.isSelfClosing) {
      handlers.close?.(element, stack);
    } else {
      if (stack.length >= limits.maxDepth) return fail(`deeper than ${limits.maxDepth}`, at);
      stack.push(element);
    }
    at = xml.indexOf('<', element.openEnd);
  }
  if (stack.length > 0)
    return fail(`<${stack[stack.length - 1]!.qname}> is never closed`, xml.length);
  if (roots === 0) return fail('no root element', 0);
  return { ok: true, elements: count };
}

const ATTRIBUTE_ALL = /\s+([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Attributes of an element as qualified name → raw (entity-encoded) value. */
export function attributesOf(element: XmlElement): Map<string, string> {
  const out = new Map<string, string>();
  ATTRIBUTE_ALL.lastIndex = 0;
  for (
    let m = ATTRIBUTE_ALL.exec(element.attributes);
    m;
    m = ATTRIBUTE_ALL.exec(element.attributes)
  ) {
    if (!out.has(m[1]!)) out.set(m[1]!, m[2] ?? m[3] ?? '');
  }
  return out;
}

/** The namespace URI bound to `prefix` ('' for the default namespace) at `element`, if any. */
export function namespaceOf(
  prefix: string,
  element: XmlElement,
  ancestors: readonly XmlElement[],
): string | undefined {
  const key = prefix === '' ? 'xmlns' : `xmlns:${prefix}`;
  for (let i = ancestors.length; i >= 0; i--) {
    const el = i === ancestors.length ? element : ancestors[i]!;
    if (!el.attributes.includes('xmlns')) continue;
    const value = attributesOf(el).get(key);
    if (value !== undefined) return value;
  }
  return undefined;
}

export interface XmlEdit {
  start: number;
  end: number;
  replacement: string;
}

/**
 * Applies non-overlapping edits; an edit inside another is dropped (the outer one wins), since
 * removals of a wrapper and of an element inside it are both planned independently.
 */
export function applyXmlEdits(xml: string, edits: readonly XmlEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: string[] = [];
  let at = 0;
  for (const edit of sorted) {
    if (edit.start < at) {
      // SECURITY: a partial overlap would splice two edits into broken markup; keep the outer one.
      if (edit.end <= at) continue;
      throw new RangeError(`overlapping XML edits at ${edit.start}`);
    }
    out.push(xml.slice(at, edit.start), edit.replacement);
    at = edit.end;
  }
  out.push(xml.slice(at));
  return out.join('');
}

/** An edit that rewrites `element`'s start tag with attribute `qname` set to `value` (raw), or removed. */
export function setAttributeEdit(
  xml: string,
  element: XmlElement,
  qname: string,
  value: string | undefined,
): XmlEdit {
  const tag = xml.slice(element.start, element.openEnd);
  return {
    start: element.start,
    end: element.openEnd,
    replacement: setTagAttribute(tag, qname, value),
  };
}

/** A start tag (`<x a="1">` or `<x/>`) with attribute `qname` set to `value` (raw), or removed. */
export function setTagAttribute(tag: string, qname: string, value: string | undefined): string {
  const escaped = qname.replace(/[.]/g, '\\.');
  const pattern = new RegExp(`\\s+${escaped}\\s*=\\s*(?:"[^"]*"|'[^']*')`);
  if (pattern.test(tag))
    return tag.replace(pattern, () => (value === undefined ? '' : ` ${qname}="${value}"`));
  if (value === undefined) return tag;
  const close = tag.endsWith('/>') ? tag.length - 2 : tag.length - 1;
  return `${tag.slice(0, close).trimEnd()} ${qname}="${value}"${tag.slice(close)}`;
}
