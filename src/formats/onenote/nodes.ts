import type { Anomaly } from '../../core/index.js';
import { guidAt, isAllOnes, u16, u32, u64, utf16le } from './bin.js';

/** FileNodeIDs (MS-ONESTORE 2.4.3) the walker acts on. */
export const FND = {
  ObjectDeclarationWithRefCount: 0x02d,
  ObjectDeclarationWithRefCount2: 0x02e,
  ObjectRevisionWithRefCount: 0x041,
  ObjectRevisionWithRefCount2: 0x042,
  ObjectDeclarationFileData3RefCount: 0x072,
  ObjectDeclarationFileData3LargeRefCount: 0x073,
  FileDataStoreObjectReference: 0x094,
  ObjectDeclaration2RefCount: 0x0a4,
  ObjectDeclaration2LargeRefCount: 0x0a5,
  ReadOnlyObjectDeclaration2RefCount: 0x0c4,
  ReadOnlyObjectDeclaration2LargeRefCount: 0x0c5,
  ChunkTerminator: 0x0ff,
} as const;

// Nodes whose data reference points at an ObjectSpaceObjectPropSet (2.6.1).
const PROPSET_NODES: ReadonlySet<number> = new Set([
  FND.ObjectDeclarationWithRefCount,
  FND.ObjectDeclarationWithRefCount2,
  FND.ObjectRevisionWithRefCount,
  FND.ObjectRevisionWithRefCount2,
  FND.ObjectDeclaration2RefCount,
  FND.ObjectDeclaration2LargeRefCount,
  FND.ReadOnlyObjectDeclaration2RefCount,
  FND.ReadOnlyObjectDeclaration2LargeRefCount,
]);

const FRAGMENT_MAGIC_LO = 0xf5f7f4c4; // FileNodeListFragment header uintMagic 0xA4567AB1F5F7F4C4
const FRAGMENT_MAGIC_HI = 0xa4567ab1;
const FRAGMENT_HEADER = 16;
const FRAGMENT_TAIL = 20; // nextFragment (12) + footer (8)
export const MAX_FILE_NODES = 200_000;
const MAX_FRAGMENTS = 20_000;

export interface Ref {
  stp: number;
  cb: number;
}

/** What the walk collects: store references, file data declarations, property set locations. */
export interface NodeWalk {
  /** FileDataStoreObjectReferenceFND: object offset → guidReference. */
  storeRefs: Map<number, string>;
  /** ObjectDeclarationFileData3(Large)RefCountFND: CompactID → data reference and extension. */
  fileData: { oid: number; reference: string; extension: string }[];
  propSets: Ref[];
}

/**
 * Walks every file node list reachable from the root (2.4): fragments chained by nextFragment, nodes of
 * BaseType 2 opening further lists. Lists are visited once (by offset) so a reference cycle ends, and
 * the node and fragment counts are capped.
 */
export function walkFileNodes(
  bytes: Uint8Array,
  root: Ref,
  anomalies: Anomaly[],
  options: { maxFileNodes?: number; checkDeadline?: () => void } = {},
): NodeWalk {
  const maxNodes = options.maxFileNodes ?? MAX_FILE_NODES;
  const walk: NodeWalk = { storeRefs: new Map(), fileData: [], propSets: [] };
  const queue: Ref[] = [root];
  const seen = new Set<number>();
  let nodes = 0;
  let fragments = 0;
  while (queue.length > 0) {
    let ref: Ref | undefined = queue.shift();
    while (ref) {
      if (seen.has(ref.stp)) break; // a fragment chain or list reference that loops
      seen.add(ref.stp);
      if (++fragments > MAX_FRAGMENTS || nodes >= maxNodes) {
        anomalies.push({
          code: 'E_LIMIT_ONENOTE_NODES',
          message: `file node lists past ${maxNodes} nodes / ${MAX_FRAGMENTS} fragments were not read`,
        });
        return walk;
      }
      options.checkDeadline?.();
      const fragment = readFragment(bytes, ref, anomalies);
      if (!fragment) break;
      for (const node of fragment.nodes) {
        if (++nodes > maxNodes) break;
        handleNode(bytes, node, walk, queue);
      }
      ref = fragment.next;
    }
  }
  return walk;
}

interface FileNode {
  id: number;
  at: number;
  size: number;
  stpFormat: number;
  cbFormat: number;
  baseType: number;
}

function readFragment(
  bytes: Uint8Array,
  ref: Ref,
  anomalies: Anomaly[],
): { nodes: FileNode[]; next?: Ref } | undefined {
  const { stp, cb } = ref;
  if (cb < FRAGMENT_HEADER + FRAGMENT_TAIL || stp + cb > bytes.length) {
    anomalies.push({
      code: 'E_ONENOTE_BAD_FRAGMENT',
      message: `file node list fragment of ${cb} bytes at ${stp}`,
      offset: stp,
    });
    return undefined;
  }
  if (u32(bytes, stp) !== FRAGMENT_MAGIC_LO || u32(bytes, stp + 4) !== FRAGMENT_MAGIC_HI) {
    anomalies.push({
      code: 'E_ONENOTE_BAD_FRAGMENT',
      message: 'FileNodeListFragment magic missing',
      offset: stp,
    });
    return undefined;
  }
  const nodes: FileNode[] = [];
  const end = stp + cb - FRAGMENT_TAIL;
  for (let p = stp + FRAGMENT_HEADER; p + 4 <= end;) {
    const h = u32(bytes, p)!;
    const id = h & 0x3ff;
    if (id === FND.ChunkTerminator || h === 0) break;
    const size = (h >>> 10) & 0x1fff;
    if (size < 4 || p + size > end) {
      anomalies.push({
        code: 'E_ONENOTE_BAD_NODE',
        message: `FileNode 0x${id.toString(16)} of ${size} bytes`,
        offset: p,
      });
      break;
    }
    nodes.push({
      id,
      at: p,
      size,
      stpFormat: (h >>> 23) & 3,
      cbFormat: (h >>> 25) & 3,
      baseType: (h >>> 27) & 0xf,
    });
    p += size;
  }
  const nextAt = stp + cb - FRAGMENT_TAIL;
  const nextStp = u64(bytes, nextAt);
  const nextCb = u32(bytes, nextAt + 8) ?? 0;
  const isNil =
    isAllOnes(bytes, nextAt, 8) || nextStp === undefined || (nextStp === 0 && nextCb === 0);
  return isNil ? { nodes } : { nodes, next: { stp: nextStp, cb: nextCb } };
}

/** FileNodeChunkReference (2.2.4.2): stp and cb widths and scaling come from the node header. */
function readChunkRef(
  bytes: Uint8Array,
  node: FileNode,
  at: number,
): { ref: Ref; end: number } | undefined {
  const stpWidth = [8, 4, 2, 4][node.stpFormat]!;
  const cbWidth = [4, 8, 1, 2][node.cbFormat]!;
  const read = (p: number, width: number) =>
    width === 8
      ? u64(bytes, p)
      : width === 4
        ? u32(bytes, p)
        : width === 2
          ? u16(bytes, p)
          : bytes[p];
  if (node.stpFormat === 0 && isAllOnes(bytes, at, 8)) return undefined; // fcrNil
  let stp = read(at, stpWidth);
  let cb = read(at + stpWidth, cbWidth);
  if (stp === undefined || cb === undefined) return undefined;
  if (node.stpFormat >= 2) stp *= 8;
  if (node.cbFormat >= 2) cb *= 8;
  return { ref: { stp, cb }, end: at + stpWidth + cbWidth };
}

function handleNode(bytes: Uint8Array, node: FileNode, walk: NodeWalk, queue: Ref[]): void {
  const data = node.at + 4;
  if (node.baseType === 2) {
    const r = readChunkRef(bytes, node, data);
    if (r && r.ref.cb > 0) queue.push(r.ref);
    return;
  }
  if (node.id === FND.FileDataStoreObjectReference) {
    const r = readChunkRef(bytes, node, data);
    const guid = r && guidAt(bytes, r.end);
    if (r && guid) walk.storeRefs.set(r.ref.stp, guid);
    return;
  }
  if (
    node.id === FND.ObjectDeclarationFileData3RefCount ||
    node.id === FND.ObjectDeclarationFileData3LargeRefCount
  ) {
    const oid = u32(bytes, data);
    const after = data + 8 + (node.id === FND.ObjectDeclarationFileData3RefCount ? 1 : 4);
    const reference = storageString(bytes, after, node.at + node.size);
    const extension = reference && storageString(bytes, reference.end, node.at + node.size);
    if (oid !== undefined && reference) {
      walk.fileData.push({ oid, reference: reference.value, extension: extension?.value ?? '' });
    }
    return;
  }
  if (PROPSET_NODES.has(node.id)) {
    const r = readChunkRef(bytes, node, data);
    if (r && r.ref.cb > 0) walk.propSets.push(r.ref);
  }
}

/** StringInStorageBuffer (2.2.3): cch (u32) then cch UTF-16 code units, inside the node. */
function storageString(
  bytes: Uint8Array,
  at: number,
  end: number,
): { value: string; end: number } | undefined {
  const cch = u32(bytes, at);
  if (cch === undefined || at + 4 + cch * 2 > end) return undefined;
  return { value: utf16le(bytes.subarray(at + 4, at + 4 + cch * 2)), end: at + 4 + cch * 2 };
}
