import { clipText, type Finding } from '../../core/index.js';
import type { HostSnapshot } from '../../formats/host-snapshot/index.js';
import { mailDataAtRisk } from './findings.js';

/** Files named per snapshot; a host with thousands of archives is summarised by the count. */
export const MAX_MAIL_DATA_FILES = 20;

/** Mail stores and address books Emotet's mail-stealing modules read (Outlook MAPI, WAB, Contacts). */
const MAIL_STORE = /\.(?:pst|ost)$/i;
const ADDRESS_BOOK =
  /\.(?:nk2|wab)$|[\\/]Stream_Autocomplete[^\\/]*\.dat$|[\\/]Contacts[\\/][^\\/]+\.contact$/i;

/** `mail-store` or `address-book` for a listed file that is one, else null. */
export function mailDataKind(path: string): 'mail-store' | 'address-book' | null {
  if (MAIL_STORE.test(path)) return 'mail-store';
  return ADDRESS_BOOK.test(path) ? 'address-book' : null;
}

/** One info finding naming the mail data on the host (paths only: the files' contents are not read). */
export function mailDataFindings(snapshot: HostSnapshot, maxChars: number): Finding[] {
  const evidence = [];
  let count = 0;
  for (const f of snapshot.files) {
    if (f.isDir) continue;
    const kind = mailDataKind(f.path);
    if (kind === null) continue;
    count++;
    if (evidence.length < MAX_MAIL_DATA_FILES) {
      evidence.push({ location: 'file', text: clipText(f.path, maxChars), note: kind });
    }
  }
  if (count === 0) return [];
  if (count > evidence.length) {
    evidence.push({ note: `${count} mail data files in all, ${evidence.length} shown` });
  }
  return [mailDataAtRisk(evidence)];
}
