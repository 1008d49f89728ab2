import { STEP_INFO, type Step } from '../core/index.js';
import type { IncidentIoc, ProcessNode } from '../correlate/types.js';
import { coverageHtml } from './coverage.js';
import { h, htmlPage, num, table, td } from './html-parts.js';
import { INCIDENT_LABELS, type IncidentLabels } from './incident-labels.js';
import type { IncidentReport } from './incident-model.js';
import { LABELS, type ReportLabels } from './labels.js';
import { defangIoc, formatTime } from './text.js';

/** Process trees deeper than this are cut: a fork loop must not make the page unbounded. */
export const MAX_TREE_DEPTH = 24;

const marks = (steps: readonly Step[]) => steps.map((s) => STEP_INFO[s].mark).join(' ') || '–';
const time = (t: string | null) => (t === null ? '–' : formatTime(t));

/** IOC values are defanged by kind; hashes and file names only through `h` (which defangs any link). */
export function defangIncidentIoc(ioc: Pick<IncidentIoc, 'kind' | 'value'>): string {
  const withPort = ioc.kind === 'ip' ? /^([\d.]+):(\d{1,5})$/.exec(ioc.value) : null;
  if (withPort) return `${defangIoc('ips', withPort[1]!)}:${withPort[2]!}`;
  const kind = ({ url: 'urls', domain: 'domains', ip: 'ips', email: 'emails' } as const)[
    ioc.kind as 'url'
  ];
  return kind === undefined ? ioc.value : defangIoc(kind, ioc.value);
}

/**
 * The incident report as one self-contained HTML page (the PDF is printed from it): no scripts, no
 * external resources, every input string escaped and every link defanged.
 *
 * @example
 * writeFileSync('incident.html', renderIncidentHtml(buildIncidentReport(view, ctx, { lang: 'ja' })));
 */
export function renderIncidentHtml(r: IncidentReport): string {
  const L = LABELS[r.lang];
  const I = INCIDENT_LABELS[r.lang];
  const body = [
    `<h1>${h(I.title)}</h1>`,
    `<h2>${h(`#${r.incident.id} ${r.incident.title}`)}</h2>`,
    meta(r, L, I),
    summary(r, L, I),
    checklist(r, I),
    progression(r, L, I),
    layers(r, L, I),
    timeline(r, L, I),
    scope(r, L, I),
    processTree(r, I),
    iocs(r, L, I),
    attack(r, L, I),
    mails(r, L, I),
    notes(r, I),
    coverageHtml(r.coverage, r.lang),
  ];
  return htmlPage(r.lang, `${I.title} #${r.incident.id}`, body);
}

const section = (title: string, parts: string[]) =>
  [`<section><h2>${h(title)}</h2>`, ...parts, '</section>'].join('\n');

function meta(r: IncidentReport, L: ReportLabels, I: IncidentLabels): string {
  const i = r.incident;
  const items = [
    [L.generated, time(r.generatedAt)],
    [I.status, I.statuses[i.status]],
    [L.severity, L.severities[i.severity]],
    [I.subjectOf, `${I.kinds[i.kind]} ${i.subject ?? i.host ?? '–'}`],
    [I.owner, i.owner ?? '–'],
    [I.created, time(i.createdAt)],
    [I.updated, time(i.updatedAt)],
  ];
  return `<ul class="meta">\n${items.map(([k, v]) => `<li>${h(k!)}: ${h(v!)}</li>`).join('\n')}\n</ul>`;
}

function summary(r: IncidentReport, L: ReportLabels, I: IncidentLabels): string {
  const s = r.summary;
  const rows: Array<[string, string]> = [
    [L.findings, String(s.findings)],
    [L.worst, s.worstSeverity === null ? '–' : L.severities[s.worstSeverity]],
    [I.firstSeen, time(s.firstSeen)],
    [I.lastSeen, time(s.lastSeen)],
    [I.stepsObserved, marks(s.stepsObserved)],
    [I.hosts, String(s.hosts)],
    [I.users, String(s.users)],
    [I.mailboxes, String(s.mailboxes)],
    [I.externalContacts, String(s.externalContacts)],
    [I.lateral, String(s.lateralEdges)],
    [L.iocs, String(s.iocs)],
    [I.shared, String(s.sharedIndicators)],
  ];
  const trs = rows.map(([k, v]) => `<tr><th>${h(k)}</th>${td(h(v))}</tr>`);
  return section(I.summary, [`<table>\n${trs.join('\n')}\n</table>`]);
}

function checklist(r: IncidentReport, I: IncidentLabels): string {
  const rows = r.checklist.map((t, n) => [
    num(n + 1),
    td(`<strong>${h(t.title)}</strong><br><span class="meta">${h(t.how)}</span>`),
    td(h(I.taskStatuses[t.status]), t.status),
    td(t.evidence.map((e) => `<div>${h(e)}</div>`).join(''), 'ev'),
  ]);
  return section(I.checklist, [
    `<p class="meta">${h(I.checklistNote)}</p>`,
    table(['#', I.task, I.status, LABELS[r.lang].evidence].map(h), rows),
  ]);
}

function progression(r: IncidentReport, L: ReportLabels, I: IncidentLabels): string {
  const rows = r.progression.map((p) => [
    td(h(p.mark)),
    td(h(p.name)),
    td(h(p.observed ? I.yes : I.no), p.observed ? 'malicious' : ''),
    td(h(p.blocked ? I.yes : I.no), p.blocked ? 'clean' : ''),
    td(h(p.layers.map((l) => I.layers[l]).join(', ') || '–')),
    td(h(time(p.firstSeen))),
    td(h(time(p.lastSeen))),
    num(p.findings),
    p.worstSeverity === null ? td('–') : td(h(L.severities[p.worstSeverity]), p.worstSeverity),
  ]);
  const head = [L.step, L.stage, I.observed, I.blocked, I.layer, I.firstSeen, I.lastSeen];
  return section(I.progression, [table([...head, L.findings, L.worst].map(h), rows)]);
}

function layers(r: IncidentReport, L: ReportLabels, I: IncidentLabels): string {
  if (r.layers.length === 0) return section(I.layerTable, [`<p>${h(L.none)}</p>`]);
  const rows = r.layers.map((l) => [
    td(h(I.layers[l.layer])),
    num(l.findings),
    td(h(marks(l.steps))),
    td(h(l.blockedSteps.length === 0 ? '–' : marks(l.blockedSteps))),
    l.worstSeverity === null ? td('–') : td(h(L.severities[l.worstSeverity]), l.worstSeverity),
    td(l.topFindings.map(h).join('<br>')),
  ]);
  const head = [I.layer, I.detected, L.step, I.blocked, L.worst, L.topFindings];
  return section(I.layerTable, [table(head.map(h), rows)]);
}

function timeline(r: IncidentReport, L: ReportLabels, I: IncidentLabels): string {
  if (r.timeline.length === 0) return section(I.timeline, [`<p>${h(L.none)}</p>`]);
  const rows = r.timeline.map((t) => [
    td(h(`${formatTime(t.at)}${t.isEventTime ? '' : ' *'}`)),
    td(h(STEP_INFO[t.step].mark)),
    td(h(I.layers[t.layer])),
    td(h(L.severities[t.severity]), t.severity),
    td(h(t.host ?? '–'), 'mono'),
    td(`<span class="mono">${h(t.ruleId)}</span><br>${h(t.title)}`),
    td(`<div>${h(t.artifactPath)}</div><div>${h(t.summary)}</div>`, 'ev'),
  ]);
  const head = [I.time, L.step, I.layer, L.severity, L.host, L.finding, L.evidence];
  const parts = [table(head.map(h), rows)];
  if (r.timeline.some((t) => !t.isEventTime)) parts.push(`<p class="meta">* ${h(I.storeTime)}</p>`);
  if (r.timelineOmitted > 0) parts.push(`<p>${h(L.omitted(r.timelineOmitted))}</p>`);
  return section(I.timeline, parts);
}

function scope(r: IncidentReport, L: ReportLabels, I: IncidentLabels): string {
  const s = r.scope;
  const list = (title: string, values: readonly string[]) =>
    `<p><strong>${h(title)}</strong>: <span class="mono">${h(values.join(', ') || '–')}</span></p>`;
  const parts = [list(I.hosts, s.hosts), list(I.users, s.users), list(I.mailboxes, s.mailboxes)];
  parts.push(`<h3>${h(I.externalContacts)}</h3>`);
  if (s.externalContacts.length === 0) parts.push(`<p>${h(L.none)}</p>`);
  else {
    const rows = s.externalContacts.map((c) => [
      td(h(c.address), 'mono'),
      td(h(c.reasons.map((x) => I.reasons[x]).join(', '))),
      td(h(c.via.join(', ')), 'mono'),
    ]);
    parts.push(table([I.address, I.reason, I.via].map(h), rows));
  }
  if (s.lateral.length > 0) {
    parts.push(`<h3>${h(I.lateral)}</h3>`);
    const rows = s.lateral.map((e) => [
      td(h(e.from), 'mono'),
      td(h(e.to), 'mono'),
      td(h(e.protocol)),
      td(h(time(e.firstSeen))),
    ]);
    parts.push(table([I.from, I.to, I.protocol, I.firstSeen].map(h), rows));
  }
  if (s.shared.length > 0) {
    parts.push(`<h3>${h(I.shared)}</h3>`);
    const rows = s.shared.map((x) => [
      td(h(x.kind)),
      td(h(defangIncidentIoc({ kind: x.kind === 'c2' ? 'ip' : 'url', value: x.value })), 'mono'),
      td(h(x.others.join(', ')), 'mono'),
    ]);
    parts.push(table([I.kind, L.value, I.others].map(h), rows));
  }
  return section(I.scopeTitle, parts);
}

function processTree(r: IncidentReport, I: IncidentLabels): string {
  if (r.processTree.length === 0) return '';
  const node = (p: ProcessNode, depth: number): string => {
    const label = [p.pid === null ? '' : `[${p.pid}]`, p.image, p.user ? `(${p.user})` : '']
      .filter(Boolean)
      .join(' ');
    const cmd = p.commandLine ? `<div class="ev">${h(p.commandLine)}</div>` : '';
    const kids =
      depth >= MAX_TREE_DEPTH || p.children.length === 0
        ? ''
        : `<ul>${p.children.map((c) => node(c, depth + 1)).join('')}</ul>`;
    return `<li><span class="mono">${h(label)}</span>${cmd}${kids}</li>`;
  };
  return section(I.processTree, [`<ul>${r.processTree.map((p) => node(p, 0)).join('')}</ul>`]);
}

function iocs(r: IncidentReport, L: ReportLabels, I: IncidentLabels): string {
  const parts = [`<p class="meta">${h(L.iocNote)}</p>`];
  if (r.iocs.length === 0) parts.push(`<p>${h(L.none)}</p>`);
  else {
    const rows = r.iocs.map((i) => [
      td(h(I.iocKinds[i.kind])),
      td(h(defangIncidentIoc(i)), 'mono'),
      td(h(i.feeds.join(', ') || '–')),
      td(h(sourceList(i.sources)), 'mono'),
    ]);
    parts.push(table([I.kind, L.value, I.feeds, I.sources].map(h), rows));
  }
  if (r.iocsOmitted > 0) parts.push(`<p>${h(L.omitted(r.iocsOmitted))}</p>`);
  return section(L.iocs, parts);
}

function attack(r: IncidentReport, L: ReportLabels, I: IncidentLabels): string {
  if (r.attackByStep.length === 0) return section(I.attackByStep, [`<p>${h(L.none)}</p>`]);
  const rows = r.attackByStep.flatMap((s) =>
    s.techniques.map((t, n) => [
      td(n === 0 ? h(`${s.mark} ${s.name}`) : ''),
      td(h(t.id), 'mono'),
      td(h(t.name ?? '')),
      td(h(t.tactics.join(', '))),
      num(t.findings),
    ]),
  );
  return section(I.attackByStep, [
    table([L.step, 'ID', L.technique, I.tactic, L.findings].map(h), rows),
  ]);
}

function mails(r: IncidentReport, L: ReportLabels, I: IncidentLabels): string {
  if (r.mails.length === 0) return '';
  const rows = r.mails.map((m) => [
    td(h(m.subject ?? '–')),
    td(h(m.from ?? '–'), 'mono'),
    td(h(m.to.join(', ')), 'mono'),
    td(h(m.date ?? '–')),
    td(
      m.attachments
        .map(
          (a) =>
            `<div>${h(`${a.name} — ${L.verdicts[a.verdict as 'clean'] ?? a.verdict}`)}<br>${h(a.sha256)}</div>`,
        )
        .join(''),
      'ev',
    ),
  ]);
  return section(I.mails, [table([I.subject, I.from, I.to, I.date, I.attachments].map(h), rows)]);
}

function notes(r: IncidentReport, I: IncidentLabels): string {
  if (r.notes.length === 0) return '';
  const rows = r.notes.map((n) => [td(h(time(n.at))), td(h(n.author)), td(h(n.text), 'ev')]);
  return section(I.notes, [table([I.time, I.owner, I.what].map(h), rows)]);
}

/** Finding row ids read `#12`; artifact paths as they are. */
export const sourceList = (sources: readonly string[]): string =>
  sources.map((s) => (/^\d+$/.test(s) ? `#${s}` : s)).join(', ');
