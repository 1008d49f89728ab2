import {
  ConfigError,
  severityRank,
  STEP_INFO,
  STEPS,
  techniqueName,
  type Evidence,
  type FileType,
  type Severity,
  type Step,
  type Verdict,
} from '../core/index.js';
import type { CoverageMatrix } from '../correlate/coverage/index.js';
import type { RuleCount, ScanRecord, Store, StoreStats } from '../store/index.js';
import { readIncidentList, type ReportIncident } from './incident-context.js';
import { REPORT_LANGS, type ReportLang } from './labels.js';

/**
 * Everything a report shows, as plain JSON-able data. Renderers are pure functions of this model, so the
 * three formats cannot disagree, and `renderJson` is the model itself. Strings are raw input: renderers
 * escape and defang them for their format.
 */
export interface ReportModel {
  lang: ReportLang;
  /** ISO-8601. */
  generatedAt: string;
  /** The scan reported on; null for a report over the whole store. */
  scan: ReportScan | null;
  scope: ReportScope;
  /** One row per step ①…⑥ and post, in kill-chain order, including steps with no findings. */
  killChain: KillChainRow[];
  /** Malicious first, then suspicious, each in scan order. */
  artifacts: ReportArtifact[];
  /** Flagged artifacts left out past `maxArtifacts`. */
  artifactsOmitted: number;
  iocs: Record<ReportIocKind, ReportIoc[]>;
  /** True when some IOC list reached `maxIocs`. */
  isIocListTruncated: boolean;
  /** Sorted by id. */
  techniques: ReportTechnique[];
  /** The store's incidents, newest first (store-wide reports only; empty for a scan report). */
  incidents: ReportIncident[];
  incidentsOmitted: number;
  /** The measured coverage matrix (`emoguard coverage`), when the caller ran the simulation. */
  coverage?: CoverageMatrix;
}

export interface ReportScan {
  id: number;
  command: string;
  args: string[];
  host: string | null;
  startedAt: string;
  finishedAt: string | null;
  errors: number | null;
}

export interface ReportScope {
  inputs: number;
  artifacts: number;
  findings: number;
  inputsByVerdict: Record<Verdict, number>;
  findingsBySeverity: Record<Severity, number>;
}

export interface KillChainRow {
  step: Step;
  mark: string;
  name: string;
  findings: number;
  worstSeverity: Severity | null;
  /** Distinct titles, worst and most frequent first, at most `TOP_TITLES`. */
  topFindings: string[];
}

export interface ReportArtifact {
  id: number;
  path: string;
  sha256: string;
  type: FileType;
  size: number;
  depth: number;
  verdict: Verdict;
  /** Worst first. Empty for a container flagged only because of its children. */
  findings: ReportFinding[];
}

export interface ReportFinding {
  ruleId: string;
  title: string;
  severity: Severity;
  step: Step;
  mark: string;
  attack: ReportTechniqueRef[];
  evidence: Evidence[];
}

export interface ReportTechniqueRef {
  id: string;
  /** From core's ATTACK_TECHNIQUES; null for an id it does not know. */
  name: string | null;
}

export interface ReportTechnique extends ReportTechniqueRef {
  findings: number;
}

export type ReportIocKind = 'urls' | 'domains' | 'ips' | 'emails';
export const REPORT_IOC_KINDS: readonly ReportIocKind[] = ['urls', 'domains', 'ips', 'emails'];

export interface ReportIoc {
  value: string;
  /** Artifacts it was extracted from. */
  artifacts: number;
}

export interface BuildReportOptions {
  scanId?: number;
  lang?: ReportLang;
  /** The generated time; tests pin it. */
  now?: Date;
  /** Flagged artifacts listed in full (default `MAX_REPORT_ARTIFACTS`). */
  maxArtifacts?: number;
  /** Values listed per IOC kind (default `MAX_REPORT_IOCS`). */
  maxIocs?: number;
  /** Shown as the coverage section (the CLI computes it with the inert simulation). */
  coverage?: CoverageMatrix;
}

export const MAX_REPORT_ARTIFACTS = 200;
export const MAX_REPORT_IOCS = 500;
export const TOP_TITLES = 3;
/** Findings read per artifact; engines keep at most `maxFindingsPerArtifact` (500) anyway. */
const MAX_FINDINGS_READ = 1000;

/**
 * Reads what a report needs from the store: stats for scope, kill chain and techniques (one grouped query),
 * flagged artifacts with their findings, and IOCs. Throws `E_REPORT_SCAN_NOT_FOUND` for an unknown scan.
 *
 * @example
 * const model = await buildReport(store, { scanId: 3, lang: 'ja' });
 * writeFileSync('report.html', renderHtml(model));
 */
export async function buildReport(
  store: Store,
  options: BuildReportOptions = {},
): Promise<ReportModel> {
  const lang = options.lang ?? 'en';
  if (!REPORT_LANGS.includes(lang)) {
    throw new ConfigError('E_REPORT_LANG', `unknown report language "${String(lang)}"`);
  }
  const { scanId } = options;
  let scan: ScanRecord | undefined;
  if (scanId !== undefined) {
    scan = await store.getScan(scanId);
    if (scan === undefined) {
      throw new ConfigError('E_REPORT_SCAN_NOT_FOUND', `scan ${scanId} does not exist`);
    }
  }
  const stats = await store.stats(scanId === undefined ? {} : { scanId });
  const maxArtifacts = checkMax('maxArtifacts', options.maxArtifacts, MAX_REPORT_ARTIFACTS);
  const maxIocs = checkMax('maxIocs', options.maxIocs, MAX_REPORT_IOCS);
  const { artifacts, omitted } = await flaggedArtifacts(store, stats, scanId, maxArtifacts);
  const { iocs, isTruncated } = await readIocs(store, scanId, maxIocs);
  const incidents =
    scanId === undefined ? await readIncidentList(store) : { incidents: [], omitted: 0 };
  return {
    lang,
    generatedAt: (options.now ?? new Date()).toISOString(),
    scan: scan === undefined ? null : toReportScan(scan),
    scope: {
      inputs: stats.totals.inputs,
      artifacts: stats.totals.artifacts,
      findings: stats.totals.findings,
      inputsByVerdict: stats.inputsByVerdict,
      findingsBySeverity: stats.findingsBySeverity,
    },
    killChain: killChain(stats.findingsByRule, lang),
    artifacts,
    artifactsOmitted: omitted,
    iocs,
    isIocListTruncated: isTruncated,
    techniques: techniques(stats.findingsByRule),
    incidents: incidents.incidents,
    incidentsOmitted: incidents.omitted,
    ...(options.coverage ? { coverage: options.coverage } : {}),
  };
}

/** Caps stay below the store's page size so one query answers each list. */
function checkMax(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0 || value > 5_000) {
    throw new ConfigError('E_REPORT_OPTION', `${name} must be an integer from 0 to 5000`);
  }
  return value;
}

function toReportScan(scan: ScanRecord): ReportScan {
  return {
    id: scan.id,
    command: scan.command,
    args: scan.args,
    host: scan.host,
    startedAt: scan.startedAt.toISOString(),
    finishedAt: scan.finishedAt?.toISOString() ?? null,
    errors: scan.summary?.errors ?? null,
  };
}

const bySeverityThenCount = (a: RuleCount, b: RuleCount) =>
  severityRank(b.severity) - severityRank(a.severity) ||
  b.count - a.count ||
  a.title.localeCompare(b.title);

function killChain(rules: readonly RuleCount[], lang: ReportLang): KillChainRow[] {
  return STEPS.map((step) => {
    const here = rules.filter((r) => r.step === step).sort(bySeverityThenCount);
    const worst = here[0]?.severity ?? null;
    return {
      step,
      mark: STEP_INFO[step].mark,
      name: STEP_INFO[step][lang],
      findings: here.reduce((n, r) => n + r.count, 0),
      worstSeverity: worst,
      topFindings: [...new Set(here.map((r) => r.title))].slice(0, TOP_TITLES),
    };
  });
}

function techniques(rules: readonly RuleCount[]): ReportTechnique[] {
  const counts = new Map<string, number>();
  for (const rule of rules) {
    for (const id of new Set(rule.attack)) counts.set(id, (counts.get(id) ?? 0) + rule.count);
  }
  return [...counts]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, findings]) => ({ id, name: techniqueName(id) ?? null, findings }));
}

async function flaggedArtifacts(
  store: Store,
  stats: StoreStats,
  scanId: number | undefined,
  max: number,
): Promise<{ artifacts: ReportArtifact[]; omitted: number }> {
  const artifacts: ReportArtifact[] = [];
  let omitted = 0;
  for (const verdict of ['malicious', 'suspicious'] as const) {
    const total = stats.artifactsByVerdict[verdict];
    const room = Math.max(0, max - artifacts.length);
    omitted += Math.max(0, total - room);
    if (room === 0) continue;
    const rows = await store.listArtifacts({
      ...(scanId === undefined ? {} : { scanId }),
      verdict,
      limit: room,
    });
    for (const row of rows) {
      const findings = await store.listFindings({ artifactId: row.id, limit: MAX_FINDINGS_READ });
      artifacts.push({
        id: row.id,
        path: row.path,
        sha256: row.sha256,
        type: row.type,
        size: row.size,
        depth: row.depth,
        verdict: row.verdict,
        findings: findings
          .map((f) => ({
            ruleId: f.ruleId,
            title: f.title,
            severity: f.severity,
            step: f.step,
            mark: STEP_INFO[f.step].mark,
            attack: f.attack.map((id) => ({ id, name: techniqueName(id) ?? null })),
            evidence: f.evidence,
          }))
          .sort((a, b) => severityRank(b.severity) - severityRank(a.severity)),
      });
    }
  }
  return { artifacts, omitted };
}

async function readIocs(
  store: Store,
  scanId: number | undefined,
  max: number,
): Promise<{ iocs: Record<ReportIocKind, ReportIoc[]>; isTruncated: boolean }> {
  const iocs = { urls: [], domains: [], ips: [], emails: [] } as Record<ReportIocKind, ReportIoc[]>;
  let isTruncated = false;
  for (const kind of REPORT_IOC_KINDS) {
    const rows = await store.listIocs({
      ...(scanId === undefined ? {} : { scanId }),
      kind,
      limit: max + 1,
    });
    if (rows.length > max) isTruncated = true;
    iocs[kind] = rows.slice(0, max).map((r) => ({ value: r.value, artifacts: r.artifacts }));
  }
  return { iocs, isTruncated };
}
