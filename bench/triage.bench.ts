/**
 * Host triage throughput: `triageInput` (parse + EmoCheck v1–v5 + emoguard's checks) in process on one
 * core, then `emoguard triage --json --no-store DIR` (worker threads on all cores) over a folder of small
 * snapshots (the builders' clean host, ~10 KB) and one of snapshots the size collect.ps1 writes for a real
 * workstation — 180 processes, 280 services, 180 tasks, 40 Run/Explorer values, 3,000 files and folders,
 * 3,500 System32 names, 800 known folders (~0.8 MB of compact JSON each) — one in ten infected with one
 * Emotet generation. The target is 10,000 snapshots a minute. Reports snapshots/s, MB/s and peak RSS of
 * the in-process run; the notes give /min of wall and of CPU time for each run (on a shared machine wall
 * time counts other processes' load too).
 *
 * Env: BENCH_SNAPSHOTS=<n> in process (default 3,000), BENCH_CLI_SNAPSHOTS=<n> per CLI folder (default
 * 1,000; 0 skips the CLI runs), BENCH_EMOGUARD=<launcher> (default bin/emoguard, which runs dist/: build
 * first; a .mjs/.js file is run with this node).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { triageInput } from '../src/engines/triage/index.js';
import {
  buildCleanSnapshot,
  dir,
  file,
  LOCAL,
  proc,
  withEmotetV1,
  withEmotetV2,
  withEmotetV3,
  withEmotetV4,
  withEmotetV5,
  type SnapshotSpec,
} from '../test/builders/host-snapshot.js';
import {
  benchResult,
  MB,
  REPO_ROOT,
  seededRandom,
  measure,
  positiveIntEnv,
  totalBytes,
  emoguardLauncher,
  type BenchResult,
} from './lib.js';

export const name = 'triage';

const DEFAULT_SNAPSHOTS = 3_000;
const DISTINCT = 40;
const TRAITS = [withEmotetV1, withEmotetV2, withEmotetV3, withEmotetV4, withEmotetV5];

function word(random: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(97 + Math.floor(random() * 26));
  return s;
}

/** A workstation-sized snapshot: the clean base padded with plausible processes, services, tasks and files. */
export function workstation(index: number, random: () => number): SnapshotSpec {
  const base = buildCleanSnapshot({
    hostname: `WS-${String(index).padStart(5, '0')}`,
    volumeSerial: Math.floor(random() * 0xffffffff)
      .toString(16)
      .toUpperCase(),
  });
  const vendors = Array.from({ length: 60 }, () => word(random, 6 + Math.floor(random() * 6)));
  const processes = Array.from({ length: 170 }, (_, i) =>
    proc(
      10_000 + i,
      `${vendors[i % 60]}.exe`,
      `C:\\Program Files\\${vendors[i % 60]}\\${vendors[i % 60]}.exe`,
      3100,
      `"C:\\Program Files\\${vendors[i % 60]}\\${vendors[i % 60]}.exe" --type=renderer --id=${i}`,
    ),
  );
  const services = Array.from({ length: 278 }, (_, i) => ({
    name: `Svc${i}`,
    displayName: `Service ${i}`,
    binaryPath:
      i % 3 === 0
        ? `C:\\Windows\\system32\\svchost.exe -k netsvcs -p`
        : `"C:\\Program Files\\${vendors[i % 60]}\\svc.exe"`,
    startType: 'Auto',
    state: 'Running',
  }));
  const tasks = Array.from({ length: 178 }, (_, i) => ({
    name: `\\Microsoft\\Windows\\Task${i}`,
    command: `%windir%\\system32\\${vendors[i % 60]}.exe`,
    arguments: `/run ${i}`,
    enabled: true,
  }));
  const files = [];
  for (let d = 0; d < 150; d++) {
    const folder = `${LOCAL}\\${vendors[d % 60]}${d}`;
    files.push(dir(folder, '2024-04-01T00:00:00.0000000Z'));
    for (let f = 0; f < 18; f++) {
      files.push(
        file(`${folder}\\${word(random, 8)}.${f % 2 ? 'dll' : 'json'}`, {
          size: 1000 + f,
          mtime: '2024-03-01T00:00:00.0000000Z',
          ctime: '2024-03-01T00:00:00.0000000Z',
          isPe: f % 2 === 1,
        }),
      );
    }
  }
  for (let d = 0; d < 100; d++)
    files.push(dir(`C:\\Windows\\SysWOW64\\${word(random, 7)}`, '2023-01-01T00:00:00Z'));
  return {
    ...base,
    processes: [...base.processes, ...processes],
    registry: [
      ...base.registry,
      ...Array.from({ length: 36 }, (_, i) => ({
        key: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run',
        name: `App${i}`,
        type: 'REG_SZ',
        data: `"C:\\Program Files\\${vendors[i % 60]}\\tray.exe" /min`,
      })),
    ],
    services: [...base.services, ...services],
    scheduledTasks: [...base.scheduledTasks, ...tasks],
    files: [...base.files, ...files],
    system32: [
      ...base.system32,
      ...Array.from({ length: 3500 }, () => ({ name: `${word(random, 8)}.dll`, size: 40_000 })),
    ],
    knownFolders: [...base.knownFolders, ...Array.from({ length: 800 }, () => word(random, 9))],
  };
}

interface CliRun {
  label: string;
  count: number;
  mb: number;
  wall: number;
  cpu: number;
  rssMb: number;
}

/** `emoguard triage --json --no-store DIR` under GNU time: wall, user+sys CPU and peak RSS. */
function runCli(label: string, snapshots: readonly Uint8Array[], count: number): CliRun {
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-bench-triage-'));
  try {
    let bytes = 0;
    for (let i = 0; i < count; i++) {
      const input = snapshots[i % snapshots.length]!;
      writeFileSync(join(dir, `ws-${String(i).padStart(6, '0')}.json`), input);
      bytes += input.length;
    }
    const launcher = emoguardLauncher();
    const command = /\.m?js$/.test(launcher) ? [process.execPath, launcher] : [launcher];
    const timeFile = join(dir, 'time.txt');
    const r = spawnSync(
      '/usr/bin/time',
      ['-f', '%e %U %S %M', '-o', timeFile, ...command, 'triage', '--json', '--no-store', dir],
      { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 20 },
    );
    if (r.status !== 0 && r.status !== 1) {
      throw new Error(`emoguard triage failed (${r.status}): ${String(r.stderr).slice(-2000)}`);
    }
    const [wall, user, sys, rssKb] = readFileSync(timeFile, 'utf8')
      .trim()
      .split('\n')
      .at(-1)! // after "Command exited with non-zero status 1" (Emotet found: exit 1)
      .split(/\s+/)
      .map(Number);
    return {
      label,
      count,
      mb: bytes / MB,
      wall: wall!,
      cpu: user! + sys!,
      rssMb: rssKb! / 1024,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function cliNote(r: CliRun): string {
  const perMin = (n: number) => Math.round((r.count / n) * 60).toLocaleString('en-US');
  return (
    `CLI ${r.label} (${(r.mb / r.count).toFixed(3)} MB each, ${r.count}): ${perMin(r.wall)}/min wall, ` +
    `${perMin(r.cpu)} per CPU-minute, ${(r.mb / r.wall).toFixed(1)} MB/s, peak RSS ${Math.round(r.rssMb)} MiB`
  );
}

export async function run(): Promise<BenchResult> {
  const count = positiveIntEnv('BENCH_SNAPSHOTS', DEFAULT_SNAPSHOTS);
  const random = seededRandom(0x7a1a);
  const pool = Array.from({ length: DISTINCT }, (_, i) => {
    const spec = workstation(i, random);
    // collect.ps1 writes compact JSON (ConvertTo-Json -Compress).
    return new TextEncoder().encode(
      JSON.stringify(i % 10 === 0 ? TRAITS[(i / 10) % TRAITS.length]!(spec) : spec),
    );
  });
  let bytes = 0;
  let infected = 0;
  let findings = 0;
  const { seconds, cpuSeconds, peakRssMb } = await measure(async () => {
    for (let i = 0; i < count; i++) {
      const input = pool[i % DISTINCT]!;
      const { reports } = await triageInput(input);
      bytes += input.length;
      for (const report of reports) {
        if (report.isInfected) infected++;
        findings += JSON.stringify(report.findings).length > 0 ? report.findings.length : 0;
      }
    }
  });
  const cliCount = Number(process.env.BENCH_CLI_SNAPSHOTS ?? 1_000);
  const cli: CliRun[] = [];
  if (cliCount > 0) {
    const small = Array.from({ length: DISTINCT }, (_, i) => {
      const spec = buildCleanSnapshot({ hostname: `PC-${String(i).padStart(5, '0')}` });
      return new TextEncoder().encode(
        JSON.stringify(i % 10 === 0 ? TRAITS[(i / 10) % TRAITS.length]!(spec) : spec),
      );
    });
    cli.push(runCli('small', small, cliCount), runCli('workstation', pool, cliCount));
  }
  const perMinute = (count / seconds) * 60;
  // On a shared machine wall time counts other processes' load too; CPU time is this process's own work
  // (main thread plus V8's GC helpers).
  const perCpuMinute = (count / cpuSeconds) * 60;
  return benchResult({
    name,
    items: count,
    bytes,
    seconds,
    peakRssMb,
    notes:
      `${Math.round(perMinute).toLocaleString('en-US')} snapshots/min wall, ` +
      `${Math.round(perCpuMinute).toLocaleString('en-US')} per CPU-minute (target 10,000/min); ` +
      `${(totalBytes(pool) / DISTINCT / MB).toFixed(2)} MB per snapshot; ` +
      `${infected} infected, ${findings} findings (in process, one core); ` +
      `${availableParallelism()} cores; ${cli.map(cliNote).join('; ')}`,
  });
}
