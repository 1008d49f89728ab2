import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildMailContext, buildMime } from '../../../test/builders/mime.js';
import { mailEngine } from './index.js';
import { MAX_ENVELOPE_ADDRESSES } from './envelope.js';

test('mail envelope: from, recipients, subject, date, ids and quoted correspondents; findings carry the Date', async () => {
  const bytes = await buildMime({
    from: '"Jiro <jiro@partner.example.net>" <attacker@example.org>',
    to: ['taro@example.co.jp'],
    cc: 'hanako@example.co.jp',
    subject: 'Re: 請求書の件',
    messageId: '<m1@example.org>',
    headers: [{ key: 'In-Reply-To', value: '<m0@partner.example.net>' }],
    text: 'ご確認ください。\n\n-----Original Message-----\nFrom: jiro@partner.example.net\nTo: taro@example.co.jp\n',
    attachments: [{ filename: 'invoice.docm', content: new Uint8Array([1, 2, 3]) }],
  });
  const out = await mailEngine.analyze(buildMailContext(bytes));
  const mail = out.extracted?.mail;
  assert.ok(mail);
  assert.equal(mail.from, 'attacker@example.org');
  assert.equal(mail.fromName, 'Jiro <jiro@partner.example.net>');
  assert.deepEqual(mail.to, ['taro@example.co.jp']);
  assert.deepEqual(mail.cc, ['hanako@example.co.jp']);
  assert.equal(mail.subject, 'Re: 請求書の件');
  assert.equal(mail.date, '2024-01-15T00:30:00.000Z');
  assert.equal(mail.messageId, '<m1@example.org>');
  assert.equal(mail.inReplyTo, '<m0@partner.example.net>');
  assert.deepEqual(mail.quoted.sort(), ['jiro@partner.example.net', 'taro@example.co.jp']);
  assert.ok((out.findings ?? []).length > 0);
  for (const f of out.findings ?? []) assert.equal(f.observedAt, '2024-01-15T00:30:00.000Z', f.id);
});

test('mail envelope: recipients are kept up to MAX_ENVELOPE_ADDRESSES, the rest dropped', async () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => `u${i}@example.com`);
  for (const [n, kept] of [
    [MAX_ENVELOPE_ADDRESSES, MAX_ENVELOPE_ADDRESSES],
    [MAX_ENVELOPE_ADDRESSES + 1, MAX_ENVELOPE_ADDRESSES],
  ] as const) {
    const out = await mailEngine.analyze(
      buildMailContext(await buildMime({ to: many(n), text: 'hi' })),
    );
    assert.equal(out.extracted?.mail?.to.length, kept);
  }
});
