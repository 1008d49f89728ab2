/**
 * @module pipeline — orchestration: sniff each artifact's type, run the engines registered for it, feed
 * extracted children back in recursively under `Limits` (depth, total bytes, members, ratio, time).
 *
 * @example
 * const result = await scanInput({ path: 'invoice.doc', bytes });
 * result.verdict // 'malicious'
 */
export { boundFindings, scanInput } from './scan.js';
export type { ScanInput, ScanOptions } from './scan.js';
export { ENGINES } from './registry.js';
export { ACTIONS, decide, DEFAULT_POLICY, DISARM_FALLBACKS, resolvePolicy } from './policy.js';
export type { Action, Decision, DisarmFallback, Policy } from './policy.js';
export { newHuntStats, runHunt } from './hunt.js';
export type { HuntStats } from './hunt.js';
export {
  MAX_TREE_PROCESSES,
  ProcessTreeIndex,
  renderProcessTree,
  type ProcessTree,
  type ProcessTreeNode,
} from './hunt-tree.js';
export { huntResult, MAX_EVIDENCE_PER_RULE } from './hunt-results.js';
export type { HuntInputInfo } from './hunt-results.js';
export { disarmInput } from './disarm.js';
export type { DisarmInput, DisarmReport, DisarmRunOptions } from './disarm.js';
