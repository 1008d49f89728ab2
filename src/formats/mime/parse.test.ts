import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildForwardMail,
  buildJapaneseMail,
  buildMime,
  buildRawShiftJisFilenameMail,
  buildRfc2231ContinuationMail,
  rawMail,
  type JapaneseCharset,
} from '../../../test/builders/mime.js';
import { parseMail } from './index.js';

const enc = (s: string) => new TextEncoder().encode(s);
const DOC_BYTES = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 1, 2, 255]);

test('parseMail: envelope fields, addresses and raw header order', async () => {
  const mail = await parseMail(
    await buildMime({
      from: '"Taro Yamada" <taro@example.co.jp>',
      to: ['a@example.com', 'B <b@example.com>'],
      cc: 'c@example.com',
      replyTo: 'reply@example.net',
      sender: 'list@example.org',
      subject: 'Quarterly report',
      text: 'Hello',
      headers: [{ key: 'Return-Path', value: '<bounce@example.com>' }],
    }),
  );
  assert.equal(mail.subject, 'Quarterly report');
  assert.deepEqual(mail.from, [{ name: 'Taro Yamada', address: 'taro@example.co.jp' }]);
  assert.deepEqual(mail.to, [
    { name: '', address: 'a@example.com' },
    { name: 'B', address: 'b@example.com' },
  ]);
  assert.deepEqual(mail.cc, [{ name: '', address: 'c@example.com' }]);
  assert.deepEqual(mail.replyTo, [{ name: '', address: 'reply@example.net' }]);
  assert.deepEqual(mail.sender, [{ name: '', address: 'list@example.org' }]);
  assert.equal(mail.returnPath, 'bounce@example.com');
  assert.equal(mail.messageId, '<fixture@example.com>');
  assert.equal(mail.date, '2024-01-15T00:30:00.000Z');
  assert.equal(mail.text?.trim(), 'Hello');
  assert.equal(mail.headers[0]?.name, 'Return-Path');
  assert.ok(mail.headers.some((h) => h.name === 'MIME-Version' && h.value === '1.0'));
  assert.deepEqual(mail.anomalies, []);
});

test('parseMail: group syntax is flattened and display names are decoded after parsing', async () => {
  const mail = await parseMail(
    rawMail(
      'From: =?UTF-8?B?IkNFTyIgPGNlb0BleGFtcGxlLmNvbT4sIHg=?= <attacker@example.net>\r\n',
      'To: Team: a@example.com, b@example.com;\r\nSubject: x\r\n\r\nbody',
    ),
  );
  assert.deepEqual(mail.from, [
    { name: '"CEO" <ceo@example.com>, x', address: 'attacker@example.net' },
  ]);
  assert.deepEqual(
    mail.to.map((a) => a.address),
    ['a@example.com', 'b@example.com'],
  );
});

test('parseMail: references, in-reply-to and Authentication-Results', async () => {
  const mail = await parseMail(
    rawMail(
      'Authentication-Results: mx.example.com; spf=fail smtp.mailfrom=example.net; dkim=pass\r\n',
      'From: a@example.net\r\nTo: b@example.com\r\nSubject: Re: x\r\n',
      'In-Reply-To: <1@example.com>\r\nReferences: <0@example.com>\r\n <1@example.com>\r\n\r\nbody',
    ),
  );
  assert.equal(mail.inReplyTo, '<1@example.com>');
  assert.deepEqual(mail.references, ['<0@example.com>', '<1@example.com>']);
  assert.deepEqual(
    mail.authResults.map((r) => [r.method, r.result]),
    [
      ['spf', 'fail'],
      ['dkim', 'pass'],
    ],
  );
});

test('parseMail: attachments keep exact bytes, declared type, disposition and inline state', async () => {
  const mail = await parseMail(
    await buildMime({
      html: '<p>see <img src="cid:logo@x"></p>',
      attachments: [
        { filename: 'report.doc', content: DOC_BYTES, contentType: 'application/octet-stream' },
        { filename: 'logo.png', content: 'PNG', contentType: 'image/png', cid: 'logo@x' },
        { content: 'no name', contentType: 'application/x-thing' },
      ],
    }),
  );
  assert.equal(mail.attachments.length, 3);
  const byName = (name: string | undefined) => mail.attachments.find((a) => a.filename === name);
  const [doc, logo, unnamed] = ['report.doc', 'logo.png', undefined].map(byName);
  assert.deepEqual(doc?.bytes, DOC_BYTES);
  assert.equal(doc?.size, DOC_BYTES.length);
  assert.equal(doc?.filename, 'report.doc');
  assert.equal(doc?.contentType, 'application/octet-stream'); // declared, not guessed from the name
  assert.equal(doc?.disposition, 'attachment');
  assert.equal(doc?.isInline, false);
  assert.equal(logo?.isInline, true);
  assert.equal(logo?.contentId, '<logo@x>');
  assert.equal(unnamed?.filename, undefined);
  assert.equal(unnamed?.contentType, 'application/x-thing');
  assert.ok(mail.html?.includes('cid:logo@x'));
});

for (const charset of ['ISO-2022-JP', 'Shift_JIS', 'EUC-JP'] as JapaneseCharset[]) {
  test(`parseMail: ${charset} subject, sender name, body and RFC 2231 file name decode`, async () => {
    const mail = await parseMail(buildJapaneseMail(charset, DOC_BYTES));
    assert.equal(mail.subject, '御請求書送付のお知らせ');
    assert.deepEqual(mail.from, [{ name: '山田太郎', address: 'yamada@example.co.jp' }]);
    assert.match(mail.text ?? '', /請求書を送付いたします。/);
    assert.equal(mail.attachments[0]?.filename, '請求書.doc');
    assert.deepEqual(mail.attachments[0]?.bytes, DOC_BYTES);
    assert.deepEqual(mail.anomalies, []);
  });
}

test('parseMail: RFC 2231 continuations join into one name', async () => {
  const mail = await parseMail(buildRfc2231ContinuationMail('御見積書_2024年1月分.xls', DOC_BYTES));
  assert.equal(mail.attachments[0]?.filename, '御見積書_2024年1月分.xls');
});

test('parseMail: raw 8-bit Shift_JIS file names and headers are repaired', async () => {
  const mail = await parseMail(buildRawShiftJisFilenameMail('見積書.doc', DOC_BYTES));
  assert.equal(mail.attachments[0]?.filename, '見積書.doc');
  const headers = await parseMail(
    rawMail(
      'From: a@example.com\r\nSubject: ',
      new Uint8Array([0x90, 0xbf, 0x8b, 0x81, 0x8f, 0x91]),
      '\r\n\r\nx',
    ),
  );
  assert.equal(headers.subject, '請求書');
});

test('parseMail: a nested message/rfc822 stays an attachment with its exact bytes', async () => {
  const inner = enc('From: x@example.com\r\nSubject: inner\r\n\r\ninner body');
  const mail = await parseMail(buildForwardMail(inner));
  assert.equal(mail.attachments.length, 1);
  assert.equal(mail.attachments[0]?.isNestedMessage, true);
  assert.equal(mail.attachments[0]?.contentType, 'message/rfc822');
  assert.deepEqual(mail.attachments[0]?.bytes, inner);
  assert.equal(mail.subject, 'Fwd: thread');
});

test('parseMail: an HTML-only mail gives html and a text rendering', async () => {
  const mail = await parseMail(
    await buildMime({ html: '<p>Pay <a href="http://example.com/x">here</a></p>' }),
  );
  assert.match(mail.html ?? '', /href="http:\/\/example.com\/x"/);
  assert.match(mail.text ?? '', /Pay/);
});

test('parseMail: duplicate From and a bad Date are anomalies, the first From wins', async () => {
  const mail = await parseMail(
    enc('From: a@example.com\r\nFrom: b@example.net\r\nDate: someday\r\n\r\nx'),
  );
  assert.equal(mail.from[0]?.address, 'a@example.com');
  assert.equal(mail.date, undefined);
  assert.deepEqual(
    mail.anomalies.map((a) => a.code),
    ['E_MIME_DUPLICATE_HEADER', 'E_MIME_BAD_DATE'],
  );
});

test('parseMail: the input is fed in chunks; a multi-MiB attachment comes back byte-exact', async () => {
  const big = Uint8Array.from({ length: 3 * 1024 * 1024 + 7 }, (_, i) => (i * 31) & 0xff);
  const mail = await parseMail(
    await buildMime({ attachments: [{ filename: 'big.bin', content: big }] }),
  );
  assert.equal(mail.attachments[0]?.size, big.length);
  assert.deepEqual(mail.attachments[0]?.bytes, big);
});
