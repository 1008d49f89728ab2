import { clipText, STEP_INFO, type Step } from '../core/index.js';
import { layerOf, type IncidentView, type Layer } from '../correlate/index.js';
import type { FindingRecord, IncidentStatus } from '../store/index.js';
import { CHECKLIST_TEXT, type ChecklistTaskId, type EvidencePhrases } from './checklist-text.js';
import { INCIDENT_LABELS, type TaskStatus } from './incident-labels.js';
import type { ReportLang } from './labels.js';
import { formatEvidence, formatTime } from './text.js';

export interface ChecklistTask {
  id: ChecklistTaskId;
  title: string;
  how: string;
  status: TaskStatus;
  /** Auto-filled from the store: raw input inside, escaped by each renderer. */
  evidence: string[];
}

/** A stored run of a verb and the hosts its results were stored for. */
export interface IncidentRun {
  scanId: number;
  command: string;
  startedAt: string;
  inputs: number;
  hosts: string[];
  /** What it checked on those hosts: their state (`triage`: snapshots, dumps) or their logs (`hunt`). */
  kinds: Array<'triage' | 'hunt'>;
}

export interface ChecklistContext {
  runs: readonly IncidentRun[];
  /** Every host name the store knows, for the sweep task. */
  allHosts: readonly string[];
  /** The incident's notes, shown in the report (not used to derive statuses). */
  notes?: ReadonlyArray<{ author: string; text: string; createdAt: Date | string }>;
}

/** Characters per evidence line: a checklist cites, the timeline and findings show the whole text. */
export const MAX_EVIDENCE_LINE = 240;
/** Evidence lines per task; the rest is summarised as "… and N more". */
export const MAX_TASK_EVIDENCE = 12;

const STATUS_ORDER: readonly IncidentStatus[] = [
  'new',
  'investigating',
  'contained',
  'remediated',
  'closed',
];
const atLeast = (s: IncidentStatus, min: IncidentStatus) =>
  STATUS_ORDER.indexOf(s) >= STATUS_ORDER.indexOf(min);

/** Families Emotet is known to drop (JPCERT/CC, CISA AA20-280A), as finding text names them. */
const SECONDARY_FAMILIES: ReadonlyArray<[string, RegExp]> = [
  ['TrickBot', /trick ?bot/i],
  ['QakBot', /q(?:a|ua)?k ?bot|\bqbot\b/i],
  ['IcedID', /iced ?id|bokbot/i],
  ['Ursnif', /ursnif|gozi|\bisfb\b/i],
  ['Cobalt Strike', /cobalt ?strike/i],
  ['Ransomware', /ransom|\bryuk\b|\bconti\b|lockbit/i],
];

/**
 * The JPCERT/CC Emotet response checklist for one incident, each task with a status derived from the
 * evidence where the store can tell (a network hunt for the host → C2 check done; triage of every
 * host → sweep done; incident status contained → isolation done) and the evidence lines that support it.
 * Tasks that only a person can confirm (passwords changed, partners warned) stay "to do" until the
 * incident is marked remediated, or are n/a when no code ran on the host.
 */
export function buildChecklist(
  view: IncidentView,
  ctx: ChecklistContext,
  lang: ReportLang,
): ChecklistTask[] {
  const text = CHECKLIST_TEXT[lang];
  const E = text.evidence;
  const L = INCIDENT_LABELS[lang];
  const status = view.incident.status;
  const host = view.host?.name ?? view.scope.hosts[0] ?? null;
  const reached = (step: Step) =>
    view.progression.some((p) => p.step === step && p.observed && !p.blocked);
  const layerById = new Map(view.timeline.map((t) => [t.findingId, t.layer]));
  const layerOfFinding = (f: FindingRecord): Layer => layerById.get(f.id) ?? layerOf(f.ruleId);
  const hostFindings = view.findings.filter((f) => layerOfFinding(f) === 'endpoint');
  const triageFindings = view.findings.filter((f) => f.ruleId.startsWith('triage.'));
  const deepFindings = view.findings.filter((f) => layerOfFinding(f) === 'memory');
  const netFindings = view.findings.filter((f) => layerOfFinding(f) === 'network');
  const isExecuted = reached('3') || reached('4') || reached('5');
  const isInfected =
    reached('5') ||
    reached('6') ||
    reached('post') ||
    triageFindings.length > 0 ||
    deepFindings.length > 0;
  const runsFor = (kind: 'triage' | 'hunt') =>
    ctx.runs.filter((r) => r.kinds.includes(kind) && host !== null && r.hosts.includes(host));
  const runLine = (r: IncidentRun) => E.run(r.command, r.scanId, formatTime(r.startedAt), r.inputs);
  const statusLine = E.status(L.statuses[status]);
  const notReached = E.notReached(
    view.progression
      .filter((p) => p.observed)
      .map((p) => STEP_INFO[p.step].mark)
      .join(' ') || '–',
  );

  const tasks: Array<Omit<ChecklistTask, 'title' | 'how'>> = [];
  const add = (id: ChecklistTaskId, s: TaskStatus, evidence: string[]) =>
    tasks.push({ id, status: s, evidence: capEvidence(evidence, E) });
  const hostLine = host === null ? [] : [E.hostIs(host)];

  // Isolation and evidence preservation.
  if (!isExecuted && !isInfected) add('isolate', 'na', [notReached]);
  else add('isolate', atLeast(status, 'contained') ? 'done' : 'todo', [statusLine, ...hostLine]);

  // EmoCheck confirmation and removal.
  const triageRuns = runsFor('triage');
  if (!isExecuted && !isInfected) add('emocheck', 'na', [notReached]);
  else {
    const isDone =
      triageRuns.length > 0 && (triageFindings.length === 0 || atLeast(status, 'remediated'));
    add('emocheck', isDone ? 'done' : 'todo', [
      ...(triageRuns.length > 0 ? triageRuns.map(runLine) : [E.noRun('triage')]),
      ...triageFindings.map(findingLine),
    ]);
  }

  const personTask = (id: ChecklistTaskId, evidence: string[]) => {
    if (!isInfected) add(id, 'na', [notReached]);
    else add(id, atLeast(status, 'remediated') ? 'done' : 'todo', [statusLine, ...evidence]);
  };
  personTask('mail-password', [E.mailboxes(list(view.scope.mailboxes))]);
  personTask('credentials', [...hostLine, E.users(list(view.scope.users))]);

  // Sweep every host: done when every known host has a triage run.
  const triaged = new Set(
    ctx.runs.filter((r) => r.kinds.includes('triage')).flatMap((r) => r.hosts),
  );
  const missing = ctx.allHosts.filter((h) => !triaged.has(h));
  const sharedLines = view.scope.shared.map((s) => E.shared(s.kind, s.value, list(s.others)));
  add('sweep', ctx.allHosts.length > 0 && missing.length === 0 ? 'done' : 'todo', [
    E.triaged(ctx.allHosts.length - missing.length, ctx.allHosts.length),
    ...(missing.length > 0 ? [E.notTriaged(list(missing))] : []),
    ...sharedLines,
  ]);

  // C2 in proxy/firewall logs: done when a network hunt ran for the host or found its traffic.
  const huntRuns = runsFor('hunt');
  if (!isExecuted && !isInfected) add('c2-logs', 'na', [notReached]);
  else {
    add('c2-logs', netFindings.length > 0 || huntRuns.length > 0 ? 'done' : 'todo', [
      ...(huntRuns.length > 0 ? huntRuns.map(runLine) : [E.noRun('hunt')]),
      ...netFindings.map(findingLine),
      ...sharedLines.filter((_, i) => view.scope.shared[i]!.kind === 'c2'),
    ]);
  }

  // Secondary infections: named families are work to do; a memory or host check without them is done.
  const families = findFamilies(view.findings);
  if (!isInfected) add('secondary', 'na', [notReached]);
  else if (families.length > 0 || reached('post')) {
    add('secondary', 'todo', [
      ...families.map(([name, f]) => E.family(name, findingLine(f))),
      ...view.findings.filter((f) => f.step === 'post').map(findingLine),
    ]);
  } else {
    const checked = deepFindings.length > 0 || triageRuns.length > 0;
    add('secondary', checked ? 'done' : 'todo', [
      E.noFamily,
      ...triageRuns.map(runLine),
      ...hostFindings.slice(0, 3).map(findingLine),
    ]);
  }

  const contacts = view.scope.externalContacts;
  const impersonated = contacts.filter((c) => c.reasons.includes('impersonated')).length;
  if (!isInfected) add('outbound-mail', 'na', [notReached]);
  else {
    add('outbound-mail', 'todo', [
      E.mailboxes(list(view.scope.mailboxes)),
      E.mailsSeen(view.mails.length),
      ...(impersonated > 0 ? [E.impersonated(impersonated)] : []),
    ]);
  }

  if (!isInfected && contacts.length === 0) add('notify', 'na', [notReached]);
  else {
    add('notify', 'todo', [
      E.contacts(contacts.length),
      ...contacts.map((c) => `${c.address} (${c.reasons.map((r) => L.reasons[r]).join(', ')})`),
    ]);
  }

  personTask('reimage', hostLine);

  const prevention: string[] = [];
  for (const p of view.progression) {
    if (!p.observed) continue;
    const layers = p.layers.map((l) => L.layers[l]).join(', ');
    if (p.blocked) prevention.push(E.stopped(STEP_INFO[p.step].mark, layers));
    else {
      prevention.push(E.reached(STEP_INFO[p.step].mark, STEP_INFO[p.step][lang]));
      const advice = text.prevention[p.step as keyof typeof text.prevention];
      if (advice !== undefined) prevention.push(advice);
    }
  }
  add('prevention', 'todo', prevention);

  if (!isInfected) add('privacy', 'na', [notReached]);
  else {
    add('privacy', 'todo', [E.mailboxes(list(view.scope.mailboxes)), E.contacts(contacts.length)]);
  }

  return tasks.map((t) => ({ ...t, ...text.tasks[t.id] }));
}

function findingLine(f: FindingRecord): string {
  const first = f.evidence[0];
  const where = f.host === null ? f.artifactPath : `${f.host} ${f.artifactPath}`;
  const line = `#${f.id} ${f.ruleId} — ${f.title} [${where}]${first ? `: ${formatEvidence(first)}` : ''}`;
  return clipText(line, MAX_EVIDENCE_LINE);
}

function findFamilies(findings: readonly FindingRecord[]): Array<[string, FindingRecord]> {
  const out: Array<[string, FindingRecord]> = [];
  for (const [name, re] of SECONDARY_FAMILIES) {
    const hit = findings.find(
      (f) =>
        re.test(f.ruleId) ||
        re.test(f.title) ||
        f.evidence.some((e) => re.test(e.text ?? '') || re.test(e.note ?? '')),
    );
    if (hit !== undefined) out.push([name, hit]);
  }
  return out;
}

const list = (values: readonly string[]): string =>
  values.length === 0
    ? '–'
    : values.length <= 10
      ? values.join(', ')
      : `${values.slice(0, 10).join(', ')}, …`;

function capEvidence(lines: string[], E: EvidencePhrases): string[] {
  if (lines.length <= MAX_TASK_EVIDENCE) return lines;
  return [...lines.slice(0, MAX_TASK_EVIDENCE), E.more(lines.length - MAX_TASK_EVIDENCE)];
}
