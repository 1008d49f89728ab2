/**
 * Hostile EVTX: every defect becomes an anomaly, the rest of the file is still read, nothing throws or
 * hangs. Limits are tested on both sides.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteWriter } from '../../../test/builders/evtx-binxml.js';
import {
  buildEvtx,
  type ContentSpec,
  type ElementSpec,
  type EvtxRecordSpec,
  eventRoot,
  type RawRecordSpec,
} from '../../../test/builders/evtx.js';
import { type EvtxOptions, parseEvtx, readEvtx } from './index.js';

const TIME = '2024-05-01T10:00:00.000000Z';
const codes = (anomalies: { code: string }[]) => anomalies.map((a) => a.code);

function sysmon(id: number): EvtxRecordSpec {
  return {
    recordId: id,
    time: TIME,
    event: eventRoot({
      System: {
        EventID: 1,
        EventRecordID: id,
        Channel: 'Microsoft-Windows-Sysmon/Operational',
        Computer: 'ws01',
      },
      EventData: {
        Image: 'C:\\Windows\\System32\\cmd.exe',
        CommandLine: `cmd /c echo ${id}`,
        ProcessId: 100 + id,
      },
    }),
  };
}

/** The first record of a chunk defines its template at this offset (header 24, fragment 4, instance 10). */
const FIRST_TEMPLATE_OFFSET = 512 + 24 + 4 + 10;

const raw = (recordId: number, bytes: (w: ByteWriter, at: number) => void): RawRecordSpec => ({
  recordId,
  time: TIME,
  binxml: (at) => {
    const w = new ByteWriter();
    bytes(w, at);
    return w.done();
  },
});

function parse(records: (EvtxRecordSpec | RawRecordSpec)[], options: EvtxOptions = {}) {
  return parseEvtx(buildEvtx({ chunks: [{ records }] }), options);
}

test('hostile evtx: a template that instantiates itself → E_EVTX_TEMPLATE_LOOP, next record read', () => {
  const loop: RawRecordSpec = {
    recordId: 2,
    time: TIME,
    template: { el: 'Event', children: [{ selfInstance: true }] },
  };
  const parsed = parse([sysmon(1), loop, sysmon(3)]);
  assert.deepEqual(codes(parsed.anomalies), ['E_EVTX_TEMPLATE_LOOP']);
  assert.deepEqual(
    parsed.records.map((r) => r.recordId),
    [1, 3],
  );
});

test('hostile evtx: name and template offsets outside the chunk → E_EVTX_BAD_OFFSET', () => {
  const badName = raw(2, (w) =>
    w.u8(0x0f).u8(1).u8(1).u8(0).u8(0x01).u32(10).u32(0xffffff).u8(0x03).u8(0x00),
  );
  const nameInHeader = raw(3, (w) =>
    w.u8(0x0f).u8(1).u8(1).u8(0).u8(0x01).u32(10).u32(64).u8(0x03).u8(0x00),
  );
  const badTemplate = raw(4, (w) =>
    w.u8(0x0f).u8(1).u8(1).u8(0).u8(0x0c).u8(1).u32(0).u32(0xfffff000).u32(0).u8(0),
  );
  const parsed = parse([sysmon(1), badName, nameInHeader, badTemplate, sysmon(5)]);
  assert.deepEqual(codes(parsed.anomalies), [
    'E_EVTX_BAD_OFFSET',
    'E_EVTX_BAD_OFFSET',
    'E_EVTX_BAD_OFFSET',
  ]);
  assert.deepEqual(
    parsed.records.map((r) => r.recordId),
    [1, 5],
  );
});

test('hostile evtx: an absurd value count is refused before anything is allocated', () => {
  const huge = raw(2, (w) =>
    w
      .u8(0x0f)
      .u8(1)
      .u8(1)
      .u8(0)
      .u8(0x0c)
      .u8(1)
      .u32(0)
      .u32(FIRST_TEMPLATE_OFFSET)
      .u32(0xffffffff)
      .u8(0),
  );
  const parsed = parse([sysmon(1), huge]);
  assert.deepEqual(codes(parsed.anomalies), ['E_EVTX_BINXML']);
  assert.match(parsed.anomalies[0]?.message ?? '', /4294967295 values/);
});

test('hostile evtx: nesting up to maxDepth parses, one level more → E_EVTX_TOO_DEEP', () => {
  const nested = (n: number): ElementSpec => {
    let node: ElementSpec = { el: `L${n}` };
    for (let i = n - 1; i >= 1; i--) node = { el: `L${i}`, children: [node] };
    return node;
  };
  const at = (n: number) =>
    parse([{ recordId: 1, time: TIME, template: nested(n) }], { maxDepth: 8 });
  assert.deepEqual(at(7).anomalies, []);
  assert.equal(at(7).records.length, 1);
  assert.deepEqual(codes(at(8).anomalies), ['E_EVTX_TOO_DEEP']);
  // The default bound holds against hundreds of levels without exhausting the stack.
  assert.deepEqual(codes(parse([{ recordId: 1, time: TIME, template: nested(500) }]).anomalies), [
    'E_EVTX_TOO_DEEP',
  ]);
});

test('hostile evtx: templates doubling each other ("billion laughs") stop at maxRecordNodes', () => {
  const laughs = (k: number): ElementSpec => {
    if (k === 0) return { el: 'A' };
    const inner: ContentSpec = { instance: laughs(k - 1), values: [] };
    return { el: `L${k}`, children: [inner, inner] };
  };
  const record = (k: number): RawRecordSpec => ({ recordId: 1, time: TIME, template: laughs(k) });
  // 2^10 - 1 elements for k = 9.
  assert.deepEqual(parse([record(9)], { maxRecordNodes: 1023 }).anomalies, []);
  assert.deepEqual(codes(parse([record(9)], { maxRecordNodes: 1022 }).anomalies), [
    'E_EVTX_RECORD_TOO_LARGE',
  ]);
  // 2^26 elements by default: refused quickly instead of rendered.
  assert.deepEqual(codes(parse([record(25)]).anomalies), ['E_EVTX_RECORD_TOO_LARGE']);
});

test('hostile evtx: garbage chunk in the middle → E_EVTX_BAD_CHUNK, the chunks around it read', () => {
  const bytes = buildEvtx({
    chunks: [
      { records: [sysmon(1)] },
      { records: [sysmon(2)], corrupt: 'garbage' },
      { records: [sysmon(3)] },
    ],
  });
  const parsed = parseEvtx(bytes);
  assert.deepEqual(codes(parsed.anomalies), ['E_EVTX_BAD_CHUNK']);
  assert.equal(parsed.anomalies[0]?.offset, 4096 + 65536);
  assert.deepEqual(
    parsed.records.map((r) => r.recordId),
    [1, 3],
  );
});

test('hostile evtx: checksum mismatches are reported, the records still read', () => {
  const bytes = buildEvtx({
    chunks: [
      { records: [sysmon(1)], corrupt: 'header-crc' },
      { records: [sysmon(2)], corrupt: 'data-crc' },
    ],
  });
  const parsed = parseEvtx(bytes);
  assert.deepEqual(codes(parsed.anomalies), ['E_EVTX_CHUNK_HEADER_CRC', 'E_EVTX_CHUNK_DATA_CRC']);
  assert.equal(parsed.records.length, 2);
  assert.deepEqual(parseEvtx(bytes, { verifyChecksums: false }).anomalies, []);
  const header = buildEvtx({ chunks: [{ records: [sysmon(1)] }] });
  header[50] = 0x55; // inside the checksummed part of the file header
  assert.deepEqual(codes(parseEvtx(header).anomalies), ['E_EVTX_FILE_HEADER_CRC']);
});

test('hostile evtx: a header that under-counts chunks (dirty) → every chunk read, E_EVTX_HEADER_CHUNK_COUNT', () => {
  const bytes = buildEvtx({
    chunks: [{ records: [sysmon(1)] }, { records: [sysmon(2)] }, { records: [sysmon(3)] }],
    headerChunkCount: 1,
    headerFlags: 1,
  });
  const parsed = parseEvtx(bytes);
  assert.deepEqual(codes(parsed.anomalies), ['E_EVTX_HEADER_CHUNK_COUNT']);
  assert.deepEqual(
    parsed.records.map((r) => r.recordId),
    [1, 2, 3],
  );
});

test('hostile evtx: a file cut inside a chunk → records before the cut, E_EVTX_TRUNCATED', () => {
  const full = buildEvtx({ chunks: [{ records: [1, 2, 3, 4].map(sysmon) }] });
  const secondEnd = parseEvtx(full).records[2]?.offset ?? 0;
  const parsed = parseEvtx(full.slice(0, secondEnd + 10));
  assert.deepEqual(
    parsed.records.map((r) => r.recordId),
    [1, 2],
  );
  assert.ok(codes(parsed.anomalies).includes('E_EVTX_TRUNCATED'));
  const twoChunks = buildEvtx({ chunks: [{ records: [sysmon(1)] }, { records: [sysmon(2)] }] });
  const oneLeft = parseEvtx(twoChunks.slice(0, 4096 + 65536));
  assert.deepEqual(codes(oneLeft.anomalies), ['E_EVTX_TRUNCATED']);
  assert.match(oneLeft.anomalies[0]?.message ?? '', /claims 2 chunks but the file ends after 1/);
  assert.deepEqual(codes(parseEvtx(full.slice(0, 100)).anomalies), [
    'E_EVTX_BAD_FILE_HEADER',
    'E_EVTX_TRUNCATED',
  ]);
});

test('hostile evtx: random bytes and empty input → anomalies, no record, no exception', () => {
  const noise = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 253);
  const parsed = parseEvtx(noise);
  assert.equal(parsed.records.length, 0);
  assert.equal(parsed.anomalies[0]?.code, 'E_EVTX_BAD_FILE_HEADER');
  assert.deepEqual(parseEvtx(new Uint8Array()).records, []);
});

test('hostile evtx: 250 mutated files never throw and every item is a record or an anomaly', () => {
  const base = buildEvtx({
    chunks: [{ records: [1, 2, 3, 4, 5, 6].map(sysmon) }, { records: [7, 8].map(sysmon) }],
  });
  let seed = 0x5eed;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  let records = 0;
  for (let i = 0; i < 250; i++) {
    const bytes = base.slice(
      0,
      i % 10 === 9 ? 4096 + Math.floor(random() * 2 * 65536) : base.length,
    );
    const flips = 1 + Math.floor(random() * 8);
    for (let f = 0; f < flips; f++) {
      // Mostly the BinXml of the first chunk's records, sometimes anywhere.
      const at =
        random() < 0.8
          ? 4096 + 512 + Math.floor(random() * 3000)
          : Math.floor(random() * bytes.length);
      if (at < bytes.length) bytes[at] = Math.floor(random() * 256);
    }
    for (const item of readEvtx(bytes)) {
      assert.ok(item.type === 'record' || item.type === 'anomaly');
      if (item.type === 'record') records++;
    }
  }
  assert.ok(records > 0);
});
