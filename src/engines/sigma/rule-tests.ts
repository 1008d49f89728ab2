/**
 * Rules that test themselves (tau-engine's true_positives/true_negatives): a rule's
 * `tests: {match: [...], nomatch: [...]}` events, in the evtx-rs layout, must and must not fire it.
 */
import { RuleError } from '../../core/index.js';
import { createSigmaEngine } from './engine.js';
import { EventDocument } from './document.js';
import type { LoadedRuleSet } from './loader.js';
import { TRUE, type SigmaRule } from './types.js';

export interface RuleTestReport {
  /** Rules that carry tests. */
  rules: number;
  passed: number;
  failures: RuleError[];
}

/** Whether the rule fires on the event, through the same channel/EventID gate as the engine. */
export function ruleMatches(rule: SigmaRule, data: Record<string, unknown>): boolean {
  const doc = new EventDocument(data);
  const channel = doc.channel();
  const id = doc.eventId();
  return rule.variants.some(({ variant, node }) => {
    if (variant.channels.length > 0 && !variant.channels.includes(channel)) return false;
    const ids = variant.eventIds.length > 0 ? variant.eventIds : null;
    if (ids && (id === undefined || !ids.includes(id))) return false;
    if (node.eventIds && (id === undefined || !node.eventIds.has(id))) return false;
    return node.evaluate(doc) === TRUE;
  });
}

/**
 * Runs every rule's examples through an engine holding only that rule (the production path: index and
 * prefilter included); each failure is a RuleError (E_SIGMA_TEST_FAILED) at the example.
 */
export function runRuleTests(set: LoadedRuleSet): RuleTestReport {
  const report: RuleTestReport = { rules: 0, passed: 0, failures: [] };
  for (const rule of set.rules) {
    if (!rule.tests) continue;
    report.rules++;
    const engine = createSigmaEngine({ ...set, rules: [rule], correlations: [], errors: [] });
    for (const kind of ['match', 'nomatch'] as const) {
      rule.tests[kind].forEach((example, index) => {
        const event = {
          kind: 'windows' as const,
          source: { path: rule.path },
          data: example.event,
        };
        const fired = engine.match(event).length > 0;
        if (fired === (kind === 'match')) {
          report.passed++;
          return;
        }
        const what = kind === 'match' ? 'does not fire on' : 'fires on';
        report.failures.push(
          new RuleError(
            'E_SIGMA_TEST_FAILED',
            `rule '${rule.title}' (${rule.id}) ${what} its tests.${kind}[${index}] event`,
            { span: example.span },
          ),
        );
      });
    }
  }
  return report;
}
