import { defineFinding } from '../../core/index.js';

/**
 * Decision (issue 6): every YARA match is ONE finding id, `yara.match`, whatever the rule. Ids are a
 * stable, documented contract (users filter on them, the store and the coverage matrix key on them), and
 * `yara.<namespace>.<rule>` would make the id set unbounded and owned by whoever writes rules. The rule's
 * identity travels in the finding instead: title = rule name, evidence location = `namespace:rule`, and
 * severity, step and ATT&CK ids come from the rule's meta (`severity` or `score`, `step`, `attack`) —
 * see `match-finding.ts` for the mapping and the defaults declared here.
 */
export const yaraMatch = defineFinding({
  id: 'yara.match',
  title: 'YARA rule matched',
  severity: 'medium',
  step: '2',
  attack: [],
  description:
    "A YARA rule (emoguard's own in rules/yara/, or one given with `scan --yara`) matched the artifact. " +
    "The title is the rule name; severity, kill-chain step and ATT&CK ids come from the rule's meta " +
    '(`severity` info|low|medium|high|critical or a 0–100 `score`; `step` 1–6|post; `attack` ids), else ' +
    'medium, and step 6 for memory dumps, 5 for executables, 2 otherwise. Evidence lists the matching ' +
    'patterns with their offsets and, in memory dumps, the virtual address and page protection.',
});

export const YARA_FINDINGS = [yaraMatch] as const;
