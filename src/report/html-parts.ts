import { displayText, escapeHtml } from './text.js';

/**
 * SECURITY: the only way an input string enters HTML output: revealed, defanged, escaped. Fixed labels go
 * through it too, so no string reaches the page unescaped.
 */
export const h = (text: string | number): string => escapeHtml(displayText(String(text)));

/**
 * SECURITY: no script may run and nothing may load from the network, even if an escaping bug slipped in:
 * the policy allows only the inline stylesheet. The PDF is printed from the same page, so it holds there too.
 */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'";

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans CJK JP","Noto Sans JP",sans-serif;margin:2rem auto;max-width:75rem;padding:0 1rem;color:#1b1f24;background:#fff}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}h3{font-size:1rem;word-break:break-all}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #d0d7de;padding:.25rem .5rem;vertical-align:top;text-align:left}
th{background:#f6f8fa}td.n{text-align:right}.ev{white-space:pre-wrap;word-break:break-all;font-family:ui-monospace,Consolas,monospace;font-size:12px}
.ev div+div{border-top:1px dotted #d0d7de;margin-top:.2rem;padding-top:.2rem}
.mono{font-family:ui-monospace,Consolas,monospace;word-break:break-all}.meta{color:#57606a}
.malicious{color:#a40e26;font-weight:600}.suspicious{color:#9a6700;font-weight:600}.clean{color:#1a7f37}
.critical{background:#ffebe9}.high{background:#fff1e5}.medium{background:#fff8c5}
.done{color:#1a7f37;font-weight:600}.todo{color:#a40e26;font-weight:600}.na{color:#57606a}.done,.todo,.na,th{white-space:nowrap}
td.cov{text-align:center;white-space:nowrap}.cov-technique{background:#dafbe1}.cov-tactic{background:#eef9e9}.cov-general,.cov-telemetry{background:#fff8c5}.cov-none{background:#ffebe9}
@media print{body{margin:0;max-width:none;font-size:11px}tr,article{break-inside:avoid}}
`;

/**
 * The head of every emoguard page (reports, the safe view): its CSP, no referrer, the inline stylesheet.
 * `lang` and `titleHtml` are HTML already (escaped by the caller).
 */
export function pageHead(lang: string, titleHtml: string, csp: string, style: string): string[] {
  return [
    '<!DOCTYPE html>',
    `<html lang="${lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${titleHtml}</title>`,
    `<style>${style}</style>`,
    '</head>',
  ];
}

/** One self-contained page: inline CSS, the CSP, no scripts, no external resources. */
export function htmlPage(lang: string, title: string, body: readonly string[]): string {
  return [
    ...pageHead(h(lang), h(title), REPORT_CSP, STYLE),
    '<body>',
    ...body.filter((x) => x !== ''),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Cells are HTML already (built with `h`, `td`, `num`). */
export function table(header: string[], rows: string[][]): string {
  const head = `<tr>${header.map((c) => `<th>${c}</th>`).join('')}</tr>`;
  return `<table>\n${head}\n${rows.map((r) => `<tr>${r.join('')}</tr>`).join('\n')}\n</table>`;
}

export const num = (n: number): string => `<td class="n">${h(n)}</td>`;
export const td = (html: string, cls = ''): string =>
  `<td${cls ? ` class="${h(cls)}"` : ''}>${html}</td>`;
