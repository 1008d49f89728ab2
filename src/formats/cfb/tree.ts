import type { Anomaly } from '../../core/index.js';
import { DIRECTORY_ENTRY_SIZE } from './constants.js';
import { parseHeader } from './header.js';
import { type CfbOptions, parseCfb } from './parse.js';
import { buildFat, fileSectors, readSectors, walkChain } from './sector-chain.js';
import type { CfbNode, CfbRoot } from './write.js';

/** A compound file as a tree that `writeCfb` can write back, with what was wrong with the source. */
export interface CfbTree {
  root: CfbRoot;
  /** The reader's anomalies: a caller rewriting the file decides which ones it can live with. */
  anomalies: Anomaly[];
  /** Streams and storages in the tree (the root not counted). */
  count: number;
}

/**
 * Reads a compound file into a `CfbNode` tree: every storage and stream reached from the root, with
 * its CLSID, state bits and (storages) times kept from the directory entry, so that
 * `writeCfb(readCfbTree(x).root)` is the same document with a rebuilt layout. Entries not reachable
 * from the root are not part of the tree (`E_CFB_ORPHAN_ENTRY` says they existed).
 *
 * @example
 * const { root, anomalies } = readCfbTree(bytes);
 * root.children = root.children.filter((c) => c.name !== 'Macros');
 */
export function readCfbTree(bytes: Uint8Array, options: CfbOptions = {}): CfbTree {
  const cfb = parseCfb(bytes, options);
  const dir = readDirectoryBytes(bytes);
  const meta = (id: number): Omit<CfbNode, 'name' | 'type'> => {
    const base = id * DIRECTORY_ENTRY_SIZE;
    if (base + DIRECTORY_ENTRY_SIZE > dir.length) return {};
    const view = new DataView(dir.buffer, dir.byteOffset + base, DIRECTORY_ENTRY_SIZE);
    const raw = (from: number, to: number): Uint8Array => dir.slice(base + from, base + to);
    const clsid = raw(80, 96);
    const created = raw(100, 108);
    const modified = raw(108, 116);
    const stateBits = view.getUint32(96, true);
    return {
      ...(clsid.some((b) => b !== 0) ? { clsid } : {}),
      ...(stateBits !== 0 ? { stateBits } : {}),
      ...(created.some((b) => b !== 0) ? { creationTime: created } : {}),
      ...(modified.some((b) => b !== 0) ? { modifiedTime: modified } : {}),
    };
  };
  const [first, ...rest] = cfb.entries;
  const root: CfbRoot = { ...(first ? meta(first.id) : {}), children: [] };
  const storages = new Map<string, CfbNode | CfbRoot>([['', root]]);
  const anomalies = [...cfb.anomalies];
  let count = 0;
  for (const entry of rest) {
    const cut = entry.path.lastIndexOf('/');
    const parent = storages.get(cut < 0 ? '' : entry.path.slice(0, cut).toUpperCase());
    // A name holding '/' (illegal, MS-CFB 2.6.1) makes the path ambiguous: not placed, and said so.
    if (!parent || entry.path.slice(cut + 1) !== entry.name) {
      anomalies.push({
        code: 'E_CFB_BAD_ENTRY',
        message: `entry ${entry.id} "${entry.name}" cannot be placed in the tree (its name holds '/')`,
        location: entry.path,
      });
      continue;
    }
    const node: CfbNode = {
      name: entry.name,
      type: entry.type === 'storage' ? 'storage' : 'stream',
    };
    Object.assign(node, meta(entry.id));
    if (node.type === 'storage') {
      node.children = [];
      const key = entry.path.toUpperCase();
      if (storages.has(key)) continue;
      storages.set(key, node);
    } else {
      node.data = cfb.readStream(entry.path) ?? new Uint8Array(0);
    }
    (parent.children ??= []).push(node);
    count++;
  }
  return { root, anomalies, count };
}

/** The directory stream's raw bytes, for the entry fields `parseCfb` does not keep. */
function readDirectoryBytes(bytes: Uint8Array): Uint8Array {
  const scratch: Anomaly[] = []; // parseCfb has reported all of these already
  const header = parseHeader(bytes, scratch);
  const file = fileSectors(bytes, header.sectorSize);
  const fat = buildFat(header, file, scratch);
  const chain = walkChain(fat, file, header.firstDirectorySector, file.count, scratch, 'directory');
  return readSectors(file, chain, chain.length * header.sectorSize);
}
