import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildEncryptedZip } from '../../../test/builders/zip.js';
import { noiseBytes } from '../../../test/builders/mail-corpus.js';
import { DefenseError } from '../../core/index.js';
import { readDirectEncrypted } from './decrypt.js';
import { handleOf } from './handles.js';
import { inflateCapped } from './read.js';
import { listZip, readZipEntry, type ZipEntry } from './index.js';

const CONTENT = new TextEncoder().encode('請求書 invoice text, inert. '.repeat(200));

async function member(encryption: 'zipcrypto' | 'aes', data: Uint8Array = CONTENT) {
  const zip = await buildEncryptedZip([{ name: 'a.docx', data }], {
    password: 'Pw123',
    encryption,
  });
  return (await listZip(zip)).entries[0]!;
}

/** The fast path alone, as readZipEntry calls it. */
function direct(entry: ZipEntry, password: string, maxBytes = 1 << 20) {
  const handle = handleOf(entry);
  assert.ok(handle !== undefined && handle.kind !== 'local', 'a directory handle');
  return readDirectEncrypted(
    handle.archive,
    entry,
    handle.kind === 'zipjs' ? handle.entry.crc32 : handle.crc32,
    { maxBytes, password },
    inflateCapped,
  );
}

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'no error';
  } catch (error) {
    return error instanceof DefenseError ? error.code : String(error);
  }
}

for (const encryption of ['zipcrypto', 'aes'] as const) {
  test(`zip decrypt (${encryption}): the right password opens the member without zip.js`, async () => {
    const entry = await member(encryption);
    assert.deepEqual(direct(entry, 'Pw123'), CONTENT);
    assert.deepEqual(await readZipEntry(entry, { maxBytes: 1 << 20, password: 'Pw123' }), CONTENT);
  });

  test(`zip decrypt (${encryption}): a wrong password is E_ZIP_BAD_PASSWORD, as from zip.js`, async () => {
    const entry = await member(encryption);
    assert.equal(
      await codeOf(readZipEntry(entry, { maxBytes: 1 << 20, password: 'nope' })),
      'E_ZIP_BAD_PASSWORD',
    );
  });

  test(`zip decrypt (${encryption}): maxBytes on both sides of the member's size`, async () => {
    const entry = await member(encryption);
    const read = (maxBytes: number) => readZipEntry(entry, { maxBytes, password: 'Pw123' });
    assert.deepEqual(await read(CONTENT.length), CONTENT);
    assert.equal(await codeOf(read(CONTENT.length - 1)), 'E_LIMIT_MEMBER_SIZE');
  });

  test(`zip decrypt (${encryption}): incompressible (stored) data round-trips`, async () => {
    const data = noiseBytes(50_000, 7);
    assert.deepEqual(direct(await member(encryption, data), 'Pw123'), data);
  });
}

test('zip decrypt (aes): tampered ciphertext fails the MAC and is left to zip.js, which rejects it', async () => {
  const zip = await buildEncryptedZip([{ name: 'a.docx', data: CONTENT }], {
    password: 'Pw123',
    encryption: 'aes',
  });
  const entry = (await listZip(zip)).entries[0]!;
  zip[entry.offset + 30 + 'a.docx'.length + 20 + 16 + 2 + 5]! ^= 0xff; // a byte of the encrypted data
  assert.equal(direct(entry, 'Pw123'), undefined);
  const code = await codeOf(readZipEntry(entry, { maxBytes: 1 << 20, password: 'Pw123' }));
  assert.notEqual(code, 'no error');
});
