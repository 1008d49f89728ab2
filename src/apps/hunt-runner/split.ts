import type { LoadedRuleSet } from '../../engines/sigma/index.js';

/**
 * Which Sigma rules run where. Single-event rules run in the workers, beside the parsing; rules that feed
 * a correlation, and the correlations, run in the main thread, which sees every event in record order
 * (a correlation's windows and counts need them all, in order, in one place).
 */
export function correlatedRuleIds(set: LoadedRuleSet): Set<string> {
  return new Set(set.correlations.flatMap((c) => c.rules));
}

export function workerRuleSet(set: LoadedRuleSet): LoadedRuleSet {
  const correlated = correlatedRuleIds(set);
  return { ...set, rules: set.rules.filter((r) => !correlated.has(r.id)), correlations: [] };
}

export function mainRuleSet(set: LoadedRuleSet): LoadedRuleSet {
  const correlated = correlatedRuleIds(set);
  return { ...set, rules: set.rules.filter((r) => correlated.has(r.id)) };
}
