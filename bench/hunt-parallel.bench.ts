/**
 * `emoguard hunt` on all cores: one EVTX file built from the OTRF Security-Datasets events of
 * ../shared/data/evtx/*.zip (Sysmon, Security, PowerShell in the evtx-rs layout, repeated to
 * BENCH_HUNT_MB, default 48 MiB), hunted with the whole SigmaHQ Windows rule set
 * (../shared/data/sigma-rules/rules/windows) by `hunt --json --no-store`, in-process, with
 * `--workers 1` (main thread only) and `--workers 2`. Reports the 2-worker run (MB/s and events/s wall,
 * rule loading included), the 1-worker run in notes, and the peak RSS of the process, workers included.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from '../src/apps/cli/io.js';
import { runHuntCommand } from '../src/apps/cli/commands/hunt.js';
import { loadSigmaRuleFiles } from '../src/apps/cli/commands/rules.js';
import { buildEvtx, buildEvtxChunk, type EvtxChunkSpec } from '../test/builders/evtx.js';
import { readOtrfZip } from '../test/support/otrf.js';
import { benchResult, MB, REPO_ROOT, startRssSampler, type BenchResult } from './lib.js';

export const name = 'hunt-parallel';

const SHARED = join(REPO_ROOT, '..', 'shared', 'data');
const RULES = join(SHARED, 'sigma-rules', 'rules', 'windows');
const EVTX = join(SHARED, 'evtx');
const CHUNK_JSON_BUDGET = 40_000;

function countingIO(): { io: CliIO; lines: () => number } {
  let lines = 0;
  const stream = {
    write: (s: string) => ((lines += s.split('\n').length - 1), true),
    once: () => undefined,
    isTTY: false,
  } as unknown as NodeJS.WriteStream;
  return { io: { stdout: stream, stderr: stream, env: {} }, lines: () => lines };
}

async function buildLog(path: string): Promise<number> {
  const zips = readdirSync(EVTX)
    .filter((f) => f.endsWith('.zip'))
    .sort();
  const events = [];
  for (const zip of zips) events.push(...(await readOtrfZip(join(EVTX, zip))));
  const target = Number(process.env.BENCH_HUNT_MB ?? 48) * MB;
  const chunks: EvtxChunkSpec[] = [];
  let recordId = 1;
  let records = 0;
  // 64 KiB chunks filled by JSON size; a chunk that still overflows is split in two.
  const fits = (batch: EvtxChunkSpec['records']) => {
    try {
      buildEvtxChunk({ records: batch });
      return true;
    } catch {
      return false;
    }
  };
  const push = (batch: EvtxChunkSpec['records']): void => {
    if (batch.length > 1 && !fits(batch)) {
      push(batch.slice(0, batch.length >> 1));
      push(batch.slice(batch.length >> 1));
      return;
    }
    chunks.push({ records: batch });
    records += batch.length;
  };
  while ((chunks.length + 1) * 65536 < target) {
    const batch: EvtxChunkSpec['records'] = [];
    for (let size = 0; size < CHUNK_JSON_BUDGET; recordId++) {
      const e = events[(recordId - 1) % events.length]!;
      size += JSON.stringify(e.data).length;
      batch.push({ recordId, time: e.time ?? '2024-05-01T10:00:00.000000Z', event: e.data });
    }
    push(batch);
  }
  writeFileSync(path, buildEvtx({ chunks }));
  return records;
}

export async function run(): Promise<BenchResult> {
  if (!existsSync(RULES) || !existsSync(EVTX))
    throw new Error(`SigmaHQ rules or OTRF events not found under ${SHARED}`);
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-hunt-bench-'));
  try {
    const path = join(dir, 'otrf.evtx');
    const records = await buildLog(path);
    const bytes = statSync(path).size;
    let t = performance.now();
    const set = loadSigmaRuleFiles([RULES]);
    const loadSeconds = (performance.now() - t) / 1000;
    const hunt = async (workers: number) => {
      const c = countingIO();
      const start = performance.now();
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
      return { seconds: (performance.now() - start) / 1000, detections: c.lines() };
    };
    const rss = startRssSampler();
    const one = await hunt(1);
    const two = await hunt(2);
    const peakRssMb = rss.stop();
    t = performance.now();
    return benchResult({
      name,
      items: records,
      bytes,
      seconds: two.seconds,
      peakRssMb,
      notes:
        `${set.rules.length} SigmaHQ rules (${set.correlations.length} correlations; loading ${loadSeconds.toFixed(2)} s, ` +
        `in each run and in each worker); ${records.toLocaleString('en-US')} records, ${(bytes / MB).toFixed(1)} MiB; ` +
        `--workers 1: ${one.seconds.toFixed(2)} s (${(bytes / MB / one.seconds).toFixed(1)} MB/s, ` +
        `${Math.round(records / one.seconds).toLocaleString('en-US')} events/s); --workers 2: ${two.seconds.toFixed(2)} s; ` +
        `output lines ${one.detections} vs ${two.detections}`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
