/**
 * `emoguard intel import` of a 1M-line URLhaus-style CSV (1M URL indicators) into an empty SQLite store,
 * in process through the CLI, as a user runs it. Notes: the same feed imported again (every row an
 * update: the upsert path), and a 500k-row Feodo Tracker CSV (an ip and an ip:port indicator each).
 * CPU is given for the process and per thread (main: the store writes; the busiest other thread: the
 * feed worker), since on a loaded machine wall time says little about the two-core critical path.
 *
 * Env: BENCH_IOCS=<n> for a quicker run (default 1,000,000).
 */
import {
  createWriteStream,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/apps/cli/main.js';
import { fakeIO } from '../test/support/cli-io.js';
import { URLHAUS_COLUMNS } from '../src/formats/intel/abusech.js';
import {
  benchResult,
  positiveIntEnv,
  seededRandom,
  startRssSampler,
  type BenchResult,
} from './lib.js';

export const name = 'intel-import';

const ALPHA = 'abcdefghijklmnopqrstuvwxyz0123456789';
const word = (r: () => number, n: number) =>
  Array.from({ length: n }, () => ALPHA[Math.floor(r() * ALPHA.length)]).join('');
const ip = (r: () => number) =>
  `${1 + Math.floor(r() * 222)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`;

async function writeLines(path: string, lines: Iterable<string>): Promise<number> {
  const out = createWriteStream(path);
  let buffer = '';
  for (const line of lines) {
    buffer += line;
    if (buffer.length >= 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  return statSync(path).size;
}

/** URLhaus `csv.txt` rows (quoted, LF), with the commented header; a few days' worth of dates. */
function* urlhausLines(n: number, r: () => number): Iterable<string> {
  yield `# abuse.ch URLhaus Database Dump (CSV)\n# ${URLHAUS_COLUMNS.join(',')}\n`;
  for (let i = 0; i < n; i++) {
    const host = i % 3 === 0 ? ip(r) : `${word(r, 8)}.example.${['com', 'net', 'org'][i % 3]}`;
    const url = `http://${host}${i % 5 === 0 ? ':8080' : ''}/${word(r, 6)}/${word(r, 10)}.${['doc', 'exe', 'dll'][i % 3]}`;
    const day = `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`;
    yield `"${i + 1}","${day} 10:00:00","${url}","online","${day} 12:00:00","malware_download","doc,emotet,epoch4","https://urlhaus.abuse.ch/url/${i + 1}/","bench"\n`;
  }
}

function* feodoLines(n: number, r: () => number): Iterable<string> {
  yield '# abuse.ch Feodo Tracker\n# first_seen_utc,dst_ip,dst_port,c2_status,last_online,malware\n';
  for (let i = 0; i < n; i++) {
    yield `2024-01-10 10:00:00,${ip(r)},${[8080, 7080, 443][i % 3]},online,2024-01-14,Emotet\n`;
  }
}

interface ImportLine {
  indicators: number;
  inserted: number;
  updated: number;
}

/** CPU seconds of each thread of this process so far, by thread id (Linux /proc; empty elsewhere). */
function threadCpu(): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // utime and stime, fields 14 and 15 of proc(5), in clock ticks (100 per second on Linux).
        out.set(Number(tid), (Number(fields[11]) + Number(fields[12])) / 100);
      } catch {
        // The thread ended between the listing and the read.
      }
    }
  } catch {
    // No /proc.
  }
  return out;
}

/**
 * Samples per-thread CPU during `work`: the main thread's (the store writes) and the busiest other
 * thread's (the feed worker parsing), so the critical path on two free cores shows on a loaded machine.
 */
async function withThreadCpu<T>(
  work: () => Promise<T>,
): Promise<{ value: T; mainCpu: number; workerCpu: number }> {
  const before = threadCpu();
  const last = new Map<number, number>();
  const sample = () => {
    for (const [tid, cpu] of threadCpu()) last.set(tid, cpu - (before.get(tid) ?? 0));
  };
  const timer = setInterval(sample, 50);
  try {
    const value = await work();
    sample();
    const mainCpu = last.get(process.pid) ?? 0;
    last.delete(process.pid);
    return { value, mainCpu, workerCpu: Math.max(0, ...last.values()) };
  } finally {
    clearInterval(timer);
  }
}

async function importFeed(
  feed: string,
  db: string,
): Promise<{ seconds: number; cpu: number; mainCpu: number; workerCpu: number; line: ImportLine }> {
  const { io, out, err } = fakeIO();
  const cpu0 = process.cpuUsage();
  const t = performance.now();
  const {
    value: code,
    mainCpu,
    workerCpu,
  } = await withThreadCpu(() => main(['intel', 'import', feed, '--json', '--db', db], io));
  const seconds = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (code !== 0)
    throw new Error(`intel import failed (${code}): ${(err() + out()).slice(0, 2000)}`);
  const line = JSON.parse(out().trim().split('\n').pop()!) as ImportLine;
  return { seconds, cpu: (cpu.user + cpu.system) / 1e6, mainCpu, workerCpu, line };
}

export async function run(): Promise<BenchResult> {
  const n = positiveIntEnv('BENCH_IOCS', 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-bench-intel-'));
  try {
    const feed = join(dir, 'csv.txt');
    const bytes = await writeLines(feed, urlhausLines(n, seededRandom(7)));
    const db = join(dir, 'intel.db');
    const sampler = startRssSampler();
    const first = await importFeed(feed, db);
    const peakRssMb = sampler.stop();
    if (first.line.inserted !== n)
      throw new Error(`expected ${n} new rows, got ${first.line.inserted}`);
    const again = await importFeed(feed, db);
    if (again.line.updated !== n)
      throw new Error(`expected ${n} updates, got ${again.line.updated}`);
    const feodo = join(dir, 'ipblocklist.csv');
    await writeLines(feodo, feodoLines(Math.ceil(n / 2), seededRandom(11)));
    const ips = await importFeed(feodo, join(dir, 'feodo.db'));
    const cpuText = (x: { cpu: number; mainCpu: number; workerCpu: number }) =>
      `${x.cpu.toFixed(2)} s CPU (main thread ${x.mainCpu.toFixed(2)} s, busiest other thread ${x.workerCpu.toFixed(2)} s)`;
    const rate = (x: { seconds: number; line: ImportLine }) =>
      Math.round(x.line.indicators / x.seconds).toLocaleString('en-US');
    return benchResult({
      name,
      items: n,
      bytes,
      seconds: first.seconds,
      peakRssMb,
      notes:
        `URLhaus CSV into an empty store: ${first.seconds.toFixed(2)} s wall, ${cpuText(first)}; ` +
        `again (all ${n} rows updated): ${again.seconds.toFixed(2)} s, ${rate(again)} indicators/s, ${cpuText(again)}; ` +
        `Feodo CSV, ${ips.line.indicators} indicators (ip + ip:port): ${ips.seconds.toFixed(2)} s, ${rate(ips)} indicators/s, ${cpuText(ips)}`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
