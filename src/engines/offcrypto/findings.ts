import { defineFinding } from '../../core/index.js';

export const defaultPassword = defineFinding({
  id: 'offcrypto.default-password',
  title: 'Document encrypted with the well-known default password "VelvetSweatshop"',
  severity: 'medium',
  step: '2',
  attack: ['T1027'],
  description:
    'Office opens a file encrypted with "VelvetSweatshop" without asking for a password, while scanners ' +
    'that do not try it see only ciphertext: a maldoc evasion trick (Excel also uses it for some ' +
    'write-protected workbooks). emoguard decrypted it; the plaintext is analysed as the child ' +
    '"decrypted.*".',
});

export const encrypted = defineFinding({
  id: 'offcrypto.encrypted',
  title: 'Encrypted document could not be decrypted: content not analysed',
  severity: 'medium',
  step: '2',
  attack: ['T1027'],
  description:
    'The document is encrypted ([MS-OFFCRYPTO]) with a password emoguard does not know, or with a scheme ' +
    'it does not decrypt; the evidence names the scheme. Password-protected attachments whose password ' +
    'is in the mail body are a phishing staple: never treat the file as clean.',
});

export const OFFCRYPTO_FINDINGS = [defaultPassword, encrypted] as const;
