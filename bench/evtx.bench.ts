/**
 * EVTX parsing throughput on one core: the real chunks of ../shared/data/evtx (Sysmon and Security logs)
 * replicated in memory to ~100 MiB (or, without the shared data, builder-made Sysmon records), read by
 * `readEvtx` with checksums verified, every record rendered to the evtx-rs JSON layout. Reports MB/s,
 * records/s and peak RSS; the notes add the rate with `JSON.stringify` of every record (what
 * `emoguard evtx --json` does) and with checksums off.
 *
 * Env: BENCH_EVTX_MB=<n> for another size.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import YAML from 'yaml';
import { readEvtx } from '../src/formats/evtx/index.js';
import { compileWinlogMapping, readWinlogJson } from '../src/formats/winlog-json/index.js';
import {
  buildEvtxChunk,
  eventRoot,
  repeatEvtxChunks,
  type EvtxRecordSpec,
} from '../test/builders/evtx.js';
import { benchResult, MB, REPO_ROOT, startRssSampler, type BenchResult } from './lib.js';

export const name = 'evtx';

const CHUNK = 65536;
const HEADER = 4096;
const SAMPLES = [
  'sysmon_dirty_header.evtx',
  'ID4688_5140_5145-WMIexec_via_SMB_GLOBAL.evtx',
  'smbmap_upload_exec_sysmon.evtx',
  'sideloading_uacbypass_rundll32_injection_c2.evtx',
];

function targetBytes(): number {
  const raw = process.env.BENCH_EVTX_MB;
  const mb = raw ? Number(raw) : 100;
  if (!Number.isFinite(mb) || mb <= 0)
    throw new Error(`BENCH_EVTX_MB must be a positive number, got '${raw}'`);
  return mb * MB;
}

/** Valid chunks of the shared samples, or builder chunks of Sysmon-like records when they are absent. */
function sourceChunks(): { chunks: Uint8Array[]; origin: string } {
  const dir = join(REPO_ROOT, '..', 'shared', 'data', 'evtx');
  const chunks: Uint8Array[] = [];
  for (const file of SAMPLES) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    const bytes = new Uint8Array(readFileSync(path));
    for (let at = HEADER; at + CHUNK <= bytes.length; at += CHUNK) {
      if (bytes[at] === 0x45 && bytes[at + 3] === 0x43) chunks.push(bytes.slice(at, at + CHUNK)); // "ElfChnk"
    }
  }
  if (chunks.length > 0)
    return { chunks, origin: `${chunks.length} real chunks of ../shared/data/evtx` };
  const records: EvtxRecordSpec[] = Array.from({ length: 40 }, (_, i) => ({
    recordId: i + 1,
    time: '2024-05-01T10:00:00.000000Z',
    event: eventRoot({
      System: {
        EventID: 1,
        EventRecordID: i + 1,
        Channel: 'Microsoft-Windows-Sysmon/Operational',
        Computer: 'ws01.example.com',
      },
      EventData: {
        Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
        CommandLine: `powershell -nop -w hidden -c "echo ${'x'.repeat(200 + i)}"`,
        ParentImage: 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
        ProcessId: 4000 + i,
      },
    }),
  }));
  return { chunks: [buildEvtxChunk({ records })], origin: 'builder chunks (shared data absent)' };
}

function file(chunks: Uint8Array[], bytes: number): Uint8Array {
  return repeatEvtxChunks(chunks, Math.max(1, Math.ceil(bytes / CHUNK)));
}

function pass(bytes: Uint8Array, options: { stringify?: boolean; verifyChecksums?: boolean } = {}) {
  let records = 0;
  let anomalies = 0;
  let json = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (const item of readEvtx(bytes, { verifyChecksums: options.verifyChecksums ?? true })) {
    if (item.type === 'record') {
      records++;
      if (options.stringify) json += JSON.stringify(item.event).length;
    } else anomalies++;
  }
  const used = process.cpuUsage(cpu);
  // CPU time too: on a loaded machine wall time measures the neighbours as well.
  const cpuSeconds = (used.user + used.system) / 1e6;
  return { records, anomalies, json, seconds: (performance.now() - started) / 1000, cpuSeconds };
}

/** NXLog JSON Lines (the OTRF Covenant set, 8,121 events) through the winlog-json reader, if present. */
function nxlogRate(): string | undefined {
  const path = join(
    REPO_ROOT,
    '..',
    'shared',
    'data',
    'evtx',
    'covenant_dcom_executeexcel4macro_allowed.zip',
  );
  if (!existsSync(path)) return undefined;
  const zip = readFileSync(path);
  const start = 30 + zip.readUInt16LE(26) + zip.readUInt16LE(28);
  const bytes = new Uint8Array(inflateRawSync(zip.subarray(start, start + zip.readUInt32LE(18))));
  const yaml = readFileSync(join(REPO_ROOT, 'rules', 'mappings', 'winlog-nxlog.yml'), 'utf8');
  const mappings = { nxlog: compileWinlogMapping(YAML.parse(yaml), 'winlog-nxlog.yml') };
  const read = () => {
    let events = 0;
    for (const item of readWinlogJson(bytes, { path, mappings }))
      if (item.type === 'event') events++;
    return events;
  };
  read();
  const cpu = process.cpuUsage();
  const events = read();
  const used = process.cpuUsage(cpu);
  const seconds = (used.user + used.system) / 1e6;
  return `NXLog JSON ${(bytes.length / MB / seconds).toFixed(1)} MB/s, ${(events / seconds).toFixed(0)} events/s per CPU-second (${events} events)`;
}

export async function run(): Promise<BenchResult> {
  const { chunks, origin } = sourceChunks();
  const bytes = file(chunks, targetBytes());
  pass(bytes); // a full pass first: a long log is read at the optimised steady state
  const rss = startRssSampler();
  const main = pass(bytes);
  const peakRssMb = rss.stop();
  const withJson = pass(bytes, { stringify: true });
  const noCrc = pass(bytes, { verifyChecksums: false });
  const mbps = (seconds: number) => (bytes.length / MB / seconds).toFixed(1);
  return benchResult({
    name,
    items: main.records,
    bytes: bytes.length,
    seconds: main.seconds,
    peakRssMb,
    notes: [
      origin,
      `${mbps(main.cpuSeconds)} MB/s and ${(main.records / main.cpuSeconds).toFixed(0)} records/s per CPU-second`,
      `${main.anomalies} anomalies`,
      `with JSON.stringify ${mbps(withJson.cpuSeconds)} MB/s per CPU-second (${(withJson.json / MB).toFixed(0)} MB of JSON)`,
      `checksums off ${mbps(noCrc.cpuSeconds)} MB/s per CPU-second`,
      `peak RSS includes the ${(bytes.length / MB).toFixed(0)} MB input held in memory`,
      nxlogRate() ?? 'NXLog JSON: shared data absent',
    ].join('; '),
  });
}
