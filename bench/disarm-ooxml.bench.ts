/**
 * Throughput of the OOXML disarmer (`disarmOoxml`, in process) over a mixed OOXML corpus, the shape of
 * a gateway's attachment stream: a .docm with VBA, a remote template, OLE and ActiveX objects, DDE and
 * INCLUDE fields, a frame and a subdocument; an .xlsm with VBA, a macro sheet, Auto_Open, a DDE link
 * and formula, OLE and controls; a .pptm with VBA, an OLE frame and a control; an Emotet-style .xlsb;
 * a clean .docx (unchanged). One file in ten also carries a 2 MiB image (stored, copied untouched) and
 * one in twenty a 20,000-row worksheet (~1.5 MiB of XML walked and rewritten). `BENCH_FILES` files
 * (default 2,000), each made unique. Measures files/s, MB/s (input bytes) and peak RSS; every output
 * is checked disarmed or unchanged.
 */
import { DEFAULT_LIMITS } from '../src/core/index.js';
import { disarmOoxml } from '../src/engines/disarm/ooxml.js';
import { patternBytes } from '../test/builders/cfb.js';
import { emotetXlmSpec } from '../test/builders/biff.js';
import {
  buildActiveDocm,
  buildActivePptm,
  buildActiveXlsm,
  packageMembers,
} from '../test/builders/ooxml-active.js';
import { buildXlsb } from '../test/builders/xlsm.js';
import { buildZip, type RawMember } from '../test/builders/zip.js';
import {
  benchResult,
  disarmEach,
  measure,
  perCoreNote,
  positiveIntEnv,
  totalBytes,
  type BenchResult,
} from './lib.js';

export const name = 'disarm-ooxml';

function bigSheet(rows: number): string {
  const body = Array.from(
    { length: rows },
    (_, r) =>
      `<row r="${r + 1}"><c r="A${r + 1}" t="inlineStr"><is><t>item ${r}</t></is></c><c r="B${r + 1}"><v>${r * 3}</v></c><c r="C${r + 1}"><f>B${r + 1}*2</f><v>${r * 6}</v></c></row>`,
  ).join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`;
}

/** A unique copy: a part named after the file index, plus the big extras for some files. */
function unique(members: RawMember[], i: number, sheet: string): Uint8Array {
  const extra: RawMember[] = [{ name: `docProps/bench${i}.xml`, data: `<bench n="${i}"/>` }];
  if (i % 10 === 9)
    extra.push({ name: 'media/image1.png', data: patternBytes(2 << 20, i), method: 'store' });
  if (i % 20 === 19 && members.some((m) => m.name === 'xl/worksheets/sheet2.xml')) {
    return buildZip([
      ...members.filter((m) => m.name !== 'xl/worksheets/sheet2.xml'),
      { name: 'xl/worksheets/sheet2.xml', data: sheet },
      ...extra,
    ]);
  }
  return buildZip([...members, ...extra]);
}

export async function run(): Promise<BenchResult> {
  const count = positiveIntEnv('BENCH_FILES', 2000);
  const templates = [
    buildActiveDocm(),
    buildActiveXlsm(),
    buildActivePptm(),
    buildXlsb(emotetXlmSpec()),
    buildActiveDocm({
      without: ['vba', 'template', 'ole', 'activex', 'dde', 'include', 'frame', 'subdoc'],
      mainType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
    }),
  ].map(packageMembers);
  const sheet = bigSheet(20_000);
  // The big worksheet goes into the .xlsm template (index 1), so files 19, 39 … are .xlsm.
  const inputs = Array.from({ length: count }, (_, i) =>
    unique(templates[i % 20 === 19 ? 1 : i % templates.length]!, i, sheet),
  );
  const bytes = totalBytes(inputs);
  const {
    value: outcomes,
    seconds,
    cpuSeconds,
    peakRssMb,
  } = await measure(() =>
    disarmEach(inputs, (input) => disarmOoxml(input, { limits: DEFAULT_LIMITS })),
  );
  return benchResult({
    name,
    items: count,
    bytes,
    seconds,
    peakRssMb,
    // CPU time too: on a shared machine wall time measures the neighbours as much as the disarmer.
    notes: `${outcomes}; ${perCoreNote(count, bytes, cpuSeconds)}`,
  });
}
