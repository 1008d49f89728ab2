import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LimitError } from '../../core/index.js';
import { PaddingTrimmer } from './padding.js';

const tooLarge = (actual: number) =>
  new LimitError('E_LIMIT_MEMBER_SIZE', 'big', { limit: 'maxBytes', max: 100, actual });
const bytes = (...parts: (number[] | [number, number])[]) => Uint8Array.from(parts.flat());
const run = (value: number, n: number) => new Array<number>(n).fill(value);

test('padding: a trailing run of at least minRun is cut, across chunk boundaries', () => {
  const t = new PaddingTrimmer(100, 8, tooLarge);
  t.push(bytes([1, 2, 3], run(0, 4)));
  t.push(bytes(run(0, 10)));
  assert.deepEqual(t.finish(), { bytes: bytes([1, 2, 3]), trimmed: 14, value: 0 });
});

test('padding: runs inside the data are kept, and a short trailing run is kept', () => {
  const t = new PaddingTrimmer(100, 8, tooLarge);
  t.push(bytes([1], run(0, 20)));
  t.push(bytes([2], run(7, 3)));
  const out = t.finish();
  assert.deepEqual([out.bytes, out.trimmed], [bytes([1], run(0, 20), [2], run(7, 3)), 0]);
});

test('padding: kept bytes are capped; the padding does not count', () => {
  const ok = new PaddingTrimmer(4, 8, tooLarge);
  ok.push(bytes([1, 2, 3, 4], run(0, 1000)));
  assert.equal(ok.finish().bytes.length, 4);
  const over = new PaddingTrimmer(4, 8, tooLarge);
  assert.throws(() => over.push(bytes([1, 2, 3, 4, 5], run(0, 9))), LimitError);
});
