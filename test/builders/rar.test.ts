import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractRar, parseRar, readRarEntry } from '../../src/formats/rar/index.js';
import { sniffType } from '../../src/formats/sniff/index.js';
import { buildRar4, buildRar5 } from './rar.js';

const FILES = [
  { name: 'invoice.lnk', data: 'shortcut' },
  { name: 'docs/請求書.hta', data: '<hta:application>', encrypted: true },
  { name: 'big.bin', data: 'compressed?', compressed: true },
];

for (const [version, build] of [
  [5, buildRar5],
  [4, buildRar4],
] as const) {
  test(`rar${version} builder round trip: names, stored/compressed/encrypted members, stored bytes`, () => {
    const bytes = build(FILES);
    assert.equal(sniffType(bytes), 'rar');
    const r = parseRar(bytes);
    assert.equal(r.version, version);
    assert.deepEqual(r.anomalies, []);
    assert.deepEqual(
      r.entries.map((e) => [e.name, e.isStored, e.isEncrypted, e.size]),
      FILES.map((f) => [
        f.name,
        !f.compressed,
        f.encrypted === true,
        new TextEncoder().encode(f.data).length,
      ]),
    );
    assert.equal(new TextDecoder().decode(readRarEntry(bytes, r.entries[0]!, 1 << 20)), 'shortcut');
  });

  test(`rar${version}: encrypted headers → isHeaderEncrypted, no entries`, () => {
    const r = parseRar(build([], { encryptHeaders: true }));
    assert.equal(r.isHeaderEncrypted, true);
    assert.deepEqual(r.entries, []);
  });

  test(`rar${version}: every truncation point parses without throwing`, () => {
    const bytes = build(FILES);
    for (let cut = 0; cut <= bytes.length; cut++) parseRar(bytes.subarray(0, cut));
  });
}

test('rar5 builder round trip with real AES: the encryption record parses, unrar opens it with the password', async () => {
  const bytes = buildRar5([{ name: 'a.lnk', data: 'secret', password: 'pw' }], {
    headerPassword: 'pw',
  });
  const r = parseRar(bytes);
  assert.equal(r.isHeaderEncrypted, true);
  assert.equal(r.headerCrypt?.kdfCount, 4);
  const out = await extractRar(bytes, { password: 'pw', select: () => true, maxBytes: () => 100 });
  assert.deepEqual(
    out.members.map((m) => [m.name, new TextDecoder().decode(m.bytes)]),
    [['a.lnk', 'secret']],
  );
});
