import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FormatError } from '../../core/index.js';
import {
  buildCfb,
  patternBytes,
  withEntryField,
  withEntryName,
  withFatEntry,
  withMiniFatEntry,
  withU32,
} from '../../../test/builders/cfb.js';
import { type CfbFile, parseCfb } from './index.js';

const BIG = patternBytes(4608, 7); // 9 regular sectors (4096 and up live outside the mini stream)
const SMALL = patternBytes(200, 8); // 4 mini sectors
const OTHER = patternBytes(100, 9);
const built = buildCfb({
  streams: [
    { path: 'Big', data: BIG },
    { path: 'VBA/Small', data: SMALL },
    { path: 'VBA/Other', data: OTHER },
    { path: 'Tail', data: patternBytes(5000, 10) },
  ],
});
const big = built.nodes.get('Big')!;
const small = built.nodes.get('VBA/Small')!;

function codes(cfb: CfbFile): string[] {
  return cfb.anomalies.map((a) => a.code);
}

/** Every stream reachable is read without throwing; returns them by path. */
function readAll(cfb: CfbFile): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const e of cfb.entries) if (e.type === 'stream') out.set(e.path, cfb.readStream(e.path)!);
  return out;
}

describe('cfb: hostile sector chains', () => {
  it('sector cycle in FAT → E_CFB_SECTOR_CYCLE, the sectors before the loop are returned', () => {
    const bytes = withFatEntry(built, big.sectors[1]!, big.sectors[0]!);
    const cfb = parseCfb(bytes);
    assert.ok(codes(cfb).includes('E_CFB_SECTOR_CYCLE'));
    assert.ok(codes(cfb).includes('E_CFB_STREAM_TRUNCATED'));
    assert.deepEqual(cfb.readStream('Big'), BIG.subarray(0, 1024));
    assert.deepEqual(cfb.readStream('VBA/Small'), SMALL, 'other streams are untouched');
  });

  it('self-loop on the first sector stops after one sector', () => {
    const cfb = parseCfb(withFatEntry(built, big.sectors[0]!, big.sectors[0]!));
    assert.ok(codes(cfb).includes('E_CFB_SECTOR_CYCLE'));
    assert.deepEqual(cfb.readStream('Big'), BIG.subarray(0, 512));
  });

  it('sector cycle in the MiniFAT → E_CFB_SECTOR_CYCLE for the mini stream', () => {
    const cfb = parseCfb(withMiniFatEntry(built, small.sectors[2]!, small.sectors[0]!));
    assert.ok(
      cfb.anomalies.some((a) => a.code === 'E_CFB_SECTOR_CYCLE' && a.location === 'VBA/Small'),
    );
    assert.deepEqual(cfb.readStream('VBA/Small'), SMALL.subarray(0, 192));
    assert.deepEqual(cfb.readStream('VBA/Other'), OTHER);
  });

  it('chain past EOF → E_CFB_CHAIN_PAST_EOF, the sectors before it are returned', () => {
    const cfb = parseCfb(withFatEntry(built, big.sectors[1]!, 100_000));
    assert.ok(codes(cfb).includes('E_CFB_CHAIN_PAST_EOF'));
    assert.deepEqual(cfb.readStream('Big'), BIG.subarray(0, 1024));
  });

  it('free sector inside a chain → E_CFB_BAD_CHAIN', () => {
    const cfb = parseCfb(withFatEntry(built, big.sectors[0]!, 0xffffffff));
    assert.ok(codes(cfb).includes('E_CFB_BAD_CHAIN'));
    assert.deepEqual(cfb.readStream('Big'), BIG.subarray(0, 512));
  });

  it('sector the FAT does not describe → E_CFB_SECTOR_OUT_OF_RANGE', () => {
    // One FAT sector describes 128 sectors; padding the file past that leaves sectors without an entry.
    const padded = new Uint8Array(512 * 200);
    padded.set(built.bytes);
    padded.set(BIG.subarray(0, 512), 151 * 512);
    const base = { ...built, bytes: padded };
    const cfb = parseCfb(withEntryField(base, big.id, 'start', 150));
    assert.ok(codes(cfb).includes('E_CFB_SECTOR_OUT_OF_RANGE'));
    assert.deepEqual(cfb.readStream('Big'), BIG.subarray(0, 512));
  });

  it('FAT sector listed past EOF → E_CFB_SECTOR_OUT_OF_RANGE, header still read', () => {
    const bytes = withU32(withU32(built.bytes, 44, 2), 80, 5000);
    const cfb = parseCfb(bytes);
    assert.ok(codes(cfb).includes('E_CFB_SECTOR_OUT_OF_RANGE'));
    assert.deepEqual(cfb.readStream('Big'), BIG);
  });

  it('FAT sector count of zero with FAT sectors listed → E_CFB_BAD_HEADER, list used', () => {
    const cfb = parseCfb(withU32(built.bytes, 44, 0));
    assert.deepEqual(codes(cfb), ['E_CFB_BAD_HEADER']);
    assert.deepEqual(cfb.readStream('Big'), BIG);
  });

  it('DIFAT chain that loops → E_CFB_SECTOR_CYCLE, no hang', () => {
    const chained = buildCfb({ streams: [{ path: 'Big', data: BIG }], isDifatChained: true });
    const difat = chained.difatSectors[0]!;
    // Claim more FAT sectors than exist and make the DIFAT sector point to itself.
    let bytes = withU32(chained.bytes, 44, 3);
    bytes = withU32(bytes, (difat + 1) * 512 + 127 * 4, difat);
    const cfb = parseCfb(bytes);
    assert.ok(codes(cfb).includes('E_CFB_SECTOR_CYCLE'));
    assert.deepEqual(cfb.readStream('Big'), BIG);
  });

  it('truncated file → E_CFB_STREAM_TRUNCATED, whole streams before the cut still read', () => {
    const tail = built.nodes.get('Tail')!;
    const cut = (tail.sectors[3]! + 1) * 512 + 100;
    const cfb = parseCfb(built.bytes.subarray(0, cut));
    assert.ok(codes(cfb).includes('E_CFB_STREAM_TRUNCATED'));
    assert.deepEqual(cfb.readStream('Big'), BIG);
    assert.deepEqual(cfb.readStream('VBA/Small'), SMALL);
    assert.equal(cfb.readStream('Tail')!.length, 3 * 512 + 100);
  });

  it('file cut inside the header → E_CFB_FILE_TRUNCATED, no throw', () => {
    const cfb = parseCfb(built.bytes.subarray(0, 100));
    assert.ok(codes(cfb).includes('E_CFB_FILE_TRUNCATED'));
    assert.deepEqual(readAll(cfb).size, 0);
  });
});

describe('cfb: hostile sizes and counts', () => {
  it('huge declared stream size → E_CFB_STREAM_TRUNCATED, bounded by the chain, fast', () => {
    const cfb = parseCfb(withEntryField(built, big.id, 'size', 0xfffffff0));
    assert.ok(codes(cfb).includes('E_CFB_STREAM_TRUNCATED'));
    const data = cfb.readStream('Big')!;
    assert.ok(data.length <= built.bytes.length);
    assert.deepEqual(data.subarray(0, BIG.length), BIG);
  });

  it('version 3 size with the high half set → E_CFB_BAD_ENTRY, high half ignored', () => {
    const cfb = parseCfb(withEntryField(built, big.id, 'sizeHigh', 7));
    assert.ok(codes(cfb).includes('E_CFB_BAD_ENTRY'));
    assert.deepEqual(cfb.readStream('Big'), BIG);
  });

  it('version 4 size past 4 GiB → E_CFB_STREAM_TRUNCATED, no huge allocation', () => {
    const v4 = buildCfb({ sectorSize: 4096, streams: [{ path: 'Big', data: patternBytes(9000) }] });
    const cfb = parseCfb(withEntryField(v4, v4.nodes.get('Big')!.id, 'sizeHigh', 0xffff));
    assert.ok(codes(cfb).includes('E_CFB_STREAM_TRUNCATED'));
    assert.ok(cfb.readStream('Big')!.length <= v4.bytes.length);
  });

  it('maxStreamBytes cuts a stream → E_CFB_STREAM_TOO_LARGE with the first bytes', () => {
    const cfb = parseCfb(built.bytes, { maxStreamBytes: 1000 });
    assert.ok(codes(cfb).includes('E_CFB_STREAM_TOO_LARGE'));
    assert.deepEqual(cfb.readStream('Big'), BIG.subarray(0, 1000));
    assert.deepEqual(cfb.readStream('VBA/Small'), SMALL);
  });

  it('maxStreamBytes equal to the largest stream cuts nothing', () => {
    const cfb = parseCfb(built.bytes, { maxStreamBytes: 5000 });
    assert.deepEqual(cfb.anomalies, []);
    assert.equal(cfb.readStream('Tail')!.length, 5000);
  });

  it('maxEntries equal to the allocated entries drops nothing', () => {
    const cfb = parseCfb(built.bytes, { maxEntries: 6 });
    assert.deepEqual(cfb.anomalies, []);
    assert.equal(cfb.entries.length, 6);
  });

  it('maxEntries drops the rest of the directory → E_CFB_TOO_MANY_ENTRIES', () => {
    const cfb = parseCfb(built.bytes, { maxEntries: 2 });
    assert.ok(codes(cfb).includes('E_CFB_TOO_MANY_ENTRIES'));
    assert.ok(cfb.entries.length <= 2);
  });

  it('bad sector shift → E_CFB_BAD_HEADER, 512-byte sectors assumed for version 3', () => {
    const bytes = built.bytes.slice();
    new DataView(bytes.buffer).setUint16(30, 40, true);
    const cfb = parseCfb(bytes);
    assert.ok(codes(cfb).includes('E_CFB_BAD_HEADER'));
    assert.deepEqual(cfb.readStream('Big'), BIG);
  });

  it('streams sharing one long chain → E_CFB_CHAIN_BUDGET, still readable on demand', () => {
    const streams = [{ path: 'Long', data: patternBytes(200 * 512, 3) }];
    for (let i = 0; i < 30; i++) streams.push({ path: `S${i}`, data: patternBytes(4096, i + 20) });
    const shared = buildCfb({ streams });
    let bytes = shared.bytes;
    const long = shared.nodes.get('Long')!;
    for (let i = 0; i < 30; i++) {
      const id = shared.nodes.get(`S${i}`)!.id;
      bytes = withEntryField({ ...shared, bytes }, id, 'start', long.sectors[0]!);
      bytes = withEntryField({ ...shared, bytes }, id, 'size', 200 * 512);
    }
    const cfb = parseCfb(bytes);
    assert.ok(codes(cfb).includes('E_CFB_CHAIN_BUDGET'));
    assert.deepEqual(cfb.readStream('S29'), patternBytes(200 * 512, 3));
  });
});

describe('cfb: hostile directory trees', () => {
  const vba = built.nodes.get('VBA')!;

  it('sibling loop → E_CFB_DIR_LOOP, every entry still listed once', () => {
    const other = built.nodes.get('VBA/Other')!;
    // The storage's children are Other (left) and Small (subtree root); point Other back at Small.
    const cfb = parseCfb(withEntryField(built, other.id, 'right', small.id));
    assert.ok(codes(cfb).includes('E_CFB_DIR_LOOP'));
    assert.deepEqual(
      cfb.entries.map((e) => e.path).sort(),
      ['', 'Big', 'Tail', 'VBA', 'VBA/Other', 'VBA/Small'].sort(),
    );
    assert.deepEqual(cfb.readStream('VBA/Small'), SMALL);
  });

  it('child pointing back to an ancestor → E_CFB_DIR_LOOP, no infinite path', () => {
    const cfb = parseCfb(withEntryField(built, vba.id, 'child', 0));
    assert.ok(codes(cfb).includes('E_CFB_DIR_LOOP'));
    assert.deepEqual(cfb.readStream('Big'), BIG);
  });

  it('pointer out of range → E_CFB_BAD_ENTRY', () => {
    const cfb = parseCfb(withEntryField(built, big.id, 'left', 9999));
    assert.ok(codes(cfb).includes('E_CFB_BAD_ENTRY'));
    assert.deepEqual(cfb.readStream('Big'), BIG);
  });

  it('storage cut from the tree → E_CFB_ORPHAN_ENTRY, the rest still listed', () => {
    const cfb = parseCfb(withEntryField(built, vba.id, 'child', 0xffffffff));
    assert.ok(codes(cfb).includes('E_CFB_ORPHAN_ENTRY'));
    assert.equal(cfb.readStream('VBA/Small'), undefined);
    assert.deepEqual(cfb.readStream('Big'), BIG);
  });

  it('two siblings with the same name (case-insensitive) → E_CFB_DUPLICATE_NAME, first wins', () => {
    const other = built.nodes.get('VBA/Other')!;
    const cfb = parseCfb(withEntryName(built, other.id, 'SMALL'));
    assert.ok(codes(cfb).includes('E_CFB_DUPLICATE_NAME'));
    assert.ok(cfb.readStream('VBA/small'));
  });
});

describe('cfb: fuzzing', () => {
  it('random corruption never throws anything but E_CFB_NOT_CFB', () => {
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    const v4 = buildCfb({ sectorSize: 4096, streams: [{ path: 'A/B', data: patternBytes(5000) }] });
    for (let round = 0; round < 400; round++) {
      const source = round % 2 === 0 ? built.bytes : v4.bytes;
      const bytes = source.slice(0, round % 5 === 0 ? random(source.length) : source.length);
      for (let flips = 1 + random(8); flips > 0; flips--) {
        // Aim at the header, tables and directory where corruption matters most.
        const at = random(Math.min(bytes.length, 4096 * 3)) + (random(4) === 0 ? random(512) : 0);
        if (at < bytes.length) bytes[at] = random(256);
      }
      try {
        readAll(parseCfb(bytes, { maxStreamBytes: 1 << 20 }));
      } catch (error) {
        assert.ok(error instanceof FormatError && error.code === 'E_CFB_NOT_CFB', String(error));
      }
    }
  });
});
