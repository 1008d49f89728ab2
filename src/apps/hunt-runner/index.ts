/**
 * @module hunt-runner — `emoguard hunt` on all cores. EVTX files are parsed chunk by chunk ([MS-EVEN6]
 * 2.3: each 64 KiB chunk holds its own string and template tables, so chunks parse independently), and
 * logs with one event per line (JSON Lines: https://jsonlines.org; syslog lines with event XML) range
 * by range, cut at newlines, in worker threads that also run the single-event Sigma rules. The main
 * thread loads the rules once and sends them packed as data (no YAML parse, no prefilter build, rule
 * closures built on first use in each worker); it runs correlations, the chain and intel engines over
 * the events in source order, so output is the same as with one thread. The loaded rules are kept
 * packed in a compiled-rule cache (rule-cache.ts), keyed by the SHA-256 of the rule files and mapping.
 *
 * @example
 * const pool = new HuntPool(4, { pack: packSigmaRules(workerRuleSet(set)), mappings });
 * const feed = pool.feed(files.map((f) => huntTasks(f, 'evtx')));
 * for await (const item of feed.file(0)) …
 * await pool.close();
 */
export { CHUNKS_IN_FLIGHT_PER_WORKER, HuntPool, TaskFeed } from './pool.js';
export type { HuntRules, PoolItem } from './pool.js';
export { huntTasks, LINE_RANGE_BYTES, lineRanges, poolKind } from './ranges.js';
export { createRelayedSigmaEngine } from './relay.js';
export {
  loadRulesCached,
  MAX_CACHE_ENTRIES,
  ruleCacheKey,
  sigmaCacheDir,
  type RuleCacheInput,
  type RuleCacheOutcome,
} from './rule-cache.js';
export { mainRuleSet, workerRuleSet } from './split.js';
export type { HuntTask, MatchedEvent } from './worker.js';
