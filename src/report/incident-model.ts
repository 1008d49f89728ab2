import {
  ConfigError,
  severityRank,
  STEP_INFO,
  STEPS,
  techniqueName,
  type Severity,
  type Step,
  tacticsOf,
} from '../core/index.js';
import {
  layerOf,
  LAYERS,
  type IncidentIoc,
  type IncidentScope,
  type IncidentView,
  type Layer,
  type ProcessNode,
  type StepObservation,
  type TimelineEntry,
} from '../correlate/index.js';
import type { CoverageMatrix } from '../correlate/coverage/index.js';
import type { IncidentKind, IncidentStatus } from '../store/index.js';
import { buildChecklist, type ChecklistContext, type ChecklistTask } from './checklist.js';
import { REPORT_LANGS, type ReportLang } from './labels.js';

/**
 * One incident as a report shows it: everything the renderers print, as plain JSON-able data (and what
 * `report --incident ID --format json` writes). Strings are raw input; renderers escape and defang them.
 */
export interface IncidentReport {
  kind: 'incident';
  lang: ReportLang;
  generatedAt: string;
  incident: {
    id: number;
    title: string;
    severity: Severity;
    status: IncidentStatus;
    kind: IncidentKind;
    /** The host or mailbox the incident is about. */
    subject: string | null;
    owner: string | null;
    host: string | null;
    steps: Step[];
    createdAt: string;
    updatedAt: string;
  };
  summary: IncidentSummary;
  progression: Array<StepObservation & { mark: string; name: string }>;
  /** Oldest first, cut at `MAX_INCIDENT_TIMELINE`. */
  timeline: TimelineEntry[];
  timelineOmitted: number;
  scope: IncidentScope;
  processTree: ProcessNode[];
  iocs: IncidentIoc[];
  iocsOmitted: number;
  attackByStep: StepTechniques[];
  layers: LayerRow[];
  mails: IncidentView['mails'];
  checklist: ChecklistTask[];
  /** Responders' notes, oldest first. */
  notes: Array<{ author: string; text: string; at: string }>;
  /** The measured coverage matrix (`emoguard coverage`), when the caller ran the simulation. */
  coverage?: CoverageMatrix;
}

export interface IncidentSummary {
  findings: number;
  worstSeverity: Severity | null;
  firstSeen: string | null;
  lastSeen: string | null;
  stepsObserved: Step[];
  hosts: number;
  users: number;
  mailboxes: number;
  externalContacts: number;
  lateralEdges: number;
  iocs: number;
  sharedIndicators: number;
}

export interface StepTechniques {
  step: Step;
  mark: string;
  name: string;
  techniques: Array<{ id: string; name: string | null; tactics: string[]; findings: number }>;
}

export interface LayerRow {
  layer: Layer;
  findings: number;
  steps: Step[];
  /** Steps this layer stopped (gateway reject/quarantine, disarm). */
  blockedSteps: Step[];
  worstSeverity: Severity | null;
  /** Distinct titles, worst first, at most three. */
  topFindings: string[];
}

export const MAX_INCIDENT_TIMELINE = 1000;
export const MAX_INCIDENT_IOCS = 1000;

export interface BuildIncidentReportOptions {
  lang?: ReportLang;
  now?: Date;
  /** Shown as the coverage section (the CLI computes it with the inert simulation). */
  coverage?: CoverageMatrix;
}

const iso = (d: Date | string): string => (typeof d === 'string' ? d : d.toISOString());

/**
 * A pure function of the correlated view and the run history: the incident report model.
 *
 * @example
 * const view = await buildIncidentView(store, 7);
 * const report = buildIncidentReport(view, await readChecklistContext(store), { lang: 'ja' });
 * writeFileSync('incident-7.html', renderIncidentHtml(report));
 */
export function buildIncidentReport(
  view: IncidentView,
  ctx: ChecklistContext,
  options: BuildIncidentReportOptions = {},
): IncidentReport {
  const lang = options.lang ?? 'en';
  if (!REPORT_LANGS.includes(lang)) {
    throw new ConfigError('E_REPORT_LANG', `unknown report language "${String(lang)}"`);
  }
  const inc = view.incident;
  const times = view.timeline.map((t) => t.at).sort();
  const worst = view.findings.reduce<Severity | null>(
    (w, f) => (w === null || severityRank(f.severity) > severityRank(w) ? f.severity : w),
    null,
  );
  return {
    kind: 'incident',
    lang,
    generatedAt: (options.now ?? new Date()).toISOString(),
    incident: {
      id: inc.id,
      title: inc.title,
      severity: inc.severity,
      status: inc.status,
      kind: inc.kind,
      subject: inc.subject,
      owner: inc.owner,
      host: view.host?.name ?? null,
      steps: inc.steps,
      createdAt: iso(inc.createdAt),
      updatedAt: iso(inc.updatedAt),
    },
    summary: {
      findings: view.findings.length,
      worstSeverity: worst,
      firstSeen: times[0] ?? null,
      lastSeen: times.at(-1) ?? null,
      stepsObserved: view.progression.filter((p) => p.observed).map((p) => p.step),
      hosts: view.scope.hosts.length,
      users: view.scope.users.length,
      mailboxes: view.scope.mailboxes.length,
      externalContacts: view.scope.externalContacts.length,
      lateralEdges: view.scope.lateral.length,
      iocs: view.iocs.length,
      sharedIndicators: view.scope.shared.length,
    },
    progression: STEPS.map((step) => {
      const p = view.progression.find((x) => x.step === step) ?? emptyStep(step);
      return { ...p, mark: STEP_INFO[step].mark, name: STEP_INFO[step][lang] };
    }),
    timeline: view.timeline.slice(0, MAX_INCIDENT_TIMELINE),
    timelineOmitted: Math.max(0, view.timeline.length - MAX_INCIDENT_TIMELINE),
    scope: view.scope,
    processTree: view.processTree,
    iocs: view.iocs.slice(0, MAX_INCIDENT_IOCS),
    iocsOmitted: Math.max(0, view.iocs.length - MAX_INCIDENT_IOCS),
    attackByStep: attackByStep(view, lang),
    layers: layerRows(view),
    mails: view.mails,
    checklist: buildChecklist(view, ctx, lang),
    notes: (ctx.notes ?? []).map((n) => ({ author: n.author, text: n.text, at: iso(n.createdAt) })),
    ...(options.coverage ? { coverage: options.coverage } : {}),
  };
}

function emptyStep(step: Step): StepObservation {
  return {
    step,
    observed: false,
    layers: [],
    firstSeen: null,
    lastSeen: null,
    findings: 0,
    worstSeverity: null,
    blocked: false,
  };
}

/** Technique counts per step from the findings themselves, so a technique seen at ③ and ④ shows twice. */
function attackByStep(view: IncidentView, lang: ReportLang): StepTechniques[] {
  const counts = new Map<Step, Map<string, number>>();
  for (const f of view.findings) {
    const byId = counts.get(f.step) ?? new Map<string, number>();
    counts.set(f.step, byId);
    for (const id of new Set(f.attack)) byId.set(id, (byId.get(id) ?? 0) + 1);
  }
  return STEPS.filter((s) => counts.has(s)).map((step) => ({
    step,
    mark: STEP_INFO[step].mark,
    name: STEP_INFO[step][lang],
    techniques: [...counts.get(step)!]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, findings]) => ({
        id,
        name: techniqueName(id) ?? null,
        tactics: tacticsOf(id).map((t) => t.name),
        findings,
      })),
  }));
}

function layerRows(view: IncidentView): LayerRow[] {
  const layerById = new Map(view.timeline.map((t) => [t.findingId, t.layer]));
  return LAYERS.flatMap((layer) => {
    const here = view.findings
      .filter((f) => (layerById.get(f.id) ?? layerOf(f.ruleId)) === layer)
      .sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
    const blockedSteps = view.progression
      .filter((p) => p.blocked && p.layers.includes(layer))
      .map((p) => p.step);
    if (here.length === 0 && blockedSteps.length === 0) return [];
    return [
      {
        layer,
        findings: here.length,
        steps: STEPS.filter((s) => here.some((f) => f.step === s)),
        blockedSteps,
        worstSeverity: here[0]?.severity ?? null,
        topFindings: [...new Set(here.map((f) => f.title))].slice(0, 3),
      },
    ];
  });
}
