import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSevenZip, readSevenZipFolder } from '../../src/formats/sevenzip/index.js';
import { HeaderReader } from '../../src/formats/sevenzip/header.js';
import { sniffType } from '../../src/formats/sniff/index.js';
import { deriveAesKey } from '../../src/formats/sevenzip/aes.js';
import {
  buildEncryptedHeaderSevenZip,
  buildEncryptedSevenZip,
  buildSevenZip,
  number7z,
  sevenZipAesKey,
} from './sevenzip.js';

const FILES = [
  { name: 'invoice.lnk', data: 'shortcut' },
  { name: 'data/請求書.txt', data: 'テキスト' },
];

test('7z NUMBER encoding round trip at every width boundary', () => {
  for (const v of [0, 0x7f, 0x80, 0x3fff, 0x4000, 0x1fffff, 0x200000, 2 ** 32, 2 ** 48 + 3]) {
    const b = number7z(v);
    const r = new HeaderReader(b, 0, b.length);
    assert.equal(r.number(), v);
    assert.equal(r.pos, b.length);
  }
});

for (const encodeHeader of [false, true]) {
  test(`7z builder round trip (${encodeHeader ? 'encoded' : 'plain'} header): names and contents`, () => {
    const bytes = buildSevenZip({ files: FILES, encodeHeader });
    assert.equal(sniffType(bytes), '7z');
    const a = parseSevenZip(bytes);
    assert.deepEqual(a.anomalies, []);
    assert.equal(a.isHeaderEncoded, encodeHeader);
    const out = readSevenZipFolder(bytes, a, 0);
    assert.deepEqual(
      a.entries.map((e) => [
        e.name,
        new TextDecoder().decode(out.subarray(e.offsetInFolder, e.offsetInFolder + e.size)),
      ]),
      FILES.map((f) => [f.name, f.data]),
    );
  });
}

test('7z builder: encrypted header (-mhe=on shape) → isHeaderEncrypted, no names', () => {
  const a = parseSevenZip(buildEncryptedHeaderSevenZip());
  assert.equal(a.isHeaderEncrypted, true);
  assert.deepEqual(a.entries, []);
  assert.deepEqual(a.anomalies, []);
});

test('7z AES builder round trip: plain and encrypted headers open with the password, CRCs checked', () => {
  for (const encryptHeader of [false, true]) {
    const bytes = buildEncryptedSevenZip({ files: FILES, password: 'パス123', encryptHeader });
    const a = parseSevenZip(bytes, { passwords: ['wrong', 'パス123'] });
    assert.deepEqual(a.anomalies, []);
    assert.equal(a.isHeaderEncrypted, encryptHeader);
    const out = readSevenZipFolder(bytes, a, 0, { passwords: ['nope', 'パス123'] });
    assert.equal(a.password, 'パス123');
    assert.deepEqual(
      a.entries.map((e) => [
        e.name,
        new TextDecoder().decode(out.subarray(e.offsetInFolder, e.offsetInFolder + e.size)),
      ]),
      FILES.map((f) => [f.name, f.data]),
    );
  }
});

test('7z AES builder: the reference key derivation equals the reader’s batched one', () => {
  const salt = Uint8Array.of(1, 2, 3, 4);
  const fast = deriveAesKey('secret', { numCyclesPower: 7, salt, iv: new Uint8Array(16) });
  assert.deepEqual(fast, sevenZipAesKey('secret', salt, 7));
});
