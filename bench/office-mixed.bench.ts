/**
 * Whole-process throughput of `emoguard scan --no-store --json DIR` over a mixed corpus of small Office
 * files, the figure issue 3 compares with olevba (~200 files/s in one process): .doc with a WMI macro,
 * a DDEAUTO field and a package object; .xls with an Excel 4.0 Auto_Open sheet and a VBA project; .ppt
 * with an ExOleObjStg project; .docm / .xlsm / .pptm with vbaProject.bin, remote template, DDE, OLE and
 * ActiveX parts; .xlsb with an XLM macro sheet; RTF with a package object and a DDE field; a .docx with
 * a remote template and an .xlsx with a DDE link — 10 kinds in turn, `BENCH_FILES` files (default 5,000).
 * Each kind is built once by the test builders and written under many names: the pipeline keeps no
 * cache by content, so a repeated file costs what a new one does. Measures files/s, MB/s and peak RSS of
 * the CLI as a child process; `BENCH_STORE=1` scans into a scratch store instead of `--no-store`.
 *
 * Env: BENCH_FILES=<n>; BENCH_EMOGUARD=<launcher>; BENCH_STORE=1; BENCH_KEEP=<dir> writes the corpus
 * there and keeps it (for profiling or a peer tool such as olevba on the same files).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emotetXlmSpec } from '../test/builders/biff.js';
import { buildActiveDoc, buildActivePpt, buildActiveXls } from '../test/builders/ole-active.js';
import {
  buildActiveDocm,
  buildActivePptm,
  buildActiveXlsm,
} from '../test/builders/ooxml-active.js';
import { buildOle1Object, buildPackageNative } from '../test/builders/oleobj.js';
import { buildDocx, buildXlsx, complexField } from '../test/builders/office.js';
import { buildRtf } from '../test/builders/rtf.js';
import { buildXlsb } from '../test/builders/xlsm.js';
import { benchResult, positiveIntEnv, runScanChild, type BenchResult } from './lib.js';

export const name = 'office-mixed';

const enc = (s: string) => new TextEncoder().encode(s);

function kinds(): { ext: string; bytes: Uint8Array }[] {
  const rtf = buildRtf({
    body: 'emoguard-bench',
    objects: [
      {
        objclass: 'Package',
        data: buildOle1Object({
          className: 'Package',
          nativeData: buildPackageNative({
            fileName: 'a.vbs',
            sourcePath: 'C:\\u\\a.vbs',
            tempPath: 'C:\\t\\a.vbs',
            data: enc('WScript.Echo "emoguard-bench"'),
          }),
        }),
      },
    ],
    fields: ['DDEAUTO cmd "/c echo emoguard-bench"'],
  });
  return [
    { ext: 'doc', bytes: buildActiveDoc({ hasMacro: true, hasDde: true, hasObject: true }) },
    { ext: 'xls', bytes: buildActiveXls({ hasXlm: true, hasMacro: true }) },
    { ext: 'ppt', bytes: buildActivePpt() },
    { ext: 'docm', bytes: buildActiveDocm() },
    { ext: 'xlsm', bytes: buildActiveXlsm() },
    { ext: 'pptm', bytes: buildActivePptm() },
    { ext: 'xlsb', bytes: buildXlsb(emotetXlmSpec()) },
    { ext: 'rtf', bytes: rtf },
    {
      ext: 'docx',
      bytes: buildDocx({
        body: [complexField(['DDE', 'AUTO cmd "/c echo emoguard-bench"'])],
        template: 'http://203.0.113.7/bench.dotm',
      }),
    },
    {
      ext: 'xlsx',
      bytes: buildXlsx({
        ddeLinks: [{ service: 'cmd', topic: '/c echo 1' }],
        formulas: ['SUM(1)'],
      }),
    },
  ];
}

/** Writes the corpus to `dir`; returns the total bytes. */
export function writeOfficeCorpus(dir: string, count: number): number {
  const all = kinds();
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const kind = all[i % all.length]!;
    writeFileSync(join(dir, `f${String(i).padStart(6, '0')}.${kind.ext}`), kind.bytes);
    bytes += kind.bytes.length;
  }
  return bytes;
}

export async function run(): Promise<BenchResult> {
  const count = positiveIntEnv('BENCH_FILES', 5000);
  const keep = process.env.BENCH_KEEP;
  const dir = keep || mkdtempSync(join(tmpdir(), 'emoguard-bench-office-mixed-'));
  if (keep) mkdirSync(keep, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'emoguard-bench-office-db-'));
  const isStore = process.env.BENCH_STORE === '1';
  try {
    const bytes = writeOfficeCorpus(dir, count);
    const storeArgs = isStore ? ['--db', join(scratch, 'bench.db')] : ['--no-store'];
    const child = await runScanChild([...storeArgs, '--json', dir]);
    return benchResult({
      name,
      items: count,
      bytes,
      seconds: child.seconds,
      peakRssMb: child.peakRssMb ?? Number.NaN,
      notes: [
        `10 kinds; ${isStore ? 'store on' : '--no-store'}; exit ${child.exitCode}`,
        `${child.stdoutBytes.toLocaleString('en-US')} B of JSON; peak RSS via ${child.peakRssSource}`,
      ].join('; '),
    });
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}
