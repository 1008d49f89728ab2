import { ConfigError } from '../../core/index.js';
import {
  CFB_SIGNATURE,
  DIFSECT,
  DIRECTORY_ENTRY_SIZE,
  ENDOFCHAIN,
  FATSECT,
  FREESECT,
  HEADER_DIFAT_ENTRIES,
  MINI_SECTOR_SIZE,
  MINI_STREAM_CUTOFF,
  NOSTREAM,
  OBJECT_ROOT,
  OBJECT_STORAGE,
  OBJECT_STREAM,
} from './constants.js';

/** One storage or stream to write. Metadata left out is written as zeros. */
export interface CfbNode {
  name: string;
  type: 'storage' | 'stream';
  /** Stream bytes (streams only). */
  data?: Uint8Array;
  /** Storage contents (storages only), in any order: the writer sorts them (MS-CFB 2.6.4). */
  children?: CfbNode[];
  /** 16 raw bytes (MS-CFB 2.6.1 CLSID): an embedded object's class, a document's type. */
  clsid?: Uint8Array;
  stateBits?: number;
  /** 8 raw bytes each (FILETIME), storages only: MS-CFB 2.6.1 says streams MUST have zeros. */
  creationTime?: Uint8Array;
  modifiedTime?: Uint8Array;
}

/** The root storage: its children, CLSID, state bits and times. */
export type CfbRoot = Omit<CfbNode, 'name' | 'type' | 'data'> & { children: CfbNode[] };

/** Version 3 (MS-CFB 2.2): 512-byte sectors, streams under 4 GiB, read by every Office version. */
const SECTOR_SIZE = 512;
const IDS_PER_SECTOR = SECTOR_SIZE / 4;
const ENTRIES_PER_SECTOR = SECTOR_SIZE / DIRECTORY_ENTRY_SIZE;
/** MS-CFB 2.6.1: a name holds at most 31 UTF-16 code units plus the terminating NUL. */
const MAX_NAME_UNITS = 31;
/** MS-CFB 2.6.1: characters a directory entry name must not contain. */
const ILLEGAL_NAME = /[/\\:!]/;
/** Version 3 sizes are 32-bit (MS-CFB 2.6.3); larger streams need version 4, which this writer does not emit. */
const MAX_V3_STREAM = 0xffffffff;

interface Slot {
  node: CfbNode | CfbRoot;
  id: number;
  objectType: number;
  name: string;
  left: number;
  right: number;
  child: number;
  start: number;
  size: number;
}

/**
 * Writes a compound file ([MS-CFB] version 3) holding `root`'s storages and streams: header, DIFAT,
 * FAT, MiniFAT, mini stream (streams under 4096 bytes), directory with one balanced binary tree per
 * storage whose nodes are all black (MS-CFB 2.6.4 allows it: the tree is then a plain binary search
 * tree). Nothing of a source file survives but what the tree holds: slack, orphan entries and
 * unreferenced sectors are gone. Throws `ConfigError` for a tree no reader could accept (bad or
 * duplicate names, oversized streams): callers build trees from parsed files and check them first.
 *
 * @example
 * const bytes = writeCfb({ children: [{ name: 'WordDocument', type: 'stream', data }] });
 */
export function writeCfb(root: CfbRoot): Uint8Array {
  const slots = assignSlots(root);
  // (A) Mini stream: streams under the cutoff, each in whole 64-byte mini sectors (MS-CFB 2.4).
  const miniFat: number[] = [];
  const small = slots.filter((s) => s.objectType === OBJECT_STREAM && s.size > 0);
  let miniLength = 0;
  for (const slot of small.filter((s) => s.size < MINI_STREAM_CUTOFF)) {
    const count = Math.ceil(slot.size / MINI_SECTOR_SIZE);
    slot.start = miniFat.length;
    for (let i = 0; i < count; i++) miniFat.push(i === count - 1 ? ENDOFCHAIN : miniFat.length + 1);
    miniLength += count * MINI_SECTOR_SIZE;
  }
  const big = small.filter((s) => s.size >= MINI_STREAM_CUTOFF);

  // (B) Sector budget: directory, MiniFAT, mini stream, big streams, then FAT and DIFAT to cover all.
  const dirCount = Math.ceil(slots.length / ENTRIES_PER_SECTOR);
  const miniFatCount = Math.ceil(miniFat.length / IDS_PER_SECTOR);
  const miniStreamCount = Math.ceil(miniLength / SECTOR_SIZE);
  const bigCount = big.reduce((sum, s) => sum + Math.ceil(s.size / SECTOR_SIZE), 0);
  const content = dirCount + miniFatCount + miniStreamCount + bigCount;
  let fatCount = 1;
  let difatCount = 0;
  for (;;) {
    difatCount = Math.max(0, Math.ceil((fatCount - HEADER_DIFAT_ENTRIES) / (IDS_PER_SECTOR - 1)));
    if (fatCount * IDS_PER_SECTOR >= content + fatCount + difatCount) break;
    fatCount++;
  }

  const fat = new Uint32Array(fatCount * IDS_PER_SECTOR).fill(FREESECT);
  let next = 0;
  const take = (count: number, mark?: number): number[] => {
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      ids.push(next);
      fat[next] = mark ?? (i === count - 1 ? ENDOFCHAIN : next + 1);
      next++;
    }
    return ids;
  };
  const dirSectors = take(dirCount);
  const miniFatSectors = take(miniFatCount);
  const miniStreamSectors = take(miniStreamCount);
  for (const slot of big) slot.start = take(Math.ceil(slot.size / SECTOR_SIZE))[0]!;
  const fatSectors = take(fatCount, FATSECT);
  const difatSectors = take(difatCount, DIFSECT);
  const rootSlot = slots[0]!;
  rootSlot.start = miniStreamSectors[0] ?? ENDOFCHAIN;
  rootSlot.size = miniLength;

  // (C) Bytes: header, then every sector at (n + 1) * 512.
  const out = new Uint8Array(SECTOR_SIZE * (next + 1));
  const view = new DataView(out.buffer);
  const at = (sector: number): number => (sector + 1) * SECTOR_SIZE;
  writeHeader(view, {
    fatCount,
    dirStart: dirSectors[0]!,
    miniFatStart: miniFatSectors[0] ?? ENDOFCHAIN,
    miniFatCount,
    difatStart: difatSectors[0] ?? ENDOFCHAIN,
    difatCount,
    fatSectors,
  });
  writeDifat(view, difatSectors, fatSectors, at);
  writeIds(view, fatSectors, fat, at);
  writeIds(view, miniFatSectors, Uint32Array.from(miniFat), at);
  // The mini stream's sectors are consecutive, so mini sector n sits at a fixed offset from its start.
  const miniAt = miniStreamSectors.length > 0 ? at(miniStreamSectors[0]!) : 0;
  for (const slot of small) {
    const data = (slot.node as CfbNode).data!;
    if (slot.size < MINI_STREAM_CUTOFF) {
      out.set(data, miniAt + slot.start * MINI_SECTOR_SIZE);
    } else out.set(data, at(slot.start));
  }
  for (let i = 0; i < dirCount * ENTRIES_PER_SECTOR; i++) {
    const base = at(dirSectors[0]!) + i * DIRECTORY_ENTRY_SIZE;
    const slot = slots[i];
    if (slot) writeEntry(view, out, base, slot);
    else writeFreeEntry(view, base);
  }
  return out;
}

/** Directory ids in tree order (root 0) and the sibling trees of every storage. */
function assignSlots(root: CfbRoot): Slot[] {
  const slots: Slot[] = [
    {
      node: root,
      id: 0,
      objectType: OBJECT_ROOT,
      name: 'Root Entry',
      left: NOSTREAM,
      right: NOSTREAM,
      child: NOSTREAM,
      start: ENDOFCHAIN,
      size: 0,
    },
  ];
  const queue: Slot[] = [slots[0]!];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    const children = parent.node.children ?? [];
    const siblings = children.map((node) => {
      checkNode(node);
      const slot: Slot = {
        node,
        id: slots.length,
        objectType: node.type === 'storage' ? OBJECT_STORAGE : OBJECT_STREAM,
        name: node.name,
        left: NOSTREAM,
        right: NOSTREAM,
        child: NOSTREAM,
        start: node.type === 'storage' ? 0 : ENDOFCHAIN,
        size: node.type === 'stream' ? (node.data?.length ?? 0) : 0,
      };
      slots.push(slot);
      if (node.type === 'storage') queue.push(slot);
      return slot;
    });
    parent.child = linkSiblings(siblings, parent.name);
  }
  return slots;
}

function checkNode(node: CfbNode): void {
  const bad = (why: string): never => {
    throw new ConfigError('E_CFB_WRITE_INVALID', `cannot write entry "${node.name}": ${why}`);
  };
  if (node.name.length === 0 || node.name.length > MAX_NAME_UNITS) bad('name is not 1-31 units');
  if (ILLEGAL_NAME.test(node.name)) bad('name holds / \\ : or ! (MS-CFB 2.6.1)');
  if (node.type === 'stream' && node.children?.length) bad('a stream has children');
  if (node.type === 'storage' && node.data) bad('a storage has data');
  if ((node.data?.length ?? 0) > MAX_V3_STREAM) bad('stream over 4 GiB (version 3)');
}

/**
 * MS-CFB 2.6.4 order: shorter names first, then by upper-cased UTF-16 code units. A balanced tree
 * keeps lookups logarithmic; every node black is the spec's own "simplest implementation".
 */
function linkSiblings(siblings: Slot[], parentName: string): number {
  const key = (s: Slot): string => s.name.toUpperCase();
  const sorted = [...siblings].sort(
    (a, b) => a.name.length - b.name.length || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0),
  );
  for (let i = 1; i < sorted.length; i++) {
    if (
      sorted[i]!.name.length === sorted[i - 1]!.name.length &&
      key(sorted[i]!) === key(sorted[i - 1]!)
    ) {
      throw new ConfigError(
        'E_CFB_WRITE_INVALID',
        `"${parentName}" holds two entries named "${sorted[i]!.name}" (names compare case-insensitively)`,
      );
    }
  }
  // Iterative midpoint split: storages with thousands of entries must not recurse that deep.
  const pending: { from: number; to: number; set: (id: number) => void }[] = [];
  let rootId = NOSTREAM;
  pending.push({ from: 0, to: sorted.length, set: (id) => (rootId = id) });
  while (pending.length > 0) {
    const { from, to, set } = pending.pop()!;
    if (from >= to) {
      set(NOSTREAM);
      continue;
    }
    const mid = (from + to) >> 1;
    const node = sorted[mid]!;
    set(node.id);
    pending.push({ from, to: mid, set: (id) => (node.left = id) });
    pending.push({ from: mid + 1, to, set: (id) => (node.right = id) });
  }
  return rootId;
}

interface HeaderFields {
  fatCount: number;
  dirStart: number;
  miniFatStart: number;
  miniFatCount: number;
  difatStart: number;
  difatCount: number;
  fatSectors: number[];
}

/** MS-CFB 2.2 Compound File Header, version 3. */
function writeHeader(view: DataView, h: HeaderFields): void {
  CFB_SIGNATURE.forEach((b, i) => view.setUint8(i, b));
  view.setUint16(24, 0x003e, true); // minor version
  view.setUint16(26, 3, true);
  view.setUint16(28, 0xfffe, true); // byte order
  view.setUint16(30, 9, true); // 512-byte sectors
  view.setUint16(32, 6, true); // 64-byte mini sectors
  view.setUint32(40, 0, true); // directory sector count: MUST be 0 in version 3
  view.setUint32(44, h.fatCount, true);
  view.setUint32(48, h.dirStart, true);
  view.setUint32(56, MINI_STREAM_CUTOFF, true);
  view.setUint32(60, h.miniFatStart, true);
  view.setUint32(64, h.miniFatCount, true);
  view.setUint32(68, h.difatStart, true);
  view.setUint32(72, h.difatCount, true);
  for (let i = 0; i < HEADER_DIFAT_ENTRIES; i++) {
    view.setUint32(76 + i * 4, h.fatSectors[i] ?? FREESECT, true);
  }
}

/** MS-CFB 2.5: FAT sectors past the header's 109, 127 per DIFAT sector, the last slot chaining on. */
function writeDifat(
  view: DataView,
  difatSectors: number[],
  fatSectors: number[],
  at: (sector: number) => number,
): void {
  difatSectors.forEach((sector, d) => {
    const base = at(sector);
    for (let i = 0; i < IDS_PER_SECTOR - 1; i++) {
      const fat = fatSectors[HEADER_DIFAT_ENTRIES + d * (IDS_PER_SECTOR - 1) + i];
      view.setUint32(base + i * 4, fat ?? FREESECT, true);
    }
    const nextDifat = difatSectors[d + 1] ?? ENDOFCHAIN;
    view.setUint32(base + (IDS_PER_SECTOR - 1) * 4, nextDifat, true);
  });
}

/** A table of sector numbers (FAT or MiniFAT) over its sectors, padded with FREESECT. */
function writeIds(
  view: DataView,
  sectors: number[],
  ids: Uint32Array,
  at: (sector: number) => number,
): void {
  sectors.forEach((sector, s) => {
    const base = at(sector);
    for (let i = 0; i < IDS_PER_SECTOR; i++) {
      view.setUint32(base + i * 4, ids[s * IDS_PER_SECTOR + i] ?? FREESECT, true);
    }
  });
}

/** MS-CFB 2.6.1 Compound File Directory Entry. */
function writeEntry(view: DataView, out: Uint8Array, base: number, slot: Slot): void {
  const { node } = slot;
  for (let i = 0; i < slot.name.length; i++)
    view.setUint16(base + i * 2, slot.name.charCodeAt(i), true);
  view.setUint16(base + 64, (slot.name.length + 1) * 2, true);
  view.setUint8(base + 66, slot.objectType);
  view.setUint8(base + 67, 1); // black
  view.setUint32(base + 68, slot.left, true);
  view.setUint32(base + 72, slot.right, true);
  view.setUint32(base + 76, slot.child, true);
  if (node.clsid?.length === 16 && slot.objectType !== OBJECT_STREAM)
    out.set(node.clsid, base + 80);
  view.setUint32(base + 96, (node.stateBits ?? 0) >>> 0, true);
  if (slot.objectType !== OBJECT_STREAM) {
    if (node.creationTime?.length === 8) out.set(node.creationTime, base + 100);
    if (node.modifiedTime?.length === 8) out.set(node.modifiedTime, base + 108);
  }
  view.setUint32(base + 116, slot.start, true);
  view.setUint32(base + 120, slot.size, true);
}

/** An unused slot padding the last directory sector: no name, type 0, no siblings or child. */
function writeFreeEntry(view: DataView, base: number): void {
  view.setUint32(base + 68, NOSTREAM, true);
  view.setUint32(base + 72, NOSTREAM, true);
  view.setUint32(base + 76, NOSTREAM, true);
}
