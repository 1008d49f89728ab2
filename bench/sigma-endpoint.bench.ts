/**
 * Throughput of emoguard's own Sigma pack (rules/sigma, with the step-⑥/post rules and their value_count
 * correlations) on one core, and peak RSS. Events: the OTRF JSON Lines of ../shared/data/evtx/*.zip
 * (benign-heavy Sysmon/Security/PowerShell), or 20,000 built in code without the shared data, plus a
 * worst case for the correlations: BENCH_SMB_EVENTS (default 50,000) Sysmon 3 connections to 445 and
 * Sysmon 11 ransom-note creations from many processes and hosts, which fill correlation state.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LogEvent } from '../src/core/index.js';
import { bundledSigmaRulesDir, loadSigmaRuleFiles } from '../src/apps/cli/commands/rules.js';
import { createSigmaEngine } from '../src/engines/sigma/index.js';
import { buildLogEvent, SYSMON, sysmonProcess } from '../test/builders/winevent.js';
import { readOtrfZip } from '../test/support/otrf.js';
import { benchResult, REPO_ROOT, startRssSampler, type BenchResult } from './lib.js';

export const name = 'sigma-endpoint';

const EVTX = join(REPO_ROOT, '..', 'shared', 'data', 'evtx');
const T0 = Date.parse('2026-11-20T00:00:00Z');

function count(): number {
  const n = Number(process.env.BENCH_SMB_EVENTS ?? 50_000);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error('BENCH_SMB_EVENTS must be a positive integer');
  return n;
}

/** Connections to 445 and note-named files: 200 hosts × 10 processes, one event per 50 ms. */
function correlationLoad(n: number): LogEvent[] {
  const out: LogEvent[] = [];
  for (let i = 0; i < n; i++) {
    const time = new Date(T0 + i * 50).toISOString();
    const computer = `WS${i % 200}.example.com`;
    const image = `C:\\Users\\u\\AppData\\Local\\Temp\\p${i % 10}.exe`;
    const data =
      i % 2 === 0
        ? {
            Image: image,
            Initiated: 'true',
            DestinationIp: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
            DestinationPort: '445',
          }
        : { Image: image, TargetFilename: `C:\\Users\\u\\F${i}\\HOW_TO_DECRYPT.txt` };
    out.push(
      buildLogEvent({ channel: SYSMON, eventId: i % 2 === 0 ? 3 : 11, time, computer, data }),
    );
  }
  return out;
}

async function background(): Promise<{ list: LogEvent[]; origin: string }> {
  const zips = existsSync(EVTX) ? readdirSync(EVTX).filter((f) => f.endsWith('.zip')) : [];
  if (zips.length === 0) {
    const list = Array.from({ length: 20_000 }, (_, i) =>
      sysmonProcess({ Image: 'C:\\Windows\\explorer.exe', CommandLine: `x ${i}` }),
    );
    return { list, origin: 'built in code' };
  }
  const list: LogEvent[] = [];
  for (const zip of zips.sort()) list.push(...(await readOtrfZip(join(EVTX, zip))));
  return { list, origin: `OTRF ${zips.length} zips` };
}

export async function run(): Promise<BenchResult> {
  const rss = startRssSampler();
  const set = loadSigmaRuleFiles([bundledSigmaRulesDir()]);
  const { list, origin } = await background();
  const burst = correlationLoad(count());
  const events = [...list, ...burst];
  const bytes = events.reduce((n, e) => n + JSON.stringify(e.data).length, 0);
  const engine = createSigmaEngine(set);
  const t = performance.now();
  let matched = 0;
  for (const e of events) matched += engine.match(e).length;
  const finished = engine.finish?.() ?? [];
  const seconds = (performance.now() - t) / 1000;
  const peakRssMb = rss.stop();
  return benchResult({
    name,
    items: events.length,
    bytes,
    seconds,
    peakRssMb,
    notes: [
      `${set.rules.length} rules, ${set.correlations.length} correlations`,
      `${list.length} background events (${origin}) + ${burst.length} correlation-load events`,
      `${matched} per-event detections, ${finished.length} from finish() (correlations, limit notes)`,
    ].join('; '),
  });
}
