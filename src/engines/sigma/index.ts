/**
 * @module sigma — a Sigma rule engine for Windows event logs, after the Sigma specification 2.x
 * (SigmaHQ/sigma-specification: rules 2.0, modifiers appendix 2.1, correlation rules 2.0, filters 2.0).
 * Rules are YAML text (apps read the files); the loader refuses unsupported features loudly, per rule,
 * with coded, positioned errors; the engine matches events in the evtx-rs JSON layout through a
 * `find(field)` document, with logsource → channel/EventID mappings as data, a (channel, EventID) index
 * and an Aho-Corasick literal prefilter, and evaluates v2 correlations at `finish()`. A loaded set
 * packs into plain data (`packSigmaRules`) that another thread unpacks without YAML, its closures
 * built on first use (`unpackSigmaRules`), prefilter included.
 *
 * @example
 * const mapping = parseSigmaMapping(mappingText, 'rules/mappings/sigma-windows.yml');
 * const set = loadSigmaRules([{ path: 'rules/x.yml', text }], { mapping });
 * const engine = createSigmaEngine(set);
 * const detections = [...events.flatMap((e) => engine.match(e)), ...(engine.finish?.() ?? [])];
 */
export {
  createSigmaEngine,
  sigmaPrefilterTables,
  type SigmaEngine,
  type SigmaEngineOptions,
  type SigmaEngineStats,
} from './engine.js';
export {
  loadSigmaRules,
  type LoadedRuleSet,
  type RuleSource,
  type SigmaLoadOptions,
} from './loader.js';
export { parseSigmaMapping, type SigmaMapping } from './mapping.js';
export {
  packSigmaRules,
  SIGMA_PACK_VERSION,
  unpackSigmaRules,
  type PackedRuleSet,
} from './pack.js';
export { SUPPORTED_MODIFIERS } from './modifiers.js';
export { DEFAULT_SIGMA_LIMITS, resolveSigmaLimits, type SigmaLimits } from './limits.js';
export { runRuleTests, type RuleTestReport } from './rule-tests.js';
export { stepForTags, attackIds } from './attack-steps.js';
export { EventDocument } from './document.js';
export type { SigmaCorrelation, SigmaRule } from './types.js';
