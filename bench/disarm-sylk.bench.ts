/**
 * Throughput of the SYLK disarmer (`disarmSylk`, in process): `BENCH_FILES` files (default 2,000),
 * nine in ten an inert 2019-style XLM dropper in SYLK (O;E, Auto_Open, CALL/EXEC; ~400 bytes, made
 * unique by a value), one in ten a 20,000-cell sheet where every cell has a formula (~0.6 MB), so
 * that the rewrite of big files counts. files/s, MB/s (input bytes), peak RSS. The notes add the
 * whole path with its re-scan (`disarmInput`) over `BENCH_RESCAN` small droppers (default 200).
 */
import { DEFAULT_LIMITS } from '../src/core/index.js';
import { disarmSylk } from '../src/engines/disarm/sylk.js';
import { disarmInput } from '../src/pipeline/index.js';
import { buildSylk, emotetSylkSpec } from '../test/builders/sylk.js';
import {
  benchResult,
  disarmEach,
  measure,
  positiveIntEnv,
  timeSeconds,
  totalBytes,
  type BenchResult,
} from './lib.js';

export const name = 'disarm-sylk';

function dropper(i: number): Uint8Array {
  const spec = emotetSylkSpec();
  spec.cells.push({ y: 20, x: 1, value: `ledger ${i}` });
  return buildSylk(spec);
}

function bigSheet(i: number): Uint8Array {
  const cells = Array.from({ length: 20_000 }, (_, c) => ({
    y: Math.floor(c / 20) + 1,
    x: (c % 20) + 1,
    value: c + i,
    formula: `R[-1]C+${c % 7}`,
  }));
  return buildSylk({ cells });
}

export async function run(): Promise<BenchResult> {
  const count = positiveIntEnv('BENCH_FILES', 2000);
  const rescans = positiveIntEnv('BENCH_RESCAN', 200);
  const inputs = Array.from({ length: count }, (_, i) => (i % 10 === 9 ? bigSheet(i) : dropper(i)));
  const bytes = totalBytes(inputs);
  const small = Array.from({ length: rescans }, (_, i) => dropper(count + i));
  let rescanSeconds = 0;
  const {
    value: outcomes,
    seconds,
    peakRssMb,
  } = await measure(async () => {
    const counts = disarmEach(inputs, (input) => disarmSylk(input, { limits: DEFAULT_LIMITS }));
    rescanSeconds = await timeSeconds(async () => {
      for (const [i, input] of small.entries()) {
        const report = await disarmInput({ path: `f${i}.slk`, bytes: input });
        if (report.status !== 'disarmed') throw new Error(`${report.refusal}: ${report.reason}`);
      }
    });
    return counts;
  });
  return benchResult({
    name,
    items: count,
    bytes,
    // The disarm loop alone; the re-scan pass is reported in the notes.
    seconds: seconds - rescanSeconds,
    peakRssMb,
    notes:
      `${outcomes}; with re-scan (disarmInput): ` +
      `${(rescans / rescanSeconds).toFixed(0)} small files/s`,
  });
}
