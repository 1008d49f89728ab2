import type { Evidence, FileType, FindingFactory } from '../../core/index.js';
import type { MailAttachment } from '../../formats/mime/index.js';
import { sniffType } from '../../formats/sniff/index.js';
import { centralDirectoryNames } from '../../formats/zip/index.js';
import { inspectEncryptedArchive, passwordNote } from './encrypted-archives.js';
import {
  DANGEROUS_EXTENSIONS,
  DANGEROUS_TYPES,
  decoyExtensionOf,
  extensionOf,
  hasBidiControl,
  hasTrailingBlank,
  OFFICE_EXTENSIONS,
  visibleName,
} from './filenames.js';
import {
  dangerousAttachmentType,
  documentAttachment,
  doubleExtension,
  encryptedArchiveAttachment,
  officeAttachment,
  rtloFilename,
  trailingSpaceFilename,
} from './findings.js';

export type Report = (finding: FindingFactory, evidence: Evidence) => void;

/** ECMA-376 parts that carry macros: a VBA project, or Excel 4.0 macro sheets (XLM). */
function ooxmlMacroParts(bytes: Uint8Array): string[] {
  return centralDirectoryNames(bytes).filter((name) =>
    /(?:^|\/)vbaproject\.bin$|^xl\/macrosheets\//i.test(name),
  );
}

function checkOffice(
  type: FileType,
  bytes: Uint8Array,
  name: string,
  evidence: Evidence,
  report: Report,
) {
  const expected = OFFICE_EXTENSIONS[type];
  if (!expected) return;
  const ext = extensionOf(name);
  const isMismatch = name !== '' && !expected.has(ext);
  const macroParts = type === 'ooxml' ? ooxmlMacroParts(bytes) : [];
  // Legacy OLE and RTF files cannot be told macro-free without the document engines: treat them as capable.
  const isMacroCapable = type !== 'ooxml' || macroParts.length > 0;
  const what =
    type === 'ooxml'
      ? `OOXML package${macroParts.length > 0 ? ` with ${macroParts.join(', ')}` : ''}`
      : type === 'ole'
        ? 'OLE compound file (legacy Office)'
        : type === 'biff'
          ? 'Excel 2.x–4.0 file (BIFF2–4, XLM macro sheets)'
          : 'RTF document';
  const named = name === '' ? 'no file name' : `named .${ext || '(none)'}`;
  const note = `content is ${what}; ${named}${isMismatch ? ', which disagrees with the content' : ''}`;
  report(isMacroCapable || isMismatch ? officeAttachment : documentAttachment, {
    ...evidence,
    note,
  });
}

function checkDangerous(type: FileType, name: string, evidence: Evidence, report: Report) {
  const ext = extensionOf(name);
  const byType = DANGEROUS_TYPES.has(type);
  const byName = DANGEROUS_EXTENSIONS.has(ext);
  if (!byType && !byName) return;
  const reasons = [byType ? `content is ${type}` : '', byName ? `extension .${ext}` : ''];
  report(dangerousAttachmentType, { ...evidence, note: reasons.filter(Boolean).join('; ') });
}

function checkName(name: string, evidence: Evidence, report: Report) {
  const decoy = decoyExtensionOf(name);
  if (decoy !== undefined) {
    report(doubleExtension, { ...evidence, note: `decoy .${decoy} before .${extensionOf(name)}` });
  }
  if (hasBidiControl(name)) {
    report(rtloFilename, { ...evidence, note: 'bidirectional override in the name' });
  }
  if (hasTrailingBlank(name)) {
    report(trailingSpaceFilename, { ...evidence, note: 'name ends in blanks or dots' });
  }
}

/** ZIP, 7z and RAR: encrypted members or headers, and whether a password from the body opens them. */
async function checkEncryptedArchive(
  type: FileType,
  bytes: Uint8Array,
  evidence: Evidence,
  passwords: PasswordContext,
  report: Report,
) {
  const lock = await inspectEncryptedArchive(type, bytes, {
    passwords: passwords.candidates,
    ...(passwords.checkDeadline ? { checkDeadline: passwords.checkDeadline } : {}),
  });
  if (!lock) return;
  const note = passwordNote(lock, passwords.candidates.length, passwords.hasHint);
  report(encryptedArchiveAttachment, { ...evidence, note: `${lock.what}${note}` });
}

/** What the mail body says about archive passwords. */
export interface PasswordContext {
  /** The body mentions a password (パスワード, password …). */
  hasHint: boolean;
  /** Candidate passwords found in the subject and body, tried on encrypted archives. */
  candidates: readonly string[];
  checkDeadline?: () => void;
}

/**
 * Runs every attachment check on one attachment. `label` is the name the attachment is shown and
 * scanned under (its file name, or `part-N.ext`).
 */
export async function checkAttachment(
  attachment: MailAttachment,
  label: string,
  passwords: boolean | PasswordContext,
  report: Report,
): Promise<void> {
  const context =
    typeof passwords === 'boolean' ? { hasHint: passwords, candidates: [] } : passwords;
  const name = attachment.filename ?? '';
  const type = sniffType(attachment.bytes);
  // The exact name is the evidence; its escaped form rides along in the note, since bidi overrides
  // and trailing blanks are invisible (or reorder the line) wherever the raw name is printed.
  const shown = visibleName(name);
  const suffix = shown === name ? '' : ` [name shown escaped: ${shown}]`;
  const annotated: Report = (finding, evidence) =>
    report(finding, { ...evidence, note: `${evidence.note ?? ''}${suffix}` });
  const evidence: Evidence = { location: label, text: name === '' ? label : name };
  checkOffice(type, attachment.bytes, name, evidence, annotated);
  checkDangerous(type, name, evidence, annotated);
  checkName(name, evidence, annotated);
  if (type === 'zip' || type === '7z' || type === 'rar')
    await checkEncryptedArchive(type, attachment.bytes, evidence, context, annotated);
}
