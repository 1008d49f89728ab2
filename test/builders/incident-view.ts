/**
 * A hand-built `IncidentView` (src/correlate/types.ts) for report and export tests: an inert Emotet
 * incident on one host, with hostile strings where attackers control them (mail subject, file names,
 * evidence) and Japanese text. TEST-NET addresses and example.com only.
 */
import type { Severity, Step } from '../../src/core/index.js';
import type { IncidentView, Layer, TimelineEntry } from '../../src/correlate/types.js';
import type { FindingRecord, IncidentStatus } from '../../src/store/index.js';

export const HOSTILE_SUBJECT = '<img src=x onerror=alert(1)>';
export const CSV_INJECTION = "=cmd|' /C calc'!A0";
export const JA_SUBJECT = '請求書の送付 (11月分)';

interface FindingSpec {
  ruleId: string;
  title: string;
  severity: Severity;
  step: Step;
  attack: string[];
  text: string;
  layer: Layer;
  at: string;
  path: string;
  isEventTime?: boolean;
}

const SPECS: FindingSpec[] = [
  {
    ruleId: 'mail.office-attachment',
    title: 'Macro-enabled Office attachment',
    severity: 'medium',
    step: '1',
    attack: ['T1566.001'],
    text: HOSTILE_SUBJECT,
    layer: 'mail',
    at: '2026-11-20T01:00:00.000Z',
    path: 'mail/請求書.eml',
  },
  {
    ruleId: 'vba.autoexec-execution-chain',
    title: 'Macro runs on open and starts a process',
    severity: 'critical',
    step: '4',
    attack: ['T1204.002', 'T1047', 'T1059.001'],
    text: 'GetObject("winmgmts:").Create "powershell -enc …" http://203.0.113.5/loader.dll',
    layer: 'document',
    at: '2026-11-20T01:00:01.000Z',
    path: 'mail/請求書.eml!invoice.docm!Macros/VBA/Module1',
    isEventTime: false,
  },
  {
    ruleId: 'sigma.wmiprvse-spawns-powershell',
    title: CSV_INJECTION,
    severity: 'high',
    step: '4',
    attack: ['T1047', 'T1059.001'],
    text: '-enc SQBFAFgA',
    layer: 'endpoint',
    at: '2026-11-20T01:05:00.000Z',
    path: 'logs/Security.evtx',
  },
  {
    ruleId: 'ioc.c2-match',
    title: 'Traffic to a threat-intel C2 (address, domain, ip:port or JA3)',
    severity: 'high',
    step: '6',
    attack: ['T1071.001', 'T1571'],
    text: '198.51.100.7:8080 Emotet',
    layer: 'network',
    at: '2026-11-20T01:10:00.000Z',
    path: 'logs/conn.log',
  },
  {
    ruleId: 'triage.emocheck-v4-rundll32-dll',
    title: 'EmoCheck: Emotet loader run by rundll32 from the user profile',
    severity: 'critical',
    step: '6',
    attack: ['T1218.011', 'T1547.001'],
    text: 'C:\\Users\\taro\\AppData\\Local\\Xyz\\abc.dll',
    layer: 'endpoint',
    at: '2026-11-20T02:00:00.000Z',
    path: 'snapshots/pc-1.json',
  },
];

function finding(spec: FindingSpec, i: number): FindingRecord {
  return {
    id: i + 1,
    ruleId: spec.ruleId,
    title: spec.title,
    severity: spec.severity,
    step: spec.step,
    attack: spec.attack,
    evidence: [{ text: spec.text, location: 'body' }],
    scanId: 1,
    artifactId: i + 1,
    artifactPath: spec.path,
    artifactSha256: (i + 1).toString(16).padStart(64, 'c'),
    hostId: 1,
    host: 'pc-1',
    createdAt: new Date('2026-11-21T00:00:00.000Z'),
    observedAt: spec.isEventTime === false ? null : new Date(spec.at),
  };
}

/** The incident; `status` and `steps` vary per test. */
export function buildIncidentViewFixture(
  options: { status?: IncidentStatus; steps?: Step[]; blockedAt?: Step } = {},
): IncidentView {
  const steps = options.steps ?? ['1', '4', '6'];
  const specs = SPECS.filter((s) => steps.includes(s.step));
  const findings = specs.map(finding);
  const timeline: TimelineEntry[] = specs.map((s, i) => ({
    at: s.isEventTime === false ? '2026-11-21T00:00:00.000Z' : s.at,
    isEventTime: s.isEventTime !== false,
    step: s.step,
    layer: s.layer,
    severity: s.severity,
    findingId: findings[i]!.id,
    ruleId: s.ruleId,
    title: s.title,
    host: 'pc-1',
    artifactPath: s.path,
    artifactSha256: findings[i]!.artifactSha256,
    summary: s.text,
  }));
  const created = new Date('2026-11-21T00:00:00.000Z');
  return {
    incident: {
      id: 7,
      title: `Emotet on pc-1 ${HOSTILE_SUBJECT}`,
      kind: 'host',
      subject: 'pc-1',
      owner: 'suzuki',
      hostId: 1,
      severity: 'critical',
      status: options.status ?? 'investigating',
      steps,
      createdAt: created,
      updatedAt: created,
      findingIds: findings.map((f) => f.id),
    },
    host: {
      id: 1,
      name: 'pc-1',
      ip: '192.0.2.10',
      os: 'Windows 10',
      firstSeen: created,
      lastSeen: created,
    },
    progression: (['1', '2', '3', '4', '5', '6', 'post'] as Step[]).map((step) => {
      const here = timeline.filter((t) => t.step === step);
      return {
        step,
        observed: here.length > 0,
        layers: [...new Set(here.map((t) => t.layer))],
        firstSeen: here[0]?.at ?? null,
        lastSeen: here.at(-1)?.at ?? null,
        findings: here.length,
        worstSeverity: here[0]?.severity ?? null,
        blocked: options.blockedAt === step,
      };
    }),
    timeline,
    scope: {
      hosts: ['pc-1'],
      users: ['EXAMPLE\\taro'],
      mailboxes: ['taro@example.com'],
      externalContacts: [
        { address: 'partner@example.net', reasons: ['correspondent'], via: ['taro@example.com'] },
        { address: 'ceo@example.org', reasons: ['impersonated'], via: ['mail/請求書.eml'] },
      ],
      lateral: [
        {
          from: 'pc-1',
          to: 'fs-1',
          protocol: 'smb',
          firstSeen: '2026-11-20T01:30:00.000Z',
          findingIds: [],
        },
      ],
      shared: [{ kind: 'c2', value: '198.51.100.7', others: ['pc-2'] }],
    },
    processTree: [
      {
        pid: 100,
        image: 'WINWORD.EXE',
        commandLine: null,
        user: 'EXAMPLE\\taro',
        startedAt: null,
        findingIds: [],
        children: [
          {
            pid: 200,
            image: 'powershell.exe',
            commandLine: 'powershell -enc SQBFAFgA',
            user: null,
            startedAt: null,
            findingIds: [3],
            children: [],
          },
        ],
      },
    ],
    iocs: [
      { kind: 'url', value: 'http://203.0.113.5/loader.dll', sources: ['2'], feeds: ['urlhaus'] },
      { kind: 'ip', value: '198.51.100.7:8080', sources: ['4'], feeds: ['feodotracker'] },
      { kind: 'domain', value: "evil.example.com'] OR [x:y = '1", sources: ['2'], feeds: [] },
      { kind: 'email', value: 'ceo@example.org', sources: ['1'], feeds: [] },
      {
        kind: 'sha256',
        value: 'C'.repeat(64),
        sources: ['mail/請求書.eml!invoice.docm'],
        feeds: [],
      },
    ],
    techniques: [],
    findings,
    mails: [
      {
        artifactId: 1,
        subject: `${JA_SUBJECT} ${HOSTILE_SUBJECT}`,
        from: '"CEO" <ceo@example.org>',
        to: ['taro@example.com'],
        date: '2026-11-20T01:00:00.000Z',
        messageId: '<a@example.org>',
        attachments: [{ name: 'invoice.docm', sha256: 'c'.repeat(64), verdict: 'malicious' }],
      },
    ],
  };
}
