import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Anomaly } from '../../core/index.js';
import { Cursor } from '../biff/index.js';
import { brt } from '../../../test/builders/xlsm.js';
import { parseSheetBin } from './index.js';
import { SharedFormulas } from './shared.js';

const u16 = (n: number) => [n & 0xff, n >> 8];
const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const rowHdr = (row: number) => brt(0, u32(row));
/** BrtFmlaNum (2.4.686): column, style, cached value, flags, CellParsedFormula. */
const fmlaNum = (col: number, rgce: number[]) =>
  brt(9, [
    ...u32(col),
    ...u32(0),
    ...new Array<number>(8).fill(0),
    ...u16(0),
    ...u32(rgce.length),
    ...rgce,
    ...u32(0),
  ]);
const ptgExp = (row: number) => [0x01, ...u32(row)];
/** PtgRefN (2.5.198.88), BIFF12: row offset, column offset with both relative flags. */
const refN = (dRow: number, dCol: number) => [0x2c, ...u32(dRow), ...u16((dCol & 0x3fff) | 0xc000)];
const rfx = (r1: number, r2: number, c1: number, c2: number) => [
  ...u32(r1),
  ...u32(r2),
  ...u32(c1),
  ...u32(c2),
];
const shrFmla = (range: number[], rgce: number[]) =>
  brt(428, [...range, ...u32(rgce.length), ...rgce, ...u32(0)]);
const arrFmla = (range: number[], rgce: number[]) =>
  brt(426, [...range, 0, ...u32(rgce.length), ...rgce, ...u32(0)]);

const parse = (parts: Uint8Array[], anomalies: Anomaly[] = []) =>
  parseSheetBin(
    Uint8Array.from(parts.flatMap((p) => [...p])),
    'xl/macrosheets/sheet1.bin',
    { maxCells: 100, sharedStrings: [], env: {} },
    anomalies,
  );

test('xlsb shared formulas: PtgExp cells take the BrtShrFmla of their range, references shifted per cell', () => {
  const cells = parse([
    rowHdr(0),
    fmlaNum(0, ptgExp(0)),
    shrFmla(rfx(0, 2, 0, 0), refN(0, 1)),
    fmlaNum(2, ptgExp(0)), // C1: row 0, but outside A1:A3
    rowHdr(1),
    fmlaNum(0, ptgExp(0)),
    rowHdr(2),
    fmlaNum(0, ptgExp(7)), // no range anchored on row 8
  ]);
  assert.deepEqual(
    cells.map((c) => [c.row, c.col, c.formula, c.formulaError]),
    [
      [0, 0, 'B1', undefined],
      [0, 2, '', 'PtgExp points to no shared or array formula'],
      [1, 0, 'B2', undefined],
      [2, 0, '', 'PtgExp points to no shared or array formula'],
    ],
  );
});

test('xlsb array formulas: BrtArrFmla resolves like a shared one; a shared formula holding PtgExp is refused', () => {
  const cells = parse([
    rowHdr(4),
    fmlaNum(1, ptgExp(4)),
    arrFmla(rfx(4, 4, 1, 1), [0x1e, ...u16(42)]), // PtgInt 42
    fmlaNum(3, ptgExp(4)),
    shrFmla(rfx(4, 4, 3, 3), ptgExp(4)),
  ]);
  assert.deepEqual(
    cells.map((c) => [c.formula, c.formulaError]),
    [
      ['42', undefined],
      ['', 'shared formula refers to another one'],
    ],
  );
});

test('xlsb shared formulas: the per-sheet cap keeps exactly its count and reports the rest once', () => {
  const record = (r: number) =>
    new Cursor(Uint8Array.from([...rfx(r, r, 0, 0), ...u32(0), ...u32(0)]));
  const anomalies: Anomaly[] = [];
  const shared = new SharedFormulas(anomalies, 'p', 2);
  for (const r of [0, 1, 2, 3]) shared.take(record(r), false, r);
  assert.ok(shared.find(1, 1, 0), 'the second formula is kept');
  assert.equal(shared.find(2, 2, 0), undefined, 'the third is dropped');
  assert.deepEqual(
    anomalies.map((a) => a.code),
    ['E_XLSB_SHARED_FORMULA_LIMIT'],
  );
});
