import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Uint8ArrayReader, Uint8ArrayWriter, ZipReader } from '@zip.js/zip.js';
import {
  buildActiveDocm,
  buildActivePptm,
  buildActiveXlsm,
} from '../../../test/builders/ooxml-active.js';
import { buildDocx, buildXlsx } from '../../../test/builders/office.js';
import { buildManyMembersZip, buildZip } from '../../../test/builders/zip.js';
import { readCentralDirectorySync } from './central.js';
import { listZip, readZipEntry } from './index.js';
import { findEndOfCentralDirectory } from './sniff.js';
import { READER_OPTIONS } from './zipjs.js';

const plainArchives = (): [string, Uint8Array][] => [
  ['docx', buildDocx({ body: ['<w:p/>'], template: 'http://203.0.113.7/t.dotm' })],
  ['xlsx', buildXlsx({ ddeLinks: [{ service: 'cmd', topic: '/c echo 1' }], formulas: ['SUM(1)'] })],
  ['docm', buildActiveDocm()],
  ['xlsm', buildActiveXlsm()],
  ['pptm', buildActivePptm()],
  [
    'stored and deflated',
    buildZip([
      { name: 'a.txt', data: 'a', method: 'store' },
      { name: 'd/', data: '' },
      { name: 'd/b.bin', data: 'bbbb' },
    ]),
  ],
  ['many', buildManyMembersZip(300)],
];

function sync(bytes: Uint8Array, maxEntries = 65_535) {
  const end = findEndOfCentralDirectory(bytes);
  assert.ok(end, 'the test archive has an end record');
  return readCentralDirectorySync(bytes, end, maxEntries);
}

test('central directory: plain archives list exactly as zip.js lists them, with no zip.js warning', async () => {
  for (const [kind, bytes] of plainArchives()) {
    const mine = sync(bytes);
    assert.ok(mine, `${kind}: taken by the synchronous path`);
    const reader = new ZipReader(new Uint8ArrayReader(bytes), READER_OPTIONS);
    const theirs = await reader.getEntries();
    assert.deepEqual(reader.warnings ?? [], [], `${kind}: zip.js sees nothing odd`);
    assert.deepEqual(
      mine.map(({ entry, crc32 }) => [
        entry.name,
        entry.offset,
        entry.compressedSize,
        entry.uncompressedSize,
        entry.method,
        entry.directory,
        crc32,
      ]),
      theirs.map((e) => [
        e.filename,
        e.offset,
        e.compressedSize,
        e.uncompressedSize,
        e.compressionMethod,
        e.directory,
        e.crc32,
      ]),
      kind,
    );
  }
});

test('central directory: anything unusual is left to zip.js (comment, non-ASCII name, encryption flag, appended bytes, over maxEntries)', () => {
  const cases: [string, Uint8Array, number?][] = [
    ['member comment', buildZip([{ name: 'a.txt', data: 'a', comment: 'hi' }])],
    ['UTF-8 name', buildZip([{ name: 'ファイル.txt', data: 'a' }])],
    ['encrypted flag', buildZip([{ name: 'a.txt', data: 'a', extraFlags: 1 }])],
    ['appended bytes', Uint8Array.from([...buildZip([{ name: 'a.txt', data: 'a' }]), 0, 0])],
    ['prepended bytes', Uint8Array.from([0x4d, 0x5a, ...buildZip([{ name: 'a.txt', data: 'a' }])])],
    [
      'duplicate names',
      buildZip([
        { name: 'a.txt', data: 'a' },
        { name: 'a.txt', data: 'b' },
      ]),
    ],
    ['at maxEntries + 1', buildManyMembersZip(3), 2],
  ];
  for (const [kind, bytes, max] of cases) {
    const end = findEndOfCentralDirectory(bytes);
    if (!end) continue; // prepended bytes may hide the record from this probe too: zip.js decides
    assert.equal(readCentralDirectorySync(bytes, end, max ?? 65_535), undefined, kind);
  }
  assert.ok(sync(buildManyMembersZip(3), 3), 'exactly maxEntries members is still plain');
});

test('central directory: a member the synchronous reader refuses (bad CRC) is read by zip.js, as before', async () => {
  const bytes = buildZip([{ name: 'a.txt', data: 'hello', method: 'store' }]);
  const corrupt = bytes.slice();
  const at = 30 + 'a.txt'.length; // first content byte
  corrupt[at] = corrupt[at]! ^ 0xff;
  assert.ok(sync(corrupt), 'the directory itself is plain');
  const [entry] = (await listZip(corrupt)).entries;
  const reader = new ZipReader(new Uint8ArrayReader(corrupt), READER_OPTIONS);
  const [theirs] = await reader.getEntries();
  assert.ok(theirs && !theirs.directory, 'zip.js lists the member');
  const expected = await theirs.getData(new Uint8ArrayWriter());
  assert.deepEqual(await readZipEntry(entry!, { maxBytes: 1000 }), expected);
});
