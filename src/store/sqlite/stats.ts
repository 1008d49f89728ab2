import {
  SEVERITIES,
  STEPS,
  VERDICTS,
  type Severity,
  type Step,
  type Verdict,
} from '../../core/index.js';
import { checkId, zeroCounts } from '../common.js';
import type { RuleCount, StoreStats } from '../store.js';
import type { SqliteContext } from './results.js';

interface VerdictRow {
  verdict: Verdict;
  is_input: 0 | 1;
  n: number;
}

interface RuleRow {
  rule_id: string;
  title: string;
  severity: Severity;
  step: Step;
  attack: string;
  n: number;
}

/**
 * Two grouped queries answer every count: artifacts by (verdict, is input) and findings by rule. Step,
 * severity and total counts are sums over the rule groups, so they can never disagree with each other.
 */
export function stats(ctx: SqliteContext, query: { scanId?: number } = {}): StoreStats {
  checkId('scanId', query.scanId);
  const scoped = query.scanId !== undefined;
  const params = scoped ? [query.scanId] : [];
  const scans = ctx
    .stmt(
      scoped ? 'SELECT count(*) AS n FROM scans WHERE id = ?' : 'SELECT count(*) AS n FROM scans',
    )
    .get(...params) as { n: number };
  const verdictRows = ctx
    .stmt(
      `SELECT verdict, depth = 0 AS is_input, count(*) AS n FROM artifacts
       ${scoped ? 'WHERE scan_id = ?' : ''} GROUP BY verdict, is_input`,
    )
    .all(...params) as VerdictRow[];
  const ruleRows = ctx
    .stmt(
      `SELECT rule_id, title, severity, step, attack, count(*) AS n FROM findings
       ${scoped ? 'WHERE scan_id = ?' : ''}
       GROUP BY rule_id, title, severity, step, attack ORDER BY n DESC, rule_id, title, severity, step`,
    )
    .all(...params) as RuleRow[];

  const result: StoreStats = {
    totals: { scans: scans.n, inputs: 0, artifacts: 0, findings: 0 },
    inputsByVerdict: zeroCounts(VERDICTS),
    artifactsByVerdict: zeroCounts(VERDICTS),
    findingsByStep: zeroCounts(STEPS),
    findingsBySeverity: zeroCounts(SEVERITIES),
    findingsByRule: [],
  };
  for (const row of verdictRows) {
    result.artifactsByVerdict[row.verdict] += row.n;
    result.totals.artifacts += row.n;
    if (row.is_input) {
      result.inputsByVerdict[row.verdict] += row.n;
      result.totals.inputs += row.n;
    }
  }
  for (const row of ruleRows) {
    const rule: RuleCount = {
      ruleId: row.rule_id,
      title: row.title,
      severity: row.severity,
      step: row.step,
      attack: JSON.parse(row.attack) as string[],
      count: row.n,
    };
    result.findingsByRule.push(rule);
    result.findingsByStep[rule.step] += rule.count;
    result.findingsBySeverity[rule.severity] += rule.count;
    result.totals.findings += rule.count;
  }
  return result;
}
