import { defineFinding } from '../../core/index.js';

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

// Shared with the other engines: one anomaly → finding mapping, one evidence cap.
export { cappedEvidence, findingsForAnomalies, MAX_EVIDENCE_ITEMS } from '../../core/index.js';
