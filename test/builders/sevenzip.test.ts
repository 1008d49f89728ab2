import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSevenZip, readSevenZipFolder } from '../../src/formats/sevenzip/index.js';
import { HeaderReader } from '../../src/formats/sevenzip/header.js';
import { sniffType } from '../../src/formats/sniff/index.js';
import { buildEncryptedHeaderSevenZip, buildSevenZip, number7z } from './sevenzip.js';

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
