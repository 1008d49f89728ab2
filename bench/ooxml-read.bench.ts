/**
 * In-process throughput of reading OOXML packages the way the office, vba and xlm engines do:
 * `readOoxml` (content types, every .rels part, the VBA project) then `readOoxmlPart` for every other
 * part, over .docx (DDE field, remote template), .xlsx (DDE link) and .xlsm (macro sheet) files, each
 * unique. The notes give the same part reads through @zip.js/zip.js alone (the path every part took
 * before the synchronous reader), so the two can be compared on one machine at one moment.
 *
 * Env: BENCH_FILES=<n> sets the corpus size (default 3,000).
 */
import { Uint8ArrayReader, Uint8ArrayWriter, ZipReader } from '@zip.js/zip.js';
import { readOoxml, readOoxmlPart } from '../src/formats/ooxml/index.js';
import { emotetXlmSpec } from '../test/builders/biff.js';
import { buildDocx, buildXlsx, complexField } from '../test/builders/office.js';
import { buildXlsm } from '../test/builders/xlsm.js';
import {
  benchResult,
  measure,
  positiveIntEnv,
  timeSeconds,
  totalBytes,
  type BenchResult,
} from './lib.js';

export const name = 'ooxml-read';

const MAX_PART = 16 * 1024 * 1024;

function corpus(count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => {
    switch (i % 3) {
      case 0:
        return buildDocx({
          body: [complexField(['DDE', `AUTO cmd "/c echo ${i}"`])],
          template: `http://203.0.113.7/t${i}.dotm`,
        });
      case 1:
        return buildXlsx({
          ddeLinks: [{ service: 'cmd', topic: `/c echo ${i}` }],
          formulas: [`SUM(${i})`],
        });
      default: {
        const spec = emotetXlmSpec();
        return buildXlsm({
          ...spec,
          names: [...(spec.names ?? []), { name: `n${i}`, formula: '1' }],
        });
      }
    }
  });
}

async function readAll(bytes: Uint8Array): Promise<number> {
  const pkg = await readOoxml(bytes);
  let total = 0;
  for (const part of pkg.parts)
    total += (await readOoxmlPart(pkg, part.name, { maxBytes: MAX_PART })).length;
  return total;
}

async function readAllZipJs(bytes: Uint8Array): Promise<number> {
  const reader = new ZipReader(new Uint8ArrayReader(bytes), { useWebWorkers: false });
  let total = 0;
  for (const entry of await reader.getEntries()) {
    if (!entry.directory) total += (await entry.getData!(new Uint8ArrayWriter())).length;
  }
  return total;
}

export async function run(): Promise<BenchResult> {
  const count = positiveIntEnv('BENCH_FILES', 3000);
  const files = corpus(count);
  const bytes = totalBytes(files);
  for (const f of files.slice(0, 30)) await readAll(f); // warm-up
  const { seconds, peakRssMb } = await measure(async () => {
    for (const f of files) await readAll(f);
  });
  const zjSeconds = await timeSeconds(async () => {
    for (const f of files) await readAllZipJs(f);
  });
  return benchResult({
    name,
    items: count,
    bytes,
    seconds,
    peakRssMb,
    notes: `docx/xlsx/xlsm, every part read; zip.js alone on the same files: ${(count / zjSeconds).toFixed(0)} files/s`,
  });
}
