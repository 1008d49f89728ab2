import type { Entry } from '@zip.js/zip.js';
import type { ZipEntry } from './types.js';

/** Where a listed entry's bytes come from: the central directory (read here or by zip.js) or a recovered local header. */
export type EntryHandle =
  | { kind: 'zipjs'; entry: Entry; archive: Uint8Array }
  /** Listed synchronously (central.ts); zip.js lists the archive only if a member needs its reader. */
  | { kind: 'central'; crc32: number; archive: Uint8Array; lister: ZipJsLister }
  | { kind: 'local'; data: Uint8Array; method: number };

/** zip.js's entries of one archive by local header offset, listed on first use (one per archive). */
export interface ZipJsLister {
  entryAt(offset: number): Promise<Entry | undefined>;
}

// Kept out of band so that ZipEntry stays plain data that serialises and compares cleanly.
const HANDLES = new WeakMap<ZipEntry, EntryHandle>();

export function attachHandle(entry: ZipEntry, handle: EntryHandle): ZipEntry {
  HANDLES.set(entry, handle);
  return entry;
}

export function handleOf(entry: ZipEntry): EntryHandle | undefined {
  return HANDLES.get(entry);
}
