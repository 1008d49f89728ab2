import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCondition, selectIdentifiers, type Condition } from './condition.js';

const fail = (code: string, message: string, offset: number) =>
  Object.assign(new Error(message), { code, offset });
const parse = (s: string) => parseCondition(s, 32, fail);
const show = (c: Condition): string =>
  c.op === 'id'
    ? c.name
    : c.op === 'of'
      ? `(${c.count} of ${c.pattern})`
      : c.op === 'not'
        ? `(not ${show(c.item)})`
        : `(${c.items.map(show).join(` ${c.op} `)})`;

describe('condition grammar (rules specification 2.0)', () => {
  test('precedence: not binds tighter than and, and tighter than or', () => {
    assert.equal(show(parse('a or b and not c')), '(a or (b and (not c)))');
    assert.equal(show(parse('not a and b')), '((not a) and b)');
  });

  test('parentheses override precedence', () => {
    assert.equal(show(parse('(a or b) and c')), '((a or b) and c)');
    assert.equal(show(parse('not (a or b)')), '(not (a or b))');
  });

  test('1 of, all of, N of with patterns and them', () => {
    assert.equal(
      show(parse('1 of selection_* and not all of filter*')),
      '((1 of selection_*) and (not (all of filter*)))',
    );
    assert.equal(show(parse('2 of them')), '(2 of them)');
    assert.equal(show(parse('all of them')), '(all of them)');
  });

  test('them leaves out identifiers starting with _; patterns match with *', () => {
    const ids = ['selection_a', 'selection_b', '_helper', 'filter'];
    assert.deepEqual(selectIdentifiers('them', ids), ['selection_a', 'selection_b', 'filter']);
    assert.deepEqual(selectIdentifiers('selection_*', ids), ['selection_a', 'selection_b']);
    assert.deepEqual(selectIdentifiers('*_b', ids), ['selection_b']);
    assert.deepEqual(selectIdentifiers('filter', ids), ['filter']);
  });

  test('legacy aggregations are refused with E_SIGMA_UNSUPPORTED_AGGREGATION at their offset', () => {
    assert.throws(() => parse('selection | count() by User > 5'), {
      code: 'E_SIGMA_UNSUPPORTED_AGGREGATION',
      offset: 10,
    });
    assert.throws(() => parse('a near b'), { code: 'E_SIGMA_UNSUPPORTED_AGGREGATION', offset: 2 });
    assert.throws(() => parse('near a'), { code: 'E_SIGMA_UNSUPPORTED_AGGREGATION' });
  });

  test('syntax errors: E_SIGMA_CONDITION with the offset of the problem', () => {
    assert.throws(() => parse('(a or b'), { code: 'E_SIGMA_CONDITION', offset: 7 });
    assert.throws(() => parse('a and'), { code: 'E_SIGMA_CONDITION' });
    assert.throws(() => parse('a b'), { code: 'E_SIGMA_CONDITION', offset: 2 });
    assert.throws(() => parse('1 of'), { code: 'E_SIGMA_CONDITION' });
    assert.throws(() => parse('0 of them'), { code: 'E_SIGMA_CONDITION' });
    assert.throws(() => parse(''), { code: 'E_SIGMA_CONDITION' });
  });

  test('nesting deeper than maxConditionDepth → E_SIGMA_TOO_LARGE; at the limit it parses', () => {
    const nested = (n: number) => `${'('.repeat(n)}a${')'.repeat(n)}`;
    assert.equal(show(parseCondition(nested(4), 4, fail)), 'a');
    assert.throws(() => parseCondition(nested(5), 4, fail), { code: 'E_SIGMA_TOO_LARGE' });
    assert.throws(() => parseCondition(`${'not '.repeat(5)}a`, 4, fail), {
      code: 'E_SIGMA_TOO_LARGE',
    });
  });
});
