import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FormatError, LimitError, type Anomaly } from '../../core/index.js';
import { buildEncryptedZip, buildZip, buildZipBomb } from '../../../test/builders/zip.js';
import { listZip, readZipEntry, type ZipEntry } from './index.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function only(bytes: Uint8Array): Promise<ZipEntry> {
  const { entries } = await listZip(bytes);
  assert.equal(entries.length, 1);
  return entries[0]!;
}

test('readZipEntry: maxBytes equal to the content size → read in full', async () => {
  const entry = await only(buildZip([{ name: 'a.txt', data: 'x'.repeat(1000) }]));
  assert.equal((await readZipEntry(entry, { maxBytes: 1000 })).length, 1000);
});

test('readZipEntry: maxBytes one below the content size → LimitError E_LIMIT_MEMBER_SIZE', async () => {
  for (const method of ['deflate', 'store'] as const) {
    const entry = await only(buildZip([{ name: 'a.txt', data: 'x'.repeat(1000), method }]));
    await assert.rejects(
      readZipEntry(entry, { maxBytes: 999, limit: 'maxFileSize' }),
      (e: unknown) =>
        e instanceof LimitError &&
        e.code === 'E_LIMIT_MEMBER_SIZE' &&
        e.limit === 'maxFileSize' &&
        e.max === 999,
    );
  }
});

test('readZipEntry: 50 MiB zip bomb read with a 1 MiB cap stops at the cap, quickly', async () => {
  const entry = await only(buildZipBomb());
  assert.equal(entry.uncompressedSize, 50 * 1024 * 1024);
  const started = Date.now();
  await assert.rejects(readZipEntry(entry, { maxBytes: 1024 * 1024 }), {
    code: 'E_LIMIT_MEMBER_SIZE',
  });
  assert.ok(Date.now() - started < 5000);
});

test('readZipEntry: directory claims 100 bytes, data inflates to 5 MB → the cap holds on real output', async () => {
  const zip = buildZip([
    { name: 'a.bin', data: new Uint8Array(5_000_000).fill(65), declaredUncompressedSize: 100 },
  ]);
  const entry = await only(zip);
  assert.equal(entry.uncompressedSize, 100);
  await assert.rejects(readZipEntry(entry, { maxBytes: 1_000_000 }), {
    code: 'E_LIMIT_MEMBER_SIZE',
  });
  assert.equal((await readZipEntry(entry, { maxBytes: 5_000_000 })).length, 5_000_000);
});

test('readZipEntry: stored member larger than declared → still capped on its real size', async () => {
  const zip = buildZip([
    { name: 'a.bin', data: new Uint8Array(2000), method: 'store', declaredUncompressedSize: 10 },
  ]);
  await assert.rejects(readZipEntry(await only(zip), { maxBytes: 1999 }), {
    code: 'E_LIMIT_MEMBER_SIZE',
  });
});

test('readZipEntry: directory overstates the compressed size → content recovered, anomaly noted', async () => {
  const zip = buildZip([
    { name: 'a.txt', data: 'hidden payload', declaredCompressedSize: 5000 },
    { name: 'b.txt', data: 'b' },
  ]);
  const { entries } = await listZip(zip);
  const anomalies: Anomaly[] = [];
  assert.equal(
    text(await readZipEntry(entries[0]!, { maxBytes: 100, anomalies })),
    'hidden payload',
  );
  assert.equal(anomalies.length, 1);
  assert.match(anomalies[0]!.code, /^E_ZIP_/);
});

test('readZipEntry: understated compressed size → content recovered from the whole deflate stream', async () => {
  const data = 'z'.repeat(100_000);
  const zip = buildZip([{ name: 'a.txt', data, declaredCompressedSize: 10 }]);
  assert.equal(text(await readZipEntry(await only(zip), { maxBytes: 200_000 })), data);
});

test('readZipEntry: corrupt deflate data → FormatError with an E_ZIP_ code, not a raw error', async () => {
  const zip = buildZip([{ name: 'a.txt', data: 'abc'.repeat(100) }]);
  const broken = zip.slice();
  for (let i = 35; i < 45; i++) broken[i] = 0xff; // inside the deflate stream (30 + 5-byte name)
  const entry = await only(broken);
  await assert.rejects(
    readZipEntry(entry, { maxBytes: 10_000 }),
    (e: unknown) => e instanceof FormatError && e.code.startsWith('E_ZIP_'),
  );
});

for (const encryption of ['zipcrypto', 'aes'] as const) {
  test(`${encryption}: listed as encrypted with its scheme`, async () => {
    const zip = await buildEncryptedZip([{ name: 'invoice.doc', data: 'secret' }], {
      password: 'infected',
      encryption,
    });
    const entry = await only(zip);
    assert.equal(entry.encrypted, true);
    assert.equal(entry.encryption, encryption);
    assert.equal(entry.method, 8);
  });

  test(`${encryption}: right password → content`, async () => {
    const zip = await buildEncryptedZip([{ name: 'a.txt', data: 'secret '.repeat(50) }], {
      password: 'infected',
      encryption,
    });
    const content = await readZipEntry(await only(zip), { maxBytes: 1000, password: 'infected' });
    assert.equal(text(content), 'secret '.repeat(50));
  });

  test(`${encryption}: wrong password → E_ZIP_BAD_PASSWORD; none → E_ZIP_ENCRYPTED`, async () => {
    const zip = await buildEncryptedZip([{ name: 'a.txt', data: 'secret' }], {
      password: 'infected',
      encryption,
    });
    const entry = await only(zip);
    await assert.rejects(readZipEntry(entry, { maxBytes: 1000, password: 'wrong!' }), {
      code: 'E_ZIP_BAD_PASSWORD',
    });
    await assert.rejects(readZipEntry(entry, { maxBytes: 1000 }), { code: 'E_ZIP_ENCRYPTED' });
  });

  test(`${encryption}: the cap holds on decrypted output too`, async () => {
    const zip = await buildEncryptedZip([{ name: 'a.bin', data: new Uint8Array(300_000) }], {
      password: 'pw',
      encryption,
    });
    await assert.rejects(readZipEntry(await only(zip), { maxBytes: 299_999, password: 'pw' }), {
      code: 'E_LIMIT_MEMBER_SIZE',
    });
  });
}

test('readZipEntry: encryption flag set on plain data ("fake encryption") → E_ZIP_ENCRYPTED', async () => {
  const entry = await only(buildZip([{ name: 'a.txt', data: 'plain', extraFlags: 0x0001 }]));
  assert.equal(entry.encrypted, true);
  await assert.rejects(readZipEntry(entry, { maxBytes: 100 }), { code: 'E_ZIP_ENCRYPTED' });
});

test('readZipEntry: an entry not made by listZip → FormatError E_ZIP_UNKNOWN_ENTRY', async () => {
  const fake: ZipEntry = {
    name: 'x',
    nameEncoding: 'cp437',
    compressedSize: 1,
    uncompressedSize: 1,
    directory: false,
    encrypted: false,
    encryption: null,
    method: 0,
    offset: 0,
  };
  await assert.rejects(readZipEntry(fake, { maxBytes: 10 }), { code: 'E_ZIP_UNKNOWN_ENTRY' });
});
