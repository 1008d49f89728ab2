/**
 * Throughput of the Sigma engine with the whole SigmaHQ Windows rule set loaded
 * (../shared/data/sigma-rules/rules/windows, 2,407 files): events/s on one core, and peak RSS.
 * Events are the OTRF Security-Datasets JSON Lines of ../shared/data/evtx/*.zip (15,161 Sysmon,
 * Security and PowerShell events, converted to the evtx-rs layout), or, without the shared data,
 * 20,000 events built in code. One warm-up pass, then BENCH_SIGMA_PASSES (default 5) measured passes.
 * The notes add the attack-dense case: the records of ../shared/data/evtx/*.evtx (EVTX-ATTACK-SAMPLES:
 * lsass access, WMI, SMB admin shares), where many rules' literals occur in nearly every event.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogEvent } from '../src/core/index.js';
import { evtxRecordToLogEvent, readEvtx } from '../src/formats/evtx/index.js';
import {
  createSigmaEngine,
  loadSigmaRules,
  parseSigmaMapping,
} from '../src/engines/sigma/index.js';
import { buildLogEvent, SECURITY, SYSMON, sysmonProcess } from '../test/builders/winevent.js';
import { readOtrfZip } from '../test/support/otrf.js';
import { benchResult, REPO_ROOT, seededRandom, startRssSampler, type BenchResult } from './lib.js';

export const name = 'sigma';

const SHARED = join(REPO_ROOT, '..', 'shared', 'data');
const RULES = join(SHARED, 'sigma-rules', 'rules', 'windows');
const EVTX = join(SHARED, 'evtx');

function passes(): number {
  const n = Number(process.env.BENCH_SIGMA_PASSES ?? 5);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error('BENCH_SIGMA_PASSES must be a positive integer');
  return n;
}

/** Events in the proportions of a Sysmon + Security log, for when the shared data is absent. */
function syntheticEvents(count: number): LogEvent[] {
  const random = seededRandom(0x516a);
  const images = [
    'C:\\Windows\\System32\\svchost.exe',
    'C:\\Windows\\explorer.exe',
    'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
    'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  ];
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const out: LogEvent[] = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    if (r < 0.2)
      out.push(
        sysmonProcess(
          {
            Image: pick(images),
            CommandLine: `${pick(images)} -k netsvcs -p ${i}`,
            ParentImage: pick(images),
          },
          { recordId: i },
        ),
      );
    else if (r < 0.5)
      out.push(
        buildLogEvent({
          channel: SYSMON,
          eventId: 13,
          recordId: i,
          data: {
            EventType: 'SetValue',
            Image: pick(images),
            TargetObject: `HKLM\\System\\CurrentControlSet\\Services\\W32Time\\Config\\Value${i % 50}`,
            Details: 'DWORD (0x00000001)',
          },
        }),
      );
    else if (r < 0.7)
      out.push(
        buildLogEvent({
          channel: SYSMON,
          eventId: 10,
          recordId: i,
          data: {
            SourceImage: pick(images),
            TargetImage: pick(images),
            GrantedAccess: '0x1000',
            CallTrace: 'C:\\Windows\\SYSTEM32\\ntdll.dll+9c534',
          },
        }),
      );
    else
      out.push(
        buildLogEvent({
          channel: SECURITY,
          eventId: pick([4624, 4634, 4658, 4663, 4688]),
          recordId: i,
          data: {
            SubjectUserName: 'WS01$',
            ObjectName: 'C:\\Windows\\Temp\\x.tmp',
            NewProcessName: pick(images),
          },
        }),
      );
  }
  return out;
}

function attackEvents(): LogEvent[] {
  const out: LogEvent[] = [];
  if (!existsSync(EVTX)) return out;
  for (const f of readdirSync(EVTX)
    .filter((f) => f.endsWith('.evtx'))
    .sort())
    for (const item of readEvtx(new Uint8Array(readFileSync(join(EVTX, f)))))
      if (item.type === 'record') out.push(evtxRecordToLogEvent(item, f));
  return out;
}

/** Events per CPU-second and rule evaluations per event over `list`, after one warm-up pass. */
function measure(
  engine: ReturnType<typeof createSigmaEngine>,
  list: readonly LogEvent[],
  n: number,
): { cpuRate: number; evaluations: number; checkedOut: number; detections: number } {
  let detections = 0;
  for (const e of list) detections += engine.match(e).length;
  const { evaluations, checkedOut } = engine.stats;
  const cpu = process.cpuUsage();
  for (let p = 0; p < n; p++) for (const e of list) engine.match(e);
  const used = process.cpuUsage(cpu);
  const events = list.length * n;
  return {
    cpuRate: events / ((used.user + used.system) / 1e6),
    evaluations: (engine.stats.evaluations - evaluations) / events,
    checkedOut: (engine.stats.checkedOut - checkedOut) / events,
    detections,
  };
}

async function events(): Promise<{ list: LogEvent[]; origin: string }> {
  const zips = existsSync(EVTX)
    ? readdirSync(EVTX)
        .filter((f) => f.endsWith('.zip'))
        .sort()
    : [];
  if (zips.length === 0)
    return { list: syntheticEvents(20_000), origin: 'built in code (no ../shared/data/evtx)' };
  const list: LogEvent[] = [];
  for (const zip of zips) list.push(...(await readOtrfZip(join(EVTX, zip))));
  return { list, origin: `OTRF ${zips.join(', ')}` };
}

export async function run(): Promise<BenchResult> {
  if (!existsSync(RULES))
    throw new Error(`SigmaHQ rules not found at ${RULES}: clone the repo beside ../shared`);
  const rss = startRssSampler();
  const files = readdirSync(RULES, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.yml'))
    .sort();
  const mappingPath = join(REPO_ROOT, 'rules', 'mappings', 'sigma-windows.yml');
  let t = performance.now();
  const set = loadSigmaRules(
    files.map((f) => ({ path: f, text: readFileSync(join(RULES, f), 'utf8') })),
    {
      mapping: parseSigmaMapping(
        readFileSync(mappingPath, 'utf8'),
        'rules/mappings/sigma-windows.yml',
      ),
    },
  );
  const loadSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const engine = createSigmaEngine(set);
  const buildSeconds = (performance.now() - t) / 1000;
  const { list, origin } = await events();
  const bytesPerPass = list.reduce((n, e) => n + JSON.stringify(e.data).length, 0);
  let detections = 0;
  for (const e of list) detections += engine.match(e).length; // warm-up: JIT, bucket caches
  const evaluationsBefore = engine.stats.evaluations;
  const n = passes();
  t = performance.now();
  const cpu = process.cpuUsage();
  for (let p = 0; p < n; p++) for (const e of list) engine.match(e);
  const seconds = (performance.now() - t) / 1000;
  const cpuUsed = process.cpuUsage(cpu);
  // Per core: CPU time of this single-threaded loop (GC threads included), robust on a busy machine.
  const cpuRate = (list.length * n) / ((cpuUsed.user + cpuUsed.system) / 1e6);
  const attack = attackEvents();
  const dense = attack.length > 0 ? measure(engine, attack, n * 10) : undefined;
  const peakRssMb = rss.stop();
  const s = engine.stats;
  const notes = [
    `${Math.round(cpuRate).toLocaleString('en-US')} events per CPU-second`,
    `${s.rules} rules loaded from ${files.length} files (${set.errors.length} refused) in ${loadSeconds.toFixed(2)} s, index + automaton ${buildSeconds.toFixed(2)} s`,
    `${s.entries} rule variants, ${s.literals} literals, automaton ${s.automatonStates} states / ${(s.automatonBytes / 2 ** 20).toFixed(1)} MiB`,
    `${list.length} events × ${n} passes from ${origin}; ${detections} detections per pass`,
    `${((s.evaluations - evaluationsBefore) / (list.length * n)).toFixed(2)} rule evaluations per event after index and prefilter`,
    dense
      ? `attack-dense EVTX (${attack.length} records × ${n * 10}): ${Math.round(dense.cpuRate).toLocaleString('en-US')} events per CPU-second, ${dense.evaluations.toFixed(2)} evaluations + ${dense.checkedOut.toFixed(2)} checked out per event, ${dense.detections} detections per pass`
      : 'no attack-dense EVTX (../shared/data/evtx)',
  ].join('; ');
  return benchResult({
    name,
    items: list.length * n,
    bytes: bytesPerPass * n,
    seconds,
    peakRssMb,
    notes,
  });
}
