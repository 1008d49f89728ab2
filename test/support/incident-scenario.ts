/**
 * A store filled with one inert Emotet incident seen by every layer, for correlation, report and
 * dashboard tests: the mail (with a thread-hijack finding and a .docm attachment), the document's macro,
 * Sysmon process events on PC-01 (hash of the attachment, user, WMI → PowerShell chain, the host's own
 * address), an SMB spread to PC-02, a C2 hit from a proxy log of PC-01's address and another from PC-03, and a triage snapshot.
 * Addresses are example.* and TEST-NET; nothing here runs.
 */
import {
  defineFinding,
  emptyExtracted,
  type ExtractedMail,
  type Finding,
  type ScanResult,
} from '../../src/core/index.js';
import type { Store } from '../../src/store/index.js';

export const SCENARIO = {
  victim: 'taro@example.co.jp',
  partner: 'hanako@partner.example.net',
  attacker: 'attacker@example.org',
  impersonated: 'jiro@partner.example.net',
  docSha256: 'a'.repeat(64),
  mailSha256: 'b'.repeat(64),
  host: 'PC-01',
  hostIp: '192.0.2.15',
  lateralTarget: 'PC-02',
  otherHost: 'PC-03',
  c2: '203.0.113.5',
  user: 'CORP\\taro',
  mailDate: '2024-01-10T00:00:00.000Z',
} as const;

const f = (id: string, severity: Finding['severity'], step: Finding['step'], attack: string[]) =>
  defineFinding({ id, title: id, severity, step, attack, description: 'test' });

export const F = {
  hijack: f('mail.thread-hijack', 'high', '1', ['T1566.001']),
  officeAttachment: f('mail.office-attachment', 'medium', '1', ['T1566.001']),
  autoexec: f('vba.autoexec-execution-chain', 'critical', '4', ['T1204.002', 'T1047']),
  sigmaPs: f('sigma.wmi-powershell', 'high', '4', ['T1047', 'T1059.001']),
  chain: f('chain.emotet-chain', 'critical', '5', ['T1204.002', 'T1047', 'T1059.001']),
  smb: f('sigma.smb-admin-share-copy', 'high', '6', ['T1021.002']),
  c2: f('ioc.c2-ip', 'critical', '6', ['T1071.001']),
  triage: f('triage.emocheck-v4-rundll32-dll', 'critical', '6', ['T1218.011']),
};

function node(
  path: string,
  sha256: string,
  type: ScanResult['type'],
  findings: Finding[],
  children: ScanResult[] = [],
  relation?: string,
): ScanResult {
  return {
    path,
    sha256,
    size: 100,
    type,
    verdict: findings.some((x) => x.severity === 'critical')
      ? 'malicious'
      : findings.length > 0
        ? 'suspicious'
        : 'clean',
    findings,
    extracted: emptyExtracted(),
    children,
    ...(relation === undefined ? {} : { relation }),
  };
}

export function scenarioMail(): ScanResult {
  const doc = node(
    'inbox/invoice.eml!請求書.docm',
    SCENARIO.docSha256,
    'ooxml',
    [F.autoexec({ text: 'Document_Open', line: 3, location: 'Macros/VBA/ThisDocument' })],
    [],
    'attachment',
  );
  const mail = node(
    'inbox/invoice.eml',
    SCENARIO.mailSha256,
    'eml',
    [
      {
        ...F.hijack({ location: 'Subject', text: 'Re: 請求書の件' }),
        observedAt: SCENARIO.mailDate,
      },
      {
        ...F.officeAttachment({ location: 'attachment 1', text: '請求書.docm' }),
        observedAt: SCENARIO.mailDate,
      },
    ],
    [doc],
  );
  const envelope: ExtractedMail = {
    from: SCENARIO.attacker,
    fromName: `Jiro <${SCENARIO.impersonated}>`,
    to: [SCENARIO.victim],
    cc: [],
    replyTo: [],
    subject: 'Re: 請求書の件',
    date: SCENARIO.mailDate,
    messageId: '<1@example.org>',
    inReplyTo: '<0@partner.example.net>',
    quoted: [SCENARIO.partner],
  };
  mail.extracted.mail = envelope;
  return mail;
}

const note = (time: string, facts: string[]) => [`${SCENARIO.host} ${time}`, ...facts].join(' | ');

function hostLog(): ScanResult {
  const t = '2024-01-10T00:05:00.000Z';
  return node('logs/pc-01.evtx', 'c'.repeat(64), 'evtx', [
    {
      ...F.sigmaPs({
        location: 'record 10',
        text: 'CommandLine: powershell -enc SQBFAFgA',
        note: note(t, [
          `user=${SCENARIO.user}`,
          `sha256=${SCENARIO.docSha256}`,
          'pid=300',
          'ppid=200',
          'image=C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
          'parent=C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
          // Sysmon 3's local address: how correlation learns that the proxy's client 192.0.2.15 is PC-01.
          `host_ip=${SCENARIO.hostIp}`,
        ]),
      }),
      observedAt: t,
    },
    {
      ...F.chain({
        location: 'record 12',
        text: 'CommandLine: rundll32.exe C:\\Users\\taro\\AppData\\Local\\x.dll,Control_RunDLL',
        note: note(t, [
          `user=${SCENARIO.user}`,
          'pid=400',
          'ppid=300',
          'image=C:\\Windows\\System32\\rundll32.exe',
          'chain=C:\\Program Files\\Microsoft Office\\WINWORD.EXE(100) > C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe(300) > C:\\Windows\\System32\\rundll32.exe(400)',
        ]),
      }),
      observedAt: t,
    },
    {
      ...F.smb({
        location: 'record 20',
        text: `CommandLine: cmd /c copy x.exe \\\\${SCENARIO.lateralTarget}\\ADMIN$\\x.exe`,
        note: note('2024-01-10T01:00:00.000Z', []),
      }),
      observedAt: '2024-01-10T01:00:00.000Z',
    },
  ]);
}

function proxyLog(path: string, sha: string): ScanResult {
  return node(path, sha, 'text', [
    {
      ...F.c2({ location: 'line 7', text: `ip ${SCENARIO.c2} (feodotracker)` }),
      observedAt: '2024-01-10T00:06:00.000Z',
    },
  ]);
}

function snapshot(): ScanResult {
  return node('snapshots/pc-01.json', 'e'.repeat(64), 'host-snapshot', [
    {
      ...F.triage({ location: 'process 4242', text: 'C:\\Users\\taro\\AppData\\Local\\x.dll' }),
      observedAt: '2024-01-11T00:00:00.000Z',
    },
  ]);
}

/** Stores the scenario as the CLI verbs would, each as its own scan. Does not correlate. */
export async function fillScenario(store: Store): Promise<void> {
  await store.importIntel([{ type: 'ip', value: SCENARIO.c2, source: 'feodotracker' }]);
  const scan = await store.beginScan({ command: 'scan', args: ['inbox'], host: 'analyst-pc' });
  await store.saveResults(scan, [scenarioMail()]);
  const hunt = await store.beginScan({ command: 'hunt', args: ['logs'], host: 'analyst-pc' });
  await store.saveResults(hunt, [hostLog()], { host: SCENARIO.host });
  await store.saveResults(hunt, [proxyLog('logs/proxy.log', 'd'.repeat(64))], {
    host: SCENARIO.hostIp,
  });
  await store.saveResults(hunt, [proxyLog('logs/proxy-3.log', 'f'.repeat(64))], {
    host: SCENARIO.otherHost,
  });
  const triage = await store.beginScan({
    command: 'triage',
    args: ['snapshots'],
    host: 'analyst-pc',
  });
  await store.saveResults(triage, [snapshot()], { host: SCENARIO.host });
}
