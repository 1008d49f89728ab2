import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concatBytes } from '../../core/index.js';
import {
  buildC2Table,
  buildEccKeyBlob,
  buildEncryptedC2List,
  buildXorBlob,
  seededBytes,
  testNetC2,
} from '../../../test/builders/emotet-config.js';
import { makeContext } from '../../../test/support/engine-context.js';
import {
  CONFIG_CHUNK_OVERLAP,
  createEmotetConfigEngine,
  emotetConfigOutput,
  findC2Tables,
  KEY_REACH,
  MAX_C2_ENTRIES,
  scanConfigChunk,
  type C2Table,
  type ConfigFinds,
  type ExtractedKey,
} from './index.js';

const TESTNET = { allowDocumentationRanges: true };
const KiB = 1024;

/** `bytes` scanned the way a streaming caller does: chunks of `size` sharing CONFIG_CHUNK_OVERLAP. */
function scanInChunks(bytes: Uint8Array, size: number): ConfigFinds {
  const step = size - CONFIG_CHUNK_OVERLAP;
  const merged: ConfigFinds = { tables: [], keys: [] };
  for (let base = 0; base < bytes.length; base += step) {
    const isLast = base + size >= bytes.length;
    const finds = scanConfigChunk(
      bytes.subarray(base, Math.min(bytes.length, base + size)),
      { base, hasPrevious: base > 0, ...(isLast ? {} : { next: step }) },
      TESTNET,
    );
    merged.tables.push(...finds.tables);
    merged.keys.push(...finds.keys);
    if (isLast) break;
  }
  return merged;
}

const tableOffsets = (tables: C2Table[]) => tables.map((t) => [t.offset, t.encoding]).sort();
const keyOffsets = (keys: ExtractedKey[]) => keys.map((k) => k.offset).sort((a, b) => a - b);

test('scanConfigChunk: a plain table at every position across a chunk edge is reported once, at its file offset', () => {
  const size = 32 * KiB;
  const edge = size - CONFIG_CHUNK_OVERLAP; // where chunk 1 starts
  const table = buildC2Table(testNetC2(6));
  // Sides of both ownership limits: the next chunk's start (edge) and edge + the 8200-byte reach.
  const positions = [edge - 100, edge - 9, edge - 3, edge, edge + 5, edge + 8, edge + 8100];
  positions.push(edge + 8200 - table.length + 7, edge + 8200 - table.length + 8, size - 60);
  for (const at of positions) {
    const bytes = new Uint8Array(3 * size).fill(0x90);
    bytes.set(table, at);
    const { tables } = scanInChunks(bytes, size);
    assert.deepEqual(
      tables.map((t) => [t.offset, t.entries[0]!.offset, t.entries.length]),
      [[at, at, 6]],
      `table at ${at}`,
    );
  }
});

test('scanConfigChunk: XOR lists and key blobs on both sides of a chunk edge are reported once', () => {
  const size = 32 * KiB;
  const edge = size - CONFIG_CHUNK_OVERLAP;
  const list = buildEncryptedC2List(testNetC2(9), 0x5c3a91e7);
  const key = buildXorBlob(buildEccKeyBlob('ECK1', 4), 0x11223344);
  for (const at of [edge - 8, edge - 4, edge, edge + 4, size - list.length]) {
    const bytes = seededBytes(3 * size, 3);
    bytes.set(list, at);
    bytes.set(key, at - 200);
    const { tables, keys } = scanInChunks(bytes, size);
    assert.deepEqual(tableOffsets(tables), [[at, 'xor']], `list at ${at}`);
    assert.deepEqual(keyOffsets(keys), [at - 200], `key at ${at - 200}`);
  }
});

test('scanConfigChunk: chunked finds give the same engine output as one buffer (epoch, encoding, evidence)', async () => {
  const size = 64 * KiB;
  const edge = size - CONFIG_CHUNK_OVERLAP;
  const bytes = concatBytes([seededBytes(edge - 300, 1), new Uint8Array(200 * KiB)]);
  bytes.set(buildC2Table(testNetC2(7)), edge - 100); // across the first edge
  bytes.set(buildEncryptedC2List(testNetC2(5), 0x1badb002), 100 * KiB); // 4-aligned
  // Keys count beside a table of the same chunk (the list's, here).
  bytes.set(buildXorBlob(buildEccKeyBlob('ECS1', 9), 0x0f0f0f0f), 100 * KiB - 200);
  const whole = await createEmotetConfigEngine(TESTNET).analyze(
    makeContext(bytes, { type: 'unknown' }),
  );
  const merged = scanInChunks(bytes, size);
  const chunked = emotetConfigOutput({
    tables: [...merged.tables].sort((a, b) => a.offset - b.offset),
    keys: merged.keys,
  });
  assert.deepEqual(chunked, whole);
  const config = chunked.extracted?.config?.[0] as { epoch: string; epochConfidence: string };
  assert.deepEqual([config.epoch, config.epochConfidence], ['4-5', 'medium']);
});

test('scanConfigChunk: a run longer than MAX_C2_ENTRIES entries across an edge is not reported twice', () => {
  const size = 32 * KiB;
  const edge = size - CONFIG_CHUNK_OVERLAP;
  const entries = Array.from({ length: MAX_C2_ENTRIES + 200 }, (_, i) => ({
    ip: `${['192.0.2', '198.51.100', '203.0.113'][i % 3]}.${1 + (i % 250)}`,
    port: 443,
  }));
  const table = buildC2Table(entries);
  const bytes = new Uint8Array(4 * size).fill(0x90);
  bytes.set(table, edge - 4 * KiB);
  // One buffer: the first MAX_C2_ENTRIES entries; chunked: the chunk that owns the zero entry sees
  // only its part of the run, which reaches its start, so no chunk reports it (documented limit).
  assert.equal(findC2Tables(bytes, TESTNET)[0]?.entries.length, MAX_C2_ENTRIES);
  assert.ok(scanInChunks(bytes, size).tables.length <= 1, 'at most once');
});

test('scanConfigChunk: an overlap under CONFIG_CHUNK_OVERLAP or a next that is not 4-aligned is refused', () => {
  const bytes = new Uint8Array(64 * KiB);
  const ok = bytes.length - CONFIG_CHUNK_OVERLAP;
  assert.doesNotThrow(() => scanConfigChunk(bytes, { base: 0, next: ok }));
  assert.throws(() => scanConfigChunk(bytes, { base: 0, next: ok + 4 }), RangeError);
  assert.throws(() => scanConfigChunk(bytes, { base: 0, next: ok - 2 }), RangeError);
  assert.equal(CONFIG_CHUNK_OVERLAP % 8, 0, 'a multiple of 8');
});

test('scanConfigChunk: keys are reported only within KEY_REACH of a table', () => {
  const bytes = concatBytes([seededBytes(1000, 2), buildXorBlob(buildEccKeyBlob('ECK1', 1), 7)]);
  assert.deepEqual(scanConfigChunk(bytes, { base: 0 }, TESTNET), { tables: [], keys: [] });
  const withTable = concatBytes([bytes, buildC2Table(testNetC2(5))]);
  const finds = scanConfigChunk(withTable, { base: 1 << 30 }, TESTNET);
  assert.deepEqual(keyOffsets(finds.keys), [(1 << 30) + 1000]);
  assert.equal(finds.tables[0]?.offset, (1 << 30) + 1000 + 80);
});

test('scanConfigChunk: a key KEY_REACH or more from every table is not reported, one just inside is', () => {
  const table = buildC2Table(testNetC2(5));
  const key = buildEccKeyBlob('ECS1', 5);
  const bytes = new Uint8Array(3 * KEY_REACH).fill(0x90);
  const at = KEY_REACH + 1000;
  bytes.set(table, at);
  bytes.set(key, at - KEY_REACH); // just inside
  bytes.set(key, at + KEY_REACH); // just outside
  bytes.set(key, 8); // far
  const finds = scanConfigChunk(bytes, { base: 0 }, TESTNET);
  assert.deepEqual(keyOffsets(finds.keys), [at - KEY_REACH]);
});
