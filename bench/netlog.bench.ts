/**
 * Network-log matching, the `hunt --intel` hot path: a 2M-line Zeek conn.log built in code, matched
 * against 100k indicators (IPs, ip:port, CIDRs, domains) by the `ioc` engine, in two worker threads
 * (one byte range each, like `hunt` on two cores), with the conn.log prefilter. Reports lines/s, MB/s
 * and peak RSS (process, workers included); notes give one-thread figures with and without the
 * prefilter, the other log formats (Zeek JSON, Suricata EVE, Squid) and the import of a 1M-indicator feed
 * into the SQLite store.
 *
 * Env: BENCH_LINES=<n> for a quicker run (default 2,000,000).
 */
import {
  closeSync,
  createWriteStream,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { buildIocSet, createIocHuntEngine, type IocInput } from '../src/engines/ioc/index.js';
import { NetlogReader } from '../src/formats/netlog/index.js';
import { main } from '../src/apps/cli/main.js';
import { fakeIO } from '../test/support/cli-io.js';
import { startWorker } from '../src/apps/worker-thread/index.js';
import { zeekTsvHeader } from '../test/builders/netlog.js';
import {
  benchResult,
  MB,
  runChild,
  seededRandom,
  startRssSampler,
  type BenchResult,
} from './lib.js';
import type { NetlogJob, NetlogJobResult } from './netlog-worker.js';

export const name = 'netlog';

const IOCS = 100_000;
const FEED_ROWS = 500_000; // Feodo rows: an ip and an ip:port indicator each → 1M indicators
const OTHER_LINES = 300_000;

function lineCount(): number {
  const raw = process.env.BENCH_LINES;
  const n = raw ? Number(raw) : 2_000_000;
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`BENCH_LINES must be a positive integer, got '${raw}'`);
  return n;
}

const ip = (r: () => number) =>
  `${1 + Math.floor(r() * 222)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`;

export function indicators(r: () => number): { iocs: IocInput[]; hot: string[] } {
  const iocs: IocInput[] = [];
  const hot: string[] = [];
  for (let i = 0; i < IOCS; i++) {
    const kind = i % 20;
    if (kind < 14) {
      const a = ip(r);
      iocs.push({ type: 'ip', value: a, source: 'feodotracker', malware: 'Emotet' });
      if (i % 100 === 0) hot.push(a);
    } else if (kind < 18)
      iocs.push({
        type: 'ip-port',
        value: `${ip(r)}:${[8080, 7080, 443][i % 3]}`,
        source: 'threatfox',
      });
    else if (kind < 19)
      iocs.push({
        type: 'cidr',
        value: `${ip(r).replace(/\.\d+$/, '.0')}/24`,
        source: 'misp:bench',
      });
    else iocs.push({ type: 'domain', value: `c2-${i}.example`, source: 'threatfox' });
  }
  return { iocs, hot };
}

/** A conn.log of `n` lines: 2,000 workstations, mostly TLS/HTTP/DNS to random public servers, a few C2 hits. */
export async function writeConnLog(
  path: string,
  n: number,
  hot: string[],
  r: () => number,
): Promise<void> {
  const out = createWriteStream(path);
  const proxies = Array.from({ length: 20 }, (_, i) => `10.254.0.${i + 1}`);
  out.write(`${zeekTsvHeader('conn')}\n`);
  let batch: string[] = [];
  for (let i = 0; i < n; i++) {
    const ts = (1705309200 + i * 0.002).toFixed(6);
    const orig = `10.${(i >> 16) & 7}.${(i >> 8) & 255}.${i % 250}`;
    const port = [443, 443, 443, 80, 53, 8080, 123, 3389][i % 8]!;
    // Web traffic to anywhere; 8080 to a handful of proxies; DNS/NTP to local servers; a few C2 hits.
    const resp =
      i % 2000 === 7
        ? hot[i % hot.length]!
        : port === 8080
          ? proxies[i % proxies.length]!
          : port === 53 || port === 123
            ? `10.255.0.${1 + (i % 4)}`
            : ip(r);
    const service =
      port === 443 ? 'ssl' : port === 80 || port === 8080 ? 'http' : port === 53 ? 'dns' : '-';
    batch.push(
      `${ts}\tC${i.toString(36)}Zq8mPw\t${orig}\t${49152 + (i % 16000)}\t${resp}\t${port}\t${port === 53 || port === 123 ? 'udp' : 'tcp'}\t${service}\t` +
        `${(r() * 30).toFixed(6)}\t${Math.floor(r() * 2000)}\t${Math.floor(r() * 90000)}\tSF\tT\tF\t0\tShADadFf\t${Math.floor(r() * 40)}\t1800\t${Math.floor(r() * 90)}\t90000\t(empty)`,
    );
    if (batch.length === 10_000) {
      if (!out.write(`${batch.join('\n')}\n`)) await once(out, 'drain');
      batch = [];
    }
  }
  out.end(batch.length ? `${batch.join('\n')}\n` : '');
  await once(out, 'finish');
}

function runJob(job: NetlogJob): Promise<NetlogJobResult> {
  const worker = startWorker(new URL('./netlog-worker.ts', import.meta.url), { workerData: job });
  return new Promise((ok, fail) => {
    worker.once('message', (m: NetlogJobResult) => ok(m));
    worker.once('error', fail);
  });
}

/** Splits a file after its header into `parts` byte ranges that start at line starts. */
function ranges(path: string, headerBytes: number, parts: number): [number, number][] {
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  const cuts = [headerBytes];
  const buf = new Uint8Array(64 * 1024);
  for (let p = 1; p < parts; p++) {
    let at = Math.floor(headerBytes + ((size - headerBytes) * p) / parts);
    const n = readSync(fd, buf, 0, buf.length, at);
    const nl = buf.subarray(0, n).indexOf(10);
    cuts.push(nl < 0 ? size : at + nl + 1);
  }
  closeSync(fd);
  cuts.push(size);
  return cuts.slice(0, -1).map((c, i) => [c, cuts[i + 1]!]);
}

async function matchRun(
  path: string,
  header: string,
  iocs: IocInput[],
  workers: number,
  prefilter: boolean,
) {
  const headerBytes = new TextEncoder().encode(header).length;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const results = await Promise.all(
    ranges(path, headerBytes, workers).map(([start, end]) =>
      runJob({
        file: path,
        start,
        end,
        header,
        path: 'conn.log',
        format: 'zeek-tsv',
        iocs,
        prefilter,
      }),
    ),
  );
  const wall = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const sum = (k: keyof NetlogJobResult) => results.reduce((n, r) => n + r[k], 0);
  return {
    wall,
    /** Streaming time: the slowest worker from its first chunk to its last detection. */
    seconds: Math.max(...results.map((r) => r.matchMs)) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    lines: sum('lines'),
    detections: sum('detections'),
    filtered: sum('filtered'),
    buildMs: Math.max(...results.map((r) => r.buildMs)),
  };
}

function otherFormats(r: () => number, iocs: IocInput[]): string[] {
  const set = buildIocSet(iocs);
  const gen: Record<string, (i: number) => string> = {
    'zeek-json conn': (i) =>
      JSON.stringify({
        ts: 1705309200 + i * 0.002,
        uid: `C${i}`,
        'id.orig_h': `10.0.${(i >> 8) & 255}.${i & 255}`,
        'id.orig_p': 49152,
        'id.resp_h': ip(r),
        'id.resp_p': 443,
        proto: 'tcp',
        service: 'ssl',
        duration: 1.5,
        orig_bytes: 500,
        resp_bytes: 9000,
        conn_state: 'SF',
      }),
    'suricata-eve mix': (i) => {
      const base = {
        timestamp: '2024-01-15T09:00:00.000000+0000',
        flow_id: i,
        src_ip: `10.0.${(i >> 8) & 255}.${i & 255}`,
        src_port: 49152,
        dest_ip: ip(r),
        dest_port: 443,
        proto: 'TCP',
      };
      switch (i % 4) {
        case 0:
          return JSON.stringify({
            ...base,
            event_type: 'flow',
            flow: { pkts_toserver: 8, bytes_toserver: 900, state: 'closed' },
          });
        case 1:
          return JSON.stringify({
            ...base,
            event_type: 'tls',
            tls: {
              sni: `host${i}.example.com`,
              version: 'TLS 1.2',
              ja3: { hash: 'ab'.repeat(16) },
            },
          });
        case 2:
          return JSON.stringify({
            ...base,
            event_type: 'dns',
            dns: {
              version: 3,
              type: 'request',
              queries: [{ rrname: `www${i}.example.org`, rrtype: 'A' }],
            },
          });
        default:
          return JSON.stringify({
            ...base,
            dest_port: 80,
            event_type: 'http',
            http: {
              hostname: `site${i}.example.net`,
              url: `/path/${i}/index.html`,
              http_user_agent: 'Mozilla/5.0',
              http_method: 'GET',
              status: 200,
              length: 5120,
            },
          });
      }
    },
    'squid access.log': (i) =>
      `${(1705309200 + i * 0.002).toFixed(3)}    120 10.0.${(i >> 8) & 255}.${i & 255} TCP_MISS/200 5120 GET http://site${i}.example.net/path/${i}.html - HIER_DIRECT/${ip(r)} text/html`,
  };
  const notes: string[] = [];
  for (const [label, line] of Object.entries(gen)) {
    const bytes = new TextEncoder().encode(
      Array.from({ length: OTHER_LINES }, (_, i) => line(i)).join('\n') + '\n',
    );
    const reader = new NetlogReader({
      path: label.startsWith('zeek')
        ? 'conn.log'
        : label.startsWith('squid')
          ? 'access.log'
          : 'eve.json',
    });
    const engine = createIocHuntEngine({ iocs: set });
    const cpu0 = process.cpuUsage();
    const t = performance.now();
    for (let o = 0; o < bytes.length; o += 256 * 1024)
      for (const e of reader.push(bytes.subarray(o, o + 256 * 1024))) engine.match(e);
    for (const e of reader.end()) engine.match(e);
    const s = (performance.now() - t) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const perCpu = Math.round(OTHER_LINES / ((cpu.user + cpu.system) / 1e6)).toLocaleString(
      'en-US',
    );
    notes.push(
      `${label}: ${Math.round(OTHER_LINES / s).toLocaleString('en-US')} lines/s, ${(bytes.length / MB / s).toFixed(1)} MB/s, ${perCpu} lines per CPU-second (1 thread)`,
    );
  }
  return notes;
}

/** `emoguard intel import` of a 1M-indicator feed (500k Feodo rows: an ip and an ip:port each), in process. */
async function importRun(dir: string, r: () => number): Promise<string> {
  const lines = ['# first_seen_utc,dst_ip,dst_port,c2_status,last_online,malware'];
  for (let i = 0; i < FEED_ROWS; i++) {
    lines.push(`2024-01-10 10:00:00,${ip(r)},${[8080, 7080, 443][i % 3]},online,2024-01-14,Emotet`);
  }
  const feed = join(dir, 'ipblocklist.csv');
  writeFileSync(feed, `${lines.join('\n')}\n`);
  const { io, out, err } = fakeIO();
  const cpu0 = process.cpuUsage();
  const t = performance.now();
  const code = await main(['intel', 'import', feed, '--json', '--db', join(dir, 'intel.db')], io);
  const total = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (code !== 0) throw new Error(`intel import failed: ${err()}${out()}`);
  const summary = JSON.parse(out().trim().split('\n').pop()!) as {
    indicators: number;
    inserted: number;
  };
  return (
    `emoguard intel import of a ${(summary.indicators / 1e6).toFixed(1)}M-indicator Feodo-style CSV (SQLite): ` +
    `${total.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU, ` +
    `${Math.round(summary.indicators / total).toLocaleString('en-US')} indicators/s, ${summary.inserted.toLocaleString('en-US')} rows`
  );
}

/** The baseline the issue sets: an awk hash join of the indicator IPs against the address columns. */
async function awkJoin(iocFile: string, log: string): Promise<number | undefined> {
  const program = 'NR==FNR{ioc[$1]=1;next} /^#/{next} ($5 in ioc)||($3 in ioc){n++} END{print n+0}';
  try {
    const run = await runChild('awk', ['-F', '\t', program, iocFile, log]);
    return run.exitCode === 0 ? run.seconds : undefined;
  } catch {
    return undefined;
  }
}

export async function run(): Promise<BenchResult> {
  const n = lineCount();
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-bench-netlog-'));
  try {
    const r = seededRandom(0x7e7);
    const { iocs, hot } = indicators(r);
    const path = join(dir, 'conn.log');
    await writeConnLog(path, n, hot, r);
    const bytes = statSync(path).size;
    const header = `${zeekTsvHeader('conn')}\n`;
    const iocFile = join(dir, 'iocs.txt');
    writeFileSync(
      iocFile,
      `${iocs
        .filter((i) => i.type === 'ip')
        .map((i) => i.value)
        .join('\n')}\n`,
    );
    const awk = await awkJoin(iocFile, path);
    const rss = startRssSampler();
    const both = await matchRun(path, header, iocs, 2, true);
    const peakRssMb = rss.stop();
    const one = await matchRun(path, header, iocs, 1, true);
    const full = await matchRun(path, header, iocs, 2, false);
    const rate = (lines: number, seconds: number) =>
      Math.round(lines / seconds).toLocaleString('en-US');
    const notes = [
      `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores during the run (figures scale down under load)`,
      `2 threads end to end (worker start, 100k-indicator set build, streaming): ${both.wall.toFixed(2)} s; ` +
        `${rate(both.lines, both.cpuSeconds)} lines per CPU-second`,
      awk === undefined
        ? 'awk not found: no baseline'
        : `baseline, awk hash join on the IP columns (1 core): ${Math.round(n / awk).toLocaleString('en-US')} lines/s (${awk.toFixed(2)} s)`,
      `${both.detections} detections; ${both.filtered.toLocaleString('en-US')} of ${both.lines.toLocaleString('en-US')} lines skipped by the prefilter; indicator set built in ${both.buildMs.toFixed(0)} ms per worker`,
      `1 thread with prefilter: ${rate(one.lines, one.seconds)} lines/s, ${rate(one.lines, one.cpuSeconds)} lines per CPU-second`,
      `2 threads, every line parsed into a LogEvent (no prefilter): ${rate(full.lines, full.seconds)} lines/s, ` +
        `${(bytes / MB / full.seconds).toFixed(1)} MB/s, ${rate(full.lines, full.cpuSeconds)} lines per CPU-second`,
      ...otherFormats(r, iocs),
      await importRun(dir, r),
    ];
    return benchResult({
      name,
      items: both.lines,
      bytes,
      seconds: both.seconds,
      peakRssMb,
      notes: notes.join('\n    '),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
