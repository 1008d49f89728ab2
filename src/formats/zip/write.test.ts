import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  centralDirectoryNames,
  crc32,
  findEndOfCentralDirectory,
  isZip,
  listZip,
  readZipEntry,
  writeZip,
} from './index.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

test('crc32: the check value of "123456789" is 0xCBF43926', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
});

test('writeZip → listZip/readZipEntry round-trips names, sizes, directories and content (stored when deflate does not shrink)', async () => {
  const bytes = writeZip([
    { name: 'docs/', data: '' },
    { name: 'docs/readme.txt', data: 'hello '.repeat(100) },
    { name: 'raw.bin', data: new Uint8Array([1, 2, 3]), method: 'store' },
    { name: '請求書.txt', data: 'invoice' },
  ]);
  const { entries, anomalies } = await listZip(bytes);
  assert.deepEqual(anomalies, []);
  assert.deepEqual(
    entries.map((e) => [e.name, e.directory, e.uncompressedSize, e.method, e.nameEncoding]),
    [
      ['docs/', true, 0, 0, 'cp437'],
      ['docs/readme.txt', false, 600, 8, 'cp437'],
      ['raw.bin', false, 3, 0, 'cp437'],
      ['請求書.txt', false, 7, 0, 'utf-8'],
    ],
  );
  assert.equal(text(await readZipEntry(entries[1]!, { maxBytes: 600 })), 'hello '.repeat(100));
  assert.deepEqual([...(await readZipEntry(entries[2]!, { maxBytes: 3 }))], [1, 2, 3]);
  assert.equal(text(await readZipEntry(entries[3]!, { maxBytes: 100 })), 'invoice');
  assert.equal((await readZipEntry(entries[0]!, { maxBytes: 0 })).length, 0);
});

test('writeZip is deterministic: the same files give the same bytes', () => {
  const files = [{ name: 'a.txt', data: 'a' }];
  assert.deepEqual(writeZip(files), writeZip(files));
});

test('sniff: isZip on archives, a bare local header, and non-zips', () => {
  const zip = writeZip([{ name: 'a.txt', data: 'a' }]);
  assert.equal(isZip(zip), true);
  assert.equal(isZip(zip.slice(0, 40)), true, 'a truncated zip is still a zip');
  assert.equal(isZip(writeZip([])), true, 'an empty archive is only an end record');
  assert.equal(isZip(new TextEncoder().encode('PK but not a zip')), false);
  assert.equal(isZip(new Uint8Array(0)), false);
});

test('sniff: centralDirectoryNames reads names, honours max, and survives prepended stubs', () => {
  const zip = writeZip([
    { name: '[Content_Types].xml', data: '<Types/>' },
    { name: 'word/document.xml', data: '<w/>' },
  ]);
  assert.deepEqual(centralDirectoryNames(zip), ['[Content_Types].xml', 'word/document.xml']);
  assert.deepEqual(centralDirectoryNames(zip, 1), ['[Content_Types].xml']);
  const stub = new Uint8Array(300).fill(0x4d);
  const shifted = new Uint8Array(stub.length + zip.length);
  shifted.set(stub);
  shifted.set(zip, stub.length);
  assert.deepEqual(centralDirectoryNames(shifted), ['[Content_Types].xml', 'word/document.xml']);
  assert.equal(findEndOfCentralDirectory(shifted)?.entries, 2);
});
