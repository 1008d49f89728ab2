import {
  defineFinding,
  limitExceeded,
  parseError,
  type Evidence,
  type Finding,
} from '../../core/index.js';
import type { Anomaly } from '../../core/index.js';

export const encryptedMember = defineFinding({
  id: 'archive.encrypted-member',
  title: 'Encrypted archive member: its content could not be scanned',
  severity: 'medium',
  step: '1',
  attack: ['T1027'],
  description:
    'The archive holds members encrypted with a password that was not available (ZipCrypto, AES or ' +
    'PKWARE strong encryption). Emotet mails attach password-protected ZIPs and give the password in ' +
    'the mail body precisely so that gateways cannot look inside; the archive is never reported clean.',
});

export const paddedMember = defineFinding({
  id: 'archive.padded-member',
  title: 'Archive member inflated with padding to dodge size limits',
  severity: 'medium',
  step: '1',
  attack: ['T1027.001'],
  description:
    'The member ends in a long run of one repeated byte (Emotet 2023: a .doc padded with zeros past ' +
    '500 MB inside a small ZIP, so that scanners with a size cap skip it). The padding was cut and the ' +
    'real content scanned as the child.',
});

export const ARCHIVE_FINDINGS = [encryptedMember, paddedMember] as const;

/** Evidence lists are capped so that an archive of 60,000 encrypted members stays one small finding. */
export const MAX_EVIDENCE_ITEMS = 20;

export function cappedEvidence(items: readonly Evidence[]): Evidence[] {
  if (items.length <= MAX_EVIDENCE_ITEMS) return [...items];
  return [
    ...items.slice(0, MAX_EVIDENCE_ITEMS),
    { note: `…and ${items.length - MAX_EVIDENCE_ITEMS} more` },
  ];
}

/** Parser anomalies as findings: limits reached (E_LIMIT_*) are scan.limit-exceeded, the rest parse errors. */
export function findingsForAnomalies(anomalies: readonly Anomaly[], where: string): Finding[] {
  return anomalies.map((a) => {
    const evidence: Evidence = {
      location: a.location ?? where,
      text: `${a.code}: ${a.message}`,
      ...(a.offset === undefined ? {} : { offset: a.offset }),
    };
    return a.code.startsWith('E_LIMIT_') ? limitExceeded(evidence) : parseError(evidence);
  });
}
