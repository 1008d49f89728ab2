/**
 * The MITRE ATT&CK (Enterprise) techniques emoguard findings cite. Kept as data so reports and the
 * coverage matrix can name them, and so a typo in an engine fails a test instead of shipping.
 */
export const ATTACK_TECHNIQUES: Readonly<Record<string, string>> = {
  T1566: 'Phishing',
  'T1566.001': 'Phishing: Spearphishing Attachment',
  'T1566.002': 'Phishing: Spearphishing Link',
  T1204: 'User Execution',
  'T1204.001': 'User Execution: Malicious Link',
  'T1204.002': 'User Execution: Malicious File',
  T1137: 'Office Application Startup',
  'T1137.001': 'Office Application Startup: Office Template Macros',
  T1047: 'Windows Management Instrumentation',
  T1059: 'Command and Scripting Interpreter',
  'T1059.001': 'Command and Scripting Interpreter: PowerShell',
  'T1059.003': 'Command and Scripting Interpreter: Windows Command Shell',
  'T1059.005': 'Command and Scripting Interpreter: Visual Basic',
  'T1059.007': 'Command and Scripting Interpreter: JavaScript',
  T1027: 'Obfuscated Files or Information',
  'T1027.001': 'Obfuscated Files or Information: Binary Padding',
  'T1027.010': 'Obfuscated Files or Information: Command Obfuscation',
  T1140: 'Deobfuscate/Decode Files or Information',
  T1105: 'Ingress Tool Transfer',
  T1106: 'Native API',
  T1218: 'System Binary Proxy Execution',
  'T1218.011': 'System Binary Proxy Execution: Rundll32',
  'T1218.010': 'System Binary Proxy Execution: Regsvr32',
  'T1218.005': 'System Binary Proxy Execution: Mshta',
  T1221: 'Template Injection',
  T1203: 'Exploitation for Client Execution',
  T1559: 'Inter-Process Communication',
  'T1559.001': 'Inter-Process Communication: Component Object Model',
  'T1559.002': 'Inter-Process Communication: Dynamic Data Exchange',
  T1547: 'Boot or Logon Autostart Execution',
  'T1547.001': 'Boot or Logon Autostart Execution: Registry Run Keys / Startup Folder',
  T1053: 'Scheduled Task/Job',
  'T1053.005': 'Scheduled Task/Job: Scheduled Task',
  T1543: 'Create or Modify System Process',
  'T1543.003': 'Create or Modify System Process: Windows Service',
  T1114: 'Email Collection',
  'T1114.001': 'Email Collection: Local Email Collection',
  T1087: 'Account Discovery',
  'T1087.003': 'Account Discovery: Email Account',
  T1021: 'Remote Services',
  'T1021.002': 'Remote Services: SMB/Windows Admin Shares',
  T1570: 'Lateral Tool Transfer',
  T1569: 'System Services',
  'T1569.002': 'System Services: Service Execution',
  T1046: 'Network Service Discovery',
  T1071: 'Application Layer Protocol',
  'T1071.001': 'Application Layer Protocol: Web Protocols',
  T1573: 'Encrypted Channel',
  T1571: 'Non-Standard Port',
  T1008: 'Fallback Channels',
  T1197: 'BITS Jobs',
  T1055: 'Process Injection',
  T1486: 'Data Encrypted for Impact',
  T1497: 'Virtualization/Sandbox Evasion',
  'T1497.001': 'Virtualization/Sandbox Evasion: System Checks',
  T1564: 'Hide Artifacts',
  'T1564.001': 'Hide Artifacts: Hidden Files and Directories',
  'T1564.003': 'Hide Artifacts: Hidden Window',
  'T1564.007': 'Hide Artifacts: VBA Stomping',
  T1070: 'Indicator Removal',
  'T1070.001': 'Indicator Removal: Clear Windows Event Logs',
  'T1070.006': 'Indicator Removal: Timestomp',
  T1112: 'Modify Registry',
  T1562: 'Impair Defenses',
  'T1562.001': 'Impair Defenses: Disable or Modify Tools',
  T1553: 'Subvert Trust Controls',
  'T1553.005': 'Subvert Trust Controls: Mark-of-the-Web Bypass',
  T1036: 'Masquerading',
  'T1036.002': 'Masquerading: Right-to-Left Override',
  'T1036.005': 'Masquerading: Match Legitimate Name or Location',
  'T1036.007': 'Masquerading: Double File Extension',
};

export function isKnownTechnique(id: string): boolean {
  return Object.hasOwn(ATTACK_TECHNIQUES, id) && /^T\d{4}(\.\d{3})?$/.test(id);
}

export function techniqueName(id: string): string | undefined {
  return isKnownTechnique(id) ? ATTACK_TECHNIQUES[id] : undefined;
}

/**
 * An ATT&CK Enterprise tactic (https://attack.mitre.org/tactics/enterprise/). Navigator layers and STIX
 * kill-chain phases want the shortname, OCSF `attacks[].tactic` the TA id and name.
 */
export interface Tactic {
  /** TA id, e.g. `TA0002`. */
  uid: string;
  name: string;
  /** ATT&CK Navigator / STIX kill-chain phase name, e.g. `execution`. */
  shortname: string;
}

const tactic = (uid: string, name: string, shortname: string): Tactic => ({ uid, name, shortname });
export const TACTICS = {
  'initial-access': tactic('TA0001', 'Initial Access', 'initial-access'),
  execution: tactic('TA0002', 'Execution', 'execution'),
  persistence: tactic('TA0003', 'Persistence', 'persistence'),
  'privilege-escalation': tactic('TA0004', 'Privilege Escalation', 'privilege-escalation'),
  'defense-evasion': tactic('TA0005', 'Defense Evasion', 'defense-evasion'),
  'credential-access': tactic('TA0006', 'Credential Access', 'credential-access'),
  discovery: tactic('TA0007', 'Discovery', 'discovery'),
  'lateral-movement': tactic('TA0008', 'Lateral Movement', 'lateral-movement'),
  collection: tactic('TA0009', 'Collection', 'collection'),
  exfiltration: tactic('TA0010', 'Exfiltration', 'exfiltration'),
  'command-and-control': tactic('TA0011', 'Command and Control', 'command-and-control'),
  impact: tactic('TA0040', 'Impact', 'impact'),
} as const satisfies Record<string, Tactic>;
type TacticName = keyof typeof TACTICS;

/**
 * Tactics of the techniques above, by parent technique (a sub-technique has its parent's tactics), from
 * the technique pages at https://attack.mitre.org/techniques/. Add a row with every new parent id: a
 * test fails for a technique without one (its findings would fall to `general` in the coverage matrix).
 */
const TECHNIQUE_TACTICS: Readonly<Record<string, readonly TacticName[]>> = {
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
  T1570: ['lateral-movement'],
  T1569: ['execution'],
  T1046: ['discovery'],
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

/** Tactics of a technique id (`T1059.001` → Execution); empty for an id this table does not know. */
export function tacticsOf(techniqueId: string): Tactic[] {
  const parent = parentTechnique(techniqueId);
  return (Object.hasOwn(TECHNIQUE_TACTICS, parent) ? TECHNIQUE_TACTICS[parent]! : []).map(
    (t) => TACTICS[t],
  );
}
