import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concatBytes } from '../../core/index.js';
import {
  buildMinidump,
  buildPeHeader,
  MEM_IMAGE,
  MEM_PRIVATE,
  PAGE_EXECUTE_READ,
  PAGE_EXECUTE_READWRITE,
  PAGE_READWRITE,
  patchU64,
  type RegionSpec,
} from '../../../test/builders/minidump.js';
import { makeContext } from '../../../test/support/engine-context.js';
import { memoryEngine } from './index.js';

const run = async (regions: RegionSpec[], hasMemoryInfo = true) => {
  const built = buildMinidump({ regions, hasMemoryInfo });
  return { built, out: await memoryEngine.analyze(makeContext(built.bytes)) };
};
const ids = (out: { findings?: { id: string }[] }) => (out.findings ?? []).map((f) => f.id);
const pe = buildPeHeader(0x2000);

test('memory: a PE header in a private RWX region → memory.rwx-pe-region with address and protection', async () => {
  const { built, out } = await run([
    { va: 0x7ff6_0000_0000n, data: pe, protect: PAGE_EXECUTE_READ, type: MEM_IMAGE },
    { va: 0x1f_0000n, data: pe, protect: PAGE_EXECUTE_READWRITE, type: MEM_PRIVATE },
  ]);
  assert.deepEqual(ids(out), ['memory.rwx-pe-region']);
  const [evidence] = out.findings![0]!.evidence;
  assert.deepEqual(evidence, {
    location: 'region 0x1f0000+0x2000',
    text: 'MZ/PE header at 0x1f0000',
    offset: built.regionOffsets[1],
    note: 'PAGE_EXECUTE_READWRITE MEM_PRIVATE, allocation base 0x1f0000',
  });
  assert.equal(out.findings![0]!.step, '6');
  assert.deepEqual(out.findings![0]!.attack, ['T1055']);
});

test('memory: a PE header on a later page of the region is found at its own address', async () => {
  const data = concatBytes([new Uint8Array(0x3000), pe]);
  const { out } = await run([{ va: 0x50_0000n, data, protect: PAGE_EXECUTE_READWRITE }]);
  assert.equal(out.findings?.[0]?.evidence[0]?.text, 'MZ/PE header at 0x503000');
});

test('memory: loaded images, non-executable or non-writable regions, MZ without PE, no memory info → nothing', async () => {
  const mzOnly = buildPeHeader(0x1000);
  mzOnly.set([0, 0, 0, 0], 0x80);
  const cases: [string, RegionSpec[], boolean][] = [
    ['image', [{ va: 0x1000n, data: pe, protect: PAGE_EXECUTE_READWRITE, type: MEM_IMAGE }], true],
    ['rw', [{ va: 0x1000n, data: pe, protect: PAGE_READWRITE }], true],
    ['rx', [{ va: 0x1000n, data: pe, protect: PAGE_EXECUTE_READ }], true],
    ['mz only', [{ va: 0x1000n, data: mzOnly, protect: PAGE_EXECUTE_READWRITE }], true],
    ['no info', [{ va: 0x1000n, data: pe, protect: PAGE_EXECUTE_READWRITE }], false],
  ];
  for (const [name, regions, info] of cases) {
    assert.deepEqual(ids((await run(regions, info)).out), [], name);
  }
});

test('memory: dump anomalies become scan.parse-error with the anomaly code', async () => {
  const built = buildMinidump({ regions: [{ va: 0x1000n, data: pe }] });
  patchU64(built.bytes, built.streams.get(9)!.rva + 8, 0xffff_ffffn);
  const out = await memoryEngine.analyze(makeContext(built.bytes));
  assert.deepEqual(ids(out), ['scan.parse-error']);
  assert.match(out.findings![0]!.evidence[0]!.text!, /E_MINIDUMP_REGION_PAST_EOF/);
});
