import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FormatError } from '../../core/index.js';
import {
  buildMinidump,
  patchU32,
  patchU64,
  type MinidumpSpec,
} from '../../../test/builders/minidump.js';
import { parseMinidump } from './index.js';

const codes = (bytes: Uint8Array, options?: Parameters<typeof parseMinidump>[1]) =>
  parseMinidump(bytes, options).anomalies.map((a) => a.code);
const page = (fill: number, size = 4096) => new Uint8Array(size).fill(fill);
const THREE: MinidumpSpec = {
  regions: [
    { va: 0x10000n, data: page(1) },
    { va: 0x20000n, data: page(2) },
    { va: 0x30000n, data: page(3) },
  ],
};

test('minidump: a wrong signature → FormatError E_MINIDUMP_NOT_MINIDUMP', () => {
  assert.throws(
    () => parseMinidump(new TextEncoder().encode('MZ not a dump')),
    (e: unknown) => e instanceof FormatError && e.code === 'E_MINIDUMP_NOT_MINIDUMP',
  );
});

test('minidump: file cut inside the header → E_MINIDUMP_TRUNCATED, empty result, no throw', () => {
  const dump = parseMinidump(buildMinidump(THREE).bytes.slice(0, 10));
  assert.deepEqual(
    dump.anomalies.map((a) => a.code),
    ['E_MINIDUMP_TRUNCATED'],
  );
  assert.equal(dump.regions.length, 0);
});

test('minidump: 2^32-1 directory entries → E_MINIDUMP_DIRECTORY_PAST_EOF, only what fits is read', () => {
  const { bytes } = buildMinidump(THREE);
  patchU32(bytes, 8, 0xffffffff);
  const started = Date.now();
  const dump = parseMinidump(bytes);
  assert.ok(Date.now() - started < 1000);
  assert.ok(dump.anomalies.some((a) => a.code === 'E_MINIDUMP_DIRECTORY_PAST_EOF'));
  assert.equal(dump.regions.length, 3);
});

test('minidump: a Memory64List declaring 2^32 ranges in a small stream → E_MINIDUMP_BAD_COUNT, real ranges kept', () => {
  const built = buildMinidump(THREE);
  patchU64(built.bytes, built.streams.get(9)!.rva, 1n << 32n);
  const dump = parseMinidump(built.bytes);
  assert.deepEqual(
    dump.anomalies.map((a) => a.code),
    ['E_MINIDUMP_BAD_COUNT'],
  );
  assert.equal(dump.regions.length, 3);
});

test('minidump: a MemoryList count of 0xFFFFFFFF → E_MINIDUMP_BAD_COUNT, no allocation of 2^32 entries', () => {
  const built = buildMinidump({ ...THREE, list: 'memory' });
  patchU32(built.bytes, built.streams.get(5)!.rva, 0xffffffff);
  assert.deepEqual(codes(built.bytes), ['E_MINIDUMP_BAD_COUNT']);
});

test('minidump: a range table whose data starts past EOF → E_MINIDUMP_REGION_PAST_EOF, no regions', () => {
  const built = buildMinidump(THREE);
  patchU64(built.bytes, built.streams.get(9)!.rva + 8, 0xffff_ffff_0000n);
  const dump = parseMinidump(built.bytes);
  assert.deepEqual(
    dump.anomalies.map((a) => a.code),
    ['E_MINIDUMP_REGION_PAST_EOF'],
  );
  assert.equal(dump.regions.length, 0);
});

test('minidump: a range declaring 2^63 bytes keeps what is in the file and reports the rest', () => {
  const built = buildMinidump(THREE);
  patchU64(built.bytes, built.streams.get(9)!.rva + 16 + 2 * 16 + 8, 1n << 63n);
  const dump = parseMinidump(built.bytes);
  assert.deepEqual(
    dump.anomalies.map((a) => a.code),
    ['E_MINIDUMP_REGION_PAST_EOF'],
  );
  assert.deepEqual(
    dump.regions.map((r) => r.size),
    [4096, 4096, 4096],
  );
});

test('minidump: MemoryList ranges sharing file bytes are dropped (no 1000x read amplification)', () => {
  const built = buildMinidump({ ...THREE, list: 'memory' });
  const list = built.streams.get(5)!.rva;
  for (let i = 0; i < 3; i++)
    patchU32(built.bytes, list + 4 + i * 16 + 12, built.regionOffsets[0]!);
  const dump = parseMinidump(built.bytes);
  assert.deepEqual(
    dump.anomalies.map((a) => a.code),
    ['E_MINIDUMP_DATA_OVERLAP'],
  );
  assert.equal(dump.regions.length, 1);
  assert.ok(dump.regions.reduce((n, r) => n + r.size, 0) <= built.bytes.length);
});

test('minidump: ranges claiming the same virtual addresses → E_MINIDUMP_VA_OVERLAP, both kept', () => {
  const built = buildMinidump(THREE);
  patchU64(built.bytes, built.streams.get(9)!.rva + 16 + 16, 0x10800n);
  const dump = parseMinidump(built.bytes);
  assert.deepEqual(
    dump.anomalies.map((a) => a.code),
    ['E_MINIDUMP_VA_OVERLAP'],
  );
  assert.equal(dump.regions.length, 3);
});

test('minidump: maxRegions: exactly at the cap is fine, one more → E_LIMIT_MINIDUMP_ENTRIES', () => {
  const { bytes } = buildMinidump({ regions: THREE.regions, hasMemoryInfo: false });
  assert.deepEqual(codes(bytes, { maxRegions: 3 }), []);
  assert.deepEqual(codes(bytes, { maxRegions: 2 }), ['E_LIMIT_MINIDUMP_ENTRIES']);
  assert.equal(parseMinidump(bytes, { maxRegions: 2 }).regions.length, 2);
});

test('minidump: memory-info entries smaller than MINIDUMP_MEMORY_INFO → E_MINIDUMP_BAD_MEMORY_INFO', () => {
  const built = buildMinidump(THREE);
  patchU32(built.bytes, built.streams.get(16)!.rva + 4, 8);
  const dump = parseMinidump(built.bytes);
  assert.deepEqual(
    dump.anomalies.map((a) => a.code),
    ['E_MINIDUMP_BAD_MEMORY_INFO'],
  );
  assert.equal(dump.regions[0]?.info, undefined);
});

test('minidump: a second Memory64ListStream is ignored with E_MINIDUMP_DUPLICATE_STREAM', () => {
  const built = buildMinidump(THREE);
  const sys = built.streams.get(7)!;
  patchU32(built.bytes, built.directoryRva + sys.directoryIndex * 12, 9);
  patchU32(
    built.bytes,
    built.directoryRva + sys.directoryIndex * 12 + 8,
    built.streams.get(9)!.rva,
  );
  patchU32(
    built.bytes,
    built.directoryRva + sys.directoryIndex * 12 + 4,
    built.streams.get(9)!.size,
  );
  assert.ok(codes(built.bytes).includes('E_MINIDUMP_DUPLICATE_STREAM'));
});

test('minidump: a module name past EOF → E_MINIDUMP_BAD_STRING, module kept without a name', () => {
  const built = buildMinidump({
    ...THREE,
    modules: [{ base: 0x400000n, size: 0x1000, name: 'a.dll' }],
  });
  patchU32(built.bytes, built.streams.get(4)!.rva + 4 + 20, 0xfffffff0);
  const dump = parseMinidump(built.bytes);
  assert.deepEqual(
    dump.anomalies.map((a) => a.code),
    ['E_MINIDUMP_BAD_STRING'],
  );
  assert.equal(dump.modules[0]?.name, '');
});

test('minidump: every truncation of a valid dump parses without throwing', () => {
  const { bytes } = buildMinidump({
    ...THREE,
    modules: [{ base: 0x400000n, size: 0x1000, name: 'a.dll' }],
  });
  for (let n = 4; n < bytes.length; n += 7) {
    const dump = parseMinidump(bytes.subarray(0, n));
    for (const r of dump.regions) assert.ok(r.fileOffset + r.size <= n);
  }
});
