import { concatBytes } from '../../src/core/index.js';
/**
 * Hand-built MS-CFB files for tests: a small, valid writer whose layout is returned, plus helpers that
 * break one thing at a time (a FAT entry, a directory pointer, a size, the file's end). The `cfb` npm
 * package cannot write broken files, so the tests that need hostile input build it here.
 */

const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;
const FATSECT = 0xfffffffd;
const DIFSECT = 0xfffffffc;
const NOSTREAM = 0xffffffff;
const SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export interface CfbSpec {
  /** 512 (version 3, the default) or 4096 (version 4). */
  sectorSize?: 512 | 4096;
  /** Streams by full path (`Macros/VBA/dir`); storages are created from the paths. */
  streams: { path: string; data: Uint8Array }[];
  /** Extra empty storages. */
  storages?: string[];
  /** List the FAT sectors in a DIFAT sector instead of the header, to exercise the DIFAT chain. */
  isDifatChained?: boolean;
}

export interface BuiltCfb {
  bytes: Uint8Array;
  sectorSize: number;
  fatSectors: number[];
  difatSectors: number[];
  dirSectors: number[];
  miniFatSectors: number[];
  miniStreamSectors: number[];
  /** Directory id, first sector (mini or regular) and sectors of each stream and storage by path. */
  nodes: Map<string, { id: number; isMini: boolean; sectors: number[] }>;
}

interface Node {
  id: number;
  name: string;
  type: 1 | 2 | 5;
  data?: Uint8Array;
  children: Node[];
  left: number;
  right: number;
  child: number;
  start: number;
  isMini: boolean;
  sectors: number[];
}

/** Builds a valid compound file with a balanced directory tree per storage. */
export function buildCfb(spec: CfbSpec): BuiltCfb {
  const ss = spec.sectorSize ?? 512;
  const root = makeNode(0, 'Root Entry', 5);
  const all: Node[] = [root];
  const byPath = new Map<string, Node>([['', root]]);
  const ensure = (path: string, type: 1 | 2): Node => {
    const found = byPath.get(path);
    if (found) return found;
    const cut = path.lastIndexOf('/');
    const parent = cut < 0 ? root : ensure(path.slice(0, cut), 1);
    const node = makeNode(all.length, path.slice(cut + 1), type);
    all.push(node);
    parent.children.push(node);
    byPath.set(path, node);
    return node;
  };
  for (const storage of spec.storages ?? []) ensure(storage, 1);
  for (const stream of spec.streams) ensure(stream.path, 2).data = stream.data;
  for (const node of all) node.child = linkTree(node.children);

  // Mini stream: streams under 4096 bytes, each in whole 64-byte mini sectors.
  const miniFat: number[] = [];
  const miniParts: Uint8Array[] = [];
  for (const node of all) {
    const size = node.data?.length ?? 0;
    if (node.type !== 2 || size === 0 || size >= 4096) continue;
    node.isMini = true;
    const count = Math.ceil(size / 64);
    node.start = miniFat.length;
    for (let i = 0; i < count; i++) {
      node.sectors.push(miniFat.length);
      miniFat.push(i === count - 1 ? ENDOFCHAIN : miniFat.length + 1);
    }
    const padded = new Uint8Array(count * 64);
    padded.set(node.data!);
    miniParts.push(padded);
  }
  const miniStream = concat(miniParts);
  const big = all.filter((n) => n.type === 2 && (n.data?.length ?? 0) >= 4096);

  const perSector = ss / 4;
  const dirCount = Math.ceil(all.length / (ss / 128));
  const miniFatCount = Math.ceil((miniFat.length * 4) / ss);
  const miniStreamCount = Math.ceil(miniStream.length / ss);
  const bigCount = big.reduce((sum, n) => sum + Math.ceil(n.data!.length / ss), 0);
  const difatCount = spec.isDifatChained ? 1 : 0;
  const rest = dirCount + miniFatCount + miniStreamCount + bigCount + difatCount;
  let fatCount = 1;
  while (fatCount * perSector < rest + fatCount) fatCount++;

  const fat: number[] = [];
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
  const fatSectors = take(fatCount, FATSECT);
  const difatSectors = take(difatCount, DIFSECT);
  const dirSectors = take(dirCount);
  const miniFatSectors = take(miniFatCount);
  const miniStreamSectors = take(miniStreamCount);
  for (const node of big) {
    node.sectors = take(Math.ceil(node.data!.length / ss));
    node.start = node.sectors[0]!;
  }
  root.start = miniStreamSectors[0] ?? ENDOFCHAIN;

  const bytes = new Uint8Array(ss * (next + 1));
  const view = new DataView(bytes.buffer);
  writeHeader(view, ss, {
    fatCount,
    dirStart: dirSectors[0] ?? ENDOFCHAIN,
    dirCount,
    miniFatStart: miniFatSectors[0] ?? ENDOFCHAIN,
    miniFatCount,
    difatStart: difatSectors[0] ?? ENDOFCHAIN,
    difatCount,
    headerFat: spec.isDifatChained ? [] : fatSectors,
  });
  const at = (sector: number): number => (sector + 1) * ss;
  if (spec.isDifatChained) {
    const base = at(difatSectors[0]!);
    for (let i = 0; i < perSector; i++) view.setUint32(base + i * 4, FREESECT, true);
    fatSectors.forEach((s, i) => view.setUint32(base + i * 4, s, true));
    view.setUint32(base + (perSector - 1) * 4, ENDOFCHAIN, true);
  }
  for (let i = 0; i < fatCount * perSector; i++) {
    view.setUint32(at(fatSectors[0]!) + i * 4, fat[i] ?? FREESECT, true);
  }
  for (let i = 0; i < miniFatCount * perSector; i++) {
    view.setUint32(at(miniFatSectors[0] ?? 0) + i * 4, miniFat[i] ?? FREESECT, true);
  }
  if (miniStream.length > 0) bytes.set(miniStream, at(miniStreamSectors[0]!));
  for (const node of big) bytes.set(node.data!, at(node.start));
  root.data = miniStream;
  for (const node of all) writeEntry(view, at(dirSectors[0]!) + node.id * 128, node);

  const nodes = new Map<string, { id: number; isMini: boolean; sectors: number[] }>();
  for (const [path, node] of byPath) {
    nodes.set(path, { id: node.id, isMini: node.isMini, sectors: node.sectors });
  }
  return {
    bytes,
    sectorSize: ss,
    fatSectors,
    difatSectors,
    dirSectors,
    miniFatSectors,
    miniStreamSectors,
    nodes,
  };
}

function makeNode(id: number, name: string, type: 1 | 2 | 5): Node {
  return {
    id,
    name,
    type,
    children: [],
    left: NOSTREAM,
    right: NOSTREAM,
    child: NOSTREAM,
    start: ENDOFCHAIN,
    isMini: false,
    sectors: [],
  };
}

/** MS-CFB 2.6.4 order (shorter names first, then upper-case code units); returns the subtree root. */
function linkTree(children: Node[]): number {
  const sorted = [...children].sort(
    (a, b) =>
      a.name.length - b.name.length || (a.name.toUpperCase() < b.name.toUpperCase() ? -1 : 1),
  );
  const link = (from: number, to: number): number => {
    if (from >= to) return NOSTREAM;
    const mid = (from + to) >> 1;
    const node = sorted[mid]!;
    node.left = link(from, mid);
    node.right = link(mid + 1, to);
    return node.id;
  };
  return link(0, sorted.length);
}

interface HeaderFields {
  fatCount: number;
  dirStart: number;
  dirCount: number;
  miniFatStart: number;
  miniFatCount: number;
  difatStart: number;
  difatCount: number;
  headerFat: number[];
}

function writeHeader(view: DataView, ss: number, h: HeaderFields): void {
  SIGNATURE.forEach((b, i) => view.setUint8(i, b));
  view.setUint16(24, 0x3e, true);
  view.setUint16(26, ss === 4096 ? 4 : 3, true);
  view.setUint16(28, 0xfffe, true);
  view.setUint16(30, ss === 4096 ? 12 : 9, true);
  view.setUint16(32, 6, true);
  view.setUint32(40, ss === 4096 ? h.dirCount : 0, true);
  view.setUint32(44, h.fatCount, true);
  view.setUint32(48, h.dirStart, true);
  view.setUint32(56, 4096, true);
  view.setUint32(60, h.miniFatStart, true);
  view.setUint32(64, h.miniFatCount, true);
  view.setUint32(68, h.difatStart, true);
  view.setUint32(72, h.difatCount, true);
  for (let i = 0; i < 109; i++) view.setUint32(76 + i * 4, h.headerFat[i] ?? FREESECT, true);
}

function writeEntry(view: DataView, base: number, node: Node): void {
  for (let i = 0; i < node.name.length && i < 31; i++) {
    view.setUint16(base + i * 2, node.name.charCodeAt(i), true);
  }
  view.setUint16(base + 64, (Math.min(node.name.length, 31) + 1) * 2, true);
  view.setUint8(base + 66, node.type);
  view.setUint8(base + 67, 1);
  view.setUint32(base + 68, node.left, true);
  view.setUint32(base + 72, node.right, true);
  view.setUint32(base + 76, node.child, true);
  view.setUint32(base + 116, node.type === 1 ? 0 : node.start, true);
  view.setUint32(base + 120, node.type === 1 ? 0 : (node.data?.length ?? 0), true);
}

const concat = concatBytes;

// --- breakage: each returns a modified copy -------------------------------------------------------

/** Sets FAT entry `sector` (the next sector after it) to `value`. */
export function withFatEntry(cfb: BuiltCfb, sector: number, value: number): Uint8Array {
  const perSector = cfb.sectorSize / 4;
  const fatSector = cfb.fatSectors[Math.floor(sector / perSector)]!;
  const offset = (fatSector + 1) * cfb.sectorSize + (sector % perSector) * 4;
  return withU32(cfb.bytes, offset, value);
}

/** Sets MiniFAT entry `sector` to `value`. */
export function withMiniFatEntry(cfb: BuiltCfb, sector: number, value: number): Uint8Array {
  const perSector = cfb.sectorSize / 4;
  const fatSector = cfb.miniFatSectors[Math.floor(sector / perSector)]!;
  const offset = (fatSector + 1) * cfb.sectorSize + (sector % perSector) * 4;
  return withU32(cfb.bytes, offset, value);
}

const ENTRY_FIELDS = { left: 68, right: 72, child: 76, start: 116, size: 120, sizeHigh: 124 };

/** Sets one u32 field of directory entry `id`. */
export function withEntryField(
  cfb: BuiltCfb,
  id: number,
  field: keyof typeof ENTRY_FIELDS,
  value: number,
): Uint8Array {
  const perSector = cfb.sectorSize / 128;
  const dirSector = cfb.dirSectors[Math.floor(id / perSector)]!;
  const base = (dirSector + 1) * cfb.sectorSize + (id % perSector) * 128;
  return withU32(cfb.bytes, base + ENTRY_FIELDS[field], value);
}

/** Writes a u32 at `offset` in a copy of `bytes`. */
export function withU32(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(offset, value >>> 0, true);
  return copy;
}

/** Deterministic bytes for stream content, so failures are reproducible. */
export function patternBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Renames directory entry `id` in place (up to 31 UTF-16 code units). */
export function withEntryName(cfb: BuiltCfb, id: number, name: string): Uint8Array {
  const perSector = cfb.sectorSize / 128;
  const dirSector = cfb.dirSectors[Math.floor(id / perSector)]!;
  const base = (dirSector + 1) * cfb.sectorSize + (id % perSector) * 128;
  const copy = cfb.bytes.slice();
  const view = new DataView(copy.buffer);
  for (let i = 0; i < 32; i++)
    view.setUint16(base + i * 2, i < name.length ? name.charCodeAt(i) : 0, true);
  view.setUint16(base + 64, (name.length + 1) * 2, true);
  return copy;
}
