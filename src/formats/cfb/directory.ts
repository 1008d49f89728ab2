import type { Anomaly } from '../../core/index.js';
import {
  DIRECTORY_ENTRY_SIZE,
  NOSTREAM,
  OBJECT_ROOT,
  OBJECT_STORAGE,
  OBJECT_STREAM,
  OBJECT_UNALLOCATED,
} from './constants.js';

/** MS-CFB 2.6.1 Compound File Directory Entry, as stored. */
export interface DirectoryEntry {
  /** Stream ID: the index of the entry in the directory. */
  id: number;
  name: string;
  objectType: number;
  left: number;
  right: number;
  child: number;
  clsid: string | undefined;
  startSector: number;
  size: number;
}

/** Reads every 128-byte entry of the directory stream, up to `maxEntries`. */
export function parseDirectory(
  data: Uint8Array,
  majorVersion: number,
  maxEntries: number,
  anomalies: Anomaly[],
): DirectoryEntry[] {
  let count = Math.floor(data.length / DIRECTORY_ENTRY_SIZE);
  // Free slots that pad the last directory sector are not entries.
  while (count > 0 && data[(count - 1) * DIRECTORY_ENTRY_SIZE + 66] === OBJECT_UNALLOCATED) count--;
  if (count > maxEntries) {
    anomalies.push({
      code: 'E_CFB_TOO_MANY_ENTRIES',
      message: `directory holds ${count} entries; reading the first ${maxEntries}`,
      location: 'directory',
    });
    count = maxEntries;
  }
  const view = new DataView(data.buffer, data.byteOffset, data.length);
  const entries: DirectoryEntry[] = [];
  for (let id = 0; id < count; id++) {
    const base = id * DIRECTORY_ENTRY_SIZE;
    const objectType = view.getUint8(base + 66);
    const name = objectType === OBJECT_UNALLOCATED ? '' : readName(view, base, id, anomalies);
    let size = view.getUint32(base + 120, true);
    const sizeHigh = view.getUint32(base + 124, true);
    if (sizeHigh !== 0) {
      // MS-CFB 2.6.3: version 3 writers left the high half uninitialised; it MUST be ignored there.
      if (majorVersion === 4) size += sizeHigh * 2 ** 32;
      else if (objectType !== OBJECT_UNALLOCATED) {
        anomalies.push({
          code: 'E_CFB_BAD_ENTRY',
          message: `entry ${id} "${name}": high 32 bits of a version 3 stream size are set; ignored`,
          location: name,
        });
      }
    }
    entries.push({
      id,
      name,
      objectType,
      left: view.getUint32(base + 68, true),
      right: view.getUint32(base + 72, true),
      child: view.getUint32(base + 76, true),
      clsid: readClsid(data, base + 80),
      startSector: view.getUint32(base + 116, true),
      size,
    });
  }
  return entries;
}

function readName(view: DataView, base: number, id: number, anomalies: Anomaly[]): string {
  const nameLength = view.getUint16(base + 64, true);
  let units = 31;
  if (nameLength > 64 || nameLength % 2 !== 0) {
    anomalies.push({
      code: 'E_CFB_BAD_ENTRY',
      message: `entry ${id}: name length ${nameLength} is not an even number up to 64`,
      offset: base + 64,
    });
  } else if (nameLength > 0) {
    units = nameLength / 2 - 1;
  }
  let name = '';
  for (let i = 0; i < units; i++) {
    const unit = view.getUint16(base + i * 2, true);
    if (unit === 0) break;
    name += String.fromCharCode(unit);
  }
  return name;
}

/** A GUID in its registry text form (MS-DTYP 2.3.4.3), or undefined when all zero. */
function readClsid(data: Uint8Array, at: number): string | undefined {
  let isZero = true;
  for (let i = at; i < at + 16; i++) if (data[i] !== 0) isZero = false;
  if (isZero) return undefined;
  const bytes = data.subarray(at, at + 16);
  const hex = (from: number, to: number, reverse: boolean): string => {
    const part = Array.from(bytes.subarray(from, to), (b) => b.toString(16).padStart(2, '0'));
    return (reverse ? part.reverse() : part).join('').toUpperCase();
  };
  return [
    hex(0, 4, true),
    hex(4, 6, true),
    hex(6, 8, true),
    hex(8, 10, false),
    hex(10, 16, false),
  ].join('-');
}

/** An entry reached from the root, with its full path (`Macros/VBA/dir`; the root's path is ''). */
export interface PlacedEntry {
  entry: DirectoryEntry;
  path: string;
}

/**
 * Walks the red-black trees of MS-CFB 2.6.4 from the root and returns every entry reached, parents
 * before children. Each entry is visited once: sibling or child pointers that loop, point out of range
 * or reach free entries become anomalies, and the walk goes on with the rest.
 */
export function placeEntries(
  entries: DirectoryEntry[],
  maxDepth: number,
  anomalies: Anomaly[],
): PlacedEntry[] {
  const root = entries[0];
  if (!root) {
    anomalies.push({
      code: 'E_CFB_BAD_ENTRY',
      message: 'directory is empty',
      location: 'directory',
    });
    return [];
  }
  if (root.objectType !== OBJECT_ROOT) {
    anomalies.push({
      code: 'E_CFB_BAD_ENTRY',
      message: `entry 0 has object type ${root.objectType}, not root storage (5)`,
      location: 'directory',
    });
  }
  // SECURITY: one visit per entry bounds the walk by the entry count whatever the pointers say.
  const visited = new Uint8Array(entries.length);
  visited[0] = 1;
  const placed: PlacedEntry[] = [{ entry: root, path: '' }];
  const stack: { id: number; path: string; depth: number }[] = [];
  const pushChildren = (child: number, parentPath: string, depth: number): void => {
    const siblings = collectSiblings(entries, child, visited, parentPath, anomalies);
    reportDuplicates(siblings, parentPath, anomalies);
    for (let i = siblings.length - 1; i >= 0; i--) {
      const entry = siblings[i]!;
      stack.push({
        id: entry.id,
        path: parentPath ? `${parentPath}/${entry.name}` : entry.name,
        depth,
      });
    }
  };
  pushChildren(root.child, '', 1);
  while (stack.length > 0) {
    const job = stack.pop()!;
    const entry = entries[job.id]!;
    placed.push({ entry, path: job.path });
    if (entry.objectType !== OBJECT_STORAGE) continue;
    if (job.depth >= maxDepth) {
      anomalies.push({
        code: 'E_CFB_TOO_DEEP',
        message: `storages nest deeper than ${maxDepth} levels; contents skipped`,
        location: job.path,
      });
      continue;
    }
    pushChildren(entry.child, job.path, job.depth + 1);
  }
  reportOrphans(entries, visited, anomalies);
  return placed;
}

/** In-order walk of one storage's sibling tree, without recursion. */
function collectSiblings(
  entries: DirectoryEntry[],
  start: number,
  visited: Uint8Array,
  parentPath: string,
  anomalies: Anomaly[],
): DirectoryEntry[] {
  const out: DirectoryEntry[] = [];
  const pending: DirectoryEntry[] = [];
  const where = parentPath || 'Root Entry';
  const enter = (id: number): DirectoryEntry | undefined => {
    if (id === NOSTREAM) return undefined;
    const entry = entries[id];
    if (!entry) {
      anomalies.push({
        code: 'E_CFB_BAD_ENTRY',
        message: `${where}: directory pointer ${id} is out of range (${entries.length} entries)`,
        location: where,
      });
      return undefined;
    }
    if (visited[id]) {
      anomalies.push({
        code: 'E_CFB_DIR_LOOP',
        message: `${where}: entry ${id} "${entry.name}" is reached twice (sibling/child loop)`,
        location: where,
      });
      return undefined;
    }
    visited[id] = 1;
    return entry;
  };
  let current = enter(start);
  while (current || pending.length > 0) {
    while (current) {
      pending.push(current);
      current = enter(current.left);
    }
    const entry = pending.pop()!;
    if (entry.objectType === OBJECT_STORAGE || entry.objectType === OBJECT_STREAM) {
      out.push(entry);
    } else {
      anomalies.push({
        code: 'E_CFB_BAD_ENTRY',
        message: `${where}: entry ${entry.id} "${entry.name}" has object type ${entry.objectType}`,
        location: where,
      });
    }
    current = enter(entry.right);
  }
  return out;
}

function reportDuplicates(siblings: DirectoryEntry[], parentPath: string, anomalies: Anomaly[]) {
  const seen = new Set<string>();
  for (const entry of siblings) {
    const key = entry.name.toUpperCase();
    if (seen.has(key)) {
      anomalies.push({
        code: 'E_CFB_DUPLICATE_NAME',
        message: `${parentPath || 'Root Entry'}: two entries are named "${entry.name}"; the first wins`,
        location: parentPath ? `${parentPath}/${entry.name}` : entry.name,
      });
    }
    seen.add(key);
  }
}

function reportOrphans(entries: DirectoryEntry[], visited: Uint8Array, anomalies: Anomaly[]) {
  const orphans = entries.filter((e) => !visited[e.id] && e.objectType !== OBJECT_UNALLOCATED);
  if (orphans.length === 0) return;
  const names = orphans.slice(0, 5).map((e) => `"${e.name}"`);
  anomalies.push({
    code: 'E_CFB_ORPHAN_ENTRY',
    message: `${orphans.length} allocated entries are not reachable from the root: ${names.join(', ')}`,
    location: 'directory',
  });
}
