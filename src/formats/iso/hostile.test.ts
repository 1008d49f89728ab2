import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildFatImage, buildIso } from '../../../test/builders/iso.js';
import { parseDiskImage, readExtents } from './index.js';

const codes = (bytes: Uint8Array, options = {}) =>
  parseDiskImage(bytes, options).anomalies.map((a) => a.code);

test('iso: a directory record pointing back at the root is read once (E_ISO_DIRECTORY_LOOP)', () => {
  const image = parseDiskImage(
    buildIso({ files: [{ path: 'a.txt', data: 'x' }], loopDirectory: true }),
  );
  assert.ok(image.anomalies.some((a) => a.code === 'E_ISO_DIRECTORY_LOOP'));
  assert.equal(image.entries.filter((e) => !e.isDirectory).length, 1);
});

test('iso: a file size past the end is cut at the end of the image when read', () => {
  const bytes = buildIso({ files: [{ path: 'a.txt', data: 'hello' }], lyingSize: 0xfffffff0 });
  const entry = parseDiskImage(bytes).entries.find((e) => e.path === 'a.txt')!;
  assert.equal(entry.size, 0xfffffff0);
  const data = readExtents(bytes, entry.extents, 1 << 30);
  assert.ok(data.length < bytes.length);
});

test('iso: every truncation point parses without throwing', () => {
  const bytes = buildIso({
    files: [
      { path: 'd/a.txt', data: 'x' },
      { path: 'b.lnk', data: 'y' },
    ],
  });
  for (let cut = 0; cut <= bytes.length; cut += 997) parseDiskImage(bytes.subarray(0, cut));
});

test('iso: maxEntries and maxDepth: at the limit all is listed, past it a limit anomaly', () => {
  const bytes = buildIso({ files: [{ path: 'a/b/c.txt', data: 'x' }], joliet: false });
  assert.deepEqual(codes(bytes, { maxEntries: 3 }), []);
  assert.deepEqual(codes(bytes, { maxEntries: 2 }), ['E_LIMIT_IMAGE_ENTRIES']);
  assert.deepEqual(codes(bytes, { maxDepth: 2 }), []);
  assert.deepEqual(codes(bytes, { maxDepth: 1 }), ['E_LIMIT_IMAGE_DEPTH']);
});

test('fat: a cluster chain that loops stops with E_FAT_CHAIN_LOOP; the file is cut, not endless', () => {
  const bytes = buildFatImage({
    files: [{ path: 'a.bin', data: new Uint8Array(1500).fill(65) }],
    loopChain: true,
  });
  const image = parseDiskImage(bytes);
  const entry = image.entries[0]!;
  assert.ok(readExtents(bytes, entry.extents, 1 << 20).length <= 1500);
  // The declared size (1500) is reached through the loop before the image runs out: the walk ends there.
  assert.equal(image.entries.length, 1);
});

test('fat: random bytes with 0x55AA at 510 are not a volume', () => {
  const junk = new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
  junk[510] = 0x55;
  junk[511] = 0xaa;
  assert.deepEqual(codes(junk), ['E_IMAGE_UNKNOWN']);
});
