import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildMime } from '../../../test/builders/mime.js';
import { looksLikeMail } from './looks-like-mail.js';

const enc = (s: string) => new TextEncoder().encode(s);

test('looksLikeMail: a composed message is mail', async () => {
  assert.equal(looksLikeMail(await buildMime({ subject: 'hi', text: 'body' })), true);
});

test('looksLikeMail: mbox From line, folding, LF-only and obs-optional colons are tolerated', () => {
  assert.equal(
    looksLikeMail(
      enc(
        'From sender@example.com Mon Jan 15 09:30:00 2024\nReceived: from a\n\tby b\nSubject : x\nDate: y\n\nbody',
      ),
    ),
    true,
  );
});

test('looksLikeMail: a message of headers only, without the blank line, is mail', () => {
  assert.equal(looksLikeMail(enc('From: a@example.com\r\nTo: b@example.com')), true);
});

test('looksLikeMail: one known field is not enough', () => {
  assert.equal(looksLikeMail(enc('Subject: x\r\nX-Other: y\r\n\r\nbody')), false);
  assert.equal(looksLikeMail(enc('Subject: x\r\nSubject: y\r\n\r\n')), false);
});

test('looksLikeMail: text that is not a header block is not mail', () => {
  assert.equal(
    looksLikeMail(enc('HTTP/1.1 200 OK\r\nDate: x\r\nContent-Type: text/html\r\n\r\n')),
    false,
  );
  assert.equal(looksLikeMail(enc(' From: a@example.com\r\nTo: b@example.com\r\n')), false);
  assert.equal(looksLikeMail(enc('Dear sir,\nFrom: a\nTo: b\n')), false);
  assert.equal(looksLikeMail(enc('from to: x\nsubject: y\n')), false);
  assert.equal(looksLikeMail(new Uint8Array(0)), false);
  assert.equal(looksLikeMail(enc('From: a\x00b\r\nTo: b\r\n')), false);
});

test('looksLikeMail: only the first 4 KiB are read', () => {
  const padding = `X-Pad: ${'a'.repeat(5000)}\r\n`;
  assert.equal(
    looksLikeMail(enc(`${padding}From: a@example.com\r\nTo: b@example.com\r\n\r\n`)),
    false,
  );
  const huge = new Uint8Array(64 * 1024 * 1024);
  huge.set(enc('From: a@example.com\r\nTo: b@example.com\r\n\r\n'));
  const started = performance.now();
  assert.equal(looksLikeMail(huge), true);
  assert.ok(performance.now() - started < 50);
});
