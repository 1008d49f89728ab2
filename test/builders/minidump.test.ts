import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMinidump } from '../../src/formats/minidump/index.js';
import {
  buildMinidump,
  MEM_IMAGE,
  MEM_PRIVATE,
  PAGE_EXECUTE_READ,
  PAGE_EXECUTE_READWRITE,
  type MinidumpSpec,
} from './minidump.js';

const bytesOf = (text: string) => new TextEncoder().encode(text);

const SPEC: MinidumpSpec = {
  regions: [
    {
      va: 0x7ff6_0000_0000n,
      data: bytesOf('image bytes'),
      protect: PAGE_EXECUTE_READ,
      type: MEM_IMAGE,
    },
    {
      va: 0x1a_0000n,
      data: bytesOf('heap bytes'),
      protect: PAGE_EXECUTE_READWRITE,
      type: MEM_PRIVATE,
    },
  ],
  modules: [{ base: 0x7ff6_0000_0000n, size: 0x1000, name: 'C:\\Windows\\System32\\notepad.exe' }],
};

for (const list of ['memory64', 'memory'] as const) {
  test(`builder round trip (${list}): parseMinidump(buildMinidump(spec)) gives back regions, info and modules`, () => {
    const built = buildMinidump({ ...SPEC, list });
    const dump = parseMinidump(built.bytes);
    assert.deepEqual(dump.anomalies, []);
    const got = dump.regions.map((r) => ({
      va: r.va,
      data: new TextDecoder().decode(built.bytes.subarray(r.fileOffset, r.fileOffset + r.size)),
      protect: r.info?.protect,
      type: r.info?.type,
    }));
    const want = [...SPEC.regions]
      .sort((a, b) => (a.va < b.va ? -1 : 1))
      .map((r) => ({
        va: r.va,
        data: new TextDecoder().decode(r.data),
        protect: r.protect,
        type: r.type,
      }));
    assert.deepEqual(got, want);
    assert.deepEqual(
      dump.modules.map((m) => [m.base, m.size, m.name]),
      SPEC.modules!.map((m) => [m.base, m.size, m.name]),
    );
    assert.equal(dump.systemInfo?.buildNumber, 19045);
  });
}
