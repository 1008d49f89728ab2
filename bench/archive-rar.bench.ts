/**
 * RAR through the container engine (unrar 6.1.7 in WASM via node-unrar-js): a RAR5 archive of 16 stored
 * members of 2 MiB, plain and AES-encrypted (PBKDF2 2^15 as WinRAR writes it, the password among 5 wrong
 * candidates), extracted as children under the default limits. Stored members only: no free tool writes
 * compressed RAR, so the decompression speed of unrar's LZ is not measured here. MB/s and peak RSS.
 *
 * Env: BENCH_MEMBERS=<n> (default 16).
 */
import { HINT_ARCHIVE_PASSWORDS } from '../src/core/index.js';
import { containerEngine } from '../src/engines/container/index.js';
import { buildRar5 } from '../test/builders/rar.js';
import { makeContext } from '../test/support/engine-context.js';
import { benchResult, MB, startRssSampler, type BenchResult } from './lib.js';

export const name = 'archive-rar';

export async function run(): Promise<BenchResult> {
  const count = Number(process.env.BENCH_MEMBERS ?? 16);
  const member = (i: number) =>
    Uint8Array.from({ length: 2 * MB }, (_, j) => (j * 31 + i * 7 + (j >>> 9)) & 0xff);
  const plain = buildRar5(
    Array.from({ length: count }, (_, i) => ({ name: `m${i}.bin`, data: member(i) })),
  );
  const locked = buildRar5(
    Array.from({ length: count }, (_, i) => ({
      name: `m${i}.bin`,
      data: member(i),
      password: 'pw',
    })),
    { kdfCount: 15 },
  );
  const rss = startRssSampler();
  const timed = async (bytes: Uint8Array, passwords: string[]) => {
    const ctx = makeContext(bytes, { name: 'bench.rar' });
    ctx.memo(HINT_ARCHIVE_PASSWORDS, () => passwords);
    const t = performance.now();
    const out = await containerEngine.analyze(ctx);
    const ms = performance.now() - t;
    const got = (out.children ?? []).reduce((n, c) => n + c.bytes.length, 0);
    if (got !== count * 2 * MB) throw new Error(`extracted ${got} bytes`);
    return ms;
  };
  const plainMs = await timed(plain, []);
  const lockedMs = await timed(locked, ['a', 'b', 'c', 'd', 'e', 'pw']);
  const peakRssMb = rss.stop();
  const total = count * 2 * MB;
  return benchResult({
    name,
    items: 2 * count,
    bytes: 2 * total,
    seconds: (plainMs + lockedMs) / 1000,
    peakRssMb,
    notes:
      `stored: ${(total / MB / (plainMs / 1000)).toFixed(0)} MB/s; ` +
      `AES-256 stored, 5 wrong candidates first: ${(total / MB / (lockedMs / 1000)).toFixed(0)} MB/s ` +
      `(${lockedMs.toFixed(0)} ms)`,
  });
}
