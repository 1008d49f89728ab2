/**
 * @module correlate/coverage — the measured coverage matrix (issue 8 "Coverage matrix"): sub-steps of the
 * Emotet kill chain × emoguard's layers, each cell an ATT&CK Evaluations detection category
 * (https://attack.mitre.org/resources/adversary-emulation-plans/ and the Evaluations' detection
 * categories: None, Telemetry, General, Tactic, Technique) plus Blocked, decided from what the layers
 * returned on the inert simulation. Pure: the runner lives in apps/demo, the renderers here serve the CLI,
 * the report and the dashboard. Also the matrix as an ATT&CK Navigator layer (format 4.5).
 *
 * @example
 * const matrix = buildCoverageMatrix(scenarios, observations);
 * console.log(renderCoverageTable(matrix, 'en'));
 */
export {
  bestPerScenario,
  buildCoverageMatrix,
  categoryOfFinding,
  classifyCell,
  summarizeCoverage,
} from './classify.js';
export {
  toCoverageNavigatorLayer,
  type CoverageNavigatorLayer,
  type NavigatorTechnique,
} from './navigator.js';
export {
  CATEGORY_MARK,
  coverageLegend,
  coverageSummary,
  coverageTitle,
  displayWidth,
  layerLabel,
  renderCell,
  renderCoverageTable,
  type CoverageLang,
} from './render.js';
export {
  COVERAGE_LAYERS,
  DETECTION_CATEGORIES,
  type CellCategory,
  type CellFinding,
  type CoverageCell,
  type CoverageLayer,
  type CoverageMatrix,
  type CoverageRow,
  type CoverageScenario,
  type DetectionCategory,
  type LayerObservation,
  type LocalText,
  type ObservedFinding,
} from './types.js';
