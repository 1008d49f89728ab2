/**
 * Excel 2.x–4.0 files (BIFF2/3/4, no compound file) through `scanInput` with every registered engine:
 * inert Auto_Open + EXEC/CALL macro sheets as BIFF2, BIFF3 and BIFF4 `.xlm` (each file unique), BIFF4W
 * workbooks with a hidden macro sheet, and a few large BIFF4 macro sheets (20,000 CHAR()-chain
 * formulas). The notes give `parseLegacyWorkbook` alone on the large sheets.
 *
 * Env: BENCH_FILES=<n> sets the corpus size (default 2,000).
 */
import { parseLegacyWorkbook } from '../src/formats/biff/index.js';
import { scanInput } from '../src/pipeline/index.js';
import { charChain } from '../test/builders/biff.js';
import {
  buildLegacySheet,
  buildLegacyWorkbook,
  legacyXlmSpec,
  type LegacySheetSpec,
} from '../test/builders/biff-legacy.js';
import { benchResult, measure, positiveIntEnv, timeSeconds, totalBytes } from './lib.js';

export const name = 'xlm-legacy';

function unique(i: number): LegacySheetSpec {
  const spec = legacyXlmSpec();
  return { ...spec, cells: [...spec.cells, { ref: 'D1', value: `Invoice ${i}` }] };
}

function large(i: number): Uint8Array {
  const cells = Array.from({ length: 20_000 }, (_, r) => ({
    ref: `${r % 2 ? 'B' : 'A'}${Math.floor(r / 2) + 1}`,
    formula: `${charChain(`part ${r} of ${i}`)}&"x"`,
  }));
  return buildLegacySheet(4, { type: 'macro', cells });
}

function build(i: number): Uint8Array {
  switch (i % 4) {
    case 0:
      return buildLegacySheet(2, unique(i));
    case 1:
      return buildLegacySheet(3, unique(i));
    case 2:
      return buildLegacySheet(4, unique(i));
    default:
      return buildLegacyWorkbook({
        version: 4,
        sheets: [
          { name: 'Invoice', cells: [{ ref: 'A1', value: `Invoice ${i}` }] },
          { name: 'Macro1', state: 'hidden', ...legacyXlmSpec() },
        ],
      });
  }
}

export async function run() {
  const count = positiveIntEnv('BENCH_FILES', 2000);
  const files = Array.from({ length: count }, (_, i) => build(i));
  const big = Array.from({ length: 4 }, (_, i) => large(i));
  const inputs = [...files, ...big];
  let malicious = 0;
  const measured = await measure(async () => {
    for (const [i, bytes] of inputs.entries()) {
      const result = await scanInput({ path: `m${i}.xlm`, bytes });
      if (result.verdict === 'malicious') malicious++;
    }
  });
  const parseSeconds = await timeSeconds(() => big.forEach((b) => parseLegacyWorkbook(b)));
  return benchResult({
    name,
    items: inputs.length,
    bytes: totalBytes(inputs),
    seconds: measured.seconds,
    peakRssMb: measured.peakRssMb,
    notes:
      `${malicious}/${count} droppers malicious; parseLegacyWorkbook of 4 × 20,000-formula sheets ` +
      `(${(totalBytes(big) / 1024 / 1024).toFixed(1)} MiB): ${parseSeconds.toFixed(2)} s`,
  });
}
