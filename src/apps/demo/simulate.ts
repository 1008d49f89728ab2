/**
 * Runs the simulation through the real layers in process and measures the coverage matrix: the scan
 * pipeline for mails, documents, memory images and host snapshots (with the gateway's policy deciding
 * what a mail gets), content disarm for attachments and documents, and the hunt engines (bundled Sigma
 * rules, the chain detector, threat intel from the demo's feeds) for Windows and network logs. The
 * matrix is whatever the engines returned: nothing here decides a cell.
 */
import { layerOf } from '../../correlate/index.js';
import {
  buildCoverageMatrix,
  type CoverageMatrix,
  type CoverageLayer,
  type LayerObservation,
  type ObservedFinding,
} from '../../correlate/coverage/index.js';
import {
  DEFAULT_LIMITS,
  emptyExtracted,
  sha256Hex,
  walkResults,
  type Detection,
  type Engine,
  type Finding,
  type Limits,
  type LogEvent,
  type ScanResult,
} from '../../core/index.js';
import { createChainEngine } from '../../engines/chain/index.js';
import { createEmotetConfigEngine } from '../../engines/emotet-config/index.js';
import {
  createIocHuntEngine,
  loadIocSet,
  type IocInput,
  type IocSet,
} from '../../engines/ioc/index.js';
import { createSigmaEngine, type LoadedRuleSet } from '../../engines/sigma/index.js';
import { IntelParser } from '../../formats/intel/index.js';
import { readNetlog } from '../../formats/netlog/index.js';
import { readWinlogJson } from '../../formats/winlog-json/index.js';
import {
  decide,
  DEFAULT_POLICY,
  disarmInput,
  ENGINES,
  huntResult,
  runHunt,
  scanInput,
  type Policy,
} from '../../pipeline/index.js';
import { demoIntelFeeds } from './network.js';
import { buildSimulation, type SimulationInput, type SimulationScenario } from './scenarios.js';

export interface SimulationOptions {
  /** The Sigma rules to hunt Windows logs with (the bundled pack, loaded by the caller). */
  sigma: LoadedRuleSet;
  /** Scan engines; default every registered engine, with emotet-config accepting TEST-NET (see below). */
  engines?: readonly Engine[];
  policy?: Policy;
  limits?: Readonly<Limits>;
  /** Built once by the caller when running several times (benchmarks); else from demoIntelFeeds(). */
  intel?: IocSet;
}

/** One input's raw outcome, kept for `coverage --ocsf` and the demo store. */
export interface SimulationOutcome {
  scenario: string;
  input: SimulationInput;
  result: ScanResult;
}

export interface SimulationRun {
  scenarios: SimulationScenario[];
  matrix: CoverageMatrix;
  outcomes: SimulationOutcome[];
}

/**
 * The default scan engines for the simulation. The emotet-config engine ignores RFC 5737 addresses in
 * production (a C2 table of documentation addresses is a test artefact); the simulation's C2 servers
 * are TEST-NET by construction, so here it accepts them. That is the only difference from `scan`.
 */
export function simulationEngines(base: readonly Engine[] = ENGINES): Engine[] {
  return base.map((e) =>
    e.name === 'emotet-config' ? createEmotetConfigEngine({ allowDocumentationRanges: true }) : e,
  );
}

export async function loadDemoIntel(): Promise<IocSet> {
  const inputs: IocInput[] = [];
  for (const feed of demoIntelFeeds()) {
    const parser = new IntelParser({ name: feed.name });
    inputs.push(...parser.push(new TextEncoder().encode(feed.text)), ...parser.end());
  }
  return loadIocSet(inputs);
}

export async function runSimulation(options: SimulationOptions): Promise<SimulationRun> {
  const scenarios = await buildSimulation();
  const engines = options.engines ?? simulationEngines();
  const limits = options.limits ?? DEFAULT_LIMITS;
  const policy = options.policy ?? DEFAULT_POLICY;
  const intel = options.intel ?? (await loadDemoIntel());
  const observations = new Map<string, LayerObservation[]>();
  const outcomes: SimulationOutcome[] = [];
  const resolved: ResolvedOptions = { ...options, engines, limits, policy, intel };
  for (const scenario of scenarios) {
    const seen: LayerObservation[] = [];
    for (const input of scenario.inputs) {
      const run = await analyzeInput(input, resolved);
      seen.push(...run.observations);
      outcomes.push({ scenario: scenario.id, input, result: run.result });
    }
    observations.set(scenario.id, seen);
  }
  return { scenarios, matrix: buildCoverageMatrix(scenarios, observations), outcomes };
}

export interface ResolvedOptions extends SimulationOptions {
  engines: readonly Engine[];
  limits: Readonly<Limits>;
  policy: Policy;
  intel: IocSet;
}

/**
 * One input through its layer: what the layer returned as a scan result (for the store) and as
 * observations (for the matrix). Also how `emoguard demo` analyses its corpus.
 */
export async function analyzeInput(
  input: SimulationInput,
  options: ResolvedOptions,
): Promise<{ observations: LayerObservation[]; result: ScanResult }> {
  switch (input.kind) {
    case 'windows-log':
    case 'network-log':
      return hunt(input, options);
    case 'disarm':
      return disarm(input, options);
    default:
      return scan(input, options);
  }
}

const LAYER_OF_SCAN: Record<string, CoverageLayer> = {
  document: 'document',
  memory: 'memory',
  snapshot: 'response',
};

async function scan(input: SimulationInput, options: ResolvedOptions) {
  const result = await scanInput(
    { path: input.path, bytes: input.bytes },
    { engines: options.engines, limits: options.limits },
  );
  const isRead = !result.findings.some((f) => f.id === 'scan.parse-error');
  if (input.kind !== 'mail') {
    const layer = LAYER_OF_SCAN[input.kind]!;
    const findings = allFindings(result, () => true);
    return { result, observations: [{ layer, inputs: [input.path], isRead, findings }] };
  }
  const decision = decide(result, options.policy);
  const isBlocked = decision.action === 'quarantine' || decision.action === 'reject';
  const mail: LayerObservation = {
    layer: 'mail',
    inputs: [input.path],
    isRead,
    findings: allFindings(result, (f) => layerOf(f.id) === 'mail'),
    ...(isBlocked ? { blocked: { action: decision.action, reasons: decision.reasons } } : {}),
  };
  // The document layer sees what the mail carried: attachments and archive members, when there are any.
  const carried = [...walkResults(result)].filter(([node]) => node !== result).map(([n]) => n.path);
  const document: LayerObservation = {
    layer: 'document',
    inputs: carried,
    isRead: carried.length > 0,
    findings: allFindings(result, (f) => layerOf(f.id) !== 'mail'),
  };
  return { result, observations: [mail, document] };
}

async function disarm(input: SimulationInput, options: ResolvedOptions) {
  const report = await disarmInput(
    { path: input.path, bytes: input.bytes },
    { engines: options.engines, limits: options.limits },
  );
  // A type with no disarmer is not a judgement on the document: the layer did not handle it (None).
  const isUnsupported = report.status === 'refused' && report.refusal === 'unsupported';
  const findings = isUnsupported ? [] : report.findings.map((f) => observed(f, input.path));
  const observation: LayerObservation = {
    layer: 'disarm',
    inputs: [input.path],
    isRead: !isUnsupported,
    findings,
    ...(report.status === 'disarmed'
      ? {
          blocked: {
            action: 'disarm',
            reasons: report.removed.map((r) => `${r.kind} removed at ${r.location}`),
          },
        }
      : {}),
    ...(report.status === 'refused' && report.reason ? { note: report.reason } : {}),
  };
  const result: ScanResult = {
    path: input.path,
    sha256: report.sha256,
    size: report.size,
    type: report.inputType,
    verdict: 'clean',
    findings: report.findings,
    extracted: emptyExtracted(),
    children: [],
  };
  return { result, observations: [observation] };
}

async function hunt(input: SimulationInput, options: ResolvedOptions) {
  const isWindows = input.kind === 'windows-log';
  const events: LogEvent[] = [];
  if (isWindows) {
    for (const item of readWinlogJson(input.bytes, { path: input.path })) {
      if (item.type === 'event') events.push(item.event);
    }
  } else {
    for await (const e of readNetlog([input.bytes], { path: input.path })) events.push(e);
  }
  // Fresh engines per log: correlations and the chain detector keep state between events.
  const engines = isWindows
    ? [createSigmaEngine(options.sigma), createChainEngine()]
    : [createIocHuntEngine({ iocs: options.intel })];
  const detections: Detection[] = [];
  for await (const d of runHunt(events, engines)) detections.push(d);
  const result = huntResult(
    { path: input.path, sha256: sha256Hex(input.bytes), size: input.bytes.length, type: 'jsonl' },
    detections,
    options.limits.maxEvidenceChars,
  );
  const layer: CoverageLayer = isWindows ? 'endpoint' : 'network';
  return {
    result,
    observations: [
      {
        layer,
        inputs: [input.path],
        isRead: events.length > 0,
        findings: result.findings.map((f) => observed(f, input.path)),
      },
    ],
  };
}

function allFindings(result: ScanResult, keep: (f: Finding) => boolean): ObservedFinding[] {
  const out: ObservedFinding[] = [];
  for (const [node] of walkResults(result)) {
    for (const f of node.findings) if (keep(f)) out.push(observed(f, node.path));
  }
  return out;
}

function observed(f: Finding, source: string): ObservedFinding {
  const text = f.evidence.find((e) => e.text)?.text;
  return {
    id: f.id,
    title: f.title,
    severity: f.severity,
    step: f.step,
    attack: [...f.attack],
    source,
    ...(text ? { evidence: text.slice(0, 160) } : {}),
  };
}
