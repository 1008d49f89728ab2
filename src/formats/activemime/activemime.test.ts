import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LimitError } from '../../core/index.js';
import { buildActiveMime, buildMhtml } from '../../../test/builders/activemime.js';
import {
  decodeBase64,
  decodeBase64Text,
  encodeBase64,
  findActiveMimeBlobs,
  isActiveMime,
  parseActiveMime,
} from './index.js';

const enc = (s: string) => new TextEncoder().encode(s);
const content = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 13) & 0xff);

describe('activemime: unpacking', () => {
  test('a header offset that lies: the known offsets, then a search, still find the data', () => {
    const blob = buildActiveMime(content);
    blob[0x1e] = 0xff; // header now points past the data
    assert.deepEqual(parseActiveMime(blob, { maxBytes: 1 << 20 }).data, content);
    const moved = buildActiveMime(content, { dataOffset: 0x100 });
    moved[0x1e] = 0; // 0 + 46: wrong, and neither 0x32 nor 0x22A holds zlib data
    const found = parseActiveMime(moved, { maxBytes: 1 << 20 });
    assert.equal(found.dataOffset, 0x100);
    assert.deepEqual(found.data, content);
  });

  test('truncated: the decoded part is returned with E_ZLIB_TRUNCATED', () => {
    const blob = buildActiveMime(content);
    const mso = parseActiveMime(blob.subarray(0, blob.length - 100), { maxBytes: 1 << 20 });
    assert.ok(mso.data!.length > 0 && mso.data!.length < content.length);
    assert.deepEqual(
      mso.anomalies.map((a) => a.code),
      ['E_ZLIB_TRUNCATED'],
    );
  });

  test('no zlib data or no magic: anomalies, no data, no exception', () => {
    assert.deepEqual(
      parseActiveMime(enc('ActiveMime' + 'x'.repeat(200)), { maxBytes: 100 }).anomalies.map(
        (a) => a.code,
      ),
      ['E_ACTIVEMIME_NO_DATA'],
    );
    assert.deepEqual(
      parseActiveMime(enc('PassiveMime'), { maxBytes: 100 }).anomalies.map((a) => a.code),
      ['E_ACTIVEMIME_NO_MAGIC'],
    );
    assert.equal(isActiveMime(enc('Active')), false);
  });

  test('zlib bomb: content at the cap inflates; one byte over throws LimitError', () => {
    const bomb = buildActiveMime(new Uint8Array(4 << 20));
    assert.equal(parseActiveMime(bomb, { maxBytes: 4 << 20 }).data!.length, 4 << 20);
    assert.throws(
      () => parseActiveMime(bomb, { maxBytes: (4 << 20) - 1, limit: 'maxRatio' }),
      (e: unknown) => e instanceof LimitError && e.limit === 'maxRatio',
    );
  });

  test('the brute-force search is bounded: 100,000 "x" bytes after the magic end quickly', () => {
    const junk = new Uint8Array(100_000).fill(0x78);
    junk.set(enc('ActiveMime'));
    const started = Date.now();
    assert.equal(parseActiveMime(junk, { maxBytes: 1000 }).data, undefined);
    assert.ok(Date.now() - started < 2000);
  });
});

describe('activemime: finding blobs in text', () => {
  test('MHTML with junk before the headers and two blobs: both found with their names', () => {
    const mht = buildMhtml(
      [
        {
          location: 'file:///a/editdata.mso',
          contentType: 'application/x-mso',
          body: buildActiveMime(content),
        },
        {
          location: 'file:///a/oledata.mso',
          contentType: 'application/x-mso',
          body: buildActiveMime(enc('two')),
        },
      ],
      { junkBefore: 'garbage line that Word skips\r\n' },
    );
    const { blobs } = findActiveMimeBlobs(mht, { maxBlobBytes: 1 << 20 });
    assert.deepEqual(
      blobs.map((b) => b.name),
      ['file:///a/editdata.mso', 'file:///a/oledata.mso'],
    );
  });

  test('maxBlobBytes: a blob at the budget is whole; one byte less cuts it with E_LIMIT_ACTIVEMIME_BYTES', () => {
    const blob = buildActiveMime(content);
    const text = enc(`x\n${encodeBase64(blob)}\n`);
    assert.equal(
      findActiveMimeBlobs(text, { maxBlobBytes: blob.length }).blobs[0]!.bytes.length,
      blob.length,
    );
    const cut = findActiveMimeBlobs(text, { maxBlobBytes: blob.length - 1 });
    assert.equal(cut.blobs[0]!.isTruncated, true);
    assert.deepEqual(
      cut.anomalies.map((a) => a.code),
      ['E_LIMIT_ACTIVEMIME_BYTES'],
    );
  });

  test('maxBlobs: at the limit all are found; one more is reported', () => {
    const text = enc(
      Array.from({ length: 4 }, () => encodeBase64(enc('ActiveMime..'))).join('\n--\n'),
    );
    assert.equal(findActiveMimeBlobs(text, { maxBlobBytes: 1000, maxBlobs: 4 }).blobs.length, 4);
    const over = findActiveMimeBlobs(text, { maxBlobBytes: 1000, maxBlobs: 3 });
    assert.equal(over.blobs.length, 3);
    assert.deepEqual(
      over.anomalies.map((a) => a.code),
      ['E_LIMIT_ACTIVEMIME_BLOBS'],
    );
  });

  test('base64: whitespace is skipped, = ends, bytes and text decoders agree with Buffer', () => {
    const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31) & 0xff);
    const b64 = Buffer.from(data)
      .toString('base64')
      .replace(/(.{60})/g, '$1\r\n');
    assert.deepEqual(decodeBase64(enc(b64), 0, b64.length, 10_000).bytes, data);
    assert.deepEqual(decodeBase64Text(b64, 10_000).bytes, data);
    assert.equal(encodeBase64(data), Buffer.from(data).toString('base64'));
  });
});
