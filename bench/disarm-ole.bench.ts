/**
 * Throughput of the OLE disarmer (`disarmOle`, in process) over a mixed binary Office corpus, the shape
 * of a gateway's attachment stream: a .doc with a VBA project, a DDEAUTO field and an ObjectPool
 * package; an .xls with an XLM macro sheet, Auto_Open, a VBA project and an MBD object; a .ppt with a
 * VbaProjectStg and an ExOleObjStg; a clean .doc (unchanged); and one .doc in ten carrying a 1 MiB
 * Data stream so that the rewrite of big streams counts. `BENCH_FILES` files (default 2,000), each
 * made unique. Measures files/s, MB/s (input bytes) and peak RSS; every output is checked disarmed.
 */
import { DEFAULT_LIMITS } from '../src/core/index.js';
import { disarmOle } from '../src/engines/disarm/ole.js';
import { readCfbTree, writeCfb } from '../src/formats/cfb/index.js';
import { patternBytes } from '../test/builders/cfb.js';
import { buildActiveDoc, buildActivePpt, buildActiveXls } from '../test/builders/ole-active.js';
import {
  benchResult,
  disarmEach,
  measure,
  positiveIntEnv,
  totalBytes,
  type BenchResult,
} from './lib.js';

export const name = 'disarm-ole';

/** A unique copy: a stream named after the file index, so no two inputs are the same bytes. */
function unique(bytes: Uint8Array, i: number, big: boolean): Uint8Array {
  const tree = readCfbTree(bytes);
  tree.root.children.push({ name: `bench${i}`, type: 'stream', data: patternBytes(64, i + 1) });
  if (big)
    tree.root.children.push({ name: 'Data', type: 'stream', data: patternBytes(1 << 20, i) });
  return writeCfb(tree.root);
}

export async function run(): Promise<BenchResult> {
  const count = positiveIntEnv('BENCH_FILES', 2000);
  const kinds = [
    () => buildActiveDoc({ hasMacro: true, hasDde: true, hasObject: true }),
    () => buildActiveXls({ hasXlm: true, hasMacro: true, hasObject: true }),
    () => buildActivePpt(),
    () => buildActiveDoc({}),
  ];
  const templates = kinds.map((make) => make());
  const inputs = Array.from({ length: count }, (_, i) =>
    unique(templates[i % templates.length]!, i, i % 10 === 9),
  );
  const bytes = totalBytes(inputs);
  const {
    value: notes,
    seconds,
    peakRssMb,
  } = await measure(() =>
    disarmEach(inputs, (input) => disarmOle(input, { limits: DEFAULT_LIMITS })),
  );
  return benchResult({ name, items: count, bytes, seconds, peakRssMb, notes });
}
