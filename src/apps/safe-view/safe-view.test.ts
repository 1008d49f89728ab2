import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildXls } from '../../../test/builders/biff.js';
import { buildLegacySheet, legacyXlmSpec } from '../../../test/builders/biff-legacy.js';
import { buildDoc } from '../../../test/builders/doc.js';
import { buildMime } from '../../../test/builders/mime.js';
import { buildMsg } from '../../../test/builders/msg.js';
import { buildOle1Object, buildPpt, pptRecord } from '../../../test/builders/oleobj.js';
import { buildRtf } from '../../../test/builders/rtf.js';
import {
  buildViewDocx,
  buildViewPptx,
  buildViewXlsx,
  tinyPng,
} from '../../../test/builders/view-docs.js';
import type { ViewSection } from '../../report/view/index.js';
import { buildSafeView, renderSafeViewOf } from './index.js';

const HOSTILE = '<img src=x onerror=alert(1)>';
const enc = (s: string) => new TextEncoder().encode(s);
const texts = (s: ViewSection) =>
  s.blocks.flatMap((b) =>
    b.kind === 'paragraph' || b.kind === 'heading'
      ? [b.text]
      : b.kind === 'table'
        ? b.rows.map((r) => r.join('|'))
        : [],
  );

describe('buildSafeView: documents', () => {
  test('.docm: paragraphs, a table and a picture; the macros are listed as left out', async () => {
    const docm = buildViewDocx({
      paragraphs: ['請求書', `Subject ${HOSTILE}`],
      table: [
        ['Item', 'Price'],
        ['Widget', '1,200'],
      ],
      images: [{ name: 'image1.png', data: tinyPng() }],
      hasMacros: true,
    });
    const [section] = (await buildSafeView(docm, 'invoice.docm')).sections;
    assert.equal(section?.type, 'docm');
    assert.deepEqual(texts(section!), [
      '請求書',
      `Subject ${HOSTILE}`,
      'Item|Price',
      'Widget|1,200',
    ]);
    assert.ok(section!.blocks.some((b) => b.kind === 'image'));
    assert.deepEqual(section!.omitted, ['VBA macros']);
  });

  test('.xlsx: sheets as tables with shared strings, phonetic runs hidden, hidden sheets labelled', async () => {
    const xlsx = buildViewXlsx({
      sheets: [
        {
          name: '請求',
          rows: [
            ['品名', '金額'],
            ['部品', '1200'],
          ],
        },
        { name: 'h', rows: [['secret']], state: 'veryHidden' },
      ],
      phonetic: 'フリガナ',
    });
    const [section] = (await buildSafeView(xlsx, 'a.xlsx')).sections;
    assert.equal(section?.type, 'xlsx');
    assert.deepEqual(
      section!.blocks.map((b) => (b.kind === 'table' ? b.caption : b.kind)),
      ['請求', 'h (veryHidden)'],
    );
    assert.deepEqual(texts(section!), ['品名|金額', '部品|1200', 'secret']);
  });

  test('a sheet past the row bound is cut at the bound and says so', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => [`r${i}`]);
    const xlsx = buildViewXlsx({ sheets: [{ name: 'big', rows }] });
    const at = (await buildSafeView(xlsx, 'a.xlsx', { bounds: { maxRows: 30 } })).sections[0]!;
    assert.equal(texts(at).length, 30);
    assert.deepEqual(at.omitted, []);
    const cut = (await buildSafeView(xlsx, 'a.xlsx', { bounds: { maxRows: 29 } })).sections[0]!;
    assert.equal(texts(cut).length, 29);
    assert.match(cut.omitted.join(), /big: cells past 29 rows/);
  });

  test('.pptx: slide text under a heading per slide', async () => {
    const [section] = (
      await buildSafeView(buildViewPptx([['Title'], ['Point 1', 'Point 2']]), 'a.pptx')
    ).sections;
    assert.deepEqual(texts(section!), ['Slide 1', 'Title', 'Slide 2', 'Point 1', 'Point 2']);
  });

  test('.ppt: text atoms of the slides', async () => {
    const text = new Uint8Array(Buffer.from('Quarterly results\r請求書', 'utf16le'));
    const ppt = buildPpt([pptRecord(0x0f, 0, 0x0ff0, pptRecord(0, 0, 0x0fa0, text))]);
    const [section] = (await buildSafeView(ppt, 'a.ppt')).sections;
    assert.equal(section?.type, 'ppt');
    assert.deepEqual(texts(section!), ['Quarterly results', '請求書']);
  });

  test('.doc: piece-table text, with the Macros storage listed as left out', async () => {
    const doc = buildDoc({
      pieces: [{ text: 'Invoice\r', isCompressed: true }, { text: '請求書\r' }],
      hasMacros: true,
    });
    const [section] = (await buildSafeView(doc, 'a.doc')).sections;
    assert.equal(section?.type, 'doc');
    assert.deepEqual(texts(section!), ['Invoice', '請求書']);
    assert.deepEqual(section!.omitted, ['VBA macros']);
  });

  test('.xls: worksheet cells as a table; the macro sheet and Auto_Open are left out', async () => {
    const xls = buildXls({
      sheets: [
        {
          name: 'Sheet1',
          cells: [
            { ref: 'A1', value: 'Total' },
            { ref: 'B1', value: 42 },
          ],
        },
        {
          name: 'Macro1',
          type: 'macro',
          state: 'very-hidden',
          cells: [{ ref: 'A1', formula: 'HALT()' }],
        },
      ],
      names: [{ name: 'Auto_Open', isBuiltin: true, formula: 'Macro1!$A$1' }],
    });
    const [section] = (await buildSafeView(xls, 'a.xls')).sections;
    assert.equal(section?.type, 'xls');
    assert.deepEqual(texts(section!), ['Total|42']);
    assert.match(
      section!.omitted.join('; '),
      /1 Excel 4\.0 macro sheet\(s\); auto-run names: Auto_Open/,
    );
  });

  test('Excel 2.x–4.0 (biff): a BIFF3 worksheet as a table; a BIFF4 .xlm macro sheet is a "not viewable" note', async () => {
    const sheet = buildLegacySheet(3, {
      cells: [
        { ref: 'A1', value: `Total ${HOSTILE}` },
        { ref: 'B1', value: 42 },
        { ref: 'A2', formula: 'B1*2', value: 84 },
      ],
    });
    const [table] = (await buildSafeView(sheet, 'old.xls')).sections;
    assert.equal(table?.type, 'xls (BIFF3)');
    assert.deepEqual(texts(table!), [`Total ${HOSTILE}|42`, '84']);
    assert.deepEqual(
      table!.blocks.map((b) => (b.kind === 'table' ? b.caption : b.kind)),
      ['Sheet1'],
    );
    const dde = buildLegacySheet(4, {
      externSheets: [
        { dde: { application: 'cmd', topic: '/c echo inert' }, names: [{ name: 'A0' }] },
      ],
      cells: [{ ref: 'A1', value: 'x' }],
    });
    const [linked] = (await buildSafeView(dde, 'dde.xls')).sections;
    assert.deepEqual(linked!.omitted, ["1 DDE link(s): cmd|'/c echo inert'!A0"]);
    const [xlm] = (await buildSafeView(buildLegacySheet(4, legacyXlmSpec()), 'a.xlm')).sections;
    assert.equal(xlm?.type, 'xls (BIFF4)');
    assert.deepEqual(
      xlm!.blocks.map((b) => (b.kind === 'note' ? b.text : b.kind)),
      ['not viewable: an Excel 4.0 macro sheet: its cells are macros, which are not shown'],
    );
    assert.match(
      xlm!.omitted.join('; '),
      /1 Excel 4\.0 macro sheet\(s\); auto-run names: Auto_Open/,
    );
  });

  test('.rtf: plain text; the object and the DDE field are left out', async () => {
    const rtf = buildRtf({
      body: `Dear customer ${HOSTILE}`,
      fields: ['DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k echo inert"'],
      objects: [
        {
          objclass: 'Package',
          data: buildOle1Object({ className: 'Package', nativeData: enc('x') }),
        },
      ],
    });
    const [section] = (await buildSafeView(rtf, 'a.rtf')).sections;
    assert.equal(texts(section!)[0], `Dear customer ${HOSTILE}`);
    assert.deepEqual(section!.omitted, ['1 embedded object(s)', '1 DDE / INCLUDE field(s)']);
  });

  test('plain text in Shift_JIS is decoded; unknown binary gets a note', async () => {
    const sjis = Uint8Array.of(0x90, 0xbf, 0x8b, 0x81, 0x8f, 0x91); // 請求書
    assert.deepEqual(texts((await buildSafeView(sjis, 'a.txt')).sections[0]!), ['請求書']);
    const [bin] = (await buildSafeView(Uint8Array.of(0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0), 'a.exe'))
      .sections;
    assert.match(JSON.stringify(bin?.blocks), /no safe view for/);
  });
});

describe('buildSafeView: hostile and huge inputs stay bounded', () => {
  test('a 16 MiB text file is cut at maxChars and says so', async () => {
    const big = new Uint8Array(16 * 1024 * 1024).fill(0x61);
    const [section] = (await buildSafeView(big, 'big.txt', { bounds: { maxChars: 1000 } }))
      .sections;
    assert.equal(texts(section!)[0]?.length, 1000);
    assert.deepEqual(section!.omitted, ['text past the size limit']);
  });

  test('an internal DTD entity is not expanded (no billion laughs): the reference stays text', async () => {
    const docx = buildViewDocx({ paragraphs: ['x'] });
    const view = await buildSafeView(docx, 'a.docx');
    assert.deepEqual(texts(view.sections[0]!), ['x']);
    const { wordText } = await import('../../formats/ooxml/index.js');
    const xml =
      '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]><w:p><w:r><w:t>&b;</w:t></w:r></w:p>';
    assert.deepEqual(wordText(xml).value, [{ kind: 'paragraph', text: '&b;' }]);
  });

  test('an RTF lure picture (PNG in \\shppict) is shown as an image', async () => {
    const hex = Buffer.from(tinyPng()).toString('hex');
    const rtf = enc(`{\\rtf1 Enable content{\\*\\shppict{\\pict\\pngblip ${hex}}}}`);
    const [section] = (await buildSafeView(rtf, 'lure.rtf')).sections;
    assert.deepEqual(
      section!.blocks.map((b) => b.kind),
      ['paragraph', 'image'],
    );
  });
});

describe('buildSafeView: mail', () => {
  test('headers, text body and attachments, each attachment shown below the mail', async () => {
    const docx = buildViewDocx({ paragraphs: ['attached text'] });
    const mail = await buildMime({
      from: 'Sales <sales@example.com>',
      to: 'user@example.com',
      subject: `請求書 ${HOSTILE}`,
      text: 'パスワードは 1234 です',
      attachments: [
        { filename: 'invoice.docx', content: docx, contentType: 'application/octet-stream' },
        { filename: 'logo.png', content: tinyPng(), contentType: 'image/png' },
      ],
    });
    const view = await buildSafeView(mail, 'mail.eml');
    assert.deepEqual(
      view.sections.map((s) => [s.name, s.depth]),
      [
        ['mail.eml', 0],
        ['mail.eml!invoice.docx', 1],
        ['mail.eml!logo.png', 1],
      ],
    );
    const fields = view.sections[0]!.blocks.find((b) => b.kind === 'fields');
    assert.ok(
      fields?.kind === 'fields' &&
        fields.entries.some(([k, v]) => k === 'Subject' && v === `請求書 ${HOSTILE}`),
    );
    assert.deepEqual(texts(view.sections[0]!), ['パスワードは 1234 です']);
    assert.deepEqual(texts(view.sections[1]!), ['attached text']);
    assert.equal(view.sections[2]!.blocks[0]?.kind, 'image');
  });

  test('an HTML-only body is shown as text, never as HTML', async () => {
    const mail = await buildMime({
      from: 'a@example.com',
      to: 'b@example.com',
      subject: 's',
      html: `<p>Click <a href="http://198.51.100.9/x">here</a></p><script>alert(1)</script><img src="http://198.51.100.9/t.gif">`,
    });
    const html = await renderSafeViewOf(mail, 'mail.eml');
    assert.match(html, /Click here/);
    assert.doesNotMatch(html, /<a |href=|<script|198\.51\.100\.9\/t\.gif"/);
  });

  test('Outlook .msg: converted and shown like a mail', async () => {
    const msg = buildMsg({
      subject: '請求書送付',
      body: 'body text',
      senderEmail: 'sales@example.com',
      to: [{ email: 'user@example.com' }],
      attachments: [{ name: 'note.txt', data: enc('attached note') }],
    });
    const view = await buildSafeView(msg, 'a.msg');
    assert.equal(view.sections[0]?.type, 'msg');
    assert.match(JSON.stringify(view.sections[0]?.blocks), /請求書送付/);
    assert.deepEqual(texts(view.sections[1]!), ['attached note']);
  });

  test('attachments past maxSections and past maxDepth are listed as not shown', async () => {
    const outer = await buildMime({
      from: 'a@example.com',
      to: 'b@example.com',
      subject: 'outer',
      text: 'y',
      attachments: [
        { filename: 'a.txt', content: 'one', contentType: 'text/plain' },
        { filename: 'b.txt', content: 'two', contentType: 'text/plain' },
      ],
    });
    const two = await buildSafeView(outer, 'm.eml', { bounds: { maxSections: 3 } });
    assert.equal(two.sections.length, 3);
    const one = await buildSafeView(outer, 'm.eml', { bounds: { maxSections: 2 } });
    assert.equal(one.sections.length, 2);
    assert.match(one.sections[0]!.omitted.join(), /not shown/);
    const flat = await buildSafeView(outer, 'm.eml', { bounds: { maxDepth: 0 } });
    assert.equal(flat.sections.length, 1);
  });
});
