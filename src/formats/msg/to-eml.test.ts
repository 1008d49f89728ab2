import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildMsg } from '../../../test/builders/msg.js';
import { parseMail } from '../mime/index.js';
import { isOutlookMsg, msgToEml } from './index.js';

const doc = new TextEncoder().encode('inert attachment bytes');

test('msg: rebuilt from MAPI properties — sender, recipients, subject, body, attachments', async () => {
  const msg = buildMsg({
    subject: '請求書の件',
    body: '添付をご確認ください。',
    senderName: '経理部',
    senderEmail: 'keiri@example.net',
    to: [{ name: 'Tanaka', email: 'tanaka@victim.example.co.jp' }],
    attachments: [{ name: '請求書.doc', data: doc }],
  });
  assert.ok(isOutlookMsg(msg));
  const { eml, anomalies } = msgToEml(msg);
  assert.deepEqual(anomalies, []);
  const mail = await parseMail(eml!);
  assert.equal(mail.subject, '請求書の件');
  assert.deepEqual(mail.from, [{ name: '経理部', address: 'keiri@example.net' }]);
  assert.deepEqual(
    mail.to.map((a) => a.address),
    ['tanaka@victim.example.co.jp'],
  );
  assert.match(mail.text ?? '', /添付をご確認ください/);
  assert.equal(mail.attachments[0]?.filename, '請求書.doc');
  assert.deepEqual(mail.attachments[0]?.bytes, doc);
});

test('msg: the original transport headers are kept when Outlook stored them (auth results, Reply-To)', async () => {
  const headers =
    'Received: from mx.example.net\r\nAuthentication-Results: mx.victim.example.co.jp; spf=fail smtp.mailfrom=example.net\r\nFrom: "keiri@partner.example.jp" <noreply@example.net>\r\nReply-To: x@other.example.org\r\nSubject: Re: invoice\r\nContent-Type: text/plain\r\n\r\n';
  const msg = buildMsg({
    subject: 'Re: invoice',
    body: 'b',
    senderEmail: 'noreply@example.net',
    to: [{ email: 't@victim.example.co.jp' }],
    headers,
  });
  const mail = await parseMail(msgToEml(msg).eml!);
  assert.equal(mail.authResults[0]?.result, 'fail');
  assert.equal(mail.replyTo[0]?.address, 'x@other.example.org');
  assert.equal(mail.from[0]?.name, 'keiri@partner.example.jp');
});

test('msg: an ordinary compound file is not a message; garbage gives an anomaly, not an exception', () => {
  assert.equal(isOutlookMsg(new Uint8Array(4096)), false);
  const broken = buildMsg({ subject: 's', body: 'b', senderEmail: 'a@example.com', to: [] }).slice(
    0,
    1000,
  );
  const out = msgToEml(broken);
  assert.ok(out.eml === undefined ? out.anomalies.length > 0 : true);
});
