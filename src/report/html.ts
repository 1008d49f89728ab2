import { SEVERITIES, STEP_INFO, VERDICTS } from '../core/index.js';
import { INCIDENT_LABELS } from './incident-labels.js';
import { LABELS, type ReportLabels } from './labels.js';
import { REPORT_IOC_KINDS, type ReportArtifact, type ReportModel } from './model.js';
import { coverageHtml } from './coverage.js';
import { h, htmlPage, num, REPORT_CSP, table, td } from './html-parts.js';
import { defangIoc, formatEvidence, formatTime } from './text.js';

export { REPORT_CSP };

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
    incidents(model, L),
    killChain(model, L),
    `<section><h2>${h(L.flagged)}</h2>`,
    model.artifacts.length === 0 ? `<p>${h(L.none)}</p>` : '',
    ...model.artifacts.map((a, i) => artifact(a, i + 1, L)),
    model.artifactsOmitted > 0 ? `<p>${h(L.omitted(model.artifactsOmitted))}</p>` : '',
    '</section>',
    iocs(model, L),
    techniques(model, L),
    coverageHtml(model.coverage, model.lang),
  ];
  return htmlPage(model.lang, `${L.title}${model.scan === null ? '' : ` #${model.scan.id}`}`, body);
}

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

function incidents(model: ReportModel, L: ReportLabels): string {
  if (model.scan !== null) return '';
  const I = INCIDENT_LABELS[model.lang];
  const out = [`<section><h2>${h(I.incidents)}</h2>`];
  if (model.incidents.length === 0) out.push(`<p>${h(L.none)}</p>`);
  else {
    const rows = model.incidents.map((i) => [
      num(i.id),
      td(h(i.title)),
      td(h(L.severities[i.severity]), i.severity),
      td(h(I.statuses[i.status])),
      td(h(i.host ?? '–'), 'mono'),
      td(h(i.steps.map((s) => STEP_INFO[s].mark).join(' '))),
      num(i.findings),
      td(h(formatTime(i.updatedAt))),
    ]);
    const head = ['ID', I.incident, L.severity, I.status, L.host, L.step, L.findings, I.updated];
    out.push(table(head.map(h), rows));
  }
  if (model.incidentsOmitted > 0) out.push(`<p>${h(L.omitted(model.incidentsOmitted))}</p>`);
  out.push('</section>');
  return out.join('\n');
}
