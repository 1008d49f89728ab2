/**
 * `emoguard hunt` on all cores, with the whole SigmaHQ Windows rule set
 * (../shared/data/sigma-rules/rules/windows), by `hunt --json --no-store` in-process with `--workers 1`
 * (main thread only) and `--workers 2`, over two logs of BENCH_HUNT_MB (default 64) MiB each:
 * - EVTX: the real chunks of ../shared/data/evtx/*.evtx (Sysmon, Security) repeated;
 * - JSON Lines: the OTRF Security-Datasets events of ../shared/data/evtx/*.zip in the evtx-rs layout
 *   (what `emoguard evtx --json` prints), repeated.
 * Reports the EVTX run with 2 workers (MB/s, records/s, wall, rule loading included); the notes add
 * each run's wall time, rates and CPU seconds of the process (all threads: on a shared machine wall
 * time also measures the neighbours), the main thread's rule loading, hunt start-up with the compiled-rule
 * cache cold and warm (the runs use the warm cache), and peak RSS (workers included).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from '../src/apps/cli/io.js';
import { runHuntCommand } from '../src/apps/cli/commands/hunt.js';
import { loadSigmaRuleFiles } from '../src/apps/cli/commands/rules.js';
import { repeatEvtxChunks } from '../test/builders/evtx.js';
import { readOtrfZip } from '../test/support/otrf.js';
import { benchResult, MB, REPO_ROOT, startRssSampler, type BenchResult } from './lib.js';

export const name = 'hunt-parallel';

const SHARED = join(REPO_ROOT, '..', 'shared', 'data');
const RULES = join(SHARED, 'sigma-rules', 'rules', 'windows');
const EVTX = join(SHARED, 'evtx');
const CHUNK = 65536;
const HEADER = 4096;

function countingIO(env: NodeJS.ProcessEnv): { io: CliIO; lines: () => number } {
  let lines = 0;
  const stream = {
    write: (s: string) => ((lines += s.split('\n').length - 1), true),
    once: () => undefined,
    isTTY: false,
  } as unknown as NodeJS.WriteStream;
  return { io: { stdout: stream, stderr: stream, env }, lines: () => lines };
}

function targetBytes(): number {
  const mb = Number(process.env.BENCH_HUNT_MB ?? 64);
  if (!Number.isFinite(mb) || mb <= 0) throw new Error('BENCH_HUNT_MB must be a positive number');
  return mb * MB;
}

/** The real chunks of the shared EVTX samples repeated to `bytes`; returns the record count. */
function buildEvtxLog(path: string, bytes: number): number {
  const chunks: Uint8Array[] = [];
  const records: number[] = [];
  for (const file of readdirSync(EVTX)
    .filter((f) => f.endsWith('.evtx'))
    .sort()) {
    const data = new Uint8Array(readFileSync(join(EVTX, file)));
    for (let at = HEADER; at + CHUNK <= data.length; at += CHUNK) {
      if (data[at] !== 0x45 || data[at + 3] !== 0x43) continue; // "ElfChnk"
      const view = new DataView(data.buffer, at);
      const first = Number(view.getBigUint64(24, true));
      const last = Number(view.getBigUint64(32, true));
      if (last < first || last - first > 10_000) continue;
      chunks.push(data.slice(at, at + CHUNK));
      records.push(last - first + 1);
    }
  }
  const count = Math.max(1, Math.ceil(bytes / CHUNK));
  let total = 0;
  for (let i = 0; i < count; i++) total += records[i % chunks.length]!;
  writeFileSync(path, repeatEvtxChunks(chunks, count));
  return total;
}

/** OTRF events as evtx-rs JSON Lines repeated to `bytes`; returns the line count. */
async function buildJsonl(path: string, bytes: number): Promise<number> {
  const lines: string[] = [];
  for (const zip of readdirSync(EVTX)
    .filter((f) => f.endsWith('.zip'))
    .sort())
    for (const e of await readOtrfZip(join(EVTX, zip))) lines.push(JSON.stringify(e.data));
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = lines[i % lines.length]!;
    out.push(line);
    size += line.length + 1;
  }
  writeFileSync(path, `${out.join('\n')}\n`);
  return out.length;
}

export async function run(): Promise<BenchResult> {
  if (!existsSync(RULES) || !existsSync(EVTX))
    throw new Error(`SigmaHQ rules or the EVTX samples not found under ${SHARED}`);
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-hunt-bench-'));
  try {
    const evtx = join(dir, 'real.evtx');
    const jsonl = join(dir, 'otrf.jsonl');
    const bytes = targetBytes();
    const records = buildEvtxLog(evtx, bytes);
    const lines = await buildJsonl(jsonl, bytes);
    let t = performance.now();
    const set = loadSigmaRuleFiles([RULES]);
    const loadSeconds = (performance.now() - t) / 1000;
    // The compiled-rule cache in a private temp folder: cold (YAML) once, then warm in every run.
    const env = { EMOGUARD_SIGMA_CACHE: join(dir, 'rule-cache') };
    const hunt = async (path: string, workers: number) => {
      const c = countingIO(env);
      const start = performance.now();
      const cpu = process.cpuUsage();
      await runHuntCommand(
        [path],
        {
          rules: [RULES],
          json: true,
          store: false,
          db: join(dir, 'none.db'),
          workers: String(workers),
        },
        c.io,
      );
      const used = process.cpuUsage(cpu);
      return {
        seconds: (performance.now() - start) / 1000,
        cpu: (used.user + used.system) / 1e6,
        detections: c.lines(),
      };
    };
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    const cold = await hunt(empty, 1);
    const warm = await hunt(empty, 1);
    const rss = startRssSampler();
    const e1 = await hunt(evtx, 1);
    const e2 = await hunt(evtx, 2);
    const j1 = await hunt(jsonl, 1);
    const j2 = await hunt(jsonl, 2);
    const peakRssMb = rss.stop();
    t = performance.now();
    const mb = bytes / MB;
    const rate = (r: typeof e1, items: number, unit: string) =>
      `${r.seconds.toFixed(2)} s wall, ${(mb / r.seconds).toFixed(1)} MB/s, ` +
      `${Math.round(items / r.seconds).toLocaleString('en-US')} ${unit}/s; CPU ${r.cpu.toFixed(2)} s ` +
      `(${(mb / r.cpu).toFixed(1)} MB/s, ${Math.round(items / r.cpu).toLocaleString('en-US')} ${unit}/s per CPU-second)`;
    return benchResult({
      name,
      items: records,
      bytes,
      seconds: e2.seconds,
      peakRssMb,
      notes:
        `${set.rules.length} SigmaHQ rules (${set.correlations.length} correlations); loading them ` +
        `${loadSeconds.toFixed(2)} s from YAML; hunt start-up (empty log) cold ${cold.seconds.toFixed(2)} s ` +
        `wall / ${cold.cpu.toFixed(2)} CPU-s, warm (compiled-rule cache) ${warm.seconds.toFixed(2)} s / ` +
        `${warm.cpu.toFixed(2)} CPU-s, used by every run below; ${mb.toFixed(0)} MiB each. ` +
        `EVTX (${records.toLocaleString('en-US')} records) --workers 1: ${rate(e1, records, 'records')}; ` +
        `--workers 2: ${rate(e2, records, 'records')}. ` +
        `JSONL (${lines.toLocaleString('en-US')} lines) --workers 1: ${rate(j1, lines, 'lines')}; ` +
        `--workers 2: ${rate(j2, lines, 'lines')}. ` +
        `Output lines EVTX ${e1.detections} vs ${e2.detections}, JSONL ${j1.detections} vs ${j2.detections}`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
