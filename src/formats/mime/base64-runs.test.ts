import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base64Lines, buildMime, rawMail } from '../../../test/builders/mime.js';
import { noiseBytes } from '../../../test/builders/mail-corpus.js';
import {
  decodeRun,
  findBase64Runs,
  isTextBodyRun,
  MAX_BASE64_RUNS,
  substituteRuns,
} from './base64-runs.js';
import { parseMail } from './index.js';

const text = (s: string) => new TextEncoder().encode(s);

test('base64 runs: a run is found when it reaches minBytes, not one byte before', () => {
  const body = text(base64Lines(noiseBytes(300, 1))); // 400 chars in 6 lines of CRLF
  const bytes = rawMail('Content-Type: x\r\n\r\n', body, '--b--\r\n');
  const start = bytes.indexOf(body[0]!);
  assert.deepEqual(findBase64Runs(bytes, body.length), [{ start, end: start + body.length }]);
  assert.deepEqual(findBase64Runs(bytes, body.length + 1), []);
});

test('base64 runs: padding ends a run; delimiter, header, empty and QP lines break it', () => {
  const line = 'QUJD'.repeat(19);
  const cases: [string, number][] = [
    [`${line}\r\n${line}\r\nQQ==\r\n${line}\r\n`, 2],
    [`${line}\r\n--boundary\r\n${line}\r\n`, 2],
    [`${line}\r\nX-A: b\r\n${line}\r\n`, 2],
    [`${line}\r\n\r\n${line}\r\n`, 2],
    [`${line}\r\nab=3Dcd\r\n${line}\r\n`, 2],
    [`${line}\n${line}\n${line}\n`, 1],
  ];
  for (const [input, runs] of cases) {
    assert.equal(findBase64Runs(text(input), 10).length, runs, JSON.stringify(input));
  }
});

test('base64 runs: a run that is not whole 4-character quanta is left to mailparser', () => {
  assert.equal(findBase64Runs(text('QUJD\r\nQUJ\r\n'), 1).length, 0);
  assert.equal(findBase64Runs(text('QUJD\r\nQUJE\r\n'), 1).length, 1);
});

test('base64 runs: at most maxRuns runs, on both sides of the limit', () => {
  const input = text('QUJD\r\n-\r\n'.repeat(MAX_BASE64_RUNS + 1));
  assert.equal(findBase64Runs(input, 1).length, MAX_BASE64_RUNS);
  assert.equal(findBase64Runs(input, 1, MAX_BASE64_RUNS + 1).length, MAX_BASE64_RUNS + 1);
});

test('base64 runs: a run decodes natively to the bytes that were encoded', () => {
  const content = noiseBytes(70_001, 9);
  const bytes = text(base64Lines(content));
  const [run] = findBase64Runs(bytes, 1);
  assert.deepEqual(decodeRun(bytes, run!), content);
  const substituted = substituteRuns(bytes, [run!]);
  assert.ok(substituted.bytes.length < 100, 'the placeholder is one short line');
});

test('parseMail fast path: large attachments come back byte for byte, names and types intact', async () => {
  const first = noiseBytes(300_000, 1);
  const second = noiseBytes(65_537, 2);
  const mail = await parseMail(
    await buildMime({
      text: 'see attached',
      attachments: [
        { filename: 'a.bin', content: first },
        { filename: 'b.pdf', content: second, contentType: 'application/pdf' },
        { filename: 'small.txt', content: 'tiny' },
      ],
    }),
  );
  assert.deepEqual(mail.anomalies, []);
  assert.deepEqual(
    mail.attachments.map((a) => [a.filename, a.contentType, a.size]),
    [
      ['a.bin', 'application/octet-stream', first.length],
      ['b.pdf', 'application/pdf', second.length],
      ['small.txt', 'text/plain', 4],
    ],
  );
  assert.deepEqual(mail.attachments[0]!.bytes, first);
  assert.deepEqual(mail.attachments[1]!.bytes, second);
  assert.equal(mail.text?.trim(), 'see attached');
});

test('parseMail fast path: a large base64 text body is left to mailparser and reads as text', async () => {
  const long = 'メールの本文です。'.repeat(4000);
  const bytes = rawMail(
    'From: a@example.com\r\nSubject: long\r\nMIME-Version: 1.0\r\n',
    'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n',
    base64Lines(long),
  );
  const runs = findBase64Runs(bytes);
  assert.equal(runs.length, 1, 'the body is a run');
  assert.ok(isTextBodyRun(bytes, runs[0]!), 'of a text body');
  const mail = await parseMail(bytes);
  assert.equal(mail.text?.trim(), long);
  assert.equal(mail.attachments.length, 0);
});

test('parseMail fast path: base64-looking text sent as 7bit stays the text it is', async () => {
  const looksEncoded = base64Lines(noiseBytes(30_000, 4));
  const bytes = rawMail(
    'From: a@example.com\r\nSubject: 7bit\r\nMIME-Version: 1.0\r\n',
    'Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Type: text/plain\r\n\r\nhi\r\n',
    '--q\r\nContent-Type: application/octet-stream; name="k.txt"\r\n',
    'Content-Transfer-Encoding: 7bit\r\n\r\n',
    looksEncoded,
    '--q--\r\n',
  );
  const mail = await parseMail(bytes);
  assert.equal(new TextDecoder().decode(mail.attachments[0]!.bytes), looksEncoded.slice(0, -2));
});

test('parseMail fast path: a part that decodes to a look-alike marker is not taken for a run', async () => {
  // A forged marker without the per-parse random nonce must stay what it is.
  const forged = new TextEncoder().encode(`emoguard-base64-run:${'0'.repeat(32)}:0000`);
  const big = noiseBytes(60_000, 5);
  const mail = await parseMail(
    await buildMime({
      attachments: [
        { filename: 'forged.bin', content: forged },
        { filename: 'big.bin', content: big },
      ],
    }),
  );
  assert.deepEqual(mail.attachments[0]!.bytes, forged);
  assert.deepEqual(mail.attachments[1]!.bytes, big);
});

test('base64 runs: an attachment run is not a text body, a text/plain attachment is not either', async () => {
  const bytes = await buildMime({
    text: 'hello',
    attachments: [
      { filename: 'a.bin', content: noiseBytes(40_000, 3) },
      { filename: 'notes.txt', content: 'x'.repeat(40_000), contentType: 'text/plain' },
    ],
  });
  const runs = findBase64Runs(bytes);
  assert.equal(runs.length, 2, 'two runs');
  assert.deepEqual(
    runs.map((r) => isTextBodyRun(bytes, r)),
    [false, false],
  );
});
