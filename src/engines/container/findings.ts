import { defineFinding } from '../../core/index.js';

export const diskImage = defineFinding({
  id: 'container.disk-image',
  title: 'Disk image (ISO/UDF/IMG): its files escape Mark-of-the-Web',
  severity: 'medium',
  step: '1',
  attack: ['T1553.005', 'T1566.001'],
  description:
    'Files inside a mounted ISO, UDF or FAT image did not carry the Mark-of-the-Web before the November 2022 ' +
    'Windows update, so SmartScreen and Office Protected View never saw them: QakBot, Emotet and IcedID mailed ' +
    'images holding a shortcut and a hidden DLL in 2022. The files were extracted and scanned as children.',
});

export const hiddenMember = defineFinding({
  id: 'container.hidden-member',
  title: 'Image holds hidden files beside a visible one',
  severity: 'medium',
  step: '1',
  attack: ['T1564.001'],
  description:
    'Files or folders with the hidden attribute: the user sees only the shortcut, which runs the hidden DLL or ' +
    'script that sits next to it.',
});

export const inconsistentImage = defineFinding({
  id: 'container.inconsistent-image',
  title: 'The UDF and ISO 9660 trees of the image disagree',
  severity: 'medium',
  step: '1',
  attack: ['T1027'],
  description:
    'Windows mounts the UDF tree, other tools and scanners read the ISO 9660 one: different data under one name ' +
    'shows one file to the scanner and another to the victim. Both versions were scanned.',
});

export const encryptedArchive = defineFinding({
  id: 'container.encrypted-archive',
  title: 'Encrypted archive: its content could not be scanned',
  severity: 'medium',
  step: '1',
  attack: ['T1027'],
  description:
    '7z with AES-256 (encrypted file data, or with -mhe=on encrypted names too) or RAR with a password: mailed ' +
    'so that gateways cannot look inside, the password given in the mail body. The candidate passwords ' +
    'found in the delivering mail were tried and none opened it (the evidence says how many). Never ' +
    'reported clean.',
});

export const unsupportedArchive = defineFinding({
  id: 'container.unsupported-archive',
  title: 'Archive members compressed with a method emoguard does not decode',
  severity: 'medium',
  step: '1',
  attack: [],
  description:
    'The archive was listed but some members could not be extracted (7z PPMd/BZip2/BCJ2/Delta/ARM filters): ' +
    'their content was not scanned, so the archive is not called clean. Member names are in the evidence.',
});

export const unreadableMember = defineFinding({
  id: 'container.unreadable-member',
  title: 'Archive contents that could not be extracted',
  severity: 'medium',
  step: '1',
  attack: ['T1027'],
  description:
    'A 7z folder did not decode, or RARLAB unrar refused a member or the archive (damaged data, a CRC ' +
    'mismatch, an unknown method, a truncated volume): that content was not scanned, so the archive is ' +
    'not called clean. The error and the member or folder are in the evidence.',
});

export const CONTAINER_FINDINGS = [
  diskImage,
  hiddenMember,
  inconsistentImage,
  encryptedArchive,
  unsupportedArchive,
  unreadableMember,
] as const;

export const embeddedFile = defineFinding({
  id: 'onenote.embedded-file',
  title: 'OneNote section embeds files',
  severity: 'info',
  step: '1',
  attack: [],
  description:
    'FileDataStoreObjects of the section, extracted and scanned as children; names and source paths in evidence.',
});

export const embeddedScript = defineFinding({
  id: 'onenote.embedded-script',
  title: 'OneNote section embeds a script, shortcut or program',
  severity: 'high',
  step: '1',
  attack: ['T1566.001', 'T1204.002'],
  description:
    'An HTA, VBScript, JScript, batch file, shortcut or executable inside a .one section: a double-click on the ' +
    'page runs it (QakBot, Emotet, AsyncRAT and IcedID used OneNote carriers from December 2022 to 2023).',
});

export const lureText = defineFinding({
  id: 'onenote.lure-text',
  title: 'OneNote page tells the reader to double-click',
  severity: 'low',
  step: '1',
  attack: ['T1204.002'],
  description:
    '"Double click to view file", "This document is protected": the text beside an embedded payload.',
});

export const ONENOTE_FINDINGS = [embeddedFile, embeddedScript, lureText] as const;

// Shared with the other engines: one anomaly → finding mapping, one evidence cap.
export {
  cappedEvidence as capped,
  findingsForAnomalies as anomalyFindings,
} from '../../core/index.js';
