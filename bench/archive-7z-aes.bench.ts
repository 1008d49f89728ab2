/**
 * 7z AES: how long opening an encrypted 7z takes when the mail gives N wrong candidate passwords before
 * the right one. The archive is the shape `7z a -p -mhe=on` writes (7-Zip's default 2^19 SHA-256 rounds
 * per key), 4 MiB of text in one folder, built in code (Copy + AES; 7-Zip compresses with LZMA2 first).
 * Each candidate costs one key derivation plus a decrypt and CRC check of the header; the right one also
 * decrypts the folder. Reports candidates/s and the folder's MB/s, and peak RSS.
 *
 * Env: BENCH_WRONG=<n> wrong candidates (default 10).
 */
import { parseSevenZip, readSevenZipFolder } from '../src/formats/sevenzip/index.js';
import { buildEncryptedSevenZip } from '../test/builders/sevenzip.js';
import { benchResult, MB, startRssSampler, type BenchResult } from './lib.js';

export const name = 'archive-7z-aes';

const CYCLES = 19;

export async function run(): Promise<BenchResult> {
  const wrong = Number(process.env.BENCH_WRONG ?? 10);
  const data = new TextEncoder().encode(
    'Invoice line, amount due 1,234 JPY\n'.repeat((4 * MB) / 35),
  );
  const bytes = buildEncryptedSevenZip({
    files: [{ name: 'invoice.txt', data }],
    password: 'right-one',
    encryptHeader: true,
    cyclesPower: CYCLES,
    salt: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8),
  });
  const passwords = [...Array.from({ length: wrong }, (_, i) => `wrong-${i}`), 'right-one'];
  const rss = startRssSampler();
  const t0 = performance.now();
  const archive = parseSevenZip(bytes, { passwords });
  const t1 = performance.now();
  const out = readSevenZipFolder(bytes, archive, 0, { passwords, maxOutput: 64 * MB });
  const t2 = performance.now();
  const peakRssMb = rss.stop();
  if (archive.password !== 'right-one' || out.length !== data.length)
    throw new Error('the archive did not open');
  const seconds = (t2 - t0) / 1000;
  return benchResult({
    name,
    items: passwords.length,
    bytes: out.length,
    seconds,
    peakRssMb,
    notes:
      `2^${CYCLES} rounds/key; header opened after ${wrong} wrong candidates in ` +
      `${(t1 - t0).toFixed(0)} ms (${((t1 - t0) / passwords.length).toFixed(1)} ms/candidate); ` +
      `folder (key cached) ${(t2 - t1).toFixed(0)} ms for ${(out.length / MB).toFixed(1)} MiB`,
  });
}
