import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DefenseError, FormatError } from '../../core/index.js';
import { buildManyMembersZip, buildZip, shiftJisName } from '../../../test/builders/zip.js';
import { listZip, readZipEntry } from './index.js';

const codes = (anomalies: { code: string }[]) => anomalies.map((a) => a.code);

test('listZip: entry cap — exactly maxEntries members → all listed, no anomaly', async () => {
  const { entries, anomalies } = await listZip(buildManyMembersZip(50), { maxEntries: 50 });
  assert.equal(entries.length, 50);
  assert.deepEqual(anomalies, []);
});

test('listZip: entry cap — one member over maxEntries → first N listed + E_LIMIT_ZIP_ENTRIES', async () => {
  const { entries, anomalies } = await listZip(buildManyMembersZip(51), { maxEntries: 50 });
  assert.equal(entries.length, 50);
  assert.deepEqual(codes(anomalies), ['E_LIMIT_ZIP_ENTRIES']);
});

test('listZip: a bad maxEntries option is a ConfigError, not a silent default', async () => {
  await assert.rejects(listZip(buildManyMembersZip(1), { maxEntries: 0 }), {
    code: 'E_CONFIG_LIMIT',
  });
});

test('listZip: Shift_JIS name without the UTF-8 flag → decoded as Japanese, not CP437 mojibake', async () => {
  const zip = buildZip([{ name: shiftJisName('請求書_2024年.doc'), data: 'x' }]);
  const [entry] = (await listZip(zip)).entries;
  assert.equal(entry?.name, '請求書_2024年.doc');
  assert.equal(entry?.nameEncoding, 'shift_jis');
});

test('listZip: UTF-8 flag (bit 11) → UTF-8 name; high bytes that are neither UTF-8 nor SJIS → CP437', async () => {
  const zip = buildZip([
    { name: 'ファイル.txt', data: 'a' },
    { name: new Uint8Array([0x63, 0x61, 0x66, 0x82, 0xff]), data: 'b' }, // "caf" é 0xFF in CP437
  ]);
  const { entries } = await listZip(zip);
  assert.deepEqual(
    entries.map((e) => [e.name, e.nameEncoding]),
    [
      ['ファイル.txt', 'utf-8'],
      ['café\u00a0', 'cp437'],
    ],
  );
});

test('listZip: non-zip bytes → FormatError E_ZIP_NOT_ZIP', async () => {
  for (const bytes of [new Uint8Array(0), new TextEncoder().encode('MZ not a zip at all')]) {
    await assert.rejects(
      listZip(bytes),
      (e: unknown) => e instanceof FormatError && e.code === 'E_ZIP_NOT_ZIP',
    );
  }
});

test('listZip: truncated zip (no end record) → members recovered from local headers + anomaly', async () => {
  const zip = buildZip([
    { name: 'a.txt', data: 'first member '.repeat(10) },
    { name: 'b.txt', data: 'second' },
  ]);
  const cut = zip.slice(0, zip.length - 40); // cuts into the central directory
  const { entries, anomalies } = await listZip(cut);
  assert.deepEqual(codes(anomalies), ['E_ZIP_NO_END_RECORD']);
  assert.deepEqual(
    entries.map((e) => e.name),
    ['a.txt', 'b.txt'],
  );
  const content = await readZipEntry(entries[0]!, { maxBytes: 1000 });
  assert.equal(new TextDecoder().decode(content), 'first member '.repeat(10));
});

test('listZip: member cut mid-data → partial content and E_ZIP_TRUNCATED', async () => {
  const zip = buildZip([{ name: 'a.txt', data: 'abcdefghij'.repeat(50), method: 'store' }]);
  const { entries, anomalies } = await listZip(zip.slice(0, 30 + 5 + 100));
  assert.deepEqual(codes(anomalies), ['E_ZIP_NO_END_RECORD', 'E_ZIP_TRUNCATED']);
  assert.equal((await readZipEntry(entries[0]!, { maxBytes: 1000 })).length, 100);
});

test('listZip: prepended stub (self-extractor, polyglot) → members still listed, noted as anomaly', async () => {
  const zip = buildZip([{ name: 'a.txt', data: 'payload' }], {
    prepend: new TextEncoder().encode('MZ stub '.repeat(20)),
  });
  const { entries, anomalies } = await listZip(zip);
  assert.deepEqual(
    entries.map((e) => e.name),
    ['a.txt'],
  );
  assert.ok(
    anomalies.some((a) => a.code === 'E_ZIP_AMBIGUOUS'),
    JSON.stringify(anomalies),
  );
  assert.equal(
    new TextDecoder().decode(await readZipEntry(entries[0]!, { maxBytes: 100 })),
    'payload',
  );
});

test('listZip: zip-slip names are listed (never hidden) and flagged E_ZIP_UNSAFE_NAME', async () => {
  const zip = buildZip([
    { name: '../../Startup/run.js', data: 'x' },
    { name: 'C:/Windows/x.dll', data: 'y' },
    { name: 'ok/name.txt', data: 'z' },
  ]);
  const { entries, anomalies } = await listZip(zip);
  assert.equal(entries.length, 3);
  assert.deepEqual(
    anomalies.filter((a) => a.code === 'E_ZIP_UNSAFE_NAME').map((a) => a.location),
    ['../../Startup/run.js', 'C:/Windows/x.dll'],
  );
});

test('listZip: entry comments are kept', async () => {
  const { entries } = await listZip(buildZip([{ name: 'a.txt', data: 'a', comment: 'open me' }]));
  assert.equal(entries[0]?.comment, 'open me');
});

test('hostile zips: every truncation and byte flip lists/reads or fails with a DefenseError, never raw', async () => {
  const zip = buildZip([
    { name: 'a.txt', data: 'alpha '.repeat(40) },
    { name: 'dir/', data: '' },
    { name: shiftJisName('資料.doc'), data: new Uint8Array(300).fill(7), method: 'store' },
  ]);
  const variants: Uint8Array[] = [];
  for (let cut = 0; cut < zip.length; cut += 7) variants.push(zip.slice(0, cut));
  for (let at = 0; at < zip.length; at += 3) {
    const flipped = zip.slice();
    flipped[at] = (flipped[at] as number) ^ 0xff;
    variants.push(flipped);
  }
  for (const bytes of variants) {
    try {
      const { entries } = await listZip(bytes);
      for (const entry of entries) {
        try {
          await readZipEntry(entry, { maxBytes: 10_000 });
        } catch (error) {
          assert.ok(error instanceof DefenseError, `read threw raw ${String(error)}`);
        }
      }
    } catch (error) {
      assert.ok(error instanceof DefenseError, `list threw raw ${String(error)}`);
    }
  }
});

test('listZip: two concatenated archives → members of both listed, E_ZIP_CONCATENATED', async () => {
  const first = buildZip([{ name: 'payload.js', data: 'WScript.Echo("inert")' }]);
  const second = buildZip([{ name: 'decoy.pdf', data: 'decoy' }]);
  const joined = new Uint8Array([...first, ...second]);
  const { entries, anomalies } = await listZip(joined);
  assert.deepEqual(
    entries.map((e) => e.name),
    ['payload.js', 'decoy.pdf'],
  );
  assert.ok(
    anomalies.some((a) => a.code === 'E_ZIP_CONCATENATED'),
    JSON.stringify(anomalies),
  );
  const hidden = await readZipEntry(entries[0]!, { maxBytes: 100 });
  assert.equal(new TextDecoder().decode(hidden), 'WScript.Echo("inert")');
});
