import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FormatError } from '../../core/index.js';
import { buildCapeProcessDump } from '../../../test/builders/memory-image.js';
import {
  buildMinidump,
  buildPeHeader,
  patchU32,
  patchU64,
  PAGE_EXECUTE_READWRITE,
} from '../../../test/builders/minidump.js';
import { parseCapeProcessDump, parseMinidump, type ByteSource } from './index.js';

/** A ByteSource over bytes that counts what was read (the point: tables only, never the regions). */
function counted(
  bytes: Uint8Array,
): ByteSource & { read: ByteSource['read']; total: () => number } {
  let total = 0;
  return {
    length: bytes.length,
    read(offset, length) {
      total += length;
      return bytes.slice(offset, offset + length);
    },
    total: () => total,
  };
}

const big = (fill: number) => new Uint8Array(4 * 1024 * 1024).fill(fill);

test('minidump source: parsing through a ByteSource gives what parsing the bytes gives', () => {
  const { bytes } = buildMinidump({
    regions: [
      { va: 0x10000n, data: big(1), protect: PAGE_EXECUTE_READWRITE },
      { va: 0x900000n, data: buildPeHeader(0x1000) },
    ],
    modules: [{ base: 0x900000n, size: 0x1000, name: 'C:\\Windows\\System32\\kernel32.dll' }],
  });
  const source = counted(bytes);
  assert.deepEqual(parseMinidump(source), parseMinidump(bytes));
  assert.ok(source.total() < 1024 * 1024, `read ${source.total()} bytes of ${bytes.length}`);
});

test('minidump source: a source that returns fewer bytes than it has (file shrank) → E_INPUT_SHRUNK', () => {
  const { bytes } = buildMinidump({ regions: [{ va: 0x10000n, data: big(1) }] });
  const shrinking: ByteSource = {
    length: bytes.length,
    read: (offset, length) => bytes.slice(offset, Math.min(offset + length, 40)),
  };
  assert.throws(
    () => parseMinidump(shrinking),
    (e: unknown) => e instanceof FormatError && e.code === 'E_INPUT_SHRUNK',
  );
});

test('cape dump: a region declaring more bytes than the file holds → E_CAPE_REGION_PAST_EOF, cut', () => {
  const bytes = buildCapeProcessDump([
    { va: 0x10000n, data: new Uint8Array(0x1000) },
    { va: 0x20000n, data: new Uint8Array(0x1000), declaredSize: 0xffffffff },
  ]);
  const dump = parseCapeProcessDump(bytes);
  assert.deepEqual(
    dump.anomalies.map((a) => a.code),
    ['E_CAPE_REGION_PAST_EOF'],
  );
  assert.deepEqual(
    dump.regions.map((r) => r.size),
    [0x1000, 0x1000],
  );
});

test('cape dump: a broken header mid-file ends the walk (E_CAPE_BAD_HEADER); the tail is not a region', () => {
  const bytes = buildCapeProcessDump([
    { va: 0x10000n, data: new Uint8Array(0x1000) },
    { va: 0x20000n, data: new Uint8Array(0x1000) },
  ]);
  patchU32(bytes, 24 + 0x1000 + 12, 0x2000); // MEM_RESERVE: no bytes would have been dumped
  const dump = parseCapeProcessDump(bytes);
  assert.deepEqual(
    dump.anomalies.map((a) => a.code),
    ['E_CAPE_BAD_HEADER'],
  );
  assert.equal(dump.regions.length, 1);
  assert.equal(dump.end, 24 + 0x1000);
});

test('cape dump: the record limit holds on each side (maxRegions records read, one more is a limit)', () => {
  const bytes = buildCapeProcessDump(
    Array.from({ length: 3 }, (_, i) => ({
      va: BigInt(0x10000 * (i + 1)),
      data: new Uint8Array(16),
    })),
  );
  assert.deepEqual(parseCapeProcessDump(bytes, { maxRegions: 3 }).anomalies, []);
  const cut = parseCapeProcessDump(bytes, { maxRegions: 2 });
  assert.deepEqual(
    cut.anomalies.map((a) => a.code),
    ['E_LIMIT_CAPE_REGIONS'],
  );
  assert.equal(cut.regions.length, 2);
});

test('cape dump: a 0-byte file has no regions and no anomalies', () => {
  assert.deepEqual(parseCapeProcessDump(new Uint8Array(0)), { regions: [], end: 0, anomalies: [] });
});

test('minidump source: hostile dumps (2^32 counts, ranges past EOF) → the same anomalies from disk', () => {
  const three = () =>
    buildMinidump({
      regions: [
        { va: 0x10000n, data: new Uint8Array(4096).fill(1) },
        { va: 0x20000n, data: new Uint8Array(4096).fill(2) },
        { va: 0x30000n, data: new Uint8Array(4096).fill(3) },
      ],
    });
  const directory = three().bytes;
  patchU32(directory, 8, 0xffffffff);
  const count = three();
  patchU64(count.bytes, count.streams.get(9)!.rva, 1n << 32n);
  const cut = three().bytes.slice(0, -5000);
  const cases = { directory, count: count.bytes, cut };
  for (const [name, bytes] of Object.entries(cases)) {
    const fromDisk = parseMinidump(counted(bytes));
    assert.deepEqual(fromDisk, parseMinidump(bytes), name);
    assert.ok(fromDisk.anomalies.length > 0, `${name}: reported`);
  }
});
