import { parentTechnique, severityRank, tacticsOf } from '../../core/index.js';
import {
  COVERAGE_LAYERS,
  DETECTION_CATEGORIES,
  type CellCategory,
  type CellFinding,
  type CoverageCell,
  type CoverageLayer,
  type CoverageMatrix,
  type CoverageScenario,
  type DetectionCategory,
  type LayerObservation,
  type ObservedFinding,
} from './types.js';

/** `T1059` and `T1059.001` name the same technique; `T1059.005` and `T1059.001` do not. */
function isSameTechnique(cited: string, expected: string): boolean {
  return (
    cited === expected || parentTechnique(cited) === expected || cited === parentTechnique(expected)
  );
}

/**
 * The category one finding earns for a scenario whose technique is `expected`:
 * - `technique`: severity low or above and it cites `expected` (or its parent, or a sub-technique of it
 *   when `expected` is a parent): the layer said what happened, as precisely as ATT&CK allows;
 * - `tactic`: severity low or above and it cites a technique of one of `expected`'s tactics: the layer
 *   said why (execution, persistence…) but not how;
 * - `general`: severity low or above without either: something malicious or abnormal, no ATT&CK match;
 * - `telemetry`: severity info: a recorded fact (a macro is present, a shortcut's metadata) that an
 *   analyst can find, with no judgement attached.
 * `scan.*` bookkeeping (limits, parse errors) is not a detection: it is left out before this.
 */
export function categoryOfFinding(finding: ObservedFinding, expected: string): DetectionCategory {
  if (finding.severity === 'info') return 'telemetry';
  if (finding.attack.some((t) => isSameTechnique(t, expected))) return 'technique';
  const wanted = new Set(tacticsOf(expected).map((t) => t.uid));
  if (finding.attack.some((t) => tacticsOf(t).some((tactic) => wanted.has(tactic.uid))))
    return 'tactic';
  return 'general';
}

const rank = (c: DetectionCategory) => DETECTION_CATEGORIES.indexOf(c);

/**
 * One cell: the best category any finding of the layer earns; `telemetry` when the layer read its input
 * (the mail parsed, the events were read, the snapshot loaded) and judged nothing; `none` when it was given
 * input and returned nothing at all; `n/a` when the simulation gave it no input for this sub-step.
 * `blocked` is orthogonal (ATT&CK Evaluations' protection results): the gateway quarantined or rejected the
 * mail, or the disarm layer removed the active content, whatever the detection category.
 */
export function classifyCell(
  scenario: CoverageScenario,
  observation: LayerObservation | undefined,
): CoverageCell {
  if (!observation || observation.inputs.length === 0) {
    return {
      category: 'n/a',
      inputs: [],
      findings: [],
      ...(observation?.note ? { note: observation.note } : {}),
    };
  }
  const findings: CellFinding[] = observation.findings
    .filter((f) => !f.id.startsWith('scan.'))
    .map((f) => ({ ...f, category: categoryOfFinding(f, scenario.technique) }))
    .sort(
      (a, b) =>
        rank(b.category) - rank(a.category) ||
        severityRank(b.severity) - severityRank(a.severity) ||
        a.id.localeCompare(b.id) ||
        a.source.localeCompare(b.source),
    );
  let category: CellCategory = observation.isRead ? 'telemetry' : 'none';
  const best = findings[0]?.category;
  if (best !== undefined && rank(best) > rank(category as DetectionCategory)) category = best;
  return {
    category,
    inputs: [...observation.inputs],
    findings,
    ...(observation.blocked ? { blocked: observation.blocked } : {}),
    ...(observation.note ? { note: observation.note } : {}),
  };
}

/** The matrix from what every layer returned on every scenario (`observations` keyed by scenario id). */
export function buildCoverageMatrix(
  scenarios: readonly CoverageScenario[],
  observations: ReadonlyMap<string, readonly LayerObservation[]>,
): CoverageMatrix {
  const rows = scenarios.map((scenario) => {
    const seen = observations.get(scenario.id) ?? [];
    const cells = {} as Record<CoverageLayer, CoverageCell>;
    for (const layer of COVERAGE_LAYERS) {
      cells[layer] = classifyCell(
        scenario,
        mergeObservations(seen.filter((o) => o.layer === layer)),
      );
    }
    // Only the declared fields: a caller's scenario may carry more (the simulation's input bytes, MBs
    // of them in `coverage --json` and in every report otherwise).
    const { id, step, title, technique } = scenario;
    return { scenario: { id, step, title: { en: title.en, ja: title.ja }, technique }, cells };
  });
  return { schema: 'emoguard.coverage/1', layers: COVERAGE_LAYERS, rows };
}

/** A layer that saw several inputs of one scenario: their findings together, read if any was read. */
function mergeObservations(list: readonly LayerObservation[]): LayerObservation | undefined {
  const [first, ...rest] = list;
  if (!first) return undefined;
  const merged: LayerObservation = {
    ...first,
    inputs: [...first.inputs],
    findings: [...first.findings],
  };
  for (const o of rest) {
    merged.inputs.push(...o.inputs);
    merged.findings.push(...o.findings);
    merged.isRead ||= o.isRead;
    merged.blocked ??= o.blocked;
    if (o.note) merged.note = merged.note ? `${merged.note}; ${o.note}` : o.note;
  }
  return merged;
}

/** Per category (and `blocked`), how many cells: the summary line under the table. */
export function summarizeCoverage(
  matrix: CoverageMatrix,
): Record<CellCategory | 'blocked', number> {
  const counts = { 'n/a': 0, blocked: 0 } as Record<CellCategory | 'blocked', number>;
  for (const c of DETECTION_CATEGORIES) counts[c] = 0;
  for (const row of matrix.rows) {
    for (const layer of matrix.layers) {
      const cell = row.cells[layer];
      counts[cell.category]++;
      if (cell.blocked) counts.blocked++;
    }
  }
  return counts;
}

/**
 * The best detection category reached for each scenario over all layers, and whether some layer blocked
 * it: what the ATT&CK Navigator layer colours each technique by.
 */
export function bestPerScenario(
  matrix: CoverageMatrix,
): Map<string, { category: CellCategory; isBlocked: boolean }> {
  const out = new Map<string, { category: CellCategory; isBlocked: boolean }>();
  for (const row of matrix.rows) {
    let category: CellCategory = 'n/a';
    let isBlocked = false;
    for (const layer of matrix.layers) {
      const cell = row.cells[layer];
      isBlocked ||= cell.blocked !== undefined;
      if (cell.category === 'n/a') continue;
      if (category === 'n/a' || rank(cell.category) > rank(category)) category = cell.category;
    }
    out.set(row.scenario.id, { category, isBlocked });
  }
  return out;
}
