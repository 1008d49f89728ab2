import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildFlatOpc, buildWord2003Xml } from '../../../test/builders/activemime.js';
import {
  classifyFieldCode,
  decodeXmlText,
  findDdeFormulas,
  findDdeLinks,
  findWordFieldInstructions,
  isRemoteTarget,
  quoteFieldValue,
  readOfficeXml,
  tokenizeFieldCode,
} from './index.js';

const enc = (s: string) => new TextEncoder().encode(s);
const W = (body: string) =>
  `<w:document xmlns:w="x"><w:body><w:p>${body}</w:p></w:body></w:document>`;
const begin = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>';
const sep = '<w:r><w:fldChar w:fldCharType="separate"/></w:r>';
const end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>';
const instr = (t: string) => `<w:r><w:instrText xml:space="preserve">${t}</w:instrText></w:r>`;

describe('msxml-office: field codes', () => {
  test('tokens: words, quoted strings, \\\\ escapes', () => {
    assert.deepEqual(tokenizeFieldCode('DDEAUTO c:\\\\windows\\\\cmd.exe "/k echo \\"x\\"" \\d'), [
      'DDEAUTO',
      'c:\\windows\\cmd.exe',
      '/k echo "x"',
      '\\d',
    ]);
  });

  test('DDE and DDEAUTO give server and topic; other fields are not DDE', () => {
    assert.deepEqual(classifyFieldCode('  ddeauto cmd "/c calc" A1'), {
      kind: 'dde',
      keyword: 'DDEAUTO',
      application: 'cmd',
      topic: '/c calc',
      item: 'A1',
    });
    assert.equal(classifyFieldCode('PAGE \\* MERGEFORMAT'), undefined);
    assert.equal(classifyFieldCode('HYPERLINK "http://example.com"'), undefined);
  });

  test('INCLUDEPICTURE, INCLUDETEXT and LINK give their target', () => {
    assert.deepEqual(classifyFieldCode('INCLUDEPICTURE "http://192.0.2.1/a.png" \\d'), {
      kind: 'include',
      keyword: 'INCLUDEPICTURE',
      target: 'http://192.0.2.1/a.png',
    });
    assert.equal(
      (
        classifyFieldCode('LINK Excel.Sheet.8 "\\\\\\\\srv\\\\s\\\\b.xls" "A1"') as {
          target: string;
        }
      ).target,
      '\\\\srv\\s\\b.xls',
    );
  });

  test('QUOTE: character codes and quoted text', () => {
    assert.equal(quoteFieldValue('QUOTE 99 109 100'), 'cmd');
    assert.equal(quoteFieldValue('QUOTE "hello"'), 'hello');
    assert.equal(quoteFieldValue('PAGE'), undefined);
  });

  test('remote targets: URLs, UNC and file://host are remote; local paths are not', () => {
    for (const t of [
      'http://x/t.dotm',
      'HTTPS://x',
      '\\\\203.0.113.9\\share\\t.dotm',
      '//host/x',
      'file://host/share/t.dot',
    ]) {
      assert.ok(isRemoteTarget(t), t);
    }
    for (const t of [
      'file:///C:/Users/a/Normal.dotm',
      'C:\\t.dotm',
      'Normal.dotm',
      'file:///\\\\?\\C:',
    ]) {
      assert.ok(!isRemoteTarget(t), t);
    }
  });
});

describe('msxml-office: WordprocessingML fields', () => {
  test('instrText split over runs reads as one instruction; any prefix works', () => {
    const xml = W(
      `${begin}${instr('DD')}${instr('EAUTO cmd ')}${instr('&quot;/c calc&quot;')}${sep}${end}`,
    );
    assert.deepEqual(
      findWordFieldInstructions(xml).fields.map((f) => f.instruction),
      ['DDEAUTO cmd "/c calc"'],
    );
    const other = xml.replace(/w:/g, 'ns0:');
    assert.deepEqual(
      findWordFieldInstructions(other).fields.map((f) => f.instruction),
      ['DDEAUTO cmd "/c calc"'],
    );
  });

  test('a nested QUOTE field puts its value into the outer instruction', () => {
    const quote = `${begin}${instr('QUOTE 99 97 108 99')}${sep}${end}`;
    const xml = W(`${begin}${instr('DDEAUTO cmd "/c ')}${quote}${instr('"')}${sep}${end}`);
    assert.deepEqual(
      findWordFieldInstructions(xml).fields.map((f) => f.instruction),
      ['QUOTE 99 97 108 99', 'DDEAUTO cmd "/c calc"'],
    );
  });

  test('fldSimple, result text ignored, unterminated fields still reported', () => {
    const xml = W(
      `<w:fldSimple w:instr=" DDE cmd x"/>${begin}${instr('PAGE')}${sep}${instr('not instr')}${end}${begin}${instr('DDE a b')}`,
    );
    assert.deepEqual(
      findWordFieldInstructions(xml).fields.map((f) => f.instruction),
      [' DDE cmd x', 'PAGE', 'DDE a b'],
    );
  });

  test('max fields: at the limit all are kept; past it the result says truncated', () => {
    const xml = W(`<w:fldSimple w:instr="PAGE"/>`.repeat(4));
    assert.equal(findWordFieldInstructions(xml, 4).isTruncated, false);
    assert.equal(findWordFieldInstructions(xml, 3).isTruncated, true);
  });
});

describe('msxml-office: spreadsheet DDE', () => {
  test('formulas: plain, MSEXCEL path trick, quoted application, inside functions', () => {
    const found = findDdeFormulas(
      "=cmd|' /C calc'!A0 + SUM(MSEXCEL|'\\..\\..\\Windows\\System32\\cmd.exe /c calc.exe'!'') & 'power shell'|'x'!B2",
    );
    assert.deepEqual(
      found.map((f) => [f.application, f.topic]),
      [
        ['cmd', ' /C calc'],
        ['MSEXCEL', '\\..\\..\\Windows\\System32\\cmd.exe /c calc.exe'],
        ['power shell', 'x'],
      ],
    );
    assert.deepEqual(findDdeFormulas('=SUM(A1:A3)'), []);
  });

  test('ddeLink attributes', () => {
    assert.deepEqual(
      findDdeLinks('<ddeLink xmlns="x" ddeService="cmd" ddeTopic="/c calc &amp; x"/>').map((l) => [
        l.service,
        l.topic,
      ]),
      [['cmd', '/c calc & x']],
    );
  });
});

describe('msxml-office: XML documents', () => {
  test('decodeXmlText: UTF-16 BOM, declared Shift_JIS, cap', () => {
    assert.equal(decodeXmlText(Uint8Array.from([0xff, 0xfe, 0x3c, 0, 0x61, 0]), 100).text, '<a');
    const sjis = Uint8Array.from([
      ...enc('<?xml version="1.0" encoding="Shift_JIS"?><a>'),
      0x82,
      0xa0,
      ...enc('</a>'),
    ]);
    assert.match(decodeXmlText(sjis, 1000).text, /<a>あ<\/a>/);
    assert.equal(decodeXmlText(enc('<abc/>'), 3).isTruncated, true);
  });

  test('an XML file that is no Office document is left alone', () => {
    assert.equal(
      readOfficeXml(enc('<?xml version="1.0"?><rss><w:binData>QUFB</w:binData></rss>'), {
        maxBinaryBytes: 100,
      }).binaryParts.length,
      0,
    );
  });

  test('maxBinaryBytes: parts share the budget; the part past it is cut', () => {
    const xml = buildFlatOpc([
      { name: '/a.bin', contentType: 'x', data: new Uint8Array(100) },
      { name: '/b.bin', contentType: 'x', data: new Uint8Array(100) },
    ]);
    const read = readOfficeXml(xml, { maxBinaryBytes: 150 });
    assert.deepEqual(
      read.binaryParts.map((p) => [p.name, p.bytes.length, p.isTruncated]),
      [
        ['a.bin', 100, false],
        ['b.bin', 50, true],
      ],
    );
    assert.deepEqual(
      read.anomalies.map((a) => a.code),
      ['E_LIMIT_OFFICE_XML_BINARY_BYTES'],
    );
  });

  test('maxBytes: a document past it is read in part, with E_LIMIT_OFFICE_XML_BYTES', () => {
    const read = readOfficeXml(buildWord2003Xml({ simpleFields: ['PAGE'] }), {
      maxBinaryBytes: 10,
      maxBytes: 200,
    });
    assert.deepEqual(
      read.anomalies.map((a) => a.code),
      ['E_LIMIT_OFFICE_XML_BYTES'],
    );
  });
});
