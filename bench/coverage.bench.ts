/**
 * `emoguard coverage` end to end in process: builds the inert Emotet simulation (19 sub-steps, mails,
 * documents, logs, snapshots, minidumps) and runs it through every layer (scan pipeline with YARA when it
 * loads, disarm, Sigma + chain + intel hunts, triage), BENCH_RUNS times (default 10) after one warm-up run
 * that compiles rules. Items are simulation inputs; bytes are their sizes. Reports seconds per full run in
 * the notes: the matrix must stay "seconds" for `make demo` and the CLI.
 */
import { bundledSigmaRulesDir, loadSigmaRuleFiles } from '../src/apps/cli/commands/rules.js';
import {
  buildSimulation,
  loadDemoIntel,
  runSimulation,
  simulationEngines,
} from '../src/apps/demo/index.js';
import { prepareYara, yaraEngineFor } from '../src/apps/yara-backend/index.js';
import { ENGINES } from '../src/pipeline/index.js';
import { benchResult, startRssSampler, type BenchResult } from './lib.js';

export const name = 'coverage';

function runCount(): number {
  const raw = process.env.BENCH_RUNS;
  if (raw === undefined || raw === '') return 10;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`BENCH_RUNS must be a positive integer, got '${raw}'`);
  return n;
}

export async function run(): Promise<BenchResult> {
  const runs = runCount();
  const sigma = loadSigmaRuleFiles([bundledSigmaRulesDir()]);
  const isYara = prepareYara([], process.env).isActive;
  const engines = simulationEngines(
    isYara ? [...ENGINES, yaraEngineFor([], { env: process.env })] : ENGINES,
  );
  const intel = await loadDemoIntel();
  const inputs = (await buildSimulation()).flatMap((s) => s.inputs);
  const bytes = inputs.reduce((n, i) => n + i.bytes.length, 0);
  await runSimulation({ sigma, engines, intel }); // warm-up: rule compilation, JIT
  const rss = startRssSampler();
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await runSimulation({ sigma, engines, intel });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return benchResult({
    name,
    items: inputs.length * runs,
    bytes: bytes * runs,
    seconds,
    peakRssMb: rss.stop(),
    notes: `${runs} full simulation runs (${inputs.length} inputs, ${(bytes / 1024).toFixed(0)} KiB each), ${(seconds / runs).toFixed(3)} s per run, YARA ${isYara ? 'on' : 'off'}`,
  });
}
