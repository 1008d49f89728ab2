/**
 * DDE written the ways XML allows and string scanners miss (all inert: `calc`, `echo`): character
 * references (`&#124;` for `|`, `&#x44;DE`), CDATA sections, instructions split over `w:instrText`
 * runs or held in `w:fldSimple`, xlsx dataValidation/cfRule/definedName formulas, `ddeLink` parts
 * with encoded attributes, Word 2003 XML and flat OPC — and lookalikes that are no DDE request.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildFlatOpc, buildWord2003Xml } from '../../../test/builders/activemime.js';
import { buildDocx, buildXlsx } from '../../../test/builders/office.js';
import { makeContext } from '../../../test/support/engine-context.js';
import type { EngineOutput } from '../../core/index.js';
import { officeEngine } from './index.js';

const run = (bytes: Uint8Array) => officeEngine.analyze(makeContext(bytes, { name: 'doc' }));
const ids = (out: EngineOutput) => (out.findings ?? []).map((f) => f.id).sort();
const ddeTexts = (out: EngineOutput) =>
  (out.findings ?? [])
    .filter((f) => f.id.startsWith('office.dde'))
    .flatMap((f) => f.evidence.map((e) => e.text ?? ''));
const enc = (s: string) => new TextEncoder().encode(s);

const BEGIN = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>';
const END =
  '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>';
const instr = (raw: string) => `<w:r><w:instrText xml:space="preserve">${raw}</w:instrText></w:r>`;
const field = (...raws: string[]) => BEGIN + raws.map(instr).join('') + END;

describe('office engine: DDE fields written with XML tricks (docx)', () => {
  const cases: [string, string][] = [
    [
      'character references for letters',
      field('&#x44;&#68;EAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"'),
    ],
    [
      'the whole instruction in CDATA',
      field('<![CDATA[DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"]]>'),
    ],
    [
      'CDATA and text mixed in one instrText',
      field('DDE<![CDATA[AUTO c:\\\\windows\\\\]]>system32\\\\cmd.exe "/k calc"'),
    ],
    [
      'split over many runs, one character reference each',
      field('D', '&#68;', 'E', 'AUTO cmd.exe ', '"/k calc"'),
    ],
    ['a comment inside instrText', field('DDE<!-- x -->AUTO cmd.exe "/k calc"')],
    [
      'w:fldSimple with an encoded instr attribute',
      '<w:fldSimple w:instr="&#x44;DEAUTO cmd.exe &quot;/k calc&quot;"><w:r><w:t>x</w:t></w:r></w:fldSimple>',
    ],
  ];
  for (const [name, body] of cases) {
    test(`${name} → office.dde-command-execution`, async () => {
      const out = await run(buildDocx({ body: [body] }));
      assert.ok(
        ids(out).includes('office.dde-command-execution'),
        `${name}: ${ids(out).join(' ')}`,
      );
      assert.match(ddeTexts(out)[0] ?? '', /^DDEAUTO .*cmd\.exe "\/k calc"$/, name);
    });
  }

  test('the word DDE or DDEAUTO in body text, or a CDATA in w:t, is no field', async () => {
    const body = [
      '<w:r><w:t>Please enable DDEAUTO cmd.exe "/k calc" to continue</w:t></w:r>',
      '<w:r><w:t><![CDATA[DDE cmd "/c calc"]]></w:t></w:r>',
      field('PAGE \\* MERGEFORMAT'),
    ];
    assert.deepEqual(ids(await run(buildDocx({ body }))), []);
  });
});

describe('office engine: DDE in xlsx formulas and links', () => {
  const dde = "cmd&#124;'/c calc'!A0";
  test('a cell formula with | written as &#124; and a formula in CDATA', async () => {
    for (const f of [dde, "<![CDATA[cmd|'/c calc'!A0]]>"]) {
      const sheetXmlAfterData = `<sheetData2/>`;
      const bytes = buildXlsx({ sheetXmlAfterData, formulas: [] });
      // The builder escapes formulas; these are written raw into the sheet instead.
      const raw = buildXlsx({
        sheetXmlAfterData: `<x:f xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${f}</x:f>`,
      });
      assert.deepEqual(ids(await run(bytes)), []);
      assert.deepEqual(ids(await run(raw)), ['office.dde-command-execution'], f);
    }
  });

  test('dataValidation formula1/formula2 and a cfRule formula → evidence for each', async () => {
    const out = await run(
      buildXlsx({
        sheetXmlAfterData:
          '<conditionalFormatting sqref="A1"><cfRule type="expression" priority="1">' +
          `<formula>${dde}</formula></cfRule></conditionalFormatting>` +
          '<dataValidations count="1"><dataValidation type="list" sqref="B1">' +
          `<formula1>${dde}</formula1><formula2>msexcel&#x7C;'\\..\\..\\Windows\\System32\\cmd.exe /c calc'!''</formula2>` +
          '</dataValidation></dataValidations>',
      }),
    );
    assert.deepEqual(ids(out), ['office.dde-command-execution']);
    assert.deepEqual(ddeTexts(out), [
      "cmd|'/c calc'!A0",
      "cmd|'/c calc'!A0",
      "msexcel|'\\..\\..\\Windows\\System32\\cmd.exe /c calc'!''",
    ]);
  });

  test('an x14 extension dataValidation (x14:formula1 > xm:f) → one DDE request', async () => {
    const out = await run(
      buildXlsx({
        sheetXmlAfterData:
          '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="x14"><x14:dataValidations>' +
          `<x14:dataValidation type="list"><x14:formula1><xm:f xmlns:xm="xm">${dde}</xm:f></x14:formula1>` +
          '<xm:sqref xmlns:xm="xm">A1</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>',
      }),
    );
    assert.deepEqual(ddeTexts(out), ["cmd|'/c calc'!A0"]);
  });

  test('a defined name whose formula is a DDE request', async () => {
    const out = await run(
      buildXlsx({
        definedNamesXml: `<definedNames><definedName name="x">${dde}</definedName></definedNames>`,
      }),
    );
    assert.deepEqual(ids(out), ['office.dde-command-execution']);
    assert.equal(out.findings?.[0]?.evidence[0]?.location, 'xl/workbook.xml');
  });

  test('a ddeLink whose service and topic are character references', async () => {
    const out = await run(
      buildXlsx({
        externalLinksXml: [
          '<ddeLink ddeService="&#99;&#x6d;d" ddeTopic="/c &#99;alc"><ddeItems/></ddeLink>',
        ],
      }),
    );
    assert.deepEqual(ddeTexts(out), ["cmd|'/c calc'"]);
  });

  test('a | in a string, an inline string holding a DDE lookalike, and a plain link → nothing', async () => {
    const out = await run(
      buildXlsx({
        formulas: ['"a|b"&"c"'],
        sheetXmlAfterData: `<is><t>${dde}</t></is>`,
        externalLinksXml: ['<externalBook r:id="rId1" xmlns:r="x"/>'],
      }),
    );
    assert.deepEqual(ids(out), []);
  });
});

describe('office engine: DDE in Word 2003 XML and flat OPC', () => {
  test('Word 2003 XML: a CDATA instrText and an encoded fldSimple', async () => {
    const xml = new TextDecoder()
      .decode(buildWord2003Xml({ fields: [['PLACEHOLDER']] }))
      .replace('PLACEHOLDER', '<![CDATA[DDEAUTO cmd "/c calc"]]>');
    assert.deepEqual(ids(await run(enc(xml))), ['office.dde-command-execution']);
    const simple = buildWord2003Xml({ simpleFields: ['&#x44;DE cmd "/c calc"'] });
    // The builder escapes & once: the file holds &amp;#x44; — a literal "&#x44;DE", no field keyword.
    assert.deepEqual(ids(await run(simple)), []);
    const encoded = new TextDecoder().decode(simple).replace('&amp;#x44;', '&#x44;');
    assert.deepEqual(ids(await run(enc(encoded))), ['office.dde-command-execution']);
  });

  test('flat OPC: a document part whose field is split over runs with character references', async () => {
    const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
    const doc = `<w:document xmlns:w="${W}"><w:body><w:p>${field('&#68;DE', 'AUTO cmd.exe "/k calc"')}</w:p></w:body></w:document>`;
    const out = await run(
      buildFlatOpc([
        {
          name: '/word/document.xml',
          contentType:
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
          data: doc,
        },
      ]),
    );
    assert.deepEqual(ids(out), ['office.dde-command-execution']);
  });
});
