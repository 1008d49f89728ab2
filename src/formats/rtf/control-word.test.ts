import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_WORD_LETTERS, readControlWord, skipFallback } from './control-word.js';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

test('rtf control word: letters, a signed parameter and one space delimiter', () => {
  assert.deepEqual(readControlWord(bytes('\\fs-24 x'), 0), { word: 'fs', param: -24, end: 7 });
  assert.deepEqual(readControlWord(bytes('\\par\\b'), 0), {
    word: 'par',
    param: undefined,
    end: 4,
  });
  assert.deepEqual(readControlWord(bytes('\\li-x'), 0), { word: 'li', param: undefined, end: 3 });
  assert.deepEqual(readControlWord(bytes('{\\b0 '), 1), { word: 'b', param: 0, end: 5 });
});

test('rtf control word: the parameter is clamped to 2^31-1', () => {
  assert.equal(readControlWord(bytes('\\bin99999999999 '), 0).param, 0x7fffffff);
});

test(`rtf control word: ${MAX_WORD_LETTERS} letters are read whole, longer words are cut there`, () => {
  const at = 'a'.repeat(MAX_WORD_LETTERS);
  assert.equal(readControlWord(bytes(`\\${at} `), 0).word, at);
  const over = readControlWord(bytes(`\\${at}bc1 `), 0);
  assert.equal(over.word, at);
  assert.equal(over.end, MAX_WORD_LETTERS + 5, 'the end is past every letter and the parameter');
});

test("rtf \\u fallback: one byte or one \\'hh is skipped, a brace or control word is not", () => {
  assert.equal(skipFallback(bytes('?x'), 0), 1);
  assert.equal(skipFallback(bytes("\\'3fx"), 0), 4);
  assert.equal(skipFallback(bytes('\\par'), 0), 0);
  assert.equal(skipFallback(bytes('}'), 0), 0);
  assert.equal(skipFallback(bytes(''), 0), 0);
});
