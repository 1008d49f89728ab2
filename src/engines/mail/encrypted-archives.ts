import { DefenseError, LimitError, type FileType } from '../../core/index.js';
import { parseRar, rar5Key, type Rar5Crypt } from '../../formats/rar/index.js';
import {
  parseSevenZip,
  readSevenZipFolder,
  type SevenZipArchive,
} from '../../formats/sevenzip/index.js';
import { listZip, readZipEntry, type ZipEntry } from '../../formats/zip/index.js';

/**
 * What `mail.encrypted-archive-attachment` says about a password-protected ZIP, 7z or RAR attachment:
 * what is encrypted (members, or the headers with the names), and whether a password found in the
 * body opens it. Each format is checked the cheapest way it allows: the ZIP check bytes then the
 * smallest member, 7zAES on the header or the smallest folder (CRC-checked), RAR5's password check
 * value; RAR 4 has none, so its candidates are left to the container engine. Opening is not
 * scanning: the archive and container engines extract and scan the members as children.
 */

/** Members listed per archive to look for encryption; the archive engines list them all. */
const MAX_ENTRIES_CHECKED = 10_000;
/** Output read to prove a password on one member or folder. */
const MAX_PROOF_BYTES = 8 * 1024 * 1024;
/**
 * 7zAES candidates tried here: each costs 2^19 SHA-256 rounds (about 40 ms), and the container engine
 * derives them again to extract; past these, the outcome is left to it.
 */
export const MAX_7Z_CANDIDATES_CHECKED = 8;

type Outcome = 'opened' | 'not-opened' | 'unchecked';

export interface ArchiveLock {
  /** `3 of 5 members encrypted (aes), first "invoice.doc"`, `7z header encrypted (AES-256) …`. */
  what: string;
  outcome?: Outcome;
}

export interface LockOptions {
  passwords: readonly string[];
  checkDeadline?: () => void;
}

/** The archive's encryption and the password outcome; undefined when nothing in it is encrypted. */
export async function inspectEncryptedArchive(
  type: FileType,
  bytes: Uint8Array,
  options: LockOptions,
): Promise<ArchiveLock | undefined> {
  try {
    if (type === 'zip') return await zipLock(bytes, options);
    if (type === '7z') return sevenZipLock(bytes, options);
    if (type === 'rar') return rarLock(bytes, options);
  } catch (error) {
    // The scan's deadline stops the mail; anything else means not listable here, and the archive and
    // container engines report why when they scan the attachment as a child.
    if (error instanceof LimitError && error.code === 'E_LIMIT_TIME') throw error;
    return undefined;
  }
  return undefined;
}

/** The note's password part: found and working, found and not working, or not found. */
export function passwordNote(lock: ArchiveLock, candidates: number, hasHint: boolean): string {
  if (candidates === 0) return hasHint ? '; the body mentions a password' : '';
  const tried = `${candidates} candidate password${candidates === 1 ? '' : 's'} from the body`;
  if (lock.outcome === 'opened') return `; a password from the body opens it (${tried} tried)`;
  if (lock.outcome === 'not-opened') return `; none of ${tried} opens it`;
  return `; ${tried}, not checked here (the container engine tries them)`;
}

async function zipLock(bytes: Uint8Array, o: LockOptions): Promise<ArchiveLock | undefined> {
  const { entries } = await listZip(bytes, { maxEntries: MAX_ENTRIES_CHECKED });
  const encrypted = entries.filter((e) => e.encrypted);
  const first = encrypted[0];
  if (!first) return undefined;
  const kinds = [...new Set(encrypted.map((e) => e.encryption ?? 'unknown'))].join(', ');
  const what = `${encrypted.length} of ${entries.length} members encrypted (${kinds}), first ${JSON.stringify(first.name)}`;
  if (o.passwords.length === 0) return { what };
  const smallest = encrypted.reduce((a, b) => (b.compressedSize < a.compressedSize ? b : a));
  return { what, outcome: await zipOutcome(smallest, o) };
}

async function zipOutcome(entry: ZipEntry, o: LockOptions): Promise<Outcome> {
  if (entry.encryption === 'strong') return 'unchecked';
  for (const password of o.passwords) {
    o.checkDeadline?.();
    try {
      await readZipEntry(entry, { maxBytes: MAX_PROOF_BYTES, password });
      return 'opened';
    } catch (error) {
      // Past the check bytes and into a member too big to prove here: the password is accepted.
      if (error instanceof LimitError) return 'opened';
      if (!(error instanceof DefenseError)) throw error;
    }
  }
  return 'not-opened';
}

function sevenZipLock(bytes: Uint8Array, o: LockOptions): ArchiveLock | undefined {
  const options = {
    maxEntries: MAX_ENTRIES_CHECKED,
    maxOutput: MAX_PROOF_BYTES,
    ...(o.checkDeadline ? { checkDeadline: o.checkDeadline } : {}),
  };
  const plain = parseSevenZip(bytes, options);
  const candidates = o.passwords.slice(0, MAX_7Z_CANDIDATES_CHECKED);
  const isPartial = candidates.length < o.passwords.length;
  const settle = (outcome: Outcome): Outcome =>
    outcome === 'not-opened' && isPartial ? 'unchecked' : outcome;
  if (plain.isHeaderEncrypted) {
    const what = '7z header encrypted (AES-256, -mhe=on): member names and contents hidden';
    if (o.passwords.length === 0) return { what };
    return { what, outcome: settle(sevenZipHeaderOutcome(bytes, options, candidates)) };
  }
  const files = plain.entries.filter((e) => !e.isDirectory);
  const encrypted = files.filter((e) => plain.folders[e.folder ?? -1]?.isEncrypted === true);
  const first = encrypted[0];
  if (!first) return undefined;
  const what = `${encrypted.length} of ${files.length} members encrypted (7zAES), first ${JSON.stringify(first.name)}`;
  if (o.passwords.length === 0) return { what };
  return { what, outcome: settle(sevenZipFolderOutcome(bytes, plain, options, candidates)) };
}

function sevenZipHeaderOutcome(
  bytes: Uint8Array,
  options: { maxEntries: number; maxOutput: number },
  passwords: readonly string[],
): Outcome {
  try {
    return parseSevenZip(bytes, { ...options, passwords }).password === undefined
      ? 'not-opened'
      : 'opened';
  } catch (error) {
    if (error instanceof LimitError) return 'unchecked';
    throw error;
  }
}

/** The smallest encrypted folder, decoded with the candidates and checked against its CRC. */
function sevenZipFolderOutcome(
  bytes: Uint8Array,
  archive: SevenZipArchive,
  options: { maxEntries: number; maxOutput: number },
  passwords: readonly string[],
): Outcome {
  let index = -1;
  archive.folders.forEach((f, i) => {
    const size = Math.max(0, ...f.unpackSizes);
    const best = archive.folders[index];
    if (f.isEncrypted && (!best || size < Math.max(0, ...best.unpackSizes))) index = i;
  });
  try {
    readSevenZipFolder(bytes, archive, index, { ...options, passwords });
    return 'opened';
  } catch (error) {
    if (error instanceof LimitError) return 'unchecked';
    if ((error as { code?: unknown }).code === 'E_7Z_BAD_PASSWORD') return 'not-opened';
    if (error instanceof DefenseError) return 'unchecked'; // a method not read here (PPMd, BCJ2 …)
    throw error;
  }
}

function rarLock(bytes: Uint8Array, o: LockOptions): ArchiveLock | undefined {
  const archive = parseRar(bytes, { maxEntries: MAX_ENTRIES_CHECKED });
  const version = `RAR ${archive.version}`;
  if (archive.isHeaderEncrypted) {
    const what = `${version} headers encrypted (${archive.version === 5 ? 'AES-256' : 'AES-128'}, rar -hp): member names and contents hidden`;
    if (o.passwords.length === 0) return { what };
    return { what, outcome: rarOutcome(archive.headerCrypt, o) };
  }
  const files = archive.entries.filter((e) => !e.isDirectory);
  const encrypted = files.filter((e) => e.isEncrypted);
  const first = encrypted[0];
  if (!first) return undefined;
  const cipher = archive.version === 5 ? 'AES-256' : 'AES-128';
  const what = `${encrypted.length} of ${files.length} members encrypted (${version} ${cipher}), first ${JSON.stringify(first.name)}`;
  if (o.passwords.length === 0) return { what };
  return { what, outcome: rarOutcome(first.crypt, o) };
}

/** RAR5's check value proves a password without decrypting; RAR 4 (and RAR5 without one) cannot. */
function rarOutcome(crypt: Rar5Crypt | undefined, o: LockOptions): Outcome {
  if (!crypt?.check) return 'unchecked';
  for (const password of o.passwords) {
    o.checkDeadline?.();
    try {
      if (rar5Key(password, crypt) !== undefined) return 'opened';
    } catch (error) {
      if (error instanceof LimitError) return 'unchecked';
      throw error;
    }
  }
  return 'not-opened';
}
