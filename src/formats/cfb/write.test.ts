import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as CFB from 'cfb';
import { buildCfb, patternBytes, withFatEntry } from '../../../test/builders/cfb.js';
import { parseCfb, readCfbTree, writeCfb, type CfbNode } from './index.js';

/** Every stream of a file by path, and the storages, for comparing two files. */
function contents(bytes: Uint8Array): { streams: Map<string, Uint8Array>; storages: string[] } {
  const cfb = parseCfb(bytes);
  assert.deepEqual(cfb.anomalies, []);
  const streams = new Map<string, Uint8Array>();
  const storages: string[] = [];
  for (const e of cfb.entries) {
    if (e.type === 'stream') streams.set(e.path, cfb.readStream(e.path)!);
    else if (e.type === 'storage') storages.push(e.path);
  }
  return { streams, storages: storages.sort() };
}

function assertSameContents(a: Uint8Array, b: Uint8Array): void {
  const left = contents(a);
  const right = contents(b);
  assert.deepEqual([...right.streams.keys()].sort(), [...left.streams.keys()].sort());
  for (const [path, data] of left.streams) assert.deepEqual(right.streams.get(path), data, path);
  assert.deepEqual(right.storages, left.storages);
}

describe('cfb writer', () => {
  test('write(read(x)) re-reads identical streams: mini, regular and empty streams, nested storages', () => {
    const source = buildCfb({
      streams: [
        { path: 'WordDocument', data: patternBytes(9000, 3) },
        { path: '1Table', data: patternBytes(4096, 4) },
        { path: 'Data', data: patternBytes(4095, 5) },
        { path: '\x05SummaryInformation', data: patternBytes(300, 6) },
        { path: 'Macros/VBA/dir', data: patternBytes(700, 7) },
        { path: 'Macros/PROJECT', data: patternBytes(0, 8) },
      ],
      storages: ['ObjectPool'],
    }).bytes;
    const tree = readCfbTree(source);
    assert.deepEqual(tree.anomalies, []);
    assert.equal(tree.count, 9);
    const written = writeCfb(tree.root);
    assertSameContents(source, written);
    assert.equal(parseCfb(written).majorVersion, 3);
  });

  test('many entries and a big FAT: 3,000 streams of 5,000 bytes need a DIFAT chain', () => {
    const streams = Array.from({ length: 3000 }, (_, i) => ({
      path: `S/${i}`,
      data: patternBytes(5000, i + 1),
    }));
    const root = {
      children: [
        {
          name: 'S',
          type: 'storage' as const,
          children: streams.map((s) => ({
            name: s.path.slice(2),
            type: 'stream' as const,
            data: s.data,
          })),
        },
      ],
    };
    const written = writeCfb(root);
    // 3000 × 10 sectors → 235+ FAT sectors, past the header's 109 entries.
    assert.ok(new DataView(written.buffer).getUint32(72, true) >= 1, 'DIFAT sectors');
    const { streams: read } = contents(written);
    assert.equal(read.size, 3000);
    assert.deepEqual(read.get('S/2999'), streams[2999]!.data);
    assertSameContents(written, writeCfb(readCfbTree(written).root));
  });

  test('version 4 input (4096-byte sectors) is written as version 3 with the same streams', () => {
    const source = buildCfb({
      sectorSize: 4096,
      streams: [
        { path: 'Workbook', data: patternBytes(10_000, 9) },
        { path: 'x', data: patternBytes(10, 1) },
      ],
    }).bytes;
    const written = writeCfb(readCfbTree(source).root);
    assert.equal(parseCfb(written).sectorSize, 512);
    assertSameContents(source, written);
  });

  test('CLSIDs, state bits and storage times survive; stream CLSIDs and times are zero (MS-CFB 2.6.1)', () => {
    const clsid = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    const time = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const node: CfbNode = {
      name: 'ObjectPool',
      type: 'storage',
      clsid,
      stateBits: 7,
      creationTime: time,
      modifiedTime: time,
      children: [{ name: 'x', type: 'stream', data: new Uint8Array(1), clsid, creationTime: time }],
    };
    const tree = readCfbTree(writeCfb({ clsid, children: [node] }));
    assert.deepEqual(tree.root.clsid, clsid);
    const pool = tree.root.children[0]!;
    assert.deepEqual(
      [pool.clsid, pool.stateBits, pool.creationTime, pool.modifiedTime],
      [clsid, 7, time, time],
    );
    const stream = pool.children![0]!;
    assert.equal(stream.clsid, undefined);
    assert.equal(stream.creationTime, undefined);
    assert.equal(parseCfb(writeCfb({ clsid, children: [node] })).entries[0]!.clsid?.length, 36);
  });

  test('another reader (the cfb package) reads the written file and finds the same streams', () => {
    const source = buildCfb({
      streams: [
        { path: 'Workbook', data: patternBytes(20_000, 11) },
        { path: 'Macros/VBA/dir', data: patternBytes(100, 12) },
      ],
    }).bytes;
    const written = writeCfb(readCfbTree(source).root);
    const other = CFB.read(written, { type: 'array' });
    const streams = other.FileIndex.filter((e) => e.type === 2).map((e) => [e.name, e.size]);
    assert.deepEqual(streams.sort(), [
      ['Workbook', 20_000],
      ['dir', 100],
    ]);
    const workbook = CFB.find(other, 'Workbook')!.content as unknown as Uint8Array;
    assert.deepEqual(Uint8Array.from(workbook), patternBytes(20_000, 11));
  });

  test('an empty tree is a valid file with only the root', () => {
    const cfb = parseCfb(writeCfb({ children: [] }));
    assert.deepEqual(cfb.anomalies, []);
    assert.deepEqual(
      cfb.entries.map((e) => e.type),
      ['root'],
    );
  });

  test('trees no reader could accept are refused: bad names, duplicates, data on a storage', () => {
    const stream = (name: string): CfbNode => ({ name, type: 'stream', data: new Uint8Array(1) });
    const invalid: CfbNode[][] = [
      [stream('a/b')],
      [stream('')],
      [stream('x'.repeat(32))],
      [stream('Dup'), stream('DUP')],
      [{ name: 's', type: 'storage', data: new Uint8Array(1) }],
    ];
    for (const children of invalid) {
      assert.throws(() => writeCfb({ children }), { code: 'E_CFB_WRITE_INVALID' });
    }
    assert.doesNotThrow(() => writeCfb({ children: [stream('x'.repeat(31))] }));
  });

  test('a looping FAT in the source is an anomaly for the caller, and the tree holds what was readable', () => {
    const built = buildCfb({ streams: [{ path: 'Big', data: patternBytes(5000, 2) }] });
    const big = built.nodes.get('Big')!;
    const looped = withFatEntry(built, big.sectors[3]!, big.sectors[0]!);
    const tree = readCfbTree(looped);
    assert.ok(tree.anomalies.some((a) => a.code === 'E_CFB_SECTOR_CYCLE'));
  });
});
