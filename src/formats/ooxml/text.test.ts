import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sharedStrings, sheetRows, slideText, wordText, workbookSheets } from './index.js';
import { walkXml } from './text-xml.js';

const W = (body: string) =>
  `<?xml version="1.0"?><w:document xmlns:w="x"><w:body>${body}</w:body></w:document>`;

describe('wordText', () => {
  test('paragraphs with runs, tabs and breaks; instrText and delText are not text', () => {
    const xml = W(
      '<w:p><w:r><w:t>Hello </w:t></w:r><w:r><w:tab/><w:t>world</w:t><w:br/><w:t>&lt;b&gt; &amp; &#x8acb;</w:t></w:r></w:p>' +
        '<w:p><w:r><w:instrText>DDEAUTO cmd</w:instrText></w:r><w:r><w:t>shown</w:t></w:r><w:del><w:r><w:delText>gone</w:delText></w:r></w:del></w:p>',
    );
    assert.deepEqual(wordText(xml).value, [
      { kind: 'paragraph', text: 'Hello \tworld\n<b> & 請' },
      { kind: 'paragraph', text: 'shown' },
    ]);
  });

  test('tables become rows of cells; a nested table is flattened into its cell', () => {
    const cell = (t: string) => `<w:tc><w:p><w:r><w:t>${t}</w:t></w:r></w:p></w:tc>`;
    const inner = `<w:tbl><w:tr>${cell('i1')}${cell('i2')}</w:tr></w:tbl>`;
    const xml = W(
      `<w:tbl><w:tr>${cell('a')}${cell('b')}</w:tr><w:tr><w:tc>${inner}</w:tc>${cell('d')}</w:tr></w:tbl>`,
    );
    assert.deepEqual(wordText(xml).value, [
      {
        kind: 'table',
        rows: [
          ['a', 'b'],
          ['i1\ni2', 'd'],
        ],
      },
    ]);
  });

  test('a text box inside a paragraph is its own paragraph; mc:Fallback is not read twice', () => {
    const box = (t: string) =>
      `<w:txbxContent><w:p><w:r><w:t>${t}</w:t></w:r></w:p></w:txbxContent>`;
    const xml = W(
      `<w:p><w:r><w:t>before </w:t></w:r><w:r><mc:AlternateContent><mc:Choice>${box('Enable content')}</mc:Choice>` +
        `<mc:Fallback>${box('Enable content')}</mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>after</w:t></w:r></w:p>`,
    );
    assert.deepEqual(wordText(xml).value, [
      { kind: 'paragraph', text: 'Enable content' },
      { kind: 'paragraph', text: 'before after' },
    ]);
  });

  test('a table wider than maxCols is cut and flagged, and the text after it still comes', () => {
    const xml = W(
      '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr></w:tbl>' +
        '<w:p><w:r><w:t>after</w:t></w:r></w:p>',
    );
    const out = wordText(xml, { maxCols: 1 });
    assert.deepEqual(out.value, [
      { kind: 'table', rows: [['a']] },
      { kind: 'paragraph', text: 'after' },
    ]);
    assert.equal(out.isTruncated, true);
    assert.equal(wordText(xml, { maxCols: 2 }).isTruncated, false);
  });

  test('bounds: blocks and characters at the limit are whole, past it truncated', () => {
    const xml = W('<w:p><w:r><w:t>abc</w:t></w:r></w:p><w:p><w:r><w:t>def</w:t></w:r></w:p>');
    assert.equal(wordText(xml, { maxBlocks: 2 }).isTruncated, false);
    const few = wordText(xml, { maxBlocks: 1 });
    assert.deepEqual([few.value.length, few.isTruncated], [1, true]);
    assert.equal(wordText(xml, { maxChars: 6 }).isTruncated, false);
    const cut = wordText(xml, { maxChars: 5 });
    assert.deepEqual(cut.value, [
      { kind: 'paragraph', text: 'abc' },
      { kind: 'paragraph', text: 'de' },
    ]);
    assert.equal(cut.isTruncated, true);
  });

  test('hostile XML: a million "<", unterminated comments and quotes end in one pass', () => {
    let tokens = 0;
    walkXml('<'.repeat(1_000_000), () => void tokens++);
    walkXml('<!--'.repeat(250_000), () => void tokens++);
    walkXml('<a b="'.repeat(200_000), () => void tokens++);
    assert.ok(tokens < 10);
  });
});

describe('spreadsheet text', () => {
  test('shared strings keep rich runs and drop phonetic (furigana) runs', () => {
    const xml =
      '<sst><si><t>請求</t><rPh sb="0" eb="2"><t>セイキュウ</t></rPh></si><si><r><t>a</t></r><r><t>b</t></r></si><si/></sst>';
    assert.deepEqual(sharedStrings(xml).value, ['請求', 'ab', '']);
  });

  test('sheet cells land on their references as a dense grid; types s, b, str, inlineStr', () => {
    const xml =
      '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1"><v>12.5</v></c></row>' +
      '<row r="3"><c r="B3" t="b"><v>1</v></c><c r="C3" t="inlineStr"><is><t>&lt;x&gt;</t></is></c></row></sheetData></worksheet>';
    assert.deepEqual(sheetRows(xml, ['Total']).value, [
      ['Total', '', '12.5'],
      [],
      ['', 'TRUE', '<x>'],
    ]);
  });

  test('rows and columns: at the bound kept, past it cut and flagged', () => {
    const xml = '<sheetData><row r="2"><c r="B2"><v>1</v></c></row></sheetData>';
    assert.equal(sheetRows(xml, [], { maxRows: 2, maxCols: 2 }).isTruncated, false);
    assert.equal(sheetRows(xml, [], { maxRows: 1, maxCols: 2 }).isTruncated, true);
    assert.equal(sheetRows(xml, [], { maxRows: 2, maxCols: 1 }).isTruncated, true);
  });

  test('workbook sheets in tab order with their state', () => {
    const xml =
      '<workbook><sheets><sheet name="A&amp;B" sheetId="1" r:id="rId1"/><sheet name="h" state="veryHidden" r:id="rId2"/></sheets></workbook>';
    assert.deepEqual(workbookSheets(xml), [
      { name: 'A&B', relId: 'rId1', state: 'visible' },
      { name: 'h', relId: 'rId2', state: 'veryHidden' },
    ]);
  });

  test('slide text is its DrawingML paragraphs', () => {
    const xml =
      '<p:sld><p:txBody><a:p><a:r><a:t>Title</a:t></a:r></a:p><a:p><a:r><a:t>Body</a:t></a:r></a:p></p:txBody></p:sld>';
    assert.deepEqual(slideText(xml).value, ['Title', 'Body']);
  });
});
