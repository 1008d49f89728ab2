import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSylk, emotetSylkSpec } from '../../../test/builders/sylk.js';
import { parseSylk, rewriteSylk } from './index.js';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array) => String.fromCharCode(...b);

test('sylk rewrite: formulas, names and the macro-sheet flag go; values and formats stay', () => {
  const out = rewriteSylk(buildSylk(emotetSylkSpec()));
  const slk = parseSylk(out.bytes);
  assert.equal(slk.isMacroSheet, false);
  assert.deepEqual(slk.names, []);
  assert.ok(
    slk.cells.every((c) => c.formula === undefined),
    'no cell keeps a formula',
  );
  assert.deepEqual(
    slk.cells.map((c) => c.value),
    [0, 0, 0, 0, 'http://198.51.1', '00.23/inv/update.dll'],
  );
  assert.deepEqual(
    out.removed.map((r) => r.what),
    ['macro-sheet', 'name', 'formula', 'formula', 'formula', 'formula'],
  );
  assert.equal(out.removed[1]!.text, 'Auto_open = R1C1');
  assert.ok(out.removed[3]!.text.startsWith('CALL("urlmon"'), out.removed[3]!.text);
});

test('sylk rewrite: kept records are copied byte for byte, ;; escapes survive, lines end CRLF', () => {
  const input = 'ID;PWXL;N;E\nP;PGeneral\nF;P0;DG0G8;M255\rC;Y1;X1;K"a;;b\xe9"\nW;N1;A1 1\nE';
  const out = rewriteSylk(bytes(input));
  assert.equal(out.removed.length, 0);
  assert.equal(
    text(out.bytes),
    'ID;PWXL;N;E\r\nP;PGeneral\r\nF;P0;DG0G8;M255\r\nC;Y1;X1;K"a;;b\xe9"\r\nW;N1;A1 1\r\nE\r\n',
  );
});

test('sylk rewrite: shared and matrix expressions, external links and unknown records go', () => {
  const input = [
    'ID;PWXL',
    'C;Y1;X1;K3;ESUM(1;;2);D',
    'C;Y2;X1;K3;S;R1;C1',
    'C;Y3;X1;K1;MR1C1*2',
    'NE;Fother.xls;SA1;EA1',
    'NU;Lold.xls;Fnew.xls',
    'ZZ;Xwhatever',
    'E',
  ].join('\r\n');
  const out = rewriteSylk(bytes(input));
  assert.equal(text(out.bytes), 'ID;PWXL\r\nC;Y1;X1;K3\r\nC;Y2;X1;K3\r\nC;Y3;X1;K1\r\nE\r\n');
  assert.deepEqual(
    out.removed.map((r) => `${r.line}:${r.what}:${r.text}`),
    [
      '2:formula:SUM(1;2)',
      '3:formula:C;Y2;X1;K3;S;R1;C1',
      '4:formula:R1C1*2',
      '5:external-link:NE;Fother.xls;SA1;EA1',
      '6:external-link:NU;Lold.xls;Fnew.xls',
      '7:record:ZZ;Xwhatever',
    ],
  );
});

test('sylk rewrite: a record hidden after a lone CR is rewritten like any other line', () => {
  const out = rewriteSylk(
    bytes('ID;PWXL\r\nC;Y1;X1;K1\rNN;NAuto_open;ER1C1\rC;Y1;X1;EHALT()\r\nE'),
  );
  assert.equal(text(out.bytes), 'ID;PWXL\r\nC;Y1;X1;K1\r\nC;Y1;X1\r\nE\r\n');
});

test('sylk rewrite: the deadline is checked while records are read', () => {
  const lines = Array.from({ length: 10_000 }, (_, i) => `C;Y${i + 1};X1;K${i}`);
  let calls = 0;
  rewriteSylk(bytes(['ID;PWXL', ...lines, 'E'].join('\r\n')), {
    checkDeadline: () => void calls++,
  });
  assert.equal(calls, 2);
});
