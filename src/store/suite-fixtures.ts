/**
 * Known result trees for the store conformance suite (and for anyone testing on top of a store). Inert
 * text only: example.com, TEST-NET addresses, strings that look like attacks but run nowhere.
 */
import {
  defineFinding,
  emptyExtracted,
  mergeExtracted,
  type Evidence,
  type ExtractedPart,
  type FileType,
  type Finding,
  type ScanResult,
  type Verdict,
} from '../core/index.js';

export const HOSTILE_STRINGS: readonly string[] = [
  `'; DROP TABLE artifacts; --`,
  `" OR "1"="1`,
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'nul\u0000inside\u0000',
  'invoice\u202Efdp.exe', // right-to-left override (ATT&CK T1036.002)
  '請求書 📄 ñ ü',
  '`backticks` | pipes | \r\n newlines \\ backslash',
  '%s%n${jndi:ldap://example.com/a}',
];

export const autoexec = defineFinding({
  id: 'test.autoexec',
  title: 'Macro runs on open',
  severity: 'critical',
  step: '3',
  attack: ['T1059.005', 'T1204.002'],
  description: 'test',
});
export const wmiProcess = defineFinding({
  id: 'test.wmi-process',
  title: 'Macro starts a process through WMI',
  severity: 'high',
  step: '4',
  attack: ['T1047'],
  description: 'test',
});
export const officeAttachment = defineFinding({
  id: 'test.office-attachment',
  title: 'Mail carries a macro-enabled Office attachment',
  severity: 'medium',
  step: '1',
  attack: ['T1566.001'],
  description: 'test',
});
export const parsedInfo = defineFinding({
  id: 'test.info',
  title: 'Parsed',
  severity: 'info',
  step: '2',
  attack: [],
  description: 'test',
});

export const HOSTILE_EVIDENCE: Evidence[] = [
  { text: 'CreateObject("WScript.Shell") — 日本語 \u0000 <b>bold</b> \'quoted\'', line: 3 },
  { text: '<script>alert(1)</script>', location: '"><img src=x onerror=alert(1)>', offset: 0 },
  { note: 'decoded: http://malicious.example.com/payload.exe' },
];

interface NodeSpec {
  path: string;
  type: FileType;
  verdict: Verdict;
  findings?: Finding[];
  extracted?: ExtractedPart;
  children?: ScanResult[];
  relation?: string;
}

let counter = 0;

/** A result node with a unique fake sha256 (sha256 is a column, not recomputed by the store). */
export function buildNode(spec: NodeSpec): ScanResult {
  counter += 1;
  return {
    path: spec.path,
    sha256: counter.toString(16).padStart(64, '0'),
    size: 100 + counter,
    type: spec.type,
    verdict: spec.verdict,
    findings: spec.findings ?? [],
    extracted: mergeExtracted(emptyExtracted(), spec.extracted),
    children: spec.children ?? [],
    ...(spec.relation === undefined ? {} : { relation: spec.relation }),
  };
}

/**
 * mail.eml (malicious) → invoice.doc (malicious) → Macros/VBA/ThisDocument (malicious, 2 findings with
 * hostile evidence, IOCs); mail.eml → readme.txt (clean). 4 artifacts, 4 findings.
 */
export function buildMailTree(prefix = 'inbox/mail.eml'): ScanResult {
  const doc = `${prefix}!invoice.doc`;
  const macro = buildNode({
    path: `${doc}!Macros/VBA/ThisDocument`,
    type: 'vba-source',
    verdict: 'malicious',
    relation: 'macro',
    findings: [autoexec(HOSTILE_EVIDENCE), wmiProcess({ text: 'winmgmts:Win32_Process', line: 7 })],
    extracted: {
      iocs: {
        urls: ['http://malicious.example.com/payload.exe', 'https://198.51.100.7/x'],
        domains: ['malicious.example.com'],
        ips: ['198.51.100.7'],
        emails: [],
      },
    },
  });
  const invoice = buildNode({
    path: doc,
    type: 'ole',
    verdict: 'malicious',
    relation: 'attachment',
    children: [macro],
    extracted: { iocs: { domains: ['malicious.example.com'] } },
  });
  const readme = buildNode({
    path: `${prefix}!readme.txt`,
    type: 'text',
    verdict: 'clean',
    relation: 'attachment',
    findings: [parsedInfo()],
  });
  const mail = buildNode({
    path: prefix,
    type: 'eml',
    verdict: 'malicious',
    findings: [officeAttachment({ location: 'attachment 1', text: 'invoice.doc' })],
    children: [invoice, readme],
    extracted: { iocs: { emails: ['sender@example.com'] } },
  });
  mail.elapsedMs = 12.5;
  return mail;
}

/** A clean input with no findings. */
export function buildCleanNode(path: string): ScanResult {
  return buildNode({ path, type: 'text', verdict: 'clean' });
}
