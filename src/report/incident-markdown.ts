import { STEP_INFO, type Step } from '../core/index.js';
import { coverageMarkdown } from './coverage.js';
import { defangIncidentIoc, sourceList } from './incident-html.js';
import { INCIDENT_LABELS } from './incident-labels.js';
import type { IncidentReport } from './incident-model.js';
import { LABELS } from './labels.js';
import { displayText, escapeMarkdown, formatTime } from './text.js';

/** SECURITY: the only way an input string enters Markdown output: revealed, defanged, escaped. */
const md = (text: string | number): string => escapeMarkdown(displayText(String(text)));
const row = (cells: (string | number)[]): string => `| ${cells.join(' | ')} |`;
const table = (header: string[], rows: (string | number)[][]): string[] => [
  row(header.map(md)),
  row(header.map(() => '---')),
  ...rows.map(row),
  '',
];
const marks = (steps: readonly Step[]) => steps.map((s) => STEP_INFO[s].mark).join(' ') || '–';
const time = (t: string | null) => (t === null ? '–' : formatTime(t));

/**
 * The incident report as GitHub-flavoured Markdown; every input string goes through `md()` so it stays in
 * its cell and cannot open a link, image or raw HTML.
 *
 * @example
 * writeFileSync('incident.md', renderIncidentMarkdown(buildIncidentReport(view, ctx)));
 */
export function renderIncidentMarkdown(r: IncidentReport): string {
  const L = LABELS[r.lang];
  const I = INCIDENT_LABELS[r.lang];
  const i = r.incident;
  const s = r.summary;
  const out: string[] = [`# ${I.title}`, '', `## ${md(`#${i.id} ${i.title}`)}`, ''];
  out.push(
    `- ${L.generated}: ${time(r.generatedAt)}`,
    `- ${I.status}: ${I.statuses[i.status]}`,
    `- ${L.severity}: ${L.severities[i.severity]}`,
    `- ${I.subjectOf}: ${I.kinds[i.kind]} ${md(i.subject ?? i.host ?? '–')}`,
    `- ${I.owner}: ${md(i.owner ?? '–')}`,
    `- ${I.created}: ${time(i.createdAt)} · ${I.updated}: ${time(i.updatedAt)}`,
    '',
  );

  out.push(`## ${I.summary}`, '');
  out.push(
    ...table(
      [L.findings, L.worst, I.firstSeen, I.lastSeen, I.stepsObserved],
      [
        [
          s.findings,
          s.worstSeverity === null ? '–' : L.severities[s.worstSeverity],
          time(s.firstSeen),
          time(s.lastSeen),
          marks(s.stepsObserved),
        ],
      ],
    ),
    ...table(
      [I.hosts, I.users, I.mailboxes, I.externalContacts, I.lateral, L.iocs, I.shared],
      [
        [
          s.hosts,
          s.users,
          s.mailboxes,
          s.externalContacts,
          s.lateralEdges,
          s.iocs,
          s.sharedIndicators,
        ],
      ],
    ),
  );

  out.push(`## ${I.checklist}`, '', I.checklistNote, '');
  r.checklist.forEach((t, n) => {
    // Continuation lines indent to the item's text, or "10." items would end the list.
    const pad = ' '.repeat(`${n + 1}. `.length);
    out.push(`${n + 1}. **${md(t.title)}** — ${I.taskStatuses[t.status]}`, `${pad}${md(t.how)}`);
    for (const e of t.evidence) out.push(`${pad}- ${md(e)}`);
  });
  out.push('');

  out.push(`## ${I.progression}`, '');
  out.push(
    ...table(
      [L.step, L.stage, I.observed, I.blocked, I.layer, I.firstSeen, L.findings, L.worst],
      r.progression.map((p) => [
        p.mark,
        md(p.name),
        p.observed ? I.yes : I.no,
        p.blocked ? I.yes : I.no,
        p.layers.map((l) => I.layers[l]).join(', ') || '–',
        time(p.firstSeen),
        p.findings,
        p.worstSeverity === null ? '–' : L.severities[p.worstSeverity],
      ]),
    ),
  );

  out.push(`## ${I.layerTable}`, '');
  if (r.layers.length === 0) out.push(L.none, '');
  else {
    out.push(
      ...table(
        [I.layer, I.detected, L.step, I.blocked, L.topFindings],
        r.layers.map((l) => [
          I.layers[l.layer],
          l.findings,
          marks(l.steps),
          l.blockedSteps.length === 0 ? '–' : marks(l.blockedSteps),
          l.topFindings.map(md).join('; '),
        ]),
      ),
    );
  }

  out.push(`## ${I.timeline}`, '');
  if (r.timeline.length === 0) out.push(L.none, '');
  else {
    out.push(
      ...table(
        [I.time, L.step, I.layer, L.severity, L.host, L.finding, L.evidence],
        r.timeline.map((t) => [
          `${formatTime(t.at)}${t.isEventTime ? '' : ' \\*'}`,
          STEP_INFO[t.step].mark,
          I.layers[t.layer],
          L.severities[t.severity],
          md(t.host ?? '–'),
          `${md(t.ruleId)} — ${md(t.title)}`,
          `${md(t.artifactPath)}<br>${md(t.summary)}`,
        ]),
      ),
    );
    if (r.timeline.some((t) => !t.isEventTime)) out.push(`\\* ${I.storeTime}`, '');
    if (r.timelineOmitted > 0) out.push(L.omitted(r.timelineOmitted), '');
  }

  const sc = r.scope;
  out.push(`## ${I.scopeTitle}`, '');
  out.push(
    `- ${I.hosts}: ${md(sc.hosts.join(', ') || '–')}`,
    `- ${I.users}: ${md(sc.users.join(', ') || '–')}`,
    `- ${I.mailboxes}: ${md(sc.mailboxes.join(', ') || '–')}`,
    '',
    `### ${I.externalContacts}`,
    '',
  );
  if (sc.externalContacts.length === 0) out.push(L.none, '');
  else {
    out.push(
      ...table(
        [I.address, I.reason, I.via],
        sc.externalContacts.map((c) => [
          md(c.address),
          c.reasons.map((x) => I.reasons[x]).join(', '),
          md(c.via.join(', ')),
        ]),
      ),
    );
  }
  if (sc.lateral.length > 0) {
    out.push(`### ${I.lateral}`, '');
    out.push(
      ...table(
        [I.from, I.to, I.protocol, I.firstSeen],
        sc.lateral.map((e) => [md(e.from), md(e.to), e.protocol, time(e.firstSeen)]),
      ),
    );
  }
  if (sc.shared.length > 0) {
    out.push(`### ${I.shared}`, '');
    out.push(
      ...table(
        [I.kind, L.value, I.others],
        sc.shared.map((x) => [md(x.kind), md(x.value), md(x.others.join(', '))]),
      ),
    );
  }

  out.push(`## ${L.iocs}`, '', L.iocNote, '');
  if (r.iocs.length === 0) out.push(L.none, '');
  else {
    out.push(
      ...table(
        [I.kind, L.value, I.feeds, I.sources],
        r.iocs.map((x) => [
          I.iocKinds[x.kind],
          md(defangIncidentIoc(x)),
          md(x.feeds.join(', ') || '–'),
          md(sourceList(x.sources)),
        ]),
      ),
    );
  }
  if (r.iocsOmitted > 0) out.push(L.omitted(r.iocsOmitted), '');

  out.push(`## ${I.attackByStep}`, '');
  if (r.attackByStep.length === 0) out.push(L.none, '');
  else {
    out.push(
      ...table(
        [L.step, 'ID', L.technique, I.tactic, L.findings],
        r.attackByStep.flatMap((st) =>
          st.techniques.map((t) => [
            st.mark,
            md(t.id),
            md(t.name ?? ''),
            md(t.tactics.join(', ')),
            t.findings,
          ]),
        ),
      ),
    );
  }

  if (r.mails.length > 0) {
    out.push(`## ${I.mails}`, '');
    out.push(
      ...table(
        [I.subject, I.from, I.to, I.date, I.attachments],
        r.mails.map((m) => [
          md(m.subject ?? '–'),
          md(m.from ?? '–'),
          md(m.to.join(', ')),
          md(m.date ?? '–'),
          m.attachments.map((a) => md(`${a.name} (${a.verdict}) ${a.sha256}`)).join('<br>'),
        ]),
      ),
    );
  }
  if (r.notes.length > 0) {
    out.push(`## ${I.notes}`, '');
    out.push(
      ...table(
        [I.time, I.owner, I.what],
        r.notes.map((n) => [time(n.at), md(n.author), md(n.text)]),
      ),
    );
  }
  if (r.coverage) out.push(...coverageMarkdown(r.coverage, r.lang), '');
  return out.join('\n');
}
