/**
 * @module demo — the inert simulated Emotet incident behind `emoguard demo` and `make demo`, and the
 * simulation behind `emoguard coverage` (issue 8, "Coverage matrix"): one scenario per sub-step of
 * ①…⑥ and post-infection in every layer's input format, run through the real layers in process.
 *
 * @example
 * for (const file of await buildDemoCorpus()) console.log(file.path, file.what);
 * const { matrix } = await runSimulation({ sigma });
 */
export { buildDemoCorpus } from './corpus.js';
export type { DemoFile } from './corpus.js';
export { DEMO_MAIL, DEMO_POWERSHELL, demoMacroModules } from './content.js';
export { DEMO_HOST } from './host.js';
export { demoIntelFeeds } from './network.js';
export { buildSimulation } from './scenarios.js';
export type { SimulationInput, SimulationInputKind, SimulationScenario } from './scenarios.js';
export { analyzeInput, loadDemoIntel, runSimulation, simulationEngines } from './simulate.js';
export type {
  ResolvedOptions,
  SimulationOptions,
  SimulationOutcome,
  SimulationRun,
} from './simulate.js';
