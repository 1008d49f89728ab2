/**
 * ATT&CK Enterprise tactics of the techniques emoguard cites (https://attack.mitre.org/tactics/enterprise/),
 * by parent technique: a sub-technique has its parent's tactics. Navigator layers need the tactic
 * shortname, OCSF `attacks[].tactic` the TA id and name.
 */
export interface Tactic {
  /** TA id, e.g. `TA0002`. */
  uid: string;
  name: string;
  /** ATT&CK Navigator / STIX kill-chain phase name, e.g. `execution`. */
  shortname: string;
}

const T = (uid: string, name: string, shortname: string): Tactic => ({ uid, name, shortname });
export const TACTICS = {
  'initial-access': T('TA0001', 'Initial Access', 'initial-access'),
  execution: T('TA0002', 'Execution', 'execution'),
  persistence: T('TA0003', 'Persistence', 'persistence'),
  'privilege-escalation': T('TA0004', 'Privilege Escalation', 'privilege-escalation'),
  'defense-evasion': T('TA0005', 'Defense Evasion', 'defense-evasion'),
  'credential-access': T('TA0006', 'Credential Access', 'credential-access'),
  discovery: T('TA0007', 'Discovery', 'discovery'),
  'lateral-movement': T('TA0008', 'Lateral Movement', 'lateral-movement'),
  collection: T('TA0009', 'Collection', 'collection'),
  exfiltration: T('TA0010', 'Exfiltration', 'exfiltration'),
  'command-and-control': T('TA0011', 'Command and Control', 'command-and-control'),
  impact: T('TA0040', 'Impact', 'impact'),
} as const satisfies Record<string, Tactic>;
type TacticName = keyof typeof TACTICS;

const BY_PARENT: Readonly<Record<string, readonly TacticName[]>> = {
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

/** Tactics of a technique id (`T1059.001` → Execution); empty for an id this table does not know. */
export function tacticsOf(techniqueId: string): Tactic[] {
  const parent = techniqueId.split('.')[0] ?? techniqueId;
  return (Object.hasOwn(BY_PARENT, parent) ? BY_PARENT[parent]! : []).map((t) => TACTICS[t]);
}
