import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findPasswordCandidates } from './index.js';

test('passwords: Japanese labels with full-width colons and brackets', () => {
  assert.deepEqual(findPasswordCandidates('', '添付ファイルのパスワード：Xk29aQ\r\n'), ['Xk29aQ']);
  assert.deepEqual(findPasswordCandidates('', 'パスワードは「7hG2k」です。'), ['7hG2k']);
  assert.deepEqual(findPasswordCandidates('', '解凍パス: abc123'), ['abc123']);
});

test('passwords: English forms and the subject', () => {
  assert.deepEqual(findPasswordCandidates('Invoice (password: Q1w2)', ''), ['Q1w2']);
  assert.deepEqual(findPasswordCandidates('', 'The password is LX402.'), ['LX402']);
});

test('passwords: a lone letters-and-digits token on its own line', () => {
  assert.deepEqual(
    findPasswordCandidates('', 'Please see the file.\r\n\r\n  Ab3dE9  \r\n\r\nRegards'),
    ['Ab3dE9'],
  );
  assert.deepEqual(findPasswordCandidates('', 'Regards\r\nTanaka\r\n2026\r\n'), []);
});

test('passwords: bounded count', () => {
  const text = Array.from({ length: 50 }, (_, i) => `password: p${i}x`).join('\n');
  assert.equal(findPasswordCandidates('', text).length, 20);
});
