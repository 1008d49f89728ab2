/**
 * Throughput of `emoguard scan` over the Office carriers of the office engine, the shape of a mail
 * gateway's document stream: RTF with a package or an Equation object and a DDE field, MHTML and Word
 * 2003 XML with an ActiveMime macro, a .doc with an ObjectPool package, a .ppt with an ExOleObjStg
 * macro, a .docx with a split DDEAUTO field and a remote template, an .xlsx with a DDE link — 8 kinds,
 * `BENCH_FILES` files in all (default 2,000), each made unique. Measures files/s, MB/s and peak RSS of
 * the CLI as a child process (all engines run, the office engine among them).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOleWordDocument, vbaModuleSource } from '../src/formats/ovba/index.js';
import {
  buildActiveMime,
  buildMhtmlWithMacros,
  buildWord2003Xml,
} from '../test/builders/activemime.js';
import {
  buildDocWithObjects,
  buildEquationCfb,
  buildOle1Object,
  buildPackageNative,
  buildPpt,
  exOleObjStg,
  PACKAGE_CLSID,
} from '../test/builders/oleobj.js';
import { buildDocx, buildXlsx, complexField } from '../test/builders/office.js';
import { buildRtf } from '../test/builders/rtf.js';
import { benchResult, runScanChild, type BenchResult } from './lib.js';

export const name = 'office-carriers';

const enc = (s: string) => new TextEncoder().encode(s);

function fileCount(): number {
  const n = Number(process.env.BENCH_FILES || 2000);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`BENCH_FILES must be a positive integer`);
  return n;
}

function carrier(i: number): { ext: string; bytes: Uint8Array } {
  const tag = `emoguard-bench-${i}`;
  const macro = `Sub AutoOpen()\n  Shell "cmd /c echo ${tag}"\nEnd Sub`;
  const doc = () =>
    buildOleWordDocument({
      text: tag,
      modules: [
        {
          name: 'ThisDocument',
          code: vbaModuleSource('ThisDocument', macro, 'document'),
          type: 'document',
        },
      ],
    });
  const pkg = (file: string, hasSizePrefix = false) =>
    buildPackageNative({
      fileName: file,
      sourcePath: `C:\\u\\${file}`,
      tempPath: `C:\\t\\${file}`,
      data: enc(`WScript.Echo "${tag}"`),
      hasSizePrefix,
    });
  switch (i % 8) {
    case 0:
      return {
        ext: 'rtf',
        bytes: buildRtf({
          body: tag,
          objects: [
            {
              objclass: 'Package',
              data: buildOle1Object({ className: 'Package', nativeData: pkg('a.vbs') }),
              tricks: ['whitespace'],
            },
          ],
          fields: [`DDEAUTO cmd "/c echo ${i}"`],
        }),
      };
    case 1:
      return {
        ext: 'rtf',
        bytes: buildRtf({
          body: tag,
          objects: [
            {
              objclass: 'Equation.3',
              data: buildOle1Object({ className: 'Equation.3', nativeData: buildEquationCfb() }),
              isUpdate: true,
            },
          ],
        }),
      };
    case 2:
      return { ext: 'mht', bytes: buildMhtmlWithMacros(doc()) };
    case 3:
      return {
        ext: 'xml',
        bytes: buildWord2003Xml({
          editdata: buildActiveMime(doc()),
          fields: [['DDE', `AUTO cmd "/c echo ${i}"`]],
        }),
      };
    case 4:
      return {
        ext: 'doc',
        bytes: buildDocWithObjects({
          text: `${tag} {DDE cmd "/c echo"}`,
          objects: [
            {
              id: String(i),
              clsid: PACKAGE_CLSID,
              streams: { '\x01Ole10Native': pkg('b.js', true) },
            },
          ],
        }),
      };
    case 5:
      return { ext: 'ppt', bytes: buildPpt([exOleObjStg(doc())]) };
    case 6:
      return {
        ext: 'docx',
        bytes: buildDocx({
          body: [complexField(['DDE', `AUTO cmd "/c echo ${i}"`])],
          template: `http://203.0.113.7/${tag}.dotm`,
        }),
      };
    default:
      return {
        ext: 'xlsx',
        bytes: buildXlsx({
          ddeLinks: [{ service: 'cmd', topic: `/c echo ${i}` }],
          formulas: [`SUM(${i})`],
        }),
      };
  }
}

export async function run(): Promise<BenchResult> {
  const count = fileCount();
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-bench-office-'));
  try {
    let bytes = 0;
    for (let i = 0; i < count; i++) {
      const file = carrier(i);
      writeFileSync(join(dir, `f${String(i).padStart(6, '0')}.${file.ext}`), file.bytes);
      bytes += file.bytes.length;
    }
    const child = await runScanChild(['--no-store', '--json', dir]);
    return benchResult({
      name,
      items: count,
      bytes,
      seconds: child.seconds,
      peakRssMb: child.peakRssMb ?? Number.NaN,
      notes: `8 carrier kinds; exit ${child.exitCode}; peak RSS via ${child.peakRssSource}`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
