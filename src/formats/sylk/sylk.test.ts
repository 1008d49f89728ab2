import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSylk, buildSylkText } from '../../../test/builders/sylk.js';
import { isSylk, parseSylk, splitFields } from './index.js';

const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

test('sylk: ;; is a literal semicolon inside a field', () => {
  assert.deepEqual(splitFields('C;X1;EEXEC("a;;b");;;Kx'), ['C', 'X1', 'EEXEC("a;b");', 'Kx']);
});

test('sylk: cells keep the last X/Y when a record omits them; F records move the position too', () => {
  const slk = parseSylk(
    text('ID;PWXL\r\nC;Y3;X2;K1\r\nC;X4;K"four"\r\nF;Y7;X1\r\nC;EHALT()\r\nE\r\n'),
  );
  assert.deepEqual(slk.cells, [
    { row: 2, col: 1, value: 1 },
    { row: 2, col: 3, value: 'four' },
    { row: 6, col: 0, formula: 'HALT()' },
  ]);
});

test('sylk: O;E marks a macro sheet, NN records define names, K reads booleans and errors', () => {
  const slk = parseSylk(
    buildSylk({
      isMacroSheet: true,
      names: [{ name: 'Auto_open', formula: 'R2C1' }],
      cells: [
        { y: 1, x: 1, value: true },
        { y: 2, x: 1, value: 0, formula: 'EXEC("calc;x")' },
      ],
    }),
  );
  assert.equal(slk.isMacroSheet, true);
  assert.equal(slk.application, 'WXL');
  assert.deepEqual(slk.names, [{ name: 'Auto_open', formula: 'R2C1' }]);
  assert.deepEqual(slk.cells[1], { row: 1, col: 0, formula: 'EXEC("calc;x")', value: 0 });
  assert.deepEqual(parseSylk(text('ID;P\nC;Y1;X1;K#N/A\nE\n')).cells[0]!.value, { error: '#N/A' });
});

test('sylk: positions outside the grid and a missing ID record are anomalies, not crashes', () => {
  const slk = parseSylk(text('C;Y0;X1;K1\nC;Y99999999;X1;K2\nC;YNaN;X1;K3\nC;Y1;X1;K4\n'));
  assert.deepEqual(
    slk.anomalies.map((a) => a.code),
    ['E_SYLK_NO_ID', 'E_SYLK_BAD_POSITION', 'E_SYLK_BAD_POSITION', 'E_SYLK_BAD_POSITION'],
  );
  assert.deepEqual(slk.cells, [{ row: 0, col: 0, value: 4 }]);
});

test('sylk: maxCells and maxNames admit exactly their count', () => {
  const bytes = buildSylk({
    names: [
      { name: 'a', formula: 'R1C1' },
      { name: 'b', formula: 'R1C1' },
    ],
    cells: [1, 2, 3].map((y) => ({ y, x: 1, value: y })),
  });
  assert.deepEqual(parseSylk(bytes, { maxCells: 3, maxNames: 2 }).anomalies, []);
  const cut = parseSylk(bytes, { maxCells: 2, maxNames: 1 });
  assert.deepEqual(
    cut.anomalies.map((a) => a.code),
    ['E_SYLK_NAME_LIMIT', 'E_SYLK_CELL_LIMIT'],
  );
  assert.equal(cut.cells.length, 2);
});

test('sylk: isSylk wants the ID;P record first', () => {
  assert.equal(isSylk(text(buildSylkText({ cells: [] }))), true);
  assert.equal(isSylk(text(' ID;P')), false);
  assert.equal(isSylk(text('ID,P')), false);
});
