/**
 * @module hunt-runner — `emoguard hunt` on all cores: EVTX files are parsed chunk by chunk ([MS-EVEN6]
 * 2.3: each 64 KiB chunk holds its own string and template tables, so chunks parse independently) in
 * worker threads that also run the single-event Sigma rules; the main thread runs correlations, the chain
 * and intel engines over the events in record order, so output is the same as with one thread.
 *
 * @example
 * const pool = new HuntPool(4, { sources, mappingText, mappingName });
 * for await (const { event, detections } of pool.events('Security.evtx')) …
 * await pool.close();
 */
export { CHUNKS_IN_FLIGHT_PER_WORKER, HuntPool } from './pool.js';
export { createRelayedSigmaEngine } from './relay.js';
export { mainRuleSet, workerRuleSet } from './split.js';
export type { HuntRules, MatchedEvent } from './worker.js';
