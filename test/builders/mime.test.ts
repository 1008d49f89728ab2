import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMail } from '../../src/formats/mime/index.js';
import { buildMime, iso2022jp, percentEncode, type MimeSpec } from './mime.js';

test('buildMime: parseMail(buildMime(spec)) gives the spec back', async () => {
  const spec: MimeSpec = {
    from: '"山田 太郎" <taro@example.co.jp>',
    to: ['a@example.com', 'b@example.com'],
    subject: '御請求書 (2024年1月分)',
    text: 'いつもお世話になっております。\n',
    attachments: [
      {
        filename: '請求書.doc',
        content: new Uint8Array([1, 2, 3]),
        contentType: 'application/msword',
      },
      { filename: 'memo.txt', content: 'inert text', contentType: 'text/plain' },
    ],
  };
  const mail = await parseMail(await buildMime(spec));
  assert.deepEqual(mail.from, [{ name: '山田 太郎', address: 'taro@example.co.jp' }]);
  assert.deepEqual(
    mail.to.map((a) => a.address),
    spec.to,
  );
  assert.equal(mail.subject, spec.subject);
  assert.equal(mail.text, spec.text);
  assert.deepEqual(
    mail.attachments.map((a) => [a.filename, a.contentType, [...a.bytes]]),
    [
      ['請求書.doc', 'application/msword', [1, 2, 3]],
      ['memo.txt', 'text/plain', [...new TextEncoder().encode('inert text')]],
    ],
  );
  assert.deepEqual(mail.anomalies, []);
});

test('iso2022jp: JIS X 0208 text between ESC $ B and ESC ( B', () => {
  assert.deepEqual([...iso2022jp('a請')], [0x61, 0x1b, 0x24, 0x42, 0x40, 0x41, 0x1b, 0x28, 0x42]);
  assert.equal(
    new TextDecoder('iso-2022-jp').decode(iso2022jp('請求書 abc 送付')),
    '請求書 abc 送付',
  );
});

test('percentEncode: RFC 2231 keeps attribute-chars and escapes the rest', () => {
  assert.equal(percentEncode(new TextEncoder().encode('a b.doc')), 'a%20b.doc');
});
