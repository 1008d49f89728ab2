import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Anomaly } from '../../core/index.js';
import { encodedWord, eucJp, iso2022jp, shiftJis } from '../../../test/builders/mime.js';
import { decodeCharset, decodeRawHeaderText, repairRawText } from './charset.js';
import { decodeEncodedWords } from './encoded-words.js';

const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);

test('rfc2047: B and Q words decode, text around them is kept', () => {
  assert.equal(decodeEncodedWords('=?UTF-8?B?6KuL5rGC5pu4?= (draft)'), '請求書 (draft)');
  assert.equal(decodeEncodedWords('Re: =?iso-8859-1?Q?r=E9sum=E9_final?='), 'Re: résumé final');
  assert.equal(decodeEncodedWords('plain value'), 'plain value');
});

test('rfc2047: white space between adjacent encoded words is dropped (6.2)', () => {
  assert.equal(decodeEncodedWords('=?UTF-8?Q?a?= \r\n =?UTF-8?Q?b?= c'), 'ab c');
});

test('rfc2047: ISO-2022-JP, Shift_JIS and EUC-JP words decode', () => {
  assert.equal(decodeEncodedWords(encodedWord('ISO-2022-JP', iso2022jp('御請求書'))), '御請求書');
  assert.equal(decodeEncodedWords(encodedWord('Shift_JIS', shiftJis('見積書'))), '見積書');
  assert.equal(decodeEncodedWords(encodedWord('EUC-JP', eucJp('支払'))), '支払');
  assert.equal(decodeEncodedWords(encodedWord('CP932', shiftJis('送付'))), '送付');
});

test('rfc2047: self-contained ISO-2022-JP words are decoded apart, not joined into U+FFFD', () => {
  const value = `${encodedWord('ISO-2022-JP', iso2022jp('御請求'))}\r\n ${encodedWord('ISO-2022-JP', iso2022jp('書'))}`;
  assert.equal(decodeEncodedWords(value), '御請求書');
});

test('rfc2047: a UTF-8 character split across two words is joined', () => {
  const bytes = new TextEncoder().encode('請求');
  const value = `${encodedWord('UTF-8', bytes.subarray(0, 4))} ${encodedWord('UTF-8', bytes.subarray(4))}`;
  assert.equal(decodeEncodedWords(value), '請求');
});

test('rfc2047: unknown and UTF-7 charsets are read as UTF-8 with an anomaly, never as UTF-7', () => {
  const anomalies: Anomaly[] = [];
  const decoded = decodeEncodedWords(
    '=?utf-7?Q?+ADw-script+AD4-?= =?x-nope?Q?ok?=',
    anomalies,
    'Subject',
  );
  assert.equal(decoded, '+ADw-script+AD4-ok');
  assert.deepEqual(
    anomalies.map((a) => [a.code, a.location]),
    [
      ['E_MIME_UNKNOWN_CHARSET', 'Subject'],
      ['E_MIME_UNKNOWN_CHARSET', 'Subject'],
    ],
  );
});

test('rfc2047: malformed words stay text and do not throw', () => {
  for (const value of [
    '=?',
    '=?UTF-8?B?',
    '=?UTF-8?X?abc?=',
    '=?UTF-8?B?!!!!?=',
    '=?'.repeat(10_000),
  ]) {
    assert.equal(typeof decodeEncodedWords(value), 'string');
  }
});

test('charset: raw 8-bit header text is read as UTF-8, then EUC-JP, then Shift_JIS', () => {
  assert.equal(decodeRawHeaderText(latin1(new TextEncoder().encode('請求書'))), '請求書');
  assert.equal(decodeRawHeaderText(latin1(eucJp('請求書'))), '請求書');
  assert.equal(decodeRawHeaderText(latin1(shiftJis('見積書の送付'))), '見積書の送付');
  assert.equal(decodeRawHeaderText(latin1(iso2022jp('請求書'))), '請求書');
  assert.equal(decodeRawHeaderText('plain ascii'), 'plain ascii');
});

test('charset: repairRawText fixes raw Shift_JIS names but leaves decoded Latin-1 alone', () => {
  assert.equal(repairRawText(latin1(shiftJis('請求書.doc'))), '請求書.doc');
  assert.equal(repairRawText('résumé.doc'), 'résumé.doc');
  assert.equal(repairRawText('請求書.doc'), '請求書.doc');
});

test('charset: decodeCharset reports unknown labels', () => {
  assert.deepEqual(decodeCharset(new Uint8Array([0x61]), 'x-unknown'), {
    text: 'a',
    isKnown: false,
  });
  assert.deepEqual(decodeCharset(shiftJis('書'), 'Shift_JIS'), { text: '書', isKnown: true });
});
