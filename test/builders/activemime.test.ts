import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findActiveMimeBlobs, parseActiveMime } from '../../src/formats/activemime/index.js';
import { findWordFieldInstructions, readOfficeXml } from '../../src/formats/msxml-office/index.js';
import { sniffType } from '../../src/formats/sniff/index.js';
import {
  buildActiveMime,
  buildExcel2003Xml,
  buildFlatOpc,
  buildMhtmlWithMacros,
  buildWord2003Xml,
} from './activemime.js';

const content = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff);

test('buildActiveMime: parseActiveMime gives the content back at the Word and the Excel offsets', () => {
  for (const dataOffset of [0x32, 0x22a]) {
    const mso = parseActiveMime(buildActiveMime(content, { dataOffset }), { maxBytes: 1 << 20 });
    assert.equal(mso.dataOffset, dataOffset);
    assert.deepEqual(mso.data, content);
    assert.deepEqual(mso.anomalies, []);
  }
});

test('buildMhtmlWithMacros: sniffed as mhtml; the blob, its name and its content come back', () => {
  const mht = buildMhtmlWithMacros(content);
  assert.equal(sniffType(mht), 'mhtml');
  const { blobs } = findActiveMimeBlobs(mht, { maxBlobBytes: 1 << 20 });
  assert.deepEqual(
    blobs.map((b) => b.name),
    ['file:///C:/invoice_files/editdata.mso'],
  );
  assert.deepEqual(parseActiveMime(blobs[0]!.bytes, { maxBytes: 1 << 20 }).data, content);
});

test('buildWord2003Xml: sniffed as xml; editdata, fields and template come back', () => {
  const xml = buildWord2003Xml({
    editdata: buildActiveMime(content),
    fields: [['DDE', 'AUTO cmd "/c calc"']],
    simpleFields: ['PAGE'],
    attachedTemplate: 'http://192.0.2.5/t.dot',
  });
  assert.equal(sniffType(xml), 'xml');
  const read = readOfficeXml(xml, { maxBinaryBytes: 1 << 20 });
  assert.equal(read.flavour, 'word2003');
  assert.deepEqual(
    read.binaryParts.map((p) => p.name),
    ['editdata.mso'],
  );
  assert.deepEqual(
    parseActiveMime(read.binaryParts[0]!.bytes, { maxBytes: 1 << 20 }).data,
    content,
  );
  assert.deepEqual(
    findWordFieldInstructions(read.text).fields.map((f) => f.instruction),
    ['DDEAUTO cmd "/c calc"', 'PAGE'],
  );
  assert.deepEqual(
    read.references.map((r) => [r.kind, r.target]),
    [['attachedTemplate', 'http://192.0.2.5/t.dot']],
  );
});

test('buildExcel2003Xml and buildFlatOpc: formulas and binary parts come back', () => {
  const xls = readOfficeXml(buildExcel2003Xml(["=cmd|'/c calc'!A0"]), { maxBinaryBytes: 1 << 20 });
  assert.equal(xls.flavour, 'excel2003');
  assert.deepEqual(
    xls.formulas.map((f) => f.formula),
    ["=cmd|'/c calc'!A0"],
  );
  const opc = readOfficeXml(
    buildFlatOpc([
      { name: '/word/document.xml', contentType: 'application/xml', data: '<w:document/>' },
      {
        name: '/word/vbaProject.bin',
        contentType: 'application/vnd.ms-office.vbaProject',
        data: content,
      },
    ]),
    { maxBinaryBytes: 1 << 20 },
  );
  assert.equal(opc.flavour, 'flat-opc');
  assert.deepEqual(
    opc.binaryParts.map((p) => [p.name, p.contentType, p.bytes.length]),
    [['word/vbaProject.bin', 'application/vnd.ms-office.vbaProject', content.length]],
  );
});
