import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LimitError } from '../../core/index.js';
import { buildEncryptedHeaderSevenZip, buildSevenZip } from '../../../test/builders/sevenzip.js';
import {
  decodeLzma,
  decodeLzma2,
  deriveAesKey,
  parseAesProperties,
  parseSevenZip,
  readSevenZipFolder,
} from './index.js';

const FILES = [
  { name: 'a.lnk', data: 'x'.repeat(100) },
  { name: 'b.txt', data: 'y' },
];

test('7z: every truncation point of plain, encoded and encrypted-header archives parses without throwing', () => {
  for (const bytes of [
    buildSevenZip({ files: FILES }),
    buildSevenZip({ files: FILES, encodeHeader: true }),
    buildEncryptedHeaderSevenZip(),
  ]) {
    for (let cut = 0; cut <= bytes.length; cut++) {
      const a = parseSevenZip(bytes.subarray(0, cut));
      if (cut < bytes.length) assert.ok(a.anomalies.length > 0 || cut < 32, `cut ${cut}`);
    }
  }
});

test('7z: NextHeaderOffset past the end → E_7Z_TRUNCATED', () => {
  const bytes = buildSevenZip({ files: FILES });
  bytes[12 + 5] = 0x7f;
  assert.deepEqual(
    parseSevenZip(bytes).anomalies.map((a) => a.code),
    ['E_7Z_TRUNCATED'],
  );
});

test('7z: a header claiming billions of files or folders fails fast with E_7Z_BAD_HEADER', () => {
  const bytes = buildSevenZip({ files: FILES });
  const start = bytes.length - (bytes.length - 32 - 101);
  // kFilesInfo's NumFiles sits after 0x05; replace it with 0xFF (a 9-byte NUMBER: 2^56-ish).
  const at = bytes.indexOf(0x05, start);
  const bad = Uint8Array.from([
    ...bytes.subarray(0, at + 1),
    0xff,
    0xff,
    0xff,
    0xff,
    0xff,
    0xff,
    0xff,
    0x0f,
    0x00,
    ...bytes.subarray(at + 2),
  ]);
  assert.ok(parseSevenZip(bad).anomalies.some((a) => a.code === 'E_7Z_BAD_HEADER'));
});

test('7z: maxEntries: 2 entries with a limit of 2 → both; of 1 → one and E_LIMIT_7Z_ENTRIES', () => {
  const bytes = buildSevenZip({ files: FILES });
  assert.equal(parseSevenZip(bytes, { maxEntries: 2 }).entries.length, 2);
  const capped = parseSevenZip(bytes, { maxEntries: 1 });
  assert.equal(capped.entries.length, 1);
  assert.ok(capped.anomalies.some((a) => a.code === 'E_LIMIT_7Z_ENTRIES'));
});

test('7z: a Copy folder larger than maxOutput → LimitError; at exactly maxOutput → read', () => {
  const bytes = buildSevenZip({ files: FILES });
  const a = parseSevenZip(bytes);
  assert.equal(readSevenZipFolder(bytes, a, 0, { maxOutput: 101 }).length, 101);
  assert.throws(
    () => readSevenZipFolder(bytes, a, 0, { maxOutput: 100 }),
    (e) => e instanceof LimitError,
  );
});

test('lzma: garbage and truncated streams → FormatError, never a hang or an out-of-range read', () => {
  const junk = Uint8Array.from({ length: 4096 }, (_, i) => (i * 37 + 11) & 0xff);
  junk[0] = 0;
  assert.throws(
    () => decodeLzma(Uint8Array.of(0x5d, 0, 0, 1, 0), junk, 1 << 20, 1 << 20),
    /E_LZMA|LZMA|dictionary|ends early|distance/,
  );
  assert.throws(() =>
    decodeLzma2(Uint8Array.of(16), Uint8Array.of(0xe0, 0, 10, 0, 3, 0x5d, 0, 1), 100, 100),
  );
  assert.throws(
    () => decodeLzma2(Uint8Array.of(16), Uint8Array.of(0x03, 0, 0), 100, 100),
    /control byte/,
  );
});

test('7zAES: key rounds at the cap derive a key; one power past it → LimitError before any hashing', () => {
  const props = { salt: new Uint8Array(), iv: new Uint8Array(16) };
  assert.equal(
    deriveAesKey('pw', { ...props, numCyclesPower: 8 }, { maxCyclesPower: 8 }).length,
    32,
  );
  assert.throws(
    () => deriveAesKey('pw', { ...props, numCyclesPower: 9 }, { maxCyclesPower: 8 }),
    (e) => e instanceof LimitError && e.code === 'E_LIMIT_7Z_AES_ROUNDS',
  );
  assert.throws(
    () => deriveAesKey('pw', { ...props, numCyclesPower: 62 }),
    (e) => e instanceof LimitError,
  );
});

test('7zAES: property bytes with sizes that do not add up → E_7Z_BAD_HEADER', () => {
  assert.throws(() => parseAesProperties(Uint8Array.of(0x53, 0x07, 1, 2)), /properties/);
  assert.throws(() => parseAesProperties(new Uint8Array()), /without properties/);
  const p = parseAesProperties(Uint8Array.of(0xd3, 0x21, 0xa, 0xb, 0xc, 0x1, 0x2));
  assert.deepEqual(
    [p.numCyclesPower, [...p.salt], [...p.iv.subarray(0, 3)]],
    [19, [0xa, 0xb, 0xc], [1, 2, 0]],
  );
});
