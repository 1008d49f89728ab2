import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { test } from 'node:test';
import { LimitError } from '../../core/index.js';
import { buildZip } from '../../../test/builders/zip.js';
import { readDirect } from './direct.js';
import {
  crc32,
  encodeZipRecords,
  listZip,
  readZipEntry,
  readZipEntrySync,
  type ZipEntry,
} from './index.js';
import { inflateCapped } from './read.js';

const enc = (s: string) => new TextEncoder().encode(s);
const CONTENT = enc('<Types xmlns="x"/>'.repeat(50));

async function only(bytes: Uint8Array): Promise<ZipEntry> {
  const { entries } = await listZip(bytes);
  assert.equal(entries.length, 1, 'one member');
  return entries[0]!;
}

test('zip direct: a well-formed stored or deflated member is read synchronously, byte for byte', async () => {
  for (const method of ['deflate', 'store'] as const) {
    const bytes = buildZip([{ name: '[Content_Types].xml', data: CONTENT, method }]);
    const entry = await only(bytes);
    const direct = readDirect(bytes, entry, crc32(CONTENT), { maxBytes: 1 << 20 }, inflateCapped);
    assert.deepEqual(direct, CONTENT, `${method}: fast path taken`);
    assert.deepEqual(await readZipEntry(entry, { maxBytes: 1 << 20 }), CONTENT, method);
  }
});

test('zip direct: maxBytes equal to the size reads; one below leaves the limit to the zip.js path', async () => {
  const bytes = buildZip([{ name: 'a.xml', data: CONTENT }]);
  const entry = await only(bytes);
  const crc = crc32(CONTENT);
  const exact = { maxBytes: CONTENT.length };
  assert.deepEqual(readDirect(bytes, entry, crc, exact, inflateCapped), CONTENT, 'at the cap');
  const below = { maxBytes: CONTENT.length - 1 };
  assert.equal(readDirect(bytes, entry, crc, below, inflateCapped), undefined, 'declared > cap');
  await assert.rejects(readZipEntry(entry, below), (e: unknown) => e instanceof LimitError);
});

test('zip direct: a member understating its size still stops at the cap (LimitError, not a fallback)', async () => {
  const big = new Uint8Array(200_000).fill(0x41);
  const bytes = buildZip([{ name: 'a.bin', data: big, declaredUncompressedSize: 10 }]);
  const entry = await only(bytes);
  assert.throws(
    () => readDirect(bytes, entry, crc32(big), { maxBytes: 1000 }, inflateCapped),
    (e: unknown) => e instanceof LimitError && e.code === 'E_LIMIT_MEMBER_SIZE',
  );
});

test('zip direct: a CRC that does not match falls back to zip.js, which reads it as it always did', async () => {
  const bytes = zipWithWrongCrc();
  const entry = await only(bytes);
  const wrongCrc = (crc32(CONTENT) ^ 1) >>> 0;
  assert.equal(readDirect(bytes, entry, wrongCrc, { maxBytes: 1 << 20 }, inflateCapped), undefined);
  // zip.js in tolerant mode does not check CRCs: the fallback keeps that behaviour unchanged.
  assert.deepEqual(await readZipEntry(entry, { maxBytes: 1 << 20 }), CONTENT);
});

test('zip direct: an offset that does not hold a local header, or an encrypted member, is not read here', async () => {
  const bytes = buildZip([{ name: 'a.xml', data: CONTENT }]);
  const entry = await only(bytes);
  const crc = crc32(CONTENT);
  const moved = { ...entry, offset: entry.offset + 1 };
  assert.equal(readDirect(bytes, moved, crc, { maxBytes: 1 << 20 }, inflateCapped), undefined);
  const encrypted = { ...entry, encrypted: true };
  assert.equal(readDirect(bytes, encrypted, crc, { maxBytes: 1 << 20 }, inflateCapped), undefined);
});

test('readZipEntrySync: a well-formed member without a promise; a bad CRC → undefined, then readZipEntry reads it through zip.js', async () => {
  const good = await only(buildZip([{ name: 'a.xml', data: CONTENT }]));
  assert.deepEqual(readZipEntrySync(good, { maxBytes: 1 << 20 }), CONTENT);
  const bad = zipWithWrongCrc();
  const entry = await only(bad);
  const options = { maxBytes: 1 << 20 };
  assert.equal(readZipEntrySync(entry, options), undefined);
  assert.deepEqual(await readZipEntry(entry, options), CONTENT);
  assert.deepEqual(await readZipEntry(entry, { maxBytes: 1 << 20 }), CONTENT, 'fresh options');
});

/** One deflated member whose declared CRC-32 is off by one bit. */
function zipWithWrongCrc(): Uint8Array {
  const data = new Uint8Array(deflateRawSync(CONTENT));
  return encodeZipRecords([
    {
      nameBytes: enc('a.xml'),
      flags: 0,
      method: 8,
      crc32: (crc32(CONTENT) ^ 1) >>> 0,
      data,
      compressedSize: data.length,
      uncompressedSize: CONTENT.length,
      externalAttributes: 0,
    },
  ]);
}
