import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRar4, buildRar5 } from '../../../test/builders/rar.js';
import { parseRar } from './index.js';

const FILES = [
  { name: 'a.txt', data: 'a' },
  { name: 'b.txt', data: 'b' },
];

test('rar: maxEntries: 2 members with a limit of 2 → both; of 1 → one and E_LIMIT_RAR_ENTRIES', () => {
  for (const build of [buildRar4, buildRar5]) {
    assert.equal(parseRar(build(FILES), { maxEntries: 2 }).entries.length, 2);
    const capped = parseRar(build(FILES), { maxEntries: 1 });
    assert.equal(capped.entries.length, 1);
    assert.deepEqual(
      capped.anomalies.map((a) => a.code),
      ['E_LIMIT_RAR_ENTRIES'],
    );
  }
});

test('rar: a data size past the end is cut, not followed; a zero block size ends the walk', () => {
  const bytes = buildRar4(FILES);
  bytes[7 + 13 + 7] = 0xff; // first FILE_HEAD PACK_SIZE low byte
  assert.ok(parseRar(bytes).entries.length >= 1);
  const junk = Uint8Array.of(0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0);
  assert.ok(parseRar(junk).anomalies.length > 0);
});
