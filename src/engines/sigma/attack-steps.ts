/**
 * Kill-chain step of a Sigma detection, derived from the rule's ATT&CK tags (Sigma tags appendix:
 * `attack.<tactic>`, `attack.tXXXX[.YYY]`). Techniques decide first, by the earliest step any of them
 * evidences; tactics are the fallback; a rule with neither is step ⑥ (activity on an infected host).
 *
 * | step | techniques (prefix match)                                    | tactics                         |
 * |------|--------------------------------------------------------------|---------------------------------|
 * | ①    | T1566 phishing, T1598                                        | initial-access, reconnaissance, resource-development |
 * | ②    | T1204.001 malicious link                                     |                                 |
 * | ③    | T1204 user execution (of a file: the macro's code runs, which is what telemetry sees), T1137 Office startup, T1059.005 VBA, T1559 COM/DDE, T1221 | |
 * | ④    | T1047 WMI, T1059 (other interpreters, PowerShell included)    | execution                       |
 * | ⑤    | T1105 ingress tool transfer, T1218 rundll32/regsvr32…, T1027, T1140, T1197 BITS | |
 * | ⑥    | everything else (persistence, discovery, lateral movement, collection, C2 …) | persistence … exfiltration |
 * | post | T1486, T1490, T1489, T1485, T1491, T1561, T1529              | impact                          |
 */
import type { Step } from '../../core/index.js';

const TECHNIQUE_STEPS: readonly [string, Step][] = [
  ['T1566', '1'],
  ['T1598', '1'],
  ['T1204.001', '2'],
  ['T1204', '3'],
  ['T1137', '3'],
  ['T1059.005', '3'],
  ['T1559', '3'],
  ['T1221', '3'],
  ['T1047', '4'],
  ['T1105', '5'],
  ['T1218', '5'],
  ['T1027', '5'],
  ['T1140', '5'],
  ['T1197', '5'],
  ['T1059', '4'],
  ['T1486', 'post'],
  ['T1490', 'post'],
  ['T1489', 'post'],
  ['T1485', 'post'],
  ['T1491', 'post'],
  ['T1561', 'post'],
  ['T1529', 'post'],
];

const TACTIC_STEPS: Readonly<Record<string, Step>> = {
  reconnaissance: '1',
  'resource-development': '1',
  'initial-access': '1',
  execution: '4',
  persistence: '6',
  'privilege-escalation': '6',
  'defense-evasion': '6',
  'credential-access': '6',
  discovery: '6',
  'lateral-movement': '6',
  collection: '6',
  'command-and-control': '6',
  exfiltration: '6',
  impact: 'post',
};

const ORDER: readonly Step[] = ['1', '2', '3', '4', '5', '6', 'post'];

/** `attack.t1059.001` → `T1059.001`; other tags are not techniques. */
export function attackIds(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const tag of tags) {
    const m = /^attack\.(t\d{4}(?:\.\d{3})?)$/i.exec(tag.trim());
    if (m && !out.includes(m[1]!.toUpperCase())) out.push(m[1]!.toUpperCase());
  }
  return out;
}

function techniqueStep(id: string): Step | undefined {
  for (const [prefix, step] of TECHNIQUE_STEPS) {
    if (id === prefix || id.startsWith(`${prefix}.`)) return step;
  }
  return undefined;
}

/** The step a rule with these tags evidences. */
export function stepForTags(tags: readonly string[]): Step {
  const earliest = (steps: Step[]) => steps.sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b))[0];
  const ids = attackIds(tags);
  const fromTechniques = ids.map(techniqueStep).filter((s): s is Step => s !== undefined);
  if (fromTechniques.length > 0) return earliest(fromTechniques)!;
  if (ids.length > 0) return '6';
  const fromTactics = tags
    .map((t) => /^attack\.([a-z-]+)$/i.exec(t.trim())?.[1]?.toLowerCase())
    .map((t) => (t ? TACTIC_STEPS[t] : undefined))
    .filter((s): s is Step => s !== undefined);
  return earliest(fromTactics) ?? '6';
}
