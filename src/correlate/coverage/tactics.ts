/**
 * ATT&CK Enterprise tactics of the techniques emoguard cites (src/core/attack.ts), from the technique
 * pages at https://attack.mitre.org/techniques/. A sub-technique has its parent's tactics, so only
 * parents are listed. Used for the `tactic` detection category and for OCSF's attack objects.
 */
export const TACTICS: Readonly<Record<string, { uid: string; name: string }>> = {
  'initial-access': { uid: 'TA0001', name: 'Initial Access' },
  execution: { uid: 'TA0002', name: 'Execution' },
  persistence: { uid: 'TA0003', name: 'Persistence' },
  'privilege-escalation': { uid: 'TA0004', name: 'Privilege Escalation' },
  'defense-evasion': { uid: 'TA0005', name: 'Defense Evasion' },
  'credential-access': { uid: 'TA0006', name: 'Credential Access' },
  discovery: { uid: 'TA0007', name: 'Discovery' },
  'lateral-movement': { uid: 'TA0008', name: 'Lateral Movement' },
  collection: { uid: 'TA0009', name: 'Collection' },
  exfiltration: { uid: 'TA0010', name: 'Exfiltration' },
  'command-and-control': { uid: 'TA0011', name: 'Command and Control' },
  impact: { uid: 'TA0040', name: 'Impact' },
};

const TECHNIQUE_TACTICS: Readonly<Record<string, readonly string[]>> = {
  T1566: ['initial-access'],
  T1204: ['execution'],
  T1137: ['persistence'],
  T1047: ['execution'],
  T1059: ['execution'],
  T1027: ['defense-evasion'],
  T1140: ['defense-evasion'],
  T1105: ['command-and-control'],
  T1106: ['execution'],
  T1218: ['defense-evasion'],
  T1221: ['defense-evasion'],
  T1203: ['execution'],
  T1559: ['execution'],
  T1547: ['persistence', 'privilege-escalation'],
  T1053: ['execution', 'persistence', 'privilege-escalation'],
  T1543: ['persistence', 'privilege-escalation'],
  T1114: ['collection'],
  T1087: ['discovery'],
  T1021: ['lateral-movement'],
  T1071: ['command-and-control'],
  T1573: ['command-and-control'],
  T1571: ['command-and-control'],
  T1008: ['command-and-control'],
  T1197: ['defense-evasion', 'persistence'],
  T1055: ['defense-evasion', 'privilege-escalation'],
  T1486: ['impact'],
  T1497: ['defense-evasion', 'discovery'],
  T1564: ['defense-evasion'],
  T1070: ['defense-evasion'],
  T1112: ['defense-evasion'],
  T1562: ['defense-evasion'],
  T1553: ['defense-evasion'],
  T1036: ['defense-evasion'],
};

/** `T1059.001` → `T1059`. */
export function parentTechnique(id: string): string {
  const dot = id.indexOf('.');
  return dot < 0 ? id : id.slice(0, dot);
}

/** The tactic short names of a technique or sub-technique; empty for an id this table does not know. */
export function tacticsOf(technique: string): readonly string[] {
  return TECHNIQUE_TACTICS[parentTechnique(technique)] ?? [];
}
