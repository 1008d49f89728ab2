import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import {
  buildManyPartsMail,
  buildMalformedBoundaryMail,
  buildMime,
  buildNestedMultipartBomb,
  rawMail,
} from '../../../test/builders/mime.js';
import { findPartsCutoff } from './parse.js';
import { MAX_MAIL_PARTS, parseMail, type ParsedMail } from './index.js';

const codes = (mail: ParsedMail) => mail.anomalies.map((a) => a.code);

// parse.ts loads mailparser with the first mail; the budgets below are for parsing, not that import.
before(() => parseMail(new TextEncoder().encode('Subject: warm-up\r\n\r\nx\r\n')));

/** Parses and asserts it finished within `ms`: hostile shapes must stay cheap. */
async function timed(bytes: Uint8Array, ms: number, options = {}): Promise<ParsedMail> {
  const started = performance.now();
  const mail = await parseMail(bytes, options);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < ms, `took ${elapsed.toFixed(0)} ms (budget ${ms} ms)`);
  return mail;
}

test('hostile: 10,000 tiny parts → input cut at maxParts, first attachments kept, fast', async () => {
  const mail = await timed(buildManyPartsMail(10_000), 3000);
  assert.deepEqual(codes(mail), ['E_MIME_TOO_MANY_PARTS', 'E_MIME_TOO_MANY_ATTACHMENTS']);
  assert.equal(mail.attachments.length, 250);
  assert.equal(mail.attachments[0]?.filename, 'p0.bin');
  assert.equal(mail.subject, 'many');
});

test('hostile: maxParts on both sides of the limit', async () => {
  const under = await parseMail(buildManyPartsMail(20), { maxParts: 20 });
  assert.deepEqual(codes(under), []);
  assert.equal(under.attachments.length, 20);
  const over = await parseMail(buildManyPartsMail(21), { maxParts: 20 });
  assert.deepEqual(codes(over), ['E_MIME_TOO_MANY_PARTS']);
  assert.equal(over.attachments.length, 20);
});

test('hostile: maxAttachments on both sides of the limit', async () => {
  assert.deepEqual(codes(await parseMail(buildManyPartsMail(5), { maxAttachments: 5 })), []);
  const over = await parseMail(buildManyPartsMail(6), { maxAttachments: 5 });
  assert.deepEqual(codes(over), ['E_MIME_TOO_MANY_ATTACHMENTS']);
  assert.equal(over.attachments.length, 5);
});

test('hostile: maxTextChars on both sides of the limit', async () => {
  const bytes = await buildMime({ text: 'x'.repeat(1000) });
  const length = (await parseMail(bytes)).text?.length ?? 0;
  assert.ok(length >= 1000);
  assert.deepEqual(codes(await parseMail(bytes, { maxTextChars: length })), []);
  const over = await parseMail(bytes, { maxTextChars: length - 1 });
  assert.deepEqual(codes(over), ['E_MIME_TEXT_TRUNCATED']);
  assert.equal(over.text?.length, length - 1);
});

test('hostile: maxHeaderBytes on both sides of the limit', async () => {
  const bytes = rawMail(`From: a@example.com\r\nX-Pad: ${'a'.repeat(2000)}\r\n\r\nbody`);
  assert.deepEqual(codes(await parseMail(bytes, { maxHeaderBytes: 4096 })), []);
  const over = await parseMail(bytes, { maxHeaderBytes: 1024 });
  assert.equal(codes(over)[0], 'E_MIME_HEADER_TOO_LARGE');
});

for (const sameBoundary of [false, true]) {
  test(`hostile: endless nested multipart (${sameBoundary ? 'one' : 'fresh'} boundary) → anomaly, fast`, async () => {
    const mail = await timed(buildNestedMultipartBomb(100_000, sameBoundary), 3000);
    assert.deepEqual(codes(mail), ['E_MIME_TOO_MANY_PARTS']);
    assert.equal(mail.subject, 'nest');
  });
}

test('hostile: nesting just under the part limit parses without error', async () => {
  const mail = await timed(buildNestedMultipartBomb(MAX_MAIL_PARTS - 1), 3000);
  assert.deepEqual(codes(mail), []);
});

test('hostile: broken boundaries keep the text and the attachment before the truncation', async () => {
  const mail = await timed(buildMalformedBoundaryMail(Uint8Array.from([1, 2, 3])), 1000);
  assert.match(mail.text ?? '', /198\.51\.100\.7/);
  assert.equal(mail.attachments.length, 1);
  assert.equal(mail.attachments[0]?.filename, 'a.bin');
});

test('hostile: garbage, empty and binary inputs give anomalies, never throw', async () => {
  const random = Uint8Array.from(
    { length: 200_000 },
    (_, i) => (Math.imul(i, 2654435761) >>> 13) & 0xff,
  );
  const inputs = [
    new Uint8Array(0),
    random,
    new Uint8Array(100_000),
    new Uint8Array(100_000).fill(0x0a),
    rawMail('Content-Type: multipart/mixed; boundary=""\r\n\r\n--\r\n--\r\n'),
    rawMail('From: a@example.com\r\nContent-Type: multipart/mixed\r\n\r\n--x\r\n'),
    rawMail('From: a@example.com\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!====@@@@'),
    rawMail(
      'From: a@example.com\r\nContent-Type: text/plain; charset=utf-7\r\n\r\n+ADw-script+AD4-',
    ),
  ];
  for (const bytes of inputs) {
    const mail = await timed(bytes, 2000);
    assert.ok(Array.isArray(mail.attachments));
  }
  assert.ok(codes(await parseMail(random)).length > 0);
  assert.deepEqual(codes(await parseMail(new Uint8Array(0))), ['E_MIME_NO_HEADERS']);
});

test('hostile: UTF-7 bodies are not decoded into markup', async () => {
  const mail = await parseMail(
    rawMail(
      'From: a@example.com\r\nContent-Type: text/plain; charset=utf-7\r\n\r\n+ADw-script+AD4-',
    ),
  );
  assert.ok(!(mail.text ?? '').includes('<script>'));
});

test('findPartsCutoff: counts delimiter-like lines only', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  assert.equal(findPartsCutoff(enc('--a\n--b\n'), 2), undefined);
  assert.equal(findPartsCutoff(enc('--a\n--b\n--c\n'), 2), 8);
  assert.equal(findPartsCutoff(enc('-- \n-->\n--\n- -x\n--a--\n--a-- \r\n'), 0), undefined);
});
