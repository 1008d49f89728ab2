/**
 * DDE formulas in an .xlsx through the whole disarm path (`disarmInput`: disarm, then re-scan with every
 * engine): cell formulas (plain, shared, array, character references, CDATA) lose the formula and keep
 * the cached value; DDE formulas in data validation, conditional formatting (also the x14 extension's
 * `xm:f`) and defined names go with the rule or name that holds them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readOoxml, readOoxmlPart } from '../../src/formats/ooxml/index.js';
import { disarmInput, scanInput } from '../../src/pipeline/index.js';
import { buildXlsx } from '../builders/office.js';
import { packageMembers } from '../builders/ooxml-active.js';
import { buildZip } from '../builders/zip.js';

const DDE = "cmd|'/c echo emoguard-inert'!A0";
const S = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const X14 = 'http://schemas.microsoft.com/office/spreadsheetml/2009/9/main';
const XM = 'http://schemas.microsoft.com/office/excel/2006/main';
const enc = new TextEncoder();
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** An .xlsx whose sheet1 (or workbook) markup is replaced. */
function xlsxWith(sheet: { data: string; after?: string }, names = ''): Uint8Array {
  const members = packageMembers(buildXlsx({ formulas: ['SUM(1,2)'] })).map((m) => {
    if (m.name === 'xl/worksheets/sheet1.xml') {
      const xml = `<worksheet xmlns="${S}" xmlns:x14="${X14}" xmlns:xm="${XM}"><sheetData>${sheet.data}</sheetData>${sheet.after ?? ''}</worksheet>`;
      return { ...m, data: enc.encode(xml) };
    }
    if (m.name === 'xl/workbook.xml' && names) {
      const xml = new TextDecoder()
        .decode(m.data as Uint8Array)
        .replace('</sheets>', `</sheets><definedNames>${names}</definedNames>`);
      return { ...m, data: enc.encode(xml) };
    }
    return m;
  });
  return buildZip(members);
}

const ROW_A1 = '<row r="1"><c r="A1"><v>1</v></c></row>';

async function part(bytes: Uint8Array, name: string): Promise<string> {
  const pkg = await readOoxml(bytes);
  return new TextDecoder().decode(await readOoxmlPart(pkg, name, { maxBytes: 1 << 20 }));
}

async function disarmed(bytes: Uint8Array) {
  const report = await disarmInput({ path: 'in.xlsx', bytes });
  assert.equal(report.status, 'disarmed', `${report.refusal}: ${report.reason}`);
  assert.equal(report.rescan?.verdict, 'clean', 'the copy re-scans clean');
  assert.ok(
    report.removed.every((r) => r.kind === 'dde-field'),
    JSON.stringify(report.removed),
  );
  const sheet = await part(report.output!, 'xl/worksheets/sheet1.xml');
  assert.ok(!sheet.includes('emoguard-inert'), `no DDE left in the sheet: ${sheet}`);
  return { report, sheet };
}

describe('disarm: DDE cell formulas in .xlsx', () => {
  test('a plain DDE cell formula: the input scans malicious, the copy is delivered clean', async () => {
    const input = buildXlsx({ formulas: [DDE, 'SUM(1,2)'] });
    const before = await scanInput({ path: 'in.xlsx', bytes: input });
    assert.ok(
      before.findings.some((f) => f.id === 'office.dde-command-execution'),
      'the scanner sees the DDE formula',
    );
    const { report, sheet } = await disarmed(input);
    assert.deepEqual(
      report.removed.map((r) => r.detail),
      [`=${DDE}`],
    );
    assert.ok(sheet.includes('<c r="A1"><v>0</v></c>'), 'the cached value stays');
    assert.ok(sheet.includes('<f>SUM(1,2)</f>'), 'other formulas stay');
  });

  for (const [name, data] of [
    [
      'a shared formula (its dependents go too)',
      `<row r="1"><c r="A1"><f t="shared" ref="A1:A2" si="0">${esc(DDE)}</f><v>0</v></c><c r="A2"><f t="shared" si="0"/><v>0</v></c></row>`,
    ],
    [
      'an array formula',
      `<row r="1"><c r="A1"><f t="array" ref="A1">${esc(DDE)}</f><v>0</v></c></row>`,
    ],
    [
      'a formula written with character references (&#124; &#39;)',
      `<row r="1"><c r="A1"><f>${DDE.replace('|', '&#124;').replace(/'/g, '&#39;')}</f><v>0</v></c></row>`,
    ],
    [
      'a formula split by an XML comment',
      `<row r="1"><c r="A1"><f>cmd|'/c echo emoguard-inert'<!-- x -->!A0</f><v>0</v></c></row>`,
    ],
    [
      'a formula hidden between literal comment markers in strings',
      `<row r="1"><c r="A1"><f>"&lt;!--"&amp;${esc(DDE)}&amp;"--&gt;"</f><v>0</v></c></row>`,
    ],
    [
      'a formula in a CDATA section',
      `<row r="1"><c r="A1"><f><![CDATA[${DDE}]]></f><v>0</v></c></row>`,
    ],
  ] as const) {
    test(`${name} → removed, cached values kept`, async () => {
      const { sheet } = await disarmed(xlsxWith({ data: data }));
      assert.ok(!/<f[\s>]/.test(sheet), sheet);
      assert.ok(sheet.includes('<c r="A1"><v>0</v></c>'), sheet);
    });
  }

  test('a formula with a `|` in a string and no DDE reference stays', async () => {
    const report = await disarmInput({
      path: 'in.xlsx',
      bytes: buildXlsx({ formulas: ['CONCAT("a|b","!c")'] }),
    });
    assert.equal(report.status, 'unchanged', report.reason);
  });
});

describe('disarm: DDE formulas outside cells', () => {
  for (const [name, after, container] of [
    [
      'a data validation list',
      `<dataValidations count="1"><dataValidation type="list" sqref="A1"><formula1>${esc(DDE)}</formula1></dataValidation></dataValidations>`,
      'dataValidations',
    ],
    [
      'a conditional format rule',
      `<conditionalFormatting sqref="A1"><cfRule type="expression" priority="1"><formula>${esc(DDE)}</formula></cfRule></conditionalFormatting>`,
      'conditionalFormatting',
    ],
    [
      'an x14 extension data validation (xm:f)',
      `<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"><x14:dataValidations count="1"><x14:dataValidation type="list"><x14:formula1><xm:f>${esc(DDE)}</xm:f></x14:formula1><xm:sqref>A1</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>`,
      'dataValidations',
    ],
  ] as const) {
    test(`${name} → the rule goes, with its emptied container`, async () => {
      const { report, sheet } = await disarmed(xlsxWith({ data: ROW_A1, after }));
      assert.equal(report.removed.length, 1, JSON.stringify(report.removed));
      assert.ok(!sheet.includes(container), sheet);
      assert.ok(sheet.includes('<c r="A1"><v>1</v></c>'), 'the cells stay');
    });
  }

  test('a defined name with a DDE formula → the name goes, the others stay', async () => {
    const names = `<definedName name="Feed">${esc(DDE)}</definedName><definedName name="Total">Sheet1!$A$1</definedName>`;
    const report = await disarmInput({ path: 'in.xlsx', bytes: xlsxWith({ data: ROW_A1 }, names) });
    assert.equal(report.status, 'disarmed', report.reason);
    assert.equal(report.rescan?.verdict, 'clean', 'the copy re-scans clean');
    const workbook = await part(report.output!, 'xl/workbook.xml');
    assert.ok(!workbook.includes('Feed'), workbook);
    assert.ok(workbook.includes('<definedName name="Total">Sheet1!$A$1</definedName>'), workbook);
  });
});

test('an OMML fraction (m:f) in a Word part is not taken for a formula', async () => {
  const { disarmMarkup } = await import('../../src/engines/disarm/ooxml-markup.js');
  const xml = `<w:document xmlns:w="w" xmlns:m="m"><w:body><m:oMath><m:f><m:num><m:r><m:t>cmd|'a'!b</m:t></m:r></m:num><m:den><m:r><m:t>2</m:t></m:r></m:den></m:f></m:oMath></w:body></w:document>`;
  const out = disarmMarkup(xml, 'word/document.xml', new Set(), {
    maxElements: 1000,
    maxDepth: 64,
  });
  assert.ok(out.ok, 'the part is read');
  assert.equal(out.xml, xml);
});
