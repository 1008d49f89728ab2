/**
 * A raw memory image larger than maxFileSize through the streaming path (src/apps/scan-runner/large-file*:
 * YARA with the bundled rules in one worker over 32 MiB chunks overlapping by 1 MiB, the Emotet
 * configuration scan in another over 16 MiB chunks overlapping by 16 KiB, SHA-256 in the main thread),
 * against raw YARA-X over the same bytes (64 MiB reads, one scan each, no overlap, no C2 scan, no hash).
 * Target: ≥ 80 % of raw, peak RSS < 400 MB. CPU seconds of all threads are reported too: on a shared,
 * loaded machine wall time follows the load, and CPU time is what each path costs.
 *
 * The image is sparse, written to the temp folder and deleted afterwards: every 64 MiB stretch holds
 * 8 MiB of pseudo-random and text pages (so the scanners see real bytes, not only holes) with a planted
 * macro line and a TEST-NET C2 table. Env: BENCH_MEMIMG_MB=<n> (default 2048).
 */
import { createCipheriv } from 'node:crypto';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveLimits } from '../src/core/index.js';
import { loadYaraRules } from '../src/apps/yara-backend/index.js';
import { scanLargeFile, scanLargeInput } from '../src/apps/scan-runner/index.js';
import { YARA_EXTERNALS } from '../src/engines/yara/index.js';
import { buildC2Table, testNetC2 } from '../test/builders/emotet-config.js';
import { benchResult, MB, startRssSampler, type BenchResult } from './lib.js';

export const name = 'memory-image';

const STRETCH = 64 * MB;
const FILLED = 8 * MB;
const MACRO =
  'Set p = GetObject("winmgmts:Win32_Process")\r\n' +
  'p.Create "powershell -nop -enc VwByAGkAdABlAC0ASABvAHMAdAAgAGgAaQA=", Null, Null, pid\r\n';
const TEXT =
  'Dear customer, please find the invoice attached. https://www.example.com/a GetProcAddress\r\n';

function sizeBytes(): number {
  const raw = process.env.BENCH_MEMIMG_MB;
  const mb = raw ? Number(raw) : 2048;
  if (!Number.isInteger(mb) || mb < 128)
    throw new Error(`BENCH_MEMIMG_MB must be ≥ 128, got '${raw}'`);
  return mb * MB;
}

function writeImage(path: string, size: number): void {
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, size);
    const cipher = createCipheriv('aes-256-ctr', Buffer.alloc(32, 7), Buffer.alloc(16, 1));
    const block = Buffer.alloc(FILLED);
    const text = Buffer.from(TEXT.repeat(Math.ceil(FILLED / 2 / TEXT.length))).subarray(
      0,
      FILLED / 2,
    );
    for (let at = 0; at < size; at += STRETCH) {
      cipher.update(Buffer.alloc(FILLED / 2)).copy(block, 0);
      text.copy(block, FILLED / 2);
      if ((at / STRETCH) % 8 === 0) {
        Buffer.from(MACRO).copy(block, 1000);
        Buffer.from(buildC2Table(testNetC2(8))).copy(block, 5000);
      }
      writeSync(fd, block, 0, Math.min(FILLED, size - at), at + STRETCH / 2);
    }
  } finally {
    closeSync(fd);
  }
}

async function rawYaraX(
  path: string,
  size: number,
): Promise<{ seconds: number; cpu: number; matches: number }> {
  const { scanner } = loadYaraRules({ env: process.env });
  const handle = await open(path, 'r');
  const buffer = new Uint8Array(STRETCH);
  let matches = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  try {
    for (let at = 0; at < size; at += STRETCH) {
      const { bytesRead } = await handle.read(buffer, 0, STRETCH, at);
      matches += scanner.scan(buffer.subarray(0, bytesRead), { ...YARA_EXTERNALS }).length;
    }
  } finally {
    await handle.close();
  }
  return {
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    cpu: cpuSeconds(cpu),
    matches,
  };
}

/** The streaming chunk loop with YARA alone, in this thread: the binding and overlap overhead. */
async function yaraOnlyStreaming(path: string): Promise<number> {
  const { scanner } = loadYaraRules({ env: process.env });
  const started = process.hrtime.bigint();
  await scanLargeFile({
    path,
    type: 'memory-image',
    limits: resolveLimits(),
    deadline: Date.now() + 3_600_000,
    scanner,
    detectors: 'yara',
  });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** CPU seconds of this process (all its threads: the workers too) since `from`. */
function cpuSeconds(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
}

export async function run(): Promise<BenchResult> {
  const size = sizeBytes();
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-bench-memimg-'));
  const path = join(dir, 'host.raw');
  try {
    writeImage(path, size);
    loadYaraRules({ env: process.env }); // fill the compiled-rules cache outside the measurement
    const rss = startRssSampler();
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const result = await scanLargeInput(
      path,
      { type: 'memory-image', size },
      { limits: resolveLimits(), yara: [], allowDocumentationRanges: true },
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const fullCpu = cpuSeconds(cpu);
    // Peak RSS is the full path's: the in-process comparisons below run after it is read.
    const peakRssMb = rss.stop();
    const raw = await rawYaraX(path, size);
    const yaraOnly = await yaraOnlyStreaming(path);
    const ids = [...new Set(result.findings.map((f) => f.id))].join(', ');
    const rawMbs = size / MB / raw.seconds;
    const oursMbs = size / MB / seconds;
    const yaraMbs = size / MB / yaraOnly;
    return benchResult({
      name,
      items: 1,
      bytes: size,
      seconds,
      peakRssMb,
      notes:
        `${(size / MB).toFixed(0)} MiB image: raw YARA-X ${rawMbs.toFixed(0)} MB/s; streaming YARA ` +
        `only ${yaraMbs.toFixed(0)} MB/s (${((yaraMbs / rawMbs) * 100).toFixed(0)} %); full path ` +
        `(YARA ‖ C2 tables, SHA-256) ${oursMbs.toFixed(0)} MB/s (${((oursMbs / rawMbs) * 100).toFixed(0)} %); ` +
        `CPU seconds (all threads): raw YARA-X ${raw.cpu.toFixed(1)}, full path ${fullCpu.toFixed(1)}; ` +
        `findings: ${ids}; ` +
        `verdict ${result.verdict}`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
