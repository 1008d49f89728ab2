import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FormulaSyntaxError, MAX_FORMULA_DEPTH, parseFormula } from './formula.js';

const at = { row: 9, col: 4 }; // E10

test('formula: A1 references, ranges and sheet-qualified ones (quoted names too)', () => {
  assert.deepEqual(parseFormula('=$B$2', at), { k: 'ref', row: 1, col: 1, row2: 1, col2: 1 });
  assert.deepEqual(parseFormula('C3:A1', at), { k: 'ref', row: 0, col: 0, row2: 2, col2: 2 });
  assert.deepEqual(parseFormula("'It''s'!A1", at), {
    k: 'ref',
    sheet: "It's",
    row: 0,
    col: 0,
    row2: 0,
    col2: 0,
  });
  assert.deepEqual(parseFormula('Macro1!Name1', at), { k: 'name', v: 'Name1', sheet: 'Macro1' });
});

test('formula: R1C1 references, absolute and relative to the formula cell', () => {
  assert.deepEqual(parseFormula('R1C1', at), { k: 'ref', row: 0, col: 0, row2: 0, col2: 0 });
  assert.deepEqual(parseFormula('R[-1]C[2]', at), { k: 'ref', row: 8, col: 6, row2: 8, col2: 6 });
  assert.deepEqual(parseFormula('RC', at), { k: 'ref', row: 9, col: 4, row2: 9, col2: 4 });
  // Ambiguous text reads as A1 unless R1C1 is preferred (SYLK, FORMULA() text).
  assert.deepEqual(parseFormula('RC4', at), { k: 'ref', row: 3, col: 470, row2: 3, col2: 470 });
  assert.deepEqual(parseFormula('RC4', at, true), { k: 'ref', row: 9, col: 3, row2: 9, col2: 3 });
});

test('formula: operators by precedence, strings with doubled quotes, missing arguments', () => {
  const node = parseFormula('IF(1+2*3>=7&"a""b",,-B1%)', at);
  assert.equal(node.k, 'call');
  if (node.k !== 'call') return;
  assert.equal(node.name, 'IF');
  assert.deepEqual(node.args[1], { k: 'missing' });
  assert.deepEqual(node.args[0], {
    k: 'bin',
    op: '>=',
    a: {
      k: 'bin',
      op: '+',
      a: { k: 'num', v: 1 },
      b: { k: 'bin', op: '*', a: { k: 'num', v: 2 }, b: { k: 'num', v: 3 } },
    },
    b: { k: 'bin', op: '&', a: { k: 'num', v: 7 }, b: { k: 'str', v: 'a"b' } },
  });
  assert.deepEqual(parseFormula('1E+3', at), { k: 'num', v: 1000 });
  assert.deepEqual(parseFormula('#DIV/0!', at), { k: 'err', v: '#DIV/0!' });
});

test('formula: nesting past MAX_FORMULA_DEPTH is a syntax error, not a stack overflow', () => {
  const deep = (n: number) => `${'('.repeat(n)}1${')'.repeat(n)}`;
  assert.deepEqual(parseFormula(deep(MAX_FORMULA_DEPTH - 1), at), { k: 'num', v: 1 });
  assert.throws(() => parseFormula(deep(MAX_FORMULA_DEPTH), at), FormulaSyntaxError);
  assert.throws(() => parseFormula(deep(10_000), at), FormulaSyntaxError);
  assert.throws(() => parseFormula(`${'-'.repeat(10_000)}1`, at), FormulaSyntaxError);
  assert.throws(() => parseFormula(`${'CHAR('.repeat(5_000)}1`, at), FormulaSyntaxError);
});

test('formula: broken text is a FormulaSyntaxError', () => {
  for (const bad of ['"open', 'SUM(1', '1 2', '@', ')']) {
    assert.throws(() => parseFormula(bad, at), FormulaSyntaxError, bad);
  }
});
