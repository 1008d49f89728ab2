/**
 * In-process throughput of Excel 4.0 macro analysis through `scanInput` with every registered engine:
 * inert Emotet-style XLM droppers as BIFF8 and BIFF5 .xls, .xlsm, .xlsb and SYLK (each file unique),
 * benign workbooks with a small macro sheet, and a few large ones (a macro sheet of 20,000 formulas
 * built from CHAR() chains). The notes give the xlm engine's own time and files/s per kind.
 *
 * Env: BENCH_FILES=<n> sets the corpus size (default 2,000).
 */
import { makeContext } from '../test/support/engine-context.js';
import { xlmEngine } from '../src/engines/xlm/index.js';
import { scanInput } from '../src/pipeline/index.js';
import {
  buildXls,
  charChain,
  emotetXlmSpec,
  type BiffWorkbookSpec,
} from '../test/builders/biff.js';
import { buildSylk, emotetSylkSpec } from '../test/builders/sylk.js';
import { buildXlsb, buildXlsm } from '../test/builders/xlsm.js';
import { benchResult, startRssSampler, type BenchResult } from './lib.js';

export const name = 'xlm';

type Kind = 'biff8' | 'biff5' | 'xlsm' | 'xlsb' | 'sylk' | 'benign' | 'large';
const KINDS: Kind[] = ['biff8', 'biff5', 'xlsm', 'xlsb', 'sylk', 'benign'];

function unique(spec: BiffWorkbookSpec, i: number): BiffWorkbookSpec {
  const [front, ...rest] = spec.sheets;
  return {
    ...spec,
    sheets: [{ ...front!, cells: [{ ref: 'A1', value: `Invoice ${i}` }] }, ...rest],
  };
}

function benign(i: number): BiffWorkbookSpec {
  return {
    sheets: [
      {
        name: 'Data',
        cells: Array.from({ length: 50 }, (_, r) => ({ ref: `A${r + 1}`, value: r * i })),
      },
      {
        name: 'Macro1',
        type: 'macro',
        cells: [
          { ref: 'A1', formula: 'SUM(Data!A1:A50)' },
          { ref: 'A2', formula: `ALERT("Total: "&A1&" for ${i}")` },
          { ref: 'A3', formula: 'RETURN()' },
        ],
      },
    ],
  };
}

function large(i: number): BiffWorkbookSpec {
  const cells = Array.from({ length: 20_000 }, (_, r) => ({
    ref: `${r % 2 ? 'B' : 'A'}${Math.floor(r / 2) + 1}`,
    formula: `${charChain(`part ${r} of ${i}`)}&"x"`,
  }));
  return { sheets: [{ name: 'Macro1', type: 'macro', state: 'very-hidden', cells }] };
}

function build(kind: Kind, i: number): Uint8Array {
  switch (kind) {
    case 'biff8':
      return buildXls(unique(emotetXlmSpec(8), i));
    case 'biff5':
      return buildXls(unique(emotetXlmSpec(5), i));
    case 'xlsm':
      return buildXlsm(unique(emotetXlmSpec(), i));
    case 'xlsb':
      return buildXlsb(unique(emotetXlmSpec(), i));
    case 'sylk': {
      const spec = emotetSylkSpec();
      return buildSylk({ ...spec, cells: [...spec.cells, { y: 20, x: 1, value: `Invoice ${i}` }] });
    }
    case 'benign':
      return buildXls(benign(i));
    case 'large':
      return buildXls(large(i));
  }
}

function count(): number {
  const raw = process.env.BENCH_FILES;
  const n = raw ? Number(raw) : 2000;
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`BENCH_FILES must be a positive integer, got '${raw}'`);
  return n;
}

export async function run(): Promise<BenchResult> {
  const n = count();
  const files: { kind: Kind; bytes: Uint8Array }[] = [];
  for (let i = 0; i < n; i++) {
    const kind: Kind = i % 500 === 499 ? 'large' : KINDS[i % KINDS.length]!;
    files.push({ kind, bytes: build(kind, i) });
  }
  const bytes = files.reduce((sum, f) => sum + f.bytes.length, 0);
  const perKind = new Map<Kind, { files: number; ms: number }>();
  let engineMs = 0;
  const rss = startRssSampler();
  const started = performance.now();
  let malicious = 0;
  for (const [i, f] of files.entries()) {
    const t = performance.now();
    const result = await scanInput({ path: `f${i}`, bytes: f.bytes });
    const ms = performance.now() - t;
    if (result.verdict === 'malicious') malicious++;
    const k = perKind.get(f.kind) ?? { files: 0, ms: 0 };
    perKind.set(f.kind, { files: k.files + 1, ms: k.ms + ms });
  }
  const seconds = (performance.now() - started) / 1000;
  const peakRssMb = rss.stop();
  const sample = files.filter((f) => f.kind !== 'large').slice(0, 600);
  for (const f of sample) {
    const t = performance.now();
    await xlmEngine.analyze(makeContext(f.bytes));
    engineMs += performance.now() - t;
  }
  const kinds = [...perKind.entries()]
    .map(([k, v]) => `${k} ${(v.ms / v.files).toFixed(v.ms / v.files < 10 ? 2 : 0)} ms`)
    .join(', ');
  const sampled = sample.length;
  return benchResult({
    name,
    items: n,
    bytes,
    seconds,
    peakRssMb,
    notes: [
      `${malicious} malicious of ${n}`,
      `scanInput wall time per file by kind: ${kinds}`,
      `xlm engine alone: ${Math.round((sampled / engineMs) * 1000)} files/s over ${sampled} small files`,
    ].join('; '),
  });
}
