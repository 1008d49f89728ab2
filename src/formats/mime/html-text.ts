/**
 * HTML mail bodies as plain text for the safe view: the HTML is never rendered, only read. Tags are
 * dropped, `script`/`style`/`head`/`template` contents and comments skipped, block elements become
 * line breaks and table cells tabs, character references decoded. Forward-only (every search starts
 * where the last ended), so unterminated tags and comments stay linear.
 */

export const MAX_HTML_TEXT_CHARS = 2 * 1024 * 1024;

const SKIPPED = new Set(['script', 'style', 'head', 'template', 'title', 'noscript', 'xml']);
const BLOCK =
  /^(?:p|div|br|li|ul|ol|tr|table|h[1-6]|blockquote|pre|hr|section|article|header|footer|dt|dd|address|center)$/;
const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  copy: '\u00a9',
  reg: '\u00ae',
  yen: '\u00a5',
  euro: '\u20ac',
  hellip: '\u2026',
  mdash: '\u2014',
  ndash: '\u2013',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
  bull: '\u2022',
  middot: '\u00b7',
  times: '\u00d7',
};

/** Decodes HTML character references: the common named ones and every numeric one. */
export function decodeHtmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    /&(#[xX][0-9A-Fa-f]{1,6}|#[0-9]{1,7}|[A-Za-z]{2,8});?/g,
    (whole, ref: string) => {
      if (ref.startsWith('#')) {
        const code =
          ref[1] === 'x' || ref[1] === 'X'
            ? parseInt(ref.slice(2), 16)
            : parseInt(ref.slice(1), 10);
        return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
          ? String.fromCodePoint(code)
          : '\ufffd';
      }
      return NAMED[ref] ?? NAMED[ref.toLowerCase()] ?? whole;
    },
  );
}

/**
 * @example
 * htmlToText('<p>Hello<br>world</p><script>x()</script>') // 'Hello\nworld'
 */
export function htmlToText(html: string, maxChars = MAX_HTML_TEXT_CHARS): string {
  let out = '';
  let i = 0;
  const n = html.length;
  while (i < n && out.length < maxChars) {
    const lt = html.indexOf('<', i);
    const end = lt < 0 ? n : lt;
    if (end > i) out += decodeHtmlEntities(html.slice(i, end)).replace(/\s+/g, ' ');
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      i = close < 0 ? n : close + 3;
      continue;
    }
    const gt = html.indexOf('>', lt + 1);
    if (gt < 0) break;
    const tag = /^<\/?\s*([A-Za-z][A-Za-z0-9]*)/.exec(html.slice(lt, Math.min(gt + 1, lt + 64)));
    i = gt + 1;
    if (!tag) continue;
    const name = tag[1]!.toLowerCase();
    const isClose = html[lt + 1] === '/';
    if (!isClose && SKIPPED.has(name)) {
      const closing = new RegExp(`</${name}`, 'gi');
      closing.lastIndex = i;
      const close = closing.exec(html)?.index ?? -1;
      const closeEnd = close < 0 ? -1 : html.indexOf('>', close);
      i = closeEnd < 0 ? n : closeEnd + 1;
      continue;
    }
    if (name === 'td' || name === 'th') out += isClose ? '' : '\t';
    else if (BLOCK.test(name)) out += '\n';
  }
  return out
    .slice(0, maxChars)
    .split('\n')
    .map((line) => line.replace(/^ +| +$/g, '').replace(/^\t/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
