import type { Detection, HuntEngine, LogEvent } from '../../core/index.js';
import { createSigmaEngine, type LoadedRuleSet } from '../../engines/sigma/index.js';
import { mainRuleSet } from './split.js';

/**
 * The Sigma engine of a parallel hunt, as runHunt sees it: per event, the detections the workers made
 * (`relayed`, set by the producer before the event is yielded) merged with those of the main thread's
 * correlated rules, in rule order — the order one engine over the whole rule set would give.
 */
export function createRelayedSigmaEngine(
  set: LoadedRuleSet,
  relayed: WeakMap<LogEvent, Detection[]>,
): HuntEngine {
  const mainSet = mainRuleSet(set);
  const main = createSigmaEngine(mainSet);
  // Without correlations every Sigma rule ran in the workers: nothing to add here per event.
  const isIdle = mainSet.rules.length === 0 && mainSet.correlations.length === 0;
  const rank = new Map<string, number>();
  set.rules.forEach((r, i) => rank.has(r.id) || rank.set(r.id, i));
  const order = (d: Detection) => rank.get(d.rule.id) ?? Number.MAX_SAFE_INTEGER;
  return {
    name: 'sigma',
    kinds: ['windows'],
    match(event: LogEvent): Detection[] {
      const fromWorkers = relayed.get(event) ?? [];
      if (isIdle) return fromWorkers;
      const here = main.match(event);
      if (here.length === 0) return fromWorkers;
      if (fromWorkers.length === 0) return here;
      return [...fromWorkers, ...here].sort((a, b) => order(a) - order(b));
    },
    finish: () => main.finish?.() ?? [],
  };
}
