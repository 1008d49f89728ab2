import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concatBytes } from '../../core/index.js';
import { buildOneNote } from '../../../test/builders/onenote.js';
import { FILE_DATA_FOOTER, FILE_DATA_HEADER, parseOneNote } from './index.js';
import { guidBytes } from './bin.js';

test('onenote: a fragment chain that loops back to itself is read once', () => {
  const one = parseOneNote(
    buildOneNote({ files: [{ name: 'a.hta', data: 'x' }], loopFragments: true }),
  );
  assert.equal(one.embedded.length, 1);
  assert.equal(one.embedded[0]!.name, 'a.hta');
});

test('onenote: a cbLength past the end → data cut at the end, truncated, no exception', () => {
  const one = parseOneNote(
    buildOneNote({ files: [{ name: 'a.bat', data: 'echo 1' }], lyingLength: 1e12 }),
  );
  assert.equal(one.embedded.length, 1);
  assert.equal(one.embedded[0]!.isTruncated, true);
  assert.ok(one.anomalies.some((a) => a.code === 'E_ONENOTE_BAD_FILE_DATA'));
});

test('onenote: a lying cbLength does not hide the next embedded file', () => {
  const one = parseOneNote(
    buildOneNote({
      files: [
        { name: 'a.txt', data: 'aaaa' },
        { name: 'b.hta', data: 'bbbb' },
      ],
      lyingLength: 9_999,
    }),
  );
  assert.equal(one.embedded.length, 2);
});

test('onenote: every truncation point parses without throwing', () => {
  const bytes = buildOneNote({
    files: [{ name: 'a.hta', data: 'hello' }],
    texts: ['Double click to view'],
  });
  for (let cut = 16; cut < bytes.length; cut += 7) parseOneNote(bytes.subarray(0, cut));
});

test('onenote: maxEmbedded: 3 objects with a limit of 3 → all; of 2 → 2 and a limit anomaly', () => {
  const header = buildOneNote({ files: [], omitNodes: true });
  const object = concatBytes([
    guidBytes(FILE_DATA_HEADER),
    Uint8Array.of(8, 0, 0, 0, 0, 0, 0, 0),
    new Uint8Array(12),
    new Uint8Array(8),
    guidBytes(FILE_DATA_FOOTER),
  ]);
  const bytes = concatBytes([header, object, object, object]);
  assert.equal(parseOneNote(bytes, { maxEmbedded: 3 }).embedded.length, 3);
  const capped = parseOneNote(bytes, { maxEmbedded: 2 });
  assert.equal(capped.embedded.length, 2);
  assert.ok(capped.anomalies.some((a) => a.code === 'E_LIMIT_ONENOTE_EMBEDDED'));
});

test('onenote: maxFileNodes stops the walk with a limit anomaly', () => {
  const bytes = buildOneNote({
    files: [
      { name: 'a.hta', data: 'x' },
      { name: 'b.hta', data: 'y' },
    ],
  });
  const one = parseOneNote(bytes, { maxFileNodes: 2 });
  assert.ok(one.anomalies.some((a) => a.code === 'E_LIMIT_ONENOTE_NODES'));
  assert.equal(one.embedded.length, 2, 'files are still found by their GUID');
});

test('onenote: not a .one header → E_ONENOTE_BAD_HEADER', () => {
  assert.throws(() => parseOneNote(new Uint8Array(2048)), /E_ONENOTE_BAD_HEADER|not a OneNote/);
});
