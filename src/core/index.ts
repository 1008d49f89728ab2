/**
 * @module core — emoguard's shared vocabulary: artifacts, findings, kill-chain steps, ATT&CK ids, verdict
 * policy, limits and coded errors. Imports Node built-ins only; every other layer imports this.
 */
export * from './anomaly.js';
export * from './artifact.js';
export * from './attack.js';
export * from './bytes.js';
export * from './engine.js';
export * from './errors.js';
export * from './extracted.js';
export * from './filetype.js';
export * from './finding.js';
export * from './hash.js';
export * from './hunt.js';
export * from './ioc-types.js';
export * from './limits.js';
export * from './scan-findings.js';
export * from './scan-result.js';
export * from './severity.js';
export * from './steps.js';
export * from './verdict.js';
