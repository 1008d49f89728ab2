import { SEVERITIES, STEP_INFO, VERDICTS } from '../core/index.js';
import { coverageMarkdown } from './coverage.js';
import { INCIDENT_LABELS } from './incident-labels.js';
import { LABELS, type ReportLabels } from './labels.js';
import { REPORT_IOC_KINDS, type ReportArtifact, type ReportModel } from './model.js';
import { defangIoc, displayText, escapeMarkdown, formatEvidence, formatTime } from './text.js';

/** SECURITY: the only way an input string enters Markdown output: revealed, defanged, escaped. */
const md = (text: string): string => escapeMarkdown(displayText(text));

const row = (cells: (string | number)[]): string => `| ${cells.join(' | ')} |`;

function table(header: string[], align: string[], rows: (string | number)[][]): string[] {
  return [row(header), row(align), ...rows.map(row)];
}

/**
 * GitHub-flavoured Markdown. Every input-derived string goes through `md()`, so it stays inside its line
 * and table cell and cannot open a link, image, code span or raw HTML.
 *
 * @example
 * writeFileSync('report.md', renderMarkdown(await buildReport(store, { scanId })));
 */
export function renderMarkdown(model: ReportModel): string {
  const L = LABELS[model.lang];
  const out: string[] = [`# ${L.title}`, '', ...header(model, L), ''];

  out.push(`## ${L.scope}`, '');
  const s = model.scope;
  out.push(
    ...table(
      [L.inputs, ...VERDICTS.map((v) => L.verdicts[v]).reverse(), L.artifacts, L.findings],
      Array(6).fill('---:'),
      [[s.inputs, ...VERDICTS.map((v) => s.inputsByVerdict[v]).reverse(), s.artifacts, s.findings]],
    ),
    '',
    ...table(
      [...SEVERITIES].reverse().map((sev) => L.severities[sev]),
      Array(SEVERITIES.length).fill('---:'),
      [[...SEVERITIES].reverse().map((sev) => s.findingsBySeverity[sev])],
    ),
    '',
  );

  out.push(...incidents(model, L));

  out.push(`## ${L.killChain}`, '');
  out.push(
    ...table(
      [L.step, L.stage, L.findings, L.worst, L.topFindings],
      [':---:', '---', '---:', '---', '---'],
      model.killChain.map((k) => [
        k.mark,
        md(k.name),
        k.findings,
        k.worstSeverity === null ? '–' : L.severities[k.worstSeverity],
        k.topFindings.map(md).join('; '),
      ]),
    ),
    '',
  );

  out.push(`## ${L.flagged}`, '');
  if (model.artifacts.length === 0) out.push(L.none, '');
  model.artifacts.forEach((a, i) => out.push(...artifact(a, i + 1, L)));
  if (model.artifactsOmitted > 0) out.push(L.omitted(model.artifactsOmitted), '');

  out.push(`## ${L.iocs}`, '', L.iocNote, '');
  for (const kind of REPORT_IOC_KINDS) {
    const list = model.iocs[kind];
    if (list.length === 0) continue;
    out.push(`### ${L.iocKinds[kind]}`, '');
    out.push(
      ...table(
        [L.value, L.seenIn],
        ['---', '---:'],
        list.map((ioc) => [md(defangIoc(kind, ioc.value)), ioc.artifacts]),
      ),
      '',
    );
  }
  if (REPORT_IOC_KINDS.every((k) => model.iocs[k].length === 0)) out.push(L.none, '');
  if (model.isIocListTruncated) out.push(L.truncated, '');

  out.push(`## ${L.techniques}`, '');
  if (model.techniques.length === 0) out.push(L.none, '');
  else {
    out.push(
      ...table(
        ['ID', L.technique, L.findings],
        ['---', '---', '---:'],
        model.techniques.map((t) => [md(t.id), md(t.name ?? ''), t.findings]),
      ),
      '',
    );
  }
  if (model.coverage) out.push(...coverageMarkdown(model.coverage, model.lang), '');
  return out.join('\n');
}

function header(model: ReportModel, L: ReportLabels): string[] {
  const lines = [`- ${L.generated}: ${formatTime(model.generatedAt)}`];
  const scan = model.scan;
  if (scan === null) return [...lines, `- ${L.scan}: ${L.allScans}`];
  lines.push(
    `- ${L.scan}: #${scan.id} — ${L.command}: ${md([scan.command, ...scan.args].join(' '))}`,
  );
  if (scan.host !== null) lines.push(`- ${L.host}: ${md(scan.host)}`);
  lines.push(`- ${L.started}: ${formatTime(scan.startedAt)}`);
  lines.push(
    `- ${L.finished}: ${scan.finishedAt === null ? L.running : formatTime(scan.finishedAt)}`,
  );
  if (scan.errors) lines.push(`- ${L.scanErrors}: ${scan.errors}`);
  return lines;
}

function artifact(a: ReportArtifact, n: number, L: ReportLabels): string[] {
  const out = [
    `### ${n}. ${L.verdicts[a.verdict]}: ${md(a.path)}`,
    '',
    `- SHA-256: ${md(a.sha256)}`,
    `- ${L.type}: ${md(a.type)} · ${L.size}: ${a.size}`,
    '',
  ];
  if (a.findings.length === 0) return [...out, L.viaChildren, ''];
  out.push(
    ...table(
      [L.finding, L.severity, L.step, L.attack, L.evidence],
      ['---', '---', ':---:', '---', '---'],
      a.findings.map((f) => [
        `${md(f.ruleId)} — ${md(f.title)}`,
        L.severities[f.severity],
        f.mark,
        f.attack.map((t) => md(t.name === null ? t.id : `${t.id} ${t.name}`)).join('<br>'),
        f.evidence.map((e) => md(formatEvidence(e))).join('<br>'),
      ]),
    ),
    '',
  );
  return out;
}

function incidents(model: ReportModel, L: ReportLabels): string[] {
  if (model.scan !== null) return [];
  const I = INCIDENT_LABELS[model.lang];
  const out = [`## ${I.incidents}`, ''];
  if (model.incidents.length === 0) return [...out, L.none, ''];
  out.push(
    ...table(
      ['ID', I.incident, L.severity, I.status, L.host, L.step, L.findings, I.updated],
      ['---:', '---', '---', '---', '---', '---', '---:', '---'],
      model.incidents.map((i) => [
        i.id,
        md(i.title),
        L.severities[i.severity],
        I.statuses[i.status],
        md(i.host ?? '–'),
        i.steps.map((s) => STEP_INFO[s].mark).join(' '),
        i.findings,
        formatTime(i.updatedAt),
      ]),
    ),
    '',
  );
  if (model.incidentsOmitted > 0) out.push(L.omitted(model.incidentsOmitted), '');
  return out;
}
