import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LineSplitter } from './lines.js';

function split(chunks: (string | Uint8Array)[], maxLineChars?: number) {
  const lines: [number, string][] = [];
  const overlong: [number, number][] = [];
  const s = new LineSplitter(
    { line: (t, n) => lines.push([n, t]), overlong: (n, c) => overlong.push([n, c]) },
    maxLineChars === undefined ? {} : { maxLineChars },
  );
  for (const c of chunks) s.push(typeof c === 'string' ? new TextEncoder().encode(c) : c);
  s.end();
  return { lines, overlong, count: s.lines };
}

describe('netlog: line splitter', () => {
  test('lines across chunk boundaries, CRLF, a BOM and a last line without newline', () => {
    const r = split(['\uFEFFfir', 'st\r\nsec', 'ond\n\nthird']);
    assert.deepEqual(r.lines, [
      [1, 'first'],
      [2, 'second'],
      [3, ''],
      [4, 'third'],
    ]);
    assert.equal(r.count, 4);
  });

  test('a UTF-8 character cut between two chunks is decoded whole; invalid bytes become U+FFFD', () => {
    const bytes = new TextEncoder().encode('日本\n');
    const r = split([bytes.subarray(0, 4), bytes.subarray(4), new Uint8Array([0xff, 0x0a])]);
    assert.deepEqual(r.lines, [
      [1, '日本'],
      [2, '\uFFFD'],
    ]);
  });

  test('a line of exactly maxLineChars is kept; one char more is skipped, reported with its number', () => {
    const r = split([`${'a'.repeat(10)}\n${'b'.repeat(11)}\nc\n`], 10);
    assert.deepEqual(r.lines, [
      [1, 'a'.repeat(10)],
      [3, 'c'],
    ]);
    assert.deepEqual(r.overlong, [[2, 11]]);
  });

  test('a 16 MiB line streamed in 64 KiB chunks is counted and skipped without being held', () => {
    const chunk = 'x'.repeat(64 * 1024);
    const chunks = [...Array.from({ length: 256 }, () => chunk), '\nafter\n'];
    const r = split(chunks, 1024 * 1024);
    assert.deepEqual(r.overlong, [[1, 16 * 1024 * 1024]]);
    assert.deepEqual(r.lines, [[2, 'after']]);
  });

  test('an overlong last line without newline is reported at end()', () => {
    const r = split(['ok\n', 'y'.repeat(50)], 20);
    assert.deepEqual(r.lines, [[1, 'ok']]);
    assert.deepEqual(r.overlong, [[2, 50]]);
  });
});
