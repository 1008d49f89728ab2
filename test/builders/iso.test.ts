import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDiskImage, readExtents, type DiskImage } from '../../src/formats/iso/index.js';
import { sniffType } from '../../src/formats/sniff/index.js';
import { buildFatImage, buildIso } from './iso.js';

const files = (image: DiskImage, bytes: Uint8Array) =>
  image.entries
    .filter((e) => !e.isDirectory)
    .map((e) => [
      e.path,
      new TextDecoder().decode(readExtents(bytes, e.extents, 1 << 20)),
      e.isHidden,
    ]);

const SPEC = [
  { path: 'Invoice_2022-04-25.lnk', data: 'shortcut bytes' },
  { path: 'data/cQE8hO1.dll', data: 'inert', hidden: true },
  { path: 'data/深い/請求書.txt', data: 'テスト' },
];

test('iso builder round trip: Joliet names (long, Japanese), nested directories, hidden flag, label', () => {
  const bytes = buildIso({ files: SPEC });
  assert.equal(sniffType(bytes), 'iso');
  const image = parseDiskImage(bytes);
  assert.deepEqual(image.anomalies, []);
  assert.equal(image.kind, 'joliet');
  assert.deepEqual(image.filesystems, ['iso9660', 'joliet']);
  assert.equal(image.volumeLabel, 'INVOICE_2022');
  assert.deepEqual(files(image, bytes), [
    ['Invoice_2022-04-25.lnk', 'shortcut bytes', false],
    ['data/cQE8hO1.dll', 'inert', true],
    ['data/深い/請求書.txt', 'テスト', false],
  ]);
});

test('iso builder round trip without Joliet: ISO 9660 names, version suffix dropped', () => {
  const bytes = buildIso({ files: [{ path: 'readme.txt', data: 'x' }], joliet: false });
  const image = parseDiskImage(bytes);
  assert.equal(image.kind, 'iso9660');
  assert.deepEqual(files(image, bytes), [['README.TXT', 'x', false]]);
});

test('fat builder round trip: FAT12 .img with long names and a hidden file', () => {
  const bytes = buildFatImage({
    files: [
      { path: 'Invoice April.pdf.lnk', data: 'lnk'.repeat(300) },
      { path: 'x.dll', data: 'inert', hidden: true },
    ],
  });
  assert.equal(sniffType(bytes), 'fat');
  const image = parseDiskImage(bytes);
  assert.deepEqual(image.anomalies, []);
  assert.equal(image.kind, 'fat12');
  assert.equal(image.volumeLabel, 'INVOICE');
  assert.deepEqual(files(image, bytes), [
    ['Invoice April.pdf.lnk', 'lnk'.repeat(300), false],
    ['x.dll', 'inert', true],
  ]);
});
