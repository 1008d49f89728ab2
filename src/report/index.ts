/**
 * @module report — incident/scan reports built from the findings store: scope, the Emotet kill chain
 * (①…⑥ + post), flagged artifacts with evidence, defanged IOCs, and MITRE ATT&CK techniques
 * (https://attack.mitre.org/). `buildReport` reads the store once into a plain `ReportModel`; the
 * renderers are pure functions of it (Markdown: GFM https://github.github.com/gfm/, HTML: one
 * self-contained file under a CSP that forbids scripts, JSON). English and Japanese labels.
 *
 * @example
 * const model = await buildReport(store, { scanId: 3, lang: 'ja' });
 * writeFileSync('report.html', renderHtml(model));
 */
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
  escapeHtml,
  escapeMarkdown,
  revealControls,
} from './text.js';
