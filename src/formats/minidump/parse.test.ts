import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildMinidump, MEM_IMAGE, PAGE_EXECUTE_READ } from '../../../test/builders/minidump.js';
import {
  formatAddress,
  isWritableExecutable,
  memoryStateName,
  memoryTypeName,
  parseMinidump,
  protectionName,
} from './index.js';

test('minidump: header, stream directory and system info are read', () => {
  const dump = parseMinidump(
    buildMinidump({
      regions: [
        { va: 0x1000n, data: new Uint8Array(16), protect: PAGE_EXECUTE_READ, type: MEM_IMAGE },
      ],
      timeDateStamp: 1_700_000_123,
    }).bytes,
  );
  assert.equal(dump.header.version, 0xa793);
  assert.equal(dump.header.timeDateStamp, 1_700_000_123);
  assert.equal(dump.header.flags, 2n);
  assert.deepEqual(
    dump.streams.map((s) => s.name),
    ['SystemInfoStream', 'MemoryInfoListStream', 'Memory64ListStream'],
  );
  assert.deepEqual(dump.systemInfo, {
    processorArchitecture: 9,
    processorLevel: 6,
    processorRevision: 0,
    numberOfProcessors: 4,
    productType: 1,
    majorVersion: 10,
    minorVersion: 0,
    buildNumber: 19045,
    platformId: 2,
  });
  assert.equal(dump.regions[0]?.info?.protect, PAGE_EXECUTE_READ);
});

test('minidump: protection, type and state names; RWX detection includes PAGE_EXECUTE_WRITECOPY', () => {
  assert.equal(protectionName(0x40), 'PAGE_EXECUTE_READWRITE');
  assert.equal(protectionName(0x104), 'PAGE_READWRITE|PAGE_GUARD');
  assert.equal(protectionName(0x03), '0x3');
  assert.equal(memoryTypeName(0x20000), 'MEM_PRIVATE');
  assert.equal(memoryTypeName(0x7), '0x7');
  assert.equal(memoryStateName(0x1000), 'MEM_COMMIT');
  assert.equal(isWritableExecutable(0x40), true);
  assert.equal(isWritableExecutable(0x80), true);
  assert.equal(isWritableExecutable(0x20), false);
  assert.equal(formatAddress(0x7ff6_0000_1000n), '0x7ff600001000');
});
