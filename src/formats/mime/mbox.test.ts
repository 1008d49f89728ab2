import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitMbox } from './index.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

const MBOX =
  'From a@example.com Thu Nov 20 09:00:00 2026\nFrom: a@example.com\nSubject: one\n\nhello\n>From the past\n\n' +
  'From b@example.com Thu Nov 20 10:00:00 2026\nFrom: b@example.com\nSubject: two\n\nintro\nFrom here on it is body text\n';

test('mbox: messages split at From_ lines after a blank line; >From unquoted', () => {
  const { messages, truncated } = splitMbox(enc(MBOX));
  assert.equal(truncated, false);
  assert.equal(messages.length, 2);
  assert.equal(
    dec(messages[0]!.bytes),
    'From: a@example.com\nSubject: one\n\nhello\nFrom the past\n\n',
  );
  assert.equal(messages[1]!.line, 8);
  assert.match(dec(messages[1]!.bytes), /From here on it is body text/);
});

test('mbox: maxMessages bounds the split', () => {
  const many = 'From x Thu Nov 20 09:00:00 2026\nSubject: s\n\nb\n\n'.repeat(10);
  const { messages, truncated } = splitMbox(enc(many), 3);
  assert.deepEqual([messages.length, truncated], [3, true]);
});
