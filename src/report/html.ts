import { SEVERITIES, VERDICTS } from '../core/index.js';
import { LABELS, type ReportLabels } from './labels.js';
import { REPORT_IOC_KINDS, type ReportArtifact, type ReportModel } from './model.js';
import { defangIoc, displayText, escapeHtml, formatEvidence, formatTime } from './text.js';

/**
 * SECURITY: the only way an input string enters HTML output: revealed, defanged, escaped. Fixed labels go
 * through it too, so no string reaches the page unescaped.
 */
const h = (text: string | number): string => escapeHtml(displayText(String(text)));

/**
 * SECURITY: no script may run and nothing may load from the network, even if an escaping bug slipped in:
 * the policy allows only the inline stylesheet.
 */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'";

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans JP",sans-serif;margin:2rem auto;max-width:75rem;padding:0 1rem;color:#1b1f24;background:#fff}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}h3{font-size:1rem;word-break:break-all}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #d0d7de;padding:.25rem .5rem;vertical-align:top;text-align:left}
th{background:#f6f8fa}td.n{text-align:right}.ev{white-space:pre-wrap;word-break:break-all;font-family:ui-monospace,Consolas,monospace;font-size:12px}
.ev div+div{border-top:1px dotted #d0d7de;margin-top:.2rem;padding-top:.2rem}
.mono{font-family:ui-monospace,Consolas,monospace;word-break:break-all}.meta{color:#57606a}
.malicious{color:#a40e26;font-weight:600}.suspicious{color:#9a6700;font-weight:600}.clean{color:#1a7f37}
.critical{background:#ffebe9}.high{background:#fff1e5}.medium{background:#fff8c5}
`;

/**
 * A single self-contained HTML file: inline CSS, no scripts, no external resources, every input string
 * escaped, links defanged.
 *
 * @example
 * writeFileSync('report.html', renderHtml(await buildReport(store, { scanId, lang: 'ja' })));
 */
export function renderHtml(model: ReportModel): string {
  const L = LABELS[model.lang];
  const body = [
    `<h1>${h(L.title)}</h1>`,
    header(model, L),
    scope(model, L),
    killChain(model, L),
    `<section><h2>${h(L.flagged)}</h2>`,
    model.artifacts.length === 0 ? `<p>${h(L.none)}</p>` : '',
    ...model.artifacts.map((a, i) => artifact(a, i + 1, L)),
    model.artifactsOmitted > 0 ? `<p>${h(L.omitted(model.artifactsOmitted))}</p>` : '',
    '</section>',
    iocs(model, L),
    techniques(model, L),
  ];
  return [
    '<!DOCTYPE html>',
    `<html lang="${h(model.lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(L.title)}${model.scan === null ? '' : ` #${model.scan.id}`}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...body.filter((x) => x !== ''),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function table(header: string[], rows: string[][]): string {
  const head = `<tr>${header.map((c) => `<th>${c}</th>`).join('')}</tr>`;
  return `<table>\n${head}\n${rows.map((r) => `<tr>${r.join('')}</tr>`).join('\n')}\n</table>`;
}

const num = (n: number) => `<td class="n">${h(n)}</td>`;
const td = (html: string, cls = '') => `<td${cls ? ` class="${h(cls)}"` : ''}>${html}</td>`;

function header(model: ReportModel, L: ReportLabels): string {
  const items = [`<li>${h(L.generated)}: ${h(formatTime(model.generatedAt))}</li>`];
  const scan = model.scan;
  if (scan === null) items.push(`<li>${h(L.scan)}: ${h(L.allScans)}</li>`);
  else {
    const command = [scan.command, ...scan.args].join(' ');
    items.push(
      `<li>${h(L.scan)}: #${h(scan.id)} — ${h(L.command)}: <span class="mono">${h(command)}</span></li>`,
    );
    if (scan.host !== null) items.push(`<li>${h(L.host)}: ${h(scan.host)}</li>`);
    items.push(`<li>${h(L.started)}: ${h(formatTime(scan.startedAt))}</li>`);
    const finished = scan.finishedAt === null ? L.running : formatTime(scan.finishedAt);
    items.push(`<li>${h(L.finished)}: ${h(finished)}</li>`);
    if (scan.errors) items.push(`<li>${h(L.scanErrors)}: ${h(scan.errors)}</li>`);
  }
  return `<ul class="meta">\n${items.join('\n')}\n</ul>`;
}

function scope(model: ReportModel, L: ReportLabels): string {
  const s = model.scope;
  const verdicts = [...VERDICTS].reverse();
  const severities = [...SEVERITIES].reverse();
  return [
    `<section><h2>${h(L.scope)}</h2>`,
    table([L.inputs, ...verdicts.map((v) => L.verdicts[v]), L.artifacts, L.findings].map(h), [
      [
        num(s.inputs),
        ...verdicts.map((v) => num(s.inputsByVerdict[v])),
        num(s.artifacts),
        num(s.findings),
      ],
    ]),
    table(
      severities.map((sev) => h(L.severities[sev])),
      [severities.map((sev) => num(s.findingsBySeverity[sev]))],
    ),
    '</section>',
  ].join('\n');
}

function killChain(model: ReportModel, L: ReportLabels): string {
  const rows = model.killChain.map((k) => [
    td(h(k.mark)),
    td(h(k.name)),
    num(k.findings),
    k.worstSeverity === null ? td('–') : td(h(L.severities[k.worstSeverity]), k.worstSeverity),
    td(k.topFindings.map(h).join('<br>')),
  ]);
  return [
    `<section><h2>${h(L.killChain)}</h2>`,
    table([L.step, L.stage, L.findings, L.worst, L.topFindings].map(h), rows),
    '</section>',
  ].join('\n');
}

function artifact(a: ReportArtifact, n: number, L: ReportLabels): string {
  const out = [
    `<article>`,
    `<h3>${h(n)}. <span class="${h(a.verdict)}">${h(L.verdicts[a.verdict])}</span>: <span class="mono">${h(a.path)}</span></h3>`,
    `<p class="meta">SHA-256: <span class="mono">${h(a.sha256)}</span> · ${h(L.type)}: ${h(a.type)} · ${h(L.size)}: ${h(a.size)}</p>`,
  ];
  if (a.findings.length === 0) out.push(`<p>${h(L.viaChildren)}</p>`);
  else {
    const rows = a.findings.map((f) => [
      td(`<span class="mono">${h(f.ruleId)}</span><br>${h(f.title)}`),
      td(h(L.severities[f.severity]), f.severity),
      td(h(f.mark)),
      td(f.attack.map((t) => h(t.name === null ? t.id : `${t.id} ${t.name}`)).join('<br>')),
      td(f.evidence.map((e) => `<div>${h(formatEvidence(e))}</div>`).join(''), 'ev'),
    ]);
    out.push(table([L.finding, L.severity, L.step, L.attack, L.evidence].map(h), rows));
  }
  out.push('</article>');
  return out.join('\n');
}

function iocs(model: ReportModel, L: ReportLabels): string {
  const out = [`<section><h2>${h(L.iocs)}</h2>`, `<p class="meta">${h(L.iocNote)}</p>`];
  for (const kind of REPORT_IOC_KINDS) {
    const list = model.iocs[kind];
    if (list.length === 0) continue;
    out.push(`<h3>${h(L.iocKinds[kind])}</h3>`);
    const rows = list.map((ioc) => [td(h(defangIoc(kind, ioc.value)), 'mono'), num(ioc.artifacts)]);
    out.push(table([h(L.value), h(L.seenIn)], rows));
  }
  if (REPORT_IOC_KINDS.every((k) => model.iocs[k].length === 0)) out.push(`<p>${h(L.none)}</p>`);
  if (model.isIocListTruncated) out.push(`<p>${h(L.truncated)}</p>`);
  out.push('</section>');
  return out.join('\n');
}

function techniques(model: ReportModel, L: ReportLabels): string {
  const out = [`<section><h2>${h(L.techniques)}</h2>`];
  if (model.techniques.length === 0) out.push(`<p>${h(L.none)}</p>`);
  else {
    const rows = model.techniques.map((t) => [
      td(h(t.id), 'mono'),
      td(h(t.name ?? '')),
      num(t.findings),
    ]);
    out.push(table(['ID', L.technique, L.findings].map(h), rows));
  }
  out.push('</section>');
  return out.join('\n');
}
