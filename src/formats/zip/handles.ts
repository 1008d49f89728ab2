import type { Entry } from '@zip.js/zip.js';
import type { ZipEntry } from './types.js';

/** Where a listed entry's bytes come from: zip.js (central directory) or a recovered local header. */
export type EntryHandle =
  | { kind: 'zipjs'; entry: Entry; archive: Uint8Array }
  | { kind: 'local'; data: Uint8Array; method: number };

// Kept out of band so that ZipEntry stays plain data that serialises and compares cleanly.
const HANDLES = new WeakMap<ZipEntry, EntryHandle>();

export function attachHandle(entry: ZipEntry, handle: EntryHandle): ZipEntry {
  HANDLES.set(entry, handle);
  return entry;
}

export function handleOf(entry: ZipEntry): EntryHandle | undefined {
  return HANDLES.get(entry);
}
