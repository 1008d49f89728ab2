import { defineFinding } from '../../core/index.js';

/*
 * Severities follow the verdict policy (core/verdict.ts): nothing the mail engine sees alone is
 * `critical` (the attack itself is proven by the document engines on the attachment, and the mail
 * takes its worst child's verdict); delivery tricks that hide or disguise a payload are `high`;
 * things that are common in legitimate mail but are Emotet's vehicle are `medium`; context is
 * `low`/`info`, so a benign newsletter stays clean.
 */

export const officeAttachment = defineFinding({
  id: 'mail.office-attachment',
  title: 'Macro-capable Office document attached',
  severity: 'medium',
  step: '1',
  attack: ['T1566.001'],
  description:
    'An attachment is, by content, a legacy OLE document (.doc/.xls/.ppt), an RTF file, or an OOXML ' +
    'package that holds a VBA project or Excel 4.0 macro sheets, or an Office file named with another ' +
    "type's extension. Emotet was delivered exactly so, often renamed; the document engines decide " +
    'whether the macros are malicious.',
});

export const documentAttachment = defineFinding({
  id: 'mail.document-attachment',
  title: 'Office document attached',
  severity: 'info',
  step: '1',
  attack: ['T1566.001'],
  description:
    'An attachment is a macro-free OOXML document (.docx/.xlsx/.pptx) named as such. Context for a ' +
    'responder; the document engines still analyse it (external template links, embedded objects).',
});

export const dangerousAttachmentType = defineFinding({
  id: 'mail.dangerous-attachment-type',
  title: 'Executable or script-capable attachment',
  severity: 'high',
  step: '1',
  attack: ['T1566.001', 'T1204.002'],
  description:
    'An attachment is, by content or by name, a program, script, shortcut, disk image, OneNote ' +
    'notebook or macro-enabled Office file (.exe .js .vbs .hta .lnk .iso .one .docm …). Mail has no ' +
    'business delivering these; Emotet and its successors used each of them.',
});

export const doubleExtension = defineFinding({
  id: 'mail.double-extension',
  title: 'Attachment name with a decoy extension before the real one',
  severity: 'high',
  step: '1',
  attack: ['T1036.007', 'T1566.001'],
  description:
    'The file name ends in a harmless-looking extension followed by a dangerous one ' +
    '(invoice.pdf.exe, 請求書.doc   .js). Windows hides known extensions, so the user sees the decoy.',
});

export const rtloFilename = defineFinding({
  id: 'mail.rtlo-filename',
  title: 'Attachment name with a right-to-left override',
  severity: 'high',
  step: '1',
  attack: ['T1036.002', 'T1566.001'],
  description:
    'The file name contains U+202E (or another bidirectional override), which makes ' +
    '"invoice\u202Efdp.exe" display as "invoiceexe.pdf". No legitimate sender needs it.',
});

export const trailingSpaceFilename = defineFinding({
  id: 'mail.trailing-space-filename',
  title: 'Attachment name with trailing spaces or dots',
  severity: 'medium',
  step: '1',
  attack: ['T1036'],
  description:
    'The file name ends in white space or dots, which Windows strips on save: the extension a filter ' +
    'or a user reads is not the one the file gets (Masquerading: Space after Filename).',
});

export const encryptedArchiveAttachment = defineFinding({
  id: 'mail.encrypted-archive-attachment',
  title: 'Password-protected archive attached',
  severity: 'medium',
  step: '1',
  attack: ['T1566.001', 'T1027'],
  description:
    'A ZIP, 7z or RAR attachment has encrypted members or encrypted headers, which a gateway cannot ' +
    'scan without the password. Emotet mailed password ZIPs with the password in the body (abusing ' +
    'the Japanese PPAP habit); the note says whether a password found in the body opens the archive ' +
    '(its members are then extracted and scanned by the archive engines) or none does.',
});

export const displayNameSpoof = defineFinding({
  id: 'mail.display-name-spoof',
  title: 'From display name shows another address',
  severity: 'medium',
  step: '1',
  attack: ['T1566'],
  description:
    'The From display name contains an e-mail address in another domain than the real sender, so ' +
    'clients that show only the name display the forged address. Emotet replied to stolen threads ' +
    'this way, under the name and address of a known correspondent.',
});

export const threadHijack = defineFinding({
  id: 'mail.thread-hijack-suspect',
  title: 'Reply inside a conversation the sender was not part of',
  severity: 'medium',
  step: '1',
  attack: ['T1566.001'],
  description:
    'A reply (Re:/Fwd:/返信:, In-Reply-To, quoted text) to a conversation between other organisations ' +
    "— the recipient's, or the one the display name claims — sent from an outside domain. Emotet steals " +
    'mailboxes and answers their threads from other compromised accounts so the lure reads as a reply.',
});

export const unknownThreadReference = defineFinding({
  id: 'mail.unknown-thread-reference',
  title: 'Reply to a Message-ID the organisation never sent',
  severity: 'medium',
  step: '1',
  attack: ['T1566.001'],
  description:
    "With --msgid-db: In-Reply-To or References names a Message-ID in the organisation's own domain " +
    'that is not among the Message-IDs of its sent mail. The mail claims to answer one of its ' +
    'conversations that never took place: a forged reply, the thread-hijacking lure without a stolen thread.',
});

export const knownThreadOutsider = defineFinding({
  id: 'mail.thread-hijack-known-thread',
  title: "Reply inside one of the organisation's real conversations from a sender outside it",
  severity: 'high',
  step: '1',
  attack: ['T1566.001'],
  description:
    'With --msgid-db: the mail answers a message the organisation really sent (its Message-ID is in ' +
    'the database), but the sender belongs neither to the organisation nor to any organisation the ' +
    "original went to. Emotet steals a correspondent's mailbox and answers its threads from another " +
    'compromised account: the conversation is genuine, the sender is not part of it.',
});

export const replyToMismatch = defineFinding({
  id: 'mail.reply-to-mismatch',
  title: 'Reply-To points to another domain than From',
  severity: 'low',
  step: '1',
  attack: ['T1566'],
  description:
    'Replies go to a different organisation than the sender. Common for mailing services, so it is ' +
    'context; with other findings it marks a lure that wants the answer elsewhere.',
});

export const authFail = defineFinding({
  id: 'mail.auth-fail',
  title: 'Sender authentication failed (SPF, DKIM or DMARC)',
  severity: 'medium',
  step: '1',
  attack: ['T1566'],
  description:
    'Authentication-Results reports spf=fail/softfail, dkim=fail or dmarc=fail: the mail did not ' +
    'come from where it claims. The header is only as trustworthy as the MTA that added it.',
});

export const linkToOfficeDocument = defineFinding({
  id: 'mail.link-to-office-document',
  title: 'Link to a document, archive or script download',
  severity: 'medium',
  step: '1',
  attack: ['T1566.002', 'T1204.001'],
  description:
    'A link in the body points at an Office document, archive or script (…/invoice.doc, …/scan.zip), ' +
    'or at a bare IP address or a non-standard port. Emotet mails linked to macro documents so.',
});

export const invoiceLure = defineFinding({
  id: 'mail.invoice-lure',
  title: 'Invoice or payment lure wording',
  severity: 'info',
  step: '1',
  attack: ['T1566'],
  description:
    'The subject or body uses wording common in Emotet lures (請求書, 見積書, 支払, invoice, ' +
    'remittance …). Context only: legitimate business mail says the same.',
});

export const MAIL_FINDINGS = [
  officeAttachment,
  documentAttachment,
  dangerousAttachmentType,
  doubleExtension,
  rtloFilename,
  trailingSpaceFilename,
  encryptedArchiveAttachment,
  displayNameSpoof,
  replyToMismatch,
  threadHijack,
  unknownThreadReference,
  knownThreadOutsider,
  authFail,
  linkToOfficeDocument,
  invoiceLure,
] as const;
