import assert from 'node:assert/strict';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveLimits, type Finding } from '../../core/index.js';
import type { C2Table, EmotetConfig } from '../../engines/emotet-config/index.js';
import { archiveEngine } from '../../engines/archive/index.js';
import { memoryEngine } from '../../engines/memory/index.js';
import { makeContext } from '../../../test/support/engine-context.js';
import type { YaraRuleMatch, YaraScanner } from '../../engines/yara/index.js';
import {
  buildC2Table,
  buildEccKeyBlob,
  buildEncryptedC2List,
  buildXorBlob,
  testNetC2,
} from '../../../test/builders/emotet-config.js';
import {
  buildCapeProcessDump,
  buildVelociraptorCollection,
  writeSparseImage,
} from '../../../test/builders/memory-image.js';
import {
  buildMinidump,
  buildPeHeader,
  MEM_PRIVATE,
  PAGE_EXECUTE_READWRITE,
  patchU64,
} from '../../../test/builders/minidump.js';
import { largeFileTimeLimitMs, routeLargeInput } from './large-file.js';
import { LargeEmotetConfig, MAX_LARGE_C2_TABLES } from './large-file-findings.js';
import { scanLargeFile, type LargeScanOptions } from './large-file-scan.js';

const KiB = 1024;
const MARK = 'EMOGUARD-INERT-MARKER';
const dir = () => mkdtempSync(join(tmpdir(), 'emoguard-large-'));
const limits = resolveLimits();
const testNet = { allowDocumentationRanges: true };

/** A YARA stand-in: rule Marker matches every occurrence of MARK (what a real scanner reports). */
const markerScanner: YaraScanner = {
  scan(bytes) {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const strings = [];
    for (let at = text.indexOf(MARK); at >= 0; at = text.indexOf(MARK, at + 1))
      strings.push({ identifier: '$m', offset: at, length: MARK.length });
    const match: YaraRuleMatch = {
      rule: 'Marker',
      namespace: 'test',
      tags: [],
      meta: { severity: 'high' },
      strings,
    };
    return strings.length > 0 ? [match] : [];
  },
};

const scan = (path: string, options: Partial<LargeScanOptions>) =>
  scanLargeFile({
    path,
    type: 'memory-image',
    limits,
    deadline: Date.now() + 60_000,
    scanner: markerScanner,
    emotet: testNet,
    chunkSize: 256 * KiB,
    overlap: 16 * KiB,
    ...options,
  });
const byId = (findings: Finding[], id: string) => findings.filter((f) => f.id === id);

test('raw image: matches on both sides of and across chunk edges are reported once, at file offsets', async () => {
  const path = join(dir(), 'host.raw');
  // step = 240 KiB: one marker well inside chunk 0, one in the overlap (seen by chunks 0 and 1), one
  // crossing the end of chunk 1's owned part, one near the end of the file.
  const offsets = [1000, 240 * KiB + 10, 480 * KiB - 5, 1000 * KiB];
  writeSparseImage(
    path,
    1024 * KiB,
    offsets.map((offset) => ({ offset, bytes: MARK })),
  );
  const out = await scan(path, {});
  const [marker] = byId(out.findings, 'yara.match');
  assert.deepEqual(
    marker?.evidence.filter((e) => e.offset !== undefined).map((e) => e.offset),
    offsets,
  );
  assert.equal(marker?.step, '6', 'memory is the infected host');
  assert.equal(out.scanned, 1024 * KiB);
});

test('raw image: a C2 table in the overlap is one table; the config has TEST-NET servers at file offsets', async () => {
  const path = join(dir(), 'host.mem');
  const table = buildC2Table(testNetC2(7));
  writeSparseImage(path, 600 * KiB, [{ offset: 240 * KiB - 20, bytes: table }]);
  const out = await scan(path, {});
  const [c2] = byId(out.findings, 'emotet-config.c2-table');
  assert.ok(c2, 'c2-table finding');
  assert.equal(c2.evidence.filter((e) => e.offset !== undefined).length, 7);
  assert.equal(c2.evidence[0]?.offset, 240 * KiB - 20);
  const config = out.extracted.config[0] as { c2: string[]; tables: { offset: number }[] };
  assert.equal(config.c2.length, 7);
  assert.deepEqual(
    config.tables.map((t) => t.offset),
    [240 * KiB - 20],
  );
  assert.equal(out.extracted.iocs.ips.length, 7);
});

test('raw image: a XOR-encrypted list across a chunk edge → one xor table, its key beside it, epoch 4-5 with basis', async () => {
  const path = join(dir(), 'epoch5.raw');
  const c2 = testNetC2(9);
  // step = 240 KiB: the list starts 40 bytes before chunk 1 and ends inside it; the key is 4-aligned.
  writeSparseImage(path, 600 * KiB, [
    { offset: 240 * KiB - 40, bytes: buildEncryptedC2List(c2, 0x5c3a91e7) },
    { offset: 240 * KiB - 400, bytes: buildXorBlob(buildEccKeyBlob('ECK1', 3), 0x11223344) },
  ]);
  const out = await scan(path, {});
  const found = byId(out.findings, 'emotet-config.c2-table');
  assert.equal(found.length, 1, 'one finding');
  assert.equal(found[0]!.evidence[0]?.location, `c2 table at ${240 * KiB - 40} (xor)`);
  const config = out.extracted.config[0] as EmotetConfig;
  assert.deepEqual(
    config.tables.map((t) => [t.offset, t.entries, t.encoding]),
    [[240 * KiB - 40, 9, 'xor']],
  );
  assert.deepEqual(
    config.keys.map((k) => [k.offset, k.type, k.encoding]),
    [[240 * KiB - 400, 'ecdh-p256', 'xor']],
  );
  assert.deepEqual([config.epoch, config.epochConfidence], ['4-5', 'medium']);
  assert.match(config.epochBasis, /P-256/);
  assert.deepEqual(
    config.c2,
    c2.map((e) => `${e.ip}:${e.port}`),
  );
});

test('raw image: a 0-byte image scans cleanly (no chunk, no finding)', async () => {
  const path = join(dir(), 'empty.raw');
  writeFileSync(path, '');
  const out = await scan(path, {});
  assert.deepEqual(out.findings, []);
  assert.equal(out.size, 0);
});

test('raw image: a file that shrinks while being read → scan.parse-error E_INPUT_SHRUNK, findings so far kept', async () => {
  const path = join(dir(), 'shrinking.raw');
  writeSparseImage(path, 1024 * KiB, [{ offset: 100, bytes: MARK }]);
  let cut = false;
  const out = await scan(path, {
    onProgress: () => {
      if (!cut) truncateSync(path, 300 * KiB);
      cut = true;
    },
  });
  const [error] = byId(out.findings, 'scan.parse-error');
  assert.match(error?.evidence[0]?.text ?? '', /^E_INPUT_SHRUNK: .* changed while it was read/);
  assert.equal(byId(out.findings, 'yara.match').length, 1, 'the marker before the cut');
});

test('raw image: past the deadline no chunk is scanned → scan.limit-exceeded E_LIMIT_TIME', async () => {
  const path = join(dir(), 'slow.raw');
  writeSparseImage(path, 512 * KiB, [{ offset: 100, bytes: MARK }]);
  const out = await scan(path, { deadline: Date.now() - 1 });
  const [limit] = byId(out.findings, 'scan.limit-exceeded');
  assert.match(limit?.evidence[0]?.text ?? '', /^E_LIMIT_TIME: .*after 0 of 524288 bytes/);
  assert.equal(byId(out.findings, 'yara.match').length, 0);
});

test('time limit: maxTimePerInputMs per started GiB, at least one', () => {
  const l = resolveLimits({ maxTimePerInputMs: 1000 });
  assert.equal(largeFileTimeLimitMs(0, l), 1000);
  assert.equal(largeFileTimeLimitMs(2 ** 30, l), 1000);
  assert.equal(largeFileTimeLimitMs(2 ** 30 + 1, l), 2000);
  assert.equal(largeFileTimeLimitMs(16 * 2 ** 30, l), 16_000);
});

function loaderDump(): Uint8Array {
  const loader = new Uint8Array(300 * KiB);
  loader.set(buildPeHeader(0x1000), 0);
  loader.set(buildC2Table(testNetC2(6)), 250 * KiB);
  loader.set(new TextEncoder().encode(MARK), 245 * KiB);
  return loader;
}

test('minidump streamed: regions chunked with virtual addresses; injected PE, C2 table, YARA with VAs', async () => {
  const path = join(dir(), 'WINWORD.dmp');
  const { bytes } = buildMinidump({
    regions: [
      { va: 0x2300000n, data: loaderDump(), protect: PAGE_EXECUTE_READWRITE, type: MEM_PRIVATE },
      { va: 0x550000n, data: new TextEncoder().encode(`heap ${MARK}`) },
    ],
  });
  writeFileSync(path, bytes);
  const out = await scan(path, { type: 'minidump' });
  assert.equal(
    byId(out.findings, 'memory.rwx-pe-region')[0]?.evidence[0]?.text,
    'MZ/PE header at 0x2300000',
  );
  const notes = byId(out.findings, 'yara.match')[0]!.evidence.map((e) => e.note ?? '');
  assert.match(notes[1]!, /^va 0x550005, PAGE_READWRITE MEM_PRIVATE, region 0x550000\+0x1a$/);
  assert.match(
    notes[0]!,
    /^va 0x233d400, PAGE_EXECUTE_READWRITE MEM_PRIVATE, region 0x2300000\+0x4b000/,
  );
  const c2 = byId(out.findings, 'emotet-config.c2-table')[0];
  assert.equal(c2?.evidence[0]?.note, 'va 0x233e800');
  const config = out.extracted.config[0] as { tables: { va?: string }[] };
  assert.equal(config.tables[0]?.va, '0x233e800');
});

test('minidump streamed: a region table past EOF and a 2^32 count are findings, the rest is scanned', async () => {
  const path = join(dir(), 'forged.dmp');
  const built = buildMinidump({
    regions: [
      { va: 0x10000n, data: new TextEncoder().encode(MARK) },
      { va: 0x20000n, data: new Uint8Array(64) },
    ],
  });
  patchU64(built.bytes, built.streams.get(9)!.rva, 1n << 32n);
  writeFileSync(path, built.bytes);
  const out = await scan(path, { type: 'minidump' });
  assert.ok(
    out.findings.some((f) => (f.evidence[0]?.text ?? '').startsWith('E_MINIDUMP_BAD_COUNT')),
    'bad count reported',
  );
  assert.equal(byId(out.findings, 'yara.match').length, 1);
});

test('CAPE dump streamed: regions mapped to addresses; bytes after a broken header still scanned by offset', async () => {
  const path = join(dir(), '1234.dmp');
  const dump = buildCapeProcessDump([
    { va: 0x400000n, data: new TextEncoder().encode(`..${MARK}..`) },
    { va: 0x2300000n, data: loaderDump(), protect: PAGE_EXECUTE_READWRITE },
  ]);
  const tail = new TextEncoder().encode(`garbage-not-a-header ${MARK}`);
  const bytes = new Uint8Array(dump.length + tail.length);
  bytes.set(dump);
  bytes.set(tail, dump.length);
  writeFileSync(path, bytes);
  assert.deepEqual(await routeLargeInput(path, limits, {}), {
    type: 'cape-memory',
    size: bytes.length,
  });
  const out = await scan(path, { type: 'cape-memory' });
  const notes = byId(out.findings, 'yara.match')[0]!.evidence.map((e) => e.note);
  assert.match(notes[0]!, /^va 0x400002, PAGE_READWRITE MEM_PRIVATE, region 0x400000\+0x19/);
  assert.match(notes[1]!, /^va 0x233d400, PAGE_EXECUTE_READWRITE/);
  assert.equal(notes[2], undefined, 'the tail has no address');
  assert.equal(byId(out.findings, 'memory.rwx-pe-region').length, 1);
  assert.ok(
    out.findings.some((f) => (f.evidence[0]?.text ?? '').startsWith('E_CAPE_BAD_HEADER')),
    'broken header reported',
  );
});

test('route: by size, name, magic and flags; other files are not even read', async () => {
  const d = dir();
  const small = resolveLimits({ maxFileSize: 1000 });
  const raw = join(d, 'host.raw');
  writeSparseImage(raw, 2000);
  const atLimit = join(d, 'edge.raw');
  writeSparseImage(atLimit, 1000);
  const doc = join(d, 'big.doc');
  writeSparseImage(doc, 2000);
  const mdmp = join(d, 'big.dmp');
  writeFileSync(
    mdmp,
    buildMinidump({ regions: [{ va: 0x1000n, data: new Uint8Array(2000) }] }).bytes,
  );
  const smallMdmp = join(d, 'small.dmp');
  writeFileSync(smallMdmp, buildMinidump({ regions: [] }).bytes);
  assert.deepEqual(await routeLargeInput(raw, small, {}), { type: 'memory-image', size: 2000 });
  assert.equal(await routeLargeInput(atLimit, small, {}), undefined, 'at maxFileSize: the pool');
  assert.equal(await routeLargeInput(doc, small, {}), undefined, 'not named like an image');
  assert.deepEqual(await routeLargeInput(doc, small, { rawMemory: true }), {
    type: 'memory-image',
    size: 2000,
  });
  assert.deepEqual(await routeLargeInput(atLimit, small, { memoryImages: [atLimit] }), {
    type: 'memory-image',
    size: 1000,
  });
  assert.equal((await routeLargeInput(mdmp, small, {}))?.type, 'minidump');
  assert.equal(await routeLargeInput(smallMdmp, small, {}), undefined, 'small minidump: the pool');
  assert.equal(await routeLargeInput(join(d, 'missing.raw'), small, {}), undefined);
});

test('Velociraptor collection: the ProcessDump crash dump is a member, scanned as a minidump with VAs', async () => {
  const { bytes: dmp } = buildMinidump({
    regions: [
      { va: 0x2300000n, data: loaderDump(), protect: PAGE_EXECUTE_READWRITE, type: MEM_PRIVATE },
    ],
  });
  const zip = buildVelociraptorCollection([
    {
      processName: 'rundll32.exe',
      pid: 4242,
      clientPath: 'C:\\Windows\\Temp\\tmp4242.dmp',
      bytes: dmp,
    },
  ]);
  // What the pipeline does with the collection: the archive engine gives its members as children,
  // each sniffed by content (MDMP) and handed to the memory engine.
  const out = await archiveEngine.analyze(makeContext(zip, { name: 'Collection-PC-SALES-01.zip' }));
  const child = out.children?.find((c) => c.name.endsWith('.dmp'));
  assert.equal(child?.name, 'uploads/auto/C%3A/Windows/Temp/tmp4242.dmp');
  const memory = await memoryEngine.analyze(makeContext(child!.bytes));
  assert.equal(
    memory.findings?.find((f) => f.id === 'memory.rwx-pe-region')?.evidence[0]?.text,
    'MZ/PE header at 0x2300000',
  );
});

test('zero pages: a table whose zero entry opens a zero page is found', async () => {
  const path = join(dir(), 'edge.raw');
  const table = buildC2Table(testNetC2(6), false);
  writeSparseImage(path, 512 * KiB, [{ offset: 100 * KiB - table.length, bytes: table }]);
  const out = await scan(path, {});
  assert.equal(byId(out.findings, 'emotet-config.c2-table').length, 1, 'table found');
});

test('maxMatchBytes: a match across a chunk edge is found when the overlap covers it, missed when not', async () => {
  const path = join(dir(), 'edge-match.raw');
  // MARK is 21 bytes; it starts 20 bytes before the end of the first 256 KiB chunk.
  writeSparseImage(path, 512 * KiB, [{ offset: 256 * KiB - 20, bytes: MARK }]);
  const found = async (maxMatchBytes: number) => {
    // No C2 scan: it widens the overlap to CONFIG_CHUNK_OVERLAP, which would cover the match anyway.
    const out = await scan(path, {
      limits: resolveLimits({ maxMatchBytes }),
      overlap: undefined,
      emotet: false,
    });
    return byId(out.findings, 'yara.match').length;
  };
  assert.equal(await found(MARK.length), 1, 'overlap = match length');
  assert.equal(await found(MARK.length - 2), 0, 'overlap shorter than the match');
});

test('minidump streamed: 2,000 small regions are read in batches, each match keeps its own region address', async () => {
  const path = join(dir(), 'full.dmp');
  const regions = Array.from({ length: 2000 }, (_, i) => ({
    va: BigInt(0x10000 + i * 0x10000),
    data: new TextEncoder().encode(i === 1500 ? `x${MARK}` : `region ${i} `.padEnd(64, '.')),
  }));
  writeFileSync(path, buildMinidump({ regions }).bytes);
  const out = await scan(path, { type: 'minidump' });
  const note = byId(out.findings, 'yara.match')[0]?.evidence[0]?.note;
  assert.match(note ?? '', /^va 0x5dd0001, PAGE_READWRITE MEM_PRIVATE, region 0x5dd0000\+0x16$/);
});

test('MAX_LARGE_C2_TABLES: 64 tables are kept; a 65th is counted in the summary, not kept', () => {
  const table = (offset: number): C2Table => ({
    offset,
    encoding: 'plain',
    entries: testNetC2(5).map((e, i) => ({ ...e, flag: 1, offset: offset + 8 * i })),
  });
  const summaryOf = (n: number) => {
    const merged = new LargeEmotetConfig();
    merged.add({ tables: Array.from({ length: n }, (_, i) => table(i * 100)), keys: [] });
    merged.add({ tables: [table(0)], keys: [] }); // seen again: ignored
    const out = merged.toOutput(() => undefined)!;
    const config = out.extracted.config![0] as EmotetConfig;
    return [config.tables.length, out.finding.evidence.at(-1)!.note!] as const;
  };
  assert.equal(MAX_LARGE_C2_TABLES, 64);
  const [kept, note] = summaryOf(64);
  assert.equal(kept, 64);
  assert.doesNotMatch(note, /not kept/);
  const [keptOver, noteOver] = summaryOf(65);
  assert.equal(keptOver, 64);
  assert.match(noteOver, /; 1 more table\(s\) not kept;/);
});
