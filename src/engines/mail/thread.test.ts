import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildMailContext, buildMime, type MimeSpec } from '../../../test/builders/mime.js';
import { mailEngine } from './index.js';

const hijack = async (spec: MimeSpec) => {
  const out = await mailEngine.analyze(buildMailContext(await buildMime(spec)));
  return out.findings?.filter((f) => f.id === 'mail.thread-hijack-suspect') ?? [];
};

const STOLEN_THREAD =
  'ご確認ください。\r\n\r\n-----Original Message-----\r\nFrom: tanaka@victim.example.co.jp\r\n' +
  'To: sato@partner.example.jp\r\nSubject: 見積書\r\n\r\n> 見積書をお送りします。\r\n';

test('thread hijack: a third domain answers a stolen victim↔partner thread', async () => {
  const found = await hijack({
    from: 'someone@compromised.example.net',
    to: 'tanaka@victim.example.co.jp',
    subject: 'RE: 見積書',
    text: STOLEN_THREAD,
  });
  assert.equal(found.length, 1);
  assert.match(found[0]!.evidence[0]!.note!, /sent from example\.net/);
});

test('thread hijack: the display name claims a party of the conversation the mail is not from', async () => {
  const found = await hijack({
    from: '"keiri@partner.example.jp" <noreply@mailer.example.net>',
    to: 'tanaka@victim.example.co.jp',
    subject: 'Re: 【請求書】11月分',
    headers: [{ key: 'In-Reply-To', value: '<20261101.4F2A@partner.example.jp>' }],
    text: '請求書を添付します。',
  });
  assert.equal(found.length, 1);
  assert.match(found[0]!.evidence[0]!.note!, /under the name of example\.jp/);
});

test('thread hijack: an ordinary reply from the other party does not fire', async () => {
  for (const text of [
    STOLEN_THREAD, // Outlook-style quote that names the sender's own organisation
    'Sure.\r\n\r\nOn Thu, Nov 20, 2026 at 9:00 tanaka@victim.example.co.jp wrote:\r\n> lunch?\r\n', // Gmail-style
  ]) {
    const found = await hijack({
      from: 'sato@partner.example.jp',
      to: 'tanaka@victim.example.co.jp',
      subject: 'Re: 見積書',
      text,
    });
    assert.deepEqual(found, []);
  }
});

test('thread hijack: a new mail (no reply markers) never fires', async () => {
  assert.deepEqual(
    await hijack({
      from: 'x@other.example.org',
      to: 'tanaka@victim.example.co.jp',
      subject: '見積書',
      text: STOLEN_THREAD,
    }),
    [],
  );
});
