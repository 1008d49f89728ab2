/**
 * Throughput of `emoguard scan` over many small files, the shape of a mail spool or a file share sweep:
 * 10,000 files of 200 B – 4 KiB (inert VBA macro text with AutoOpen + Shell, plain text, random bytes),
 * scanned by the real CLI as a child process. Measures files/s, MB/s and the CLI's peak RSS.
 *
 * Env: BENCH_FILES=<n> for a quicker run; BENCH_EMOGUARD=<path> to benchmark another launcher.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchResult, runScanChild, seededRandom, type BenchResult } from './lib.js';

export const name = 'scan-small-files';

const DEFAULT_FILES = 10_000;
const MIN_SIZE = 200;
const MAX_SIZE = 4096;
const SEED = 0x5eed;
const WORDS = (
  'invoice order shipment meeting agenda quarterly report budget review payment reminder contract ' +
  'attached please find below regards thanks schedule delivery update customer account summary'
).split(' ');

type Kind = 'macro' | 'text' | 'random';

function fileCount(): number {
  const raw = process.env.BENCH_FILES;
  if (raw === undefined || raw === '') return DEFAULT_FILES;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`BENCH_FILES must be a positive integer, got '${raw}'`);
  return n;
}

function padTo(head: string, size: number, line: (i: number) => string): string {
  let text = head;
  for (let i = 0; text.length < size; i++) text += line(i);
  return text.slice(0, size);
}

/** Inert macro source: the AutoOpen + Shell shape heuristics look for, running only `echo`. */
function macroText(index: number, size: number): string {
  const head =
    `Attribute VB_Name = "Module${index}"\r\n` +
    'Sub AutoOpen()\r\n' +
    '    Dim cmd As String\r\n' +
    `    cmd = "cmd.exe /c echo emoguard-benchmark-" & "${index}"\r\n` +
    '    Shell cmd, vbHide\r\n' +
    'End Sub\r\n';
  return padTo(
    head,
    size,
    (i) => `' benchmark padding line ${i}, see https://example.com/bench/${index}\r\n`,
  );
}

function plainText(random: () => number, size: number): string {
  const word = (): string => WORDS[Math.floor(random() * WORDS.length)]!;
  return padTo('Hello,\n\n', size, () => `${word()} ${word()} ${word()} ${word()} ${word()}.\n`);
}

function randomBytes(random: () => number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

/** Writes `count` files to `dir`; returns total bytes and how many of each kind. */
function generate(dir: string, count: number): { bytes: number; kinds: Record<Kind, number> } {
  const random = seededRandom(SEED);
  const kinds: Record<Kind, number> = { macro: 0, text: 0, random: 0 };
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const size = MIN_SIZE + Math.floor(random() * (MAX_SIZE - MIN_SIZE + 1));
    const kind: Kind = i % 3 === 0 ? 'macro' : i % 3 === 1 ? 'text' : 'random';
    const body =
      kind === 'macro'
        ? Buffer.from(macroText(i, size), 'latin1')
        : kind === 'text'
          ? Buffer.from(plainText(random, size), 'latin1')
          : randomBytes(random, size);
    const ext = kind === 'macro' ? 'bas' : kind === 'text' ? 'txt' : 'bin';
    writeFileSync(join(dir, `f${String(i).padStart(6, '0')}.${ext}`), body);
    bytes += body.length;
    kinds[kind]++;
  }
  return { bytes, kinds };
}

export async function run(): Promise<BenchResult> {
  const count = fileCount();
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-bench-scan-'));
  try {
    const { bytes, kinds } = generate(dir, count);
    const child = await runScanChild(['--no-store', '--json', dir]);
    const notes = [
      `exit ${child.exitCode}`,
      `${child.stdoutBytes.toLocaleString('en-US')} B of JSON`,
      `files macro/text/random ${kinds.macro}/${kinds.text}/${kinds.random}`,
      `peak RSS via ${child.peakRssSource}`,
    ].join('; ');
    return benchResult({
      name,
      items: count,
      bytes,
      seconds: child.seconds,
      peakRssMb: child.peakRssMb ?? Number.NaN,
      notes,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
