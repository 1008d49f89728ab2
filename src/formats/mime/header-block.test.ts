import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readHeaderBlock } from './header-block.js';

const bytes = (s: string) => new TextEncoder().encode(s);

test('readHeaderBlock: folded fields, encoded words, stops at the empty line', () => {
  const h = readHeaderBlock(
    bytes(
      'From: =?UTF-8?B?55Sw5Lit?= <tanaka@example.co.jp>\r\nTo: a@example.jp,\r\n b@example.org\r\n' +
        'Message-ID: <id-1@example.co.jp>\r\nSubject: x\r\n\r\nFrom: body@example.net\r\n',
    ),
  );
  assert.equal(h.from[0]?.name, '田中');
  assert.deepEqual(
    h.to.map((a) => a.address),
    ['a@example.jp', 'b@example.org'],
  );
  assert.equal(h.messageId, '<id-1@example.co.jp>');
  assert.equal(h.from.length, 1, 'the body is not read');
});

test('readHeaderBlock: a head cut before its end still yields the fields read so far', () => {
  const h = readHeaderBlock(bytes('From: a@example.com\nMessage-ID: <x@example.com>\nX-Pad: aaa'));
  assert.equal(h.messageId, '<x@example.com>');
});
