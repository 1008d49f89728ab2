/**
 * String literals of JScript and VBScript found in one forward pass.
 * SECURITY: a regex for literals restarts at every quote of an unterminated one and goes quadratic on
 * crafted lines (`"\"\"\"…`); this scanner never looks at a character twice, and an unterminated literal
 * skips to the end of its line.
 */
export interface Literal {
  start: number;
  /** Exclusive: the index after the closing quote. */
  end: number;
  value: string;
}

export type LiteralStyle = 'js' | 'vbs';

// More literals than this in one script is generated junk; the rest stays as it is.
export const MAX_LITERALS = 200_000;

/**
 * Every literal of `text`, or with `keep` only those whose value it accepts (the scan still reads the
 * whole text, so junk literals up front cannot push the interesting ones past the cap).
 */
export function scanLiterals(
  text: string,
  style: LiteralStyle,
  keep?: (value: string) => boolean,
  max = MAX_LITERALS,
): Literal[] {
  const out: Literal[] = [];
  const n = text.length;
  let i = 0;
  while (i < n && out.length < max) {
    const c = text.charCodeAt(i);
    const isQuote = c === 0x22 || (style === 'js' && (c === 0x27 || c === 0x60));
    if (!isQuote) {
      i++;
      continue;
    }
    const end = style === 'js' ? jsEnd(text, i) : vbsEnd(text, i);
    if (end < 0) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      i = nl + 1;
      continue;
    }
    const raw = text.slice(i, end);
    const value = style === 'js' ? jsValue(raw) : vbsValue(raw);
    if (!keep || keep(value)) out.push({ start: i, end, value });
    i = end;
  }
  return out;
}

/** Index after the closing quote, or -1 when the line ends first (template literals may span lines). */
function jsEnd(text: string, start: number): number {
  const quote = text.charCodeAt(start);
  const multiline = quote === 0x60;
  for (let j = start + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j++;
    else if (c === quote) return j + 1;
    else if (!multiline && (c === 0x0a || c === 0x0d)) return -1;
  }
  return -1;
}

function vbsEnd(text: string, start: number): number {
  for (let j = start + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x22) {
      if (text.charCodeAt(j + 1) === 0x22) j++;
      else return j + 1;
    } else if (c === 0x0a || c === 0x0d) return -1;
  }
  return -1;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  v: '\v',
};

/** The value of a JS string literal, quotes included in `raw`. */
export function jsValue(raw: string): string {
  return raw
    .slice(1, -1)
    .replace(
      /\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|u\{[0-9a-fA-F]{1,6}\}|[0-7]{1,3}|[\s\S])/g,
      (_, e: string) => {
        if (e[0] === 'x') return String.fromCharCode(Number.parseInt(e.slice(1), 16));
        if (e[0] === 'u' && e.length > 1) {
          const cp = Number.parseInt(e.replace(/[u{}]/g, ''), 16);
          return cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
        }
        if (/^[0-7]+$/.test(e)) return String.fromCharCode(Number.parseInt(e, 8));
        return SIMPLE_ESCAPES[e] ?? (e === '\n' || e === '\r' ? '' : e);
      },
    );
}

export function vbsValue(raw: string): string {
  return raw.slice(1, -1).replace(/""/g, '"');
}

export const jsQuote = (s: string) => JSON.stringify(s);
export const vbsQuote = (s: string) => `"${s.replace(/"/g, '""')}"`;
