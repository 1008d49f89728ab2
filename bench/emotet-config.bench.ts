/**
 * The Emotet configuration scan (engines/emotet-config: plain C2 tables by shape, XOR-encrypted lists
 * and key blobs, keys beside a table) as the streaming path runs it: `scanConfigChunk` over 64 MiB
 * chunks of (a) random bytes, (b) zero pages with one random page in 16 (a sparse memory image),
 * (c) the system's binaries from /usr/bin concatenated (code, data, relocations; random bytes when
 * /usr/bin is not readable), each with a TEST-NET C2 table, an XOR-encrypted list and an ECK1 key
 * blob planted so the found path and the key search are paid too. Target: ≥ 1 GB/s on one core.
 *
 * Reported per set: MB/s of wall time and of this process's CPU time (the bench machine is shared:
 * CPU time is what the scan costs, wall time what it took). For the record, the engine before issue
 * 6's rework (byte-wise probe windows, DataView XOR scan, no prefilters, keys over the whole buffer)
 * measured 444 / 708 / 477 MB/s of CPU time on (a) / (b) / (c) on the same machine; after it (one
 * Int32Array pass for both scans, keys within 1 MiB of a table) 1,540 / 2,560 / 1,778.
 *
 * Env: BENCH_C2_MB=<n> per set (default 64), BENCH_C2_ROUNDS=<n> (default 3, best kept).
 */
import { createCipheriv } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { scanConfigChunk } from '../src/engines/emotet-config/index.js';
import {
  buildC2Table,
  buildEccKeyBlob,
  buildEncryptedC2List,
  buildXorBlob,
  testNetC2,
} from '../test/builders/emotet-config.js';
import { benchResult, MB, startRssSampler, type BenchResult } from './lib.js';

export const name = 'emotet-config';

function setBytes(): number {
  const raw = process.env.BENCH_C2_MB;
  const mb = raw ? Number(raw) : 64;
  if (!Number.isInteger(mb) || mb < 1) throw new Error(`BENCH_C2_MB must be ≥ 1, got '${raw}'`);
  return mb * MB;
}

function fillRandom(target: Uint8Array, seed: number): void {
  const cipher = createCipheriv('aes-256-ctr', Buffer.alloc(32, seed), Buffer.alloc(16, 1));
  const zeros = Buffer.alloc(MB);
  for (let at = 0; at < target.length; at += MB)
    target.set(cipher.update(zeros.subarray(0, Math.min(MB, target.length - at))), at);
}

function randomSet(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  fillRandom(bytes, 1);
  return bytes;
}

function sparseSet(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  const page = new Uint8Array(4096);
  for (let at = 0; at < size; at += 16 * 4096) {
    fillRandom(page, (at >> 16) & 0xff);
    bytes.set(page.subarray(0, Math.min(4096, size - at)), at);
  }
  return bytes;
}

function binariesSet(size: number): { bytes: Uint8Array; note: string } {
  const bytes = new Uint8Array(size);
  let at = 0;
  let files = 0;
  try {
    for (const file of readdirSync('/usr/bin').sort()) {
      if (at >= size) break;
      const path = join('/usr/bin', file);
      try {
        if (!statSync(path).isFile()) continue;
        const data = readFileSync(path);
        const n = Math.min(data.length, size - at);
        bytes.set(data.subarray(0, n), at);
        at += n;
        files++;
      } catch {
        continue; // unreadable entry: the next one
      }
    }
  } catch {
    // no /usr/bin: random bytes below
  }
  if (at < size) fillRandom(bytes.subarray(at), 3);
  return { bytes, note: `${files} files from /usr/bin` };
}

/** What a found configuration looks like: the scan then also decodes it and looks for keys. */
function plant(bytes: Uint8Array): void {
  const at = Math.floor(bytes.length / 2) & ~7;
  bytes.set(buildC2Table(testNetC2(12)), at);
  bytes.set(buildEncryptedC2List(testNetC2(10), 0x5c3a91e7), at + 4096);
  bytes.set(buildXorBlob(buildEccKeyBlob('ECK1', 10), 0x11223344), at + 8192);
}

const CHUNK = 64 * MB;

function scanAll(bytes: Uint8Array): number {
  let tables = 0;
  const step = CHUNK - 16 * 1024;
  for (let base = 0; base < bytes.length; base += step) {
    const isLast = base + CHUNK >= bytes.length;
    const finds = scanConfigChunk(
      bytes.subarray(base, Math.min(bytes.length, base + CHUNK)),
      { base, hasPrevious: base > 0, ...(isLast ? {} : { next: step }) },
      { allowDocumentationRanges: true },
    );
    tables += finds.tables.length;
    if (isLast) break;
  }
  return tables;
}

export async function run(): Promise<BenchResult> {
  const size = setBytes();
  const rounds = Math.max(1, Number(process.env.BENCH_C2_ROUNDS ?? 3));
  const bins = binariesSet(size);
  const sets: [string, Uint8Array][] = [
    ['random', randomSet(size)],
    ['sparse', sparseSet(size)],
    ['binaries', bins.bytes],
  ];
  for (const [, bytes] of sets) plant(bytes);
  const rss = startRssSampler();
  const notes: string[] = [];
  let wallTotal = 0;
  for (const [label, bytes] of sets) {
    let wall = Infinity;
    let cpu = Infinity;
    let tables = 0;
    for (let r = 0; r < rounds; r++) {
      const cpuStart = process.cpuUsage();
      const started = process.hrtime.bigint();
      tables = scanAll(bytes);
      wall = Math.min(wall, Number(process.hrtime.bigint() - started) / 1e9);
      const used = process.cpuUsage(cpuStart);
      cpu = Math.min(cpu, (used.user + used.system) / 1e6);
    }
    wallTotal += wall;
    const mb = bytes.length / MB;
    notes.push(
      `${label} ${(mb / wall).toFixed(0)} MB/s wall, ${(mb / cpu).toFixed(0)} MB/s CPU (${tables} tables)`,
    );
  }
  return benchResult({
    name,
    items: sets.length,
    bytes: sets.length * size,
    seconds: wallTotal,
    peakRssMb: rss.stop(),
    notes: `${notes.join('; ')}; ${bins.note}`,
  });
}
