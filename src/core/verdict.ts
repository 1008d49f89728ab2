import type { Finding } from './finding.js';

export const VERDICTS = ['clean', 'suspicious', 'malicious'] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * The one verdict policy (README "Verdicts"):
 * - malicious  — at least one `critical` finding: the engines saw the attack itself (e.g. a macro that runs
 *                on open and starts a process through WMI), not just a capability;
 * - suspicious — at least one `high` or `medium` finding: a capability or anomaly worth a look, including
 *                anything that could not be fully scanned (limits, encryption);
 * - clean      — only `info`/`low` findings, or none.
 * A container is at least as bad as its worst child: a mail carrying a malicious attachment is malicious.
 */
export function verdictOf(
  findings: readonly Finding[],
  childVerdicts: readonly Verdict[] = [],
): Verdict {
  let verdict: Verdict = 'clean';
  for (const f of findings) {
    if (f.severity === 'critical') return 'malicious';
    if (f.severity === 'high' || f.severity === 'medium') verdict = 'suspicious';
  }
  for (const child of childVerdicts) verdict = worstVerdict(verdict, child);
  return verdict;
}

export function worstVerdict(a: Verdict, b: Verdict): Verdict {
  return VERDICTS.indexOf(a) >= VERDICTS.indexOf(b) ? a : b;
}

export function isVerdict(value: unknown): value is Verdict {
  return typeof value === 'string' && (VERDICTS as readonly string[]).includes(value);
}
