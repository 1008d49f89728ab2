/**
 * @module report — reports built from the findings store. Store reports (`buildReport`): scope, the
 * Emotet kill chain (①…⑥ + post), flagged artifacts with evidence, defanged IOCs, MITRE ATT&CK techniques
 * (https://attack.mitre.org/) and the incident list. Incident reports (`buildIncidentReport` over
 * correlate's `IncidentView`): summary and scope, progression, what each layer detected or blocked,
 * timeline, IOCs, ATT&CK per step, and JPCERT/CC's Emotet response checklist
 * (https://blogs.jpcert.or.jp/ja/2019/12/emotetfaq.html) with statuses derived from the evidence.
 * Renderers are pure functions of the models (Markdown: GFM https://github.github.com/gfm/; HTML: one
 * self-contained page under a CSP that forbids scripts, also printed to PDF by apps/pdf; JSON), in
 * English and Japanese. Exports for other tools live in `report/exports`.
 *
 * @example
 * const model = await buildReport(store, { scanId: 3, lang: 'ja' });
 * writeFileSync('report.html', renderHtml(model));
 * const view = await buildIncidentView(store, 7);
 * const incident = buildIncidentReport(view, await readChecklistContext(store, 7), { lang: 'ja' });
 * writeFileSync('incident-7.html', renderIncidentHtml(incident));
 */
export { coverageHtml, coverageMarkdown } from './coverage.js';
export { renderHtml, REPORT_CSP } from './html.js';
export { renderJson } from './json.js';
export { LABELS, REPORT_LANGS, type ReportLabels, type ReportLang } from './labels.js';
export { renderMarkdown } from './markdown.js';
export {
  buildReport,
  MAX_REPORT_ARTIFACTS,
  MAX_REPORT_IOCS,
  REPORT_IOC_KINDS,
  TOP_TITLES,
  type BuildReportOptions,
  type KillChainRow,
  type ReportArtifact,
  type ReportFinding,
  type ReportIoc,
  type ReportIocKind,
  type ReportModel,
  type ReportScan,
  type ReportScope,
  type ReportTechnique,
  type ReportTechniqueRef,
} from './model.js';
export {
  defangDomain,
  defangEmail,
  defangIoc,
  defangIp,
  defangText,
  defangUrl,
  displayText,
  escapeHtml,
  escapeMarkdown,
  formatEvidence,
  formatTime,
  revealControls,
} from './text.js';
export {
  buildChecklist,
  MAX_EVIDENCE_LINE,
  MAX_TASK_EVIDENCE,
  type ChecklistContext,
  type ChecklistTask,
  type IncidentRun,
} from './checklist.js';
export { CHECKLIST_TASK_IDS, CHECKLIST_TEXT, type ChecklistTaskId } from './checklist-text.js';
export {
  MAX_CONTEXT_RUNS,
  MAX_REPORT_INCIDENTS,
  readChecklistContext,
  readIncidentList,
  type ReportIncident,
} from './incident-context.js';
export { defangIncidentIoc, renderIncidentHtml } from './incident-html.js';
export {
  INCIDENT_LABELS,
  TASK_STATUSES,
  type IncidentLabels,
  type TaskStatus,
} from './incident-labels.js';
export { renderIncidentMarkdown } from './incident-markdown.js';
export {
  buildIncidentReport,
  MAX_INCIDENT_IOCS,
  MAX_INCIDENT_TIMELINE,
  type BuildIncidentReportOptions,
  type IncidentReport,
  type IncidentSummary,
  type LayerRow,
  type StepTechniques,
} from './incident-model.js';
