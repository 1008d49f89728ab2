import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildDocm, buildOoxml, buildZip } from '../../../test/builders/zip.js';
import {
  isOoxml,
  readOoxml,
  readOoxmlPart,
  VBA_PROJECT_CONTENT_TYPE,
  VBA_PROJECT_REL,
} from './index.js';

// Inert stand-in for a vbaProject.bin: the CFB signature and some text, no macro.
const VBA = new Uint8Array([
  0xd0,
  0xcf,
  0x11,
  0xe0,
  0xa1,
  0xb1,
  0x1a,
  0xe1,
  ...new TextEncoder().encode('inert'),
]);
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XLSX_MAIN = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml';

test('readOoxml: buildDocm → macro-enabled main part, vbaProject read, relationships resolved', async () => {
  const pkg = await readOoxml(buildDocm({ vbaProjectBin: VBA }));
  assert.deepEqual(pkg.anomalies, []);
  assert.equal(pkg.mainPart, 'word/document.xml');
  assert.equal(pkg.mainContentType, 'application/vnd.ms-word.document.macroEnabled.main+xml');
  assert.equal(pkg.isMacroEnabled, true);
  assert.deepEqual(
    pkg.vbaProjects.map((v) => [v.partName, [...v.bytes], v.foundBy]),
    [['word/vbaProject.bin', [...VBA], ['content-type', 'name', 'relationship']]],
  );
  assert.deepEqual(pkg.externalRelationships, []);
  const vbaRel = pkg.relationships.find((r) => r.typeName === 'vbaProject');
  assert.equal(vbaRel?.source, 'word/document.xml');
  assert.equal(vbaRel?.partName, 'word/vbaProject.bin');
  assert.equal(
    pkg.parts.find((p) => p.name === 'word/vbaProject.bin')?.contentType,
    VBA_PROJECT_CONTENT_TYPE,
  );
  assert.equal(
    pkg.contentTypes.defaults['rels'],
    'application/vnd.openxmlformats-package.relationships+xml',
  );
});

test('readOoxml: remote template (attachedTemplate, TargetMode External) → external relationship (T1221)', async () => {
  const url = 'http://203.0.113.7/templates/invoice.dotm';
  const pkg = await readOoxml(buildDocm({ vbaProjectBin: VBA, externalTemplate: url }));
  assert.deepEqual(
    pkg.externalRelationships.map((r) => [
      r.source,
      r.typeName,
      r.target,
      r.targetMode,
      r.partName,
    ]),
    [['word/settings.xml', 'attachedTemplate', url, 'External', undefined]],
  );
});

test('readOoxml: vbaProject renamed and relinked → still found by content type and relationship', async () => {
  const bytes = buildOoxml({
    files: { 'word/document.xml': '<w:document/>', 'word/media/image1.png': VBA },
    contentTypes: {
      overrides: {
        'word/document.xml': 'application/vnd.ms-word.document.macroEnabled.main+xml',
        'word/media/image1.png': VBA_PROJECT_CONTENT_TYPE,
      },
    },
    rels: {
      '': [{ id: 'rId1', type: `${REL}/officeDocument`, target: 'word/document.xml' }],
      'word/document.xml': [{ id: 'rId9', type: VBA_PROJECT_REL, target: 'media/image1.png' }],
    },
  });
  const pkg = await readOoxml(bytes);
  assert.deepEqual(
    pkg.vbaProjects.map((v) => [v.partName, v.foundBy]),
    [['word/media/image1.png', ['content-type', 'relationship']]],
  );
});

test('readOoxml: vbaProject.bin with no content type or relationship → found by name alone', async () => {
  const pkg = await readOoxml(buildOoxml({ files: { 'xl/vbaProject.bin': VBA } }));
  assert.deepEqual(
    pkg.vbaProjects.map((v) => [v.partName, v.foundBy]),
    [['xl/vbaProject.bin', ['name']]],
  );
  assert.equal(pkg.isMacroEnabled, false);
});

test('readOoxml: vbaProject over maxPartBytes → skipped with E_LIMIT_MEMBER_SIZE; at the cap → read', async () => {
  const bytes = buildDocm({ vbaProjectBin: VBA });
  const over = await readOoxml(bytes, { maxPartBytes: VBA.length - 1 });
  assert.deepEqual(over.vbaProjects, []);
  assert.deepEqual(
    over.anomalies.map((a) => [a.code, a.location]),
    [['E_LIMIT_MEMBER_SIZE', 'word/vbaProject.bin']],
  );
  assert.equal((await readOoxml(bytes, { maxPartBytes: VBA.length })).vbaProjects.length, 1);
});

test('readOoxml: XLM macro sheets (XML and XLSB binary) and OLE/ActiveX embeddings are listed', async () => {
  const bytes = buildOoxml({
    files: {
      'xl/workbook.xml': '<workbook/>',
      'xl/macrosheets/sheet1.xml': '<xm:macrosheet/>',
      'xl/macrosheets/sheet2.bin': new Uint8Array([1, 2]),
      'xl/embeddings/oleObject1.bin': VBA,
      'xl/activeX/activeX1.bin': VBA,
      'xl/activeX/activeX1.xml': '<ax/>',
    },
    contentTypes: {
      overrides: {
        'xl/workbook.xml': XLSX_MAIN,
        'xl/macrosheets/sheet1.xml': 'application/vnd.ms-excel.macrosheet+xml',
        'xl/embeddings/oleObject1.bin': 'application/vnd.openxmlformats-officedocument.oleObject',
      },
    },
    rels: { '': [{ id: 'rId1', type: `${REL}/officeDocument`, target: 'xl/workbook.xml' }] },
  });
  const pkg = await readOoxml(bytes);
  assert.equal(pkg.isMacroEnabled, false, 'an .xlsx main part, whatever else the package holds');
  assert.deepEqual(pkg.macroSheets, ['xl/macrosheets/sheet1.xml', 'xl/macrosheets/sheet2.bin']);
  assert.deepEqual(
    pkg.embeddings.map((e) => e.partName),
    ['xl/embeddings/oleObject1.bin', 'xl/activeX/activeX1.bin'],
  );
});

test('readOoxml: part names match content types case-insensitively (OPC §9.1.1.1)', async () => {
  const pkg = await readOoxml(
    buildOoxml({
      files: { 'WORD/VBAPROJECT.BIN': VBA },
      contentTypes: { overrides: { 'word/vbaProject.bin': VBA_PROJECT_CONTENT_TYPE } },
    }),
  );
  assert.deepEqual(
    pkg.vbaProjects.map((v) => v.foundBy),
    [['content-type', 'name']],
  );
});

test('readOoxml: a zip without [Content_Types].xml → E_OOXML_NO_CONTENT_TYPES, parts still listed', async () => {
  const pkg = await readOoxml(buildZip([{ name: 'word/vbaProject.bin', data: VBA }]));
  assert.deepEqual(
    pkg.anomalies.map((a) => a.code),
    ['E_OOXML_NO_CONTENT_TYPES'],
  );
  assert.equal(pkg.vbaProjects.length, 1);
});

test('readOoxml: a relationship to a missing vbaProject part → E_OOXML_MISSING_PART', async () => {
  const pkg = await readOoxml(
    buildOoxml({
      files: { 'word/document.xml': '<w/>' },
      rels: { 'word/document.xml': [{ id: 'r', type: VBA_PROJECT_REL, target: 'gone.bin' }] },
    }),
  );
  assert.deepEqual(
    pkg.anomalies.map((a) => [a.code, a.location]),
    [['E_OOXML_MISSING_PART', 'word/gone.bin']],
  );
});

test('readOoxml: two members naming the same part in different case → E_OOXML_DUPLICATE_PART', async () => {
  const pkg = await readOoxml(
    buildZip([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'word/vbaProject.bin', data: VBA },
      { name: 'Word/VbaProject.bin', data: 'other' },
    ]),
  );
  assert.deepEqual(
    pkg.anomalies.map((a) => a.code),
    ['E_OOXML_DUPLICATE_PART'],
  );
});

test('readOoxml: non-zip bytes → FormatError E_ZIP_NOT_ZIP', async () => {
  await assert.rejects(readOoxml(new TextEncoder().encode('{\\rtf1 not a package}')), {
    code: 'E_ZIP_NOT_ZIP',
  });
});

test('readOoxmlPart: reads an embedding under a cap; unknown part → E_OOXML_MISSING_PART', async () => {
  const pkg = await readOoxml(buildOoxml({ files: { 'word/embeddings/oleObject1.bin': VBA } }));
  assert.deepEqual(
    [...(await readOoxmlPart(pkg, '/word/embeddings/oleObject1.bin', { maxBytes: 100 }))],
    [...VBA],
  );
  await assert.rejects(readOoxmlPart(pkg, 'word/embeddings/oleObject1.bin', { maxBytes: 3 }), {
    code: 'E_LIMIT_MEMBER_SIZE',
  });
  await assert.rejects(readOoxmlPart(pkg, 'nope.bin', { maxBytes: 100 }), {
    code: 'E_OOXML_MISSING_PART',
  });
});

test('readOoxmlPart: a part read twice (the xlm and office engines) is inflated once; a smaller cap still fails', async () => {
  const pkg = await readOoxml(buildOoxml({ files: { 'xl/workbook.xml': '<workbook/>' } }));
  const first = await readOoxmlPart(pkg, 'xl/workbook.xml', { maxBytes: 1000 });
  assert.equal(await readOoxmlPart(pkg, '/XL/workbook.xml', { maxBytes: 11 }), first);
  await assert.rejects(readOoxmlPart(pkg, 'xl/workbook.xml', { maxBytes: 10 }), {
    code: 'E_LIMIT_MEMBER_SIZE',
  });
});

test('isOoxml: a docm → true; a plain zip → false; a truncated docm or garbage → false', () => {
  const docm = buildDocm({ vbaProjectBin: VBA });
  assert.equal(isOoxml(docm), true);
  assert.equal(isOoxml(buildZip([{ name: 'readme.txt', data: 'hi' }])), false);
  assert.equal(isOoxml(docm.slice(0, docm.length - 30)), false);
  assert.equal(isOoxml(new Uint8Array(100)), false);
});

test('readOoxml: maxTotalBytes spent → later parts skipped with E_LIMIT_OOXML_TOTAL_BYTES', async () => {
  const bytes = buildDocm({ vbaProjectBin: VBA });
  const xmlSize = (await readOoxml(bytes)).parts
    .filter((p) => /\.(rels|xml)$/.test(p.name) && p.name !== 'word/document.xml')
    .reduce((n, p) => n + p.size, 0);
  const spent = await readOoxml(bytes, { maxTotalBytes: xmlSize });
  assert.deepEqual(
    spent.anomalies.map((a) => a.code),
    ['E_LIMIT_OOXML_TOTAL_BYTES'],
  );
  assert.deepEqual(spent.vbaProjects, []);
  const short = await readOoxml(bytes, { maxTotalBytes: xmlSize + VBA.length - 1 });
  assert.deepEqual(
    short.anomalies.map((a) => [a.code, a.location]),
    [['E_LIMIT_MEMBER_SIZE', 'word/vbaProject.bin']],
  );
  assert.equal(
    (await readOoxml(bytes, { maxTotalBytes: xmlSize + VBA.length })).vbaProjects.length,
    1,
  );
});

test('readOoxml: relationships over maxElements (all .rels together) → capped with an E_LIMIT_ anomaly', async () => {
  const rels = Array.from({ length: 6 }, (_, i) => ({
    id: `r${i}`,
    type: `${REL}/image`,
    target: `m${i}.png`,
  }));
  const bytes = buildOoxml({ files: {}, rels: { 'word/a.xml': rels, 'word/b.xml': rels } });
  const atCap = await readOoxml(bytes, { maxElements: 12 });
  assert.deepEqual([atCap.relationships.length, atCap.anomalies], [12, []]);
  const over = await readOoxml(bytes, { maxElements: 10 });
  assert.equal(over.relationships.length, 10);
  assert.ok(over.anomalies.length > 0);
});

test('readOoxml: external oleObject link and ActiveX found by content type alone', async () => {
  const pkg = await readOoxml(
    buildOoxml({
      files: { 'word/controls/ctl.bin': VBA },
      contentTypes: { overrides: { 'word/controls/ctl.bin': 'application/vnd.ms-office.activeX' } },
      rels: {
        'word/document.xml': [
          {
            id: 'rId5',
            type: `${REL}/oleObject`,
            target: 'file://198.51.100.4/share/o.bin',
            targetMode: 'External',
          },
        ],
      },
    }),
  );
  assert.deepEqual(
    pkg.embeddings.map((e) => e.partName),
    ['word/controls/ctl.bin'],
  );
  assert.deepEqual(
    pkg.externalRelationships.map((r) => r.typeName),
    ['oleObject'],
  );
});

test('readOoxml: no officeDocument relationship → macro-enabled decided by the overrides', async () => {
  const pkg = await readOoxml(
    buildOoxml({
      files: { 'xl/workbook.xml': '<workbook/>' },
      contentTypes: {
        overrides: { 'xl/workbook.xml': 'application/vnd.ms-excel.sheet.macroEnabled.main+xml' },
      },
    }),
  );
  assert.deepEqual([pkg.mainPart, pkg.isMacroEnabled], [null, true]);
});

test('readOoxml: 3,000 parts with 3,000 overrides resolve in linear time', async () => {
  const files: Record<string, string> = {};
  const overrides: Record<string, string> = {};
  for (let i = 0; i < 3000; i++) {
    files[`p/${i}.xml`] = '';
    overrides[`p/${i}.xml`] = `application/x-${i}`;
  }
  const started = Date.now();
  const pkg = await readOoxml(buildOoxml({ files, contentTypes: { overrides } }));
  assert.equal(pkg.parts.find((p) => p.name === 'p/2999.xml')?.contentType, 'application/x-2999');
  assert.ok(Date.now() - started < 5000);
});
