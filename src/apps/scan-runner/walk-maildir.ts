import { opendir } from 'node:fs/promises';

/**
 * Maildir (https://cr.yp.to/proto/maildir.html, Dovecot's Maildir++): one file per message in `new/`
 * (not yet seen by a client) and `cur/` (seen; the name carries `:2,<flags>`), and `tmp/` for messages
 * being delivered. `tmp/` is skipped: a file there is incomplete until the MDA renames it into `new/`.
 * Maildir++ subfolders are `.Name` directories at the root, each a Maildir of its own.
 */
export const MAILDIR_MESSAGE_DIRS = ['new', 'cur'] as const;

/** The MDA's and IMAP servers' bookkeeping at a Maildir root: not mail, never scanned or learned. */
const MAILDIR_METADATA =
  /^(?:dovecot[.-].*|subscriptions|maildirfolder|maildirsize|courierimap.*|\.?uidvalidity|\.?customflags)$/i;

/** A folder listing, as the walkers need it: sorted by name, kinds known. */
export interface DirEntryInfo {
  name: string;
  isDir: boolean;
  isFile: boolean;
  isLink: boolean;
}

/** A folder is a Maildir when it holds `cur/` and `new/` (and usually `tmp/`) folders. */
export function isMaildirListing(entries: readonly DirEntryInfo[]): boolean {
  const dirs = new Set(entries.filter((e) => e.isDir).map((e) => e.name));
  return dirs.has('cur') && dirs.has('new');
}

/**
 * What to walk in a Maildir root: the message folders (`new`, `cur`) and the Maildir++ subfolders, never
 * `tmp` nor the index files of Dovecot/Courier. Everything else (a stray file, a foreign folder) stays.
 */
export function maildirWalkOrder(entries: readonly DirEntryInfo[]): DirEntryInfo[] {
  const byName = new Map(entries.map((e) => [e.name, e]));
  const messageDirs = MAILDIR_MESSAGE_DIRS.map((name) => byName.get(name)).filter(
    (e): e is DirEntryInfo => e !== undefined && e.isDir,
  );
  const rest = entries.filter(
    (e) =>
      !(MAILDIR_MESSAGE_DIRS as readonly string[]).includes(e.name) &&
      e.name !== 'tmp' &&
      !(e.isFile && MAILDIR_METADATA.test(e.name)),
  );
  return [...messageDirs, ...rest];
}

/** A folder's entries sorted by name; throws what opendir throws. Bounded by one listing. */
export async function listDirectory(dir: string): Promise<DirEntryInfo[]> {
  const names: DirEntryInfo[] = [];
  for await (const entry of await opendir(dir)) {
    names.push({
      name: entry.name,
      isDir: entry.isDirectory(),
      isFile: entry.isFile(),
      isLink: entry.isSymbolicLink(),
    });
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return names;
}
