import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOneNote } from '../../src/formats/onenote/index.js';
import { sniffType } from '../../src/formats/sniff/index.js';
import { buildLureOneNote, buildOneNote } from './onenote.js';

const text = (bytes: Uint8Array, f: { dataOffset: number; length: number }) =>
  new TextDecoder().decode(bytes.subarray(f.dataOffset, f.dataOffset + f.length));

test('onenote builder round trip: files, names, extensions, source paths and page text', () => {
  const bytes = buildLureOneNote('<html><hta:application/></html>', '@echo off\r\necho hi\r\n');
  assert.equal(sniffType(bytes), 'onenote');
  const one = parseOneNote(bytes);
  assert.deepEqual(one.anomalies, []);
  assert.deepEqual(
    one.embedded.map((f) => [f.name, f.extension, f.sourcePath, text(bytes, f), f.isTruncated]),
    [
      [
        'Open.hta',
        '.hta',
        'C:\\Users\\user\\Desktop\\Open.hta',
        '<html><hta:application/></html>',
        false,
      ],
      ['invoice.bat', '.bat', 'Z:\\build\\invoice.bat', '@echo off\r\necho hi\r\n', false],
    ],
  );
  assert.deepEqual(one.texts, ['This document is protected', 'Double click to view file']);
  assert.equal(one.fileGuid, '{A1B2C3D4-0000-4000-8000-00000000ABCD}');
});

test('onenote: without file node lists the files are still found by their GUID, unnamed', () => {
  const bytes = buildOneNote({ files: [{ name: 'a.vbs', data: 'MsgBox 1' }], omitNodes: true });
  const one = parseOneNote(bytes);
  assert.equal(one.embedded.length, 1);
  assert.equal(one.embedded[0]!.name, undefined);
  assert.equal(text(bytes, one.embedded[0]!), 'MsgBox 1');
  assert.ok(one.anomalies.some((a) => a.code === 'E_ONENOTE_NO_ROOT'));
});
