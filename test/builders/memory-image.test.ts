import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  MEM_IMAGE,
  PAGE_EXECUTE_READ,
  parseCapeProcessDump,
} from '../../src/formats/minidump/index.js';
import { buildCapeProcessDump, writeSparseImage } from './memory-image.js';

test('memory-image builder: a CAPE dump parses back to its regions (address, size, protection, type)', () => {
  const spec = [
    {
      va: 0x400000n,
      data: new Uint8Array(0x2000).fill(1),
      protect: PAGE_EXECUTE_READ,
      type: MEM_IMAGE,
    },
    { va: 0x7ff0000n, data: new Uint8Array(0x1000).fill(2) },
  ];
  const dump = parseCapeProcessDump(buildCapeProcessDump(spec));
  assert.deepEqual(dump.anomalies, []);
  assert.deepEqual(
    dump.regions.map((r) => [r.va, r.size, r.fileOffset, r.info?.protect, r.info?.type]),
    [
      [0x400000n, 0x2000, 24, PAGE_EXECUTE_READ, MEM_IMAGE],
      [0x7ff0000n, 0x1000, 24 + 0x2000 + 24, 0x04, 0x20000],
    ],
  );
});

test('memory-image builder: a sparse image has its size and the planted bytes, zeros elsewhere', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'emoguard-img-')), 'm.raw');
  writeSparseImage(path, 100_000, [{ offset: 50_000, bytes: 'MARK' }]);
  assert.equal(statSync(path).size, 100_000);
  const bytes = readFileSync(path);
  assert.equal(bytes.subarray(50_000, 50_004).toString(), 'MARK');
  assert.equal(bytes[49_999], 0);
});
