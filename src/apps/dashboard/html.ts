import type { Evidence } from '../../core/index.js';
import { defangText, revealControls } from '../../report/index.js';

/**
 * SECURITY: the only way text reaches a page. `html\`…\`` escapes every interpolated value unless it is
 * already `Html` built by this module, so a string from a mail, a log or a file cannot become markup:
 * `<img src=x onerror=alert(1)>` renders as text. Escaping covers HTML text and quoted attribute values
 * (& < > " ' are all encoded); attribute values are always quoted in our templates. URLs in href/action
 * are built only from our own paths with `path()` — never from input — so no `javascript:` URL exists.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Interpolation = Html | string | number | boolean | null | undefined | Interpolation[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Also replaces C0 controls (other than tab/newline) and lone surrogates, which some parsers choke on. */
export function escapeHtml(text: string): string {
  return text
    .replace(/[&<>"'`]/g, (c) => ESCAPES[c]!)
    .replace(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g,
      (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
    )
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function render(value: Interpolation): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/**
 * An href to one of our own pages: fixed segments with every dynamic part percent-encoded, and a query
 * built by URLSearchParams. SECURITY: the result always starts with a single "/".
 */
export function path(
  segments: ReadonlyArray<string | number>,
  query: Record<string, string | number | undefined> = {},
): string {
  const p = `/${segments.map((s) => encodeURIComponent(String(s))).join('/')}`;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== '') params.set(k, String(v));
  const q = params.toString();
  return q ? `${p}?${q}` : p;
}

/** Input text as shown: control and bidi characters revealed, links defanged (then escaped by `html`). */
export function shown(text: string): string {
  return defangText(revealControls(text));
}

/** One evidence item as one line: `location L3 @0x10: text — note` (as the report writes it). */
export function evidenceText(e: Evidence): string {
  const where = [
    e.location,
    e.line === undefined ? undefined : `L${e.line}`,
    e.offset === undefined ? undefined : `@0x${e.offset.toString(16)}`,
  ]
    .filter((x) => x !== undefined && x !== '')
    .join(' ');
  const body = [e.text, e.note].filter((x) => x !== undefined && x !== '').join(' — ');
  return where && body ? `${where}: ${body}` : where || body;
}
