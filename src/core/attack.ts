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
  T1071: 'Application Layer Protocol',
  'T1071.001': 'Application Layer Protocol: Web Protocols',
  T1573: 'Encrypted Channel',
  T1055: 'Process Injection',
  T1486: 'Data Encrypted for Impact',
  T1497: 'Virtualization/Sandbox Evasion',
  'T1497.001': 'Virtualization/Sandbox Evasion: System Checks',
  T1564: 'Hide Artifacts',
  'T1564.003': 'Hide Artifacts: Hidden Window',
  T1070: 'Indicator Removal',
  'T1070.001': 'Indicator Removal: Clear Windows Event Logs',
  T1112: 'Modify Registry',
  T1562: 'Impair Defenses',
  'T1562.001': 'Impair Defenses: Disable or Modify Tools',
  T1036: 'Masquerading',
  'T1036.002': 'Masquerading: Right-to-Left Override',
  'T1036.007': 'Masquerading: Double File Extension',
};

export function isKnownTechnique(id: string): boolean {
  return Object.hasOwn(ATTACK_TECHNIQUES, id) && /^T\d{4}(\.\d{3})?$/.test(id);
}

export function techniqueName(id: string): string | undefined {
  return isKnownTechnique(id) ? ATTACK_TECHNIQUES[id] : undefined;
}
