import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatFiletime,
  formatGuid,
  formatHex32,
  formatHex64,
  formatReal32,
  formatSid,
  int64Value,
  uint64Value,
} from './format.js';

const halves = (value: bigint): [number, number] => [
  Number(value & 0xffffffffn),
  Number(value >> 32n),
];

test('evtx format: FILETIME to the microsecond, exact on both sides of the fast path', () => {
  assert.equal(formatFiletime(...halves(132808572876046460n)), '2021-11-08T15:01:27.604646Z');
  assert.equal(formatFiletime(0, 0), '1601-01-01T00:00:00.000000Z');
  // hi ≥ 0x20000000 takes the BigInt path: year 30828 is the largest FILETIME.
  assert.equal(formatFiletime(0xffffffff, 0x7fffffff), '+030828-09-14T02:48:05.477580Z');
  assert.equal(formatFiletime(...halves(0x1fffffffffffffffn)), '8907-12-05T18:42:01.369395Z');
});

test('evtx format: hex unpadded as Windows prints it, GUID upper-case without braces, SIDs', () => {
  assert.equal(formatHex32(0x3e7), '0x3e7');
  assert.equal(formatHex64(0x3e7, 0), '0x3e7');
  assert.equal(formatHex64(0, 0x80000000), '0x8000000000000000');
  assert.equal(formatHex64(0x1, 0x1), '0x100000001');
  const guid = Uint8Array.from([
    0x5f, 0x38, 0x70, 0x57, 0x2a, 0xc2, 0xe0, 0x43, 0xbf, 0x4c, 0x06, 0xf5, 0x69, 0x8f, 0xfb, 0xd9,
  ]);
  assert.equal(formatGuid(guid, 0), '5770385F-C22A-43E0-BF4C-06F5698FFBD9');
  const sid = new DataView(
    Uint8Array.from([1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0]).buffer,
  );
  assert.deepEqual(formatSid(sid, 0, 16), { text: 'S-1-5-32-544', used: 16 });
  // A sub-authority count larger than the value: only what is there is read.
  assert.deepEqual(formatSid(sid, 0, 12), { text: 'S-1-5-32', used: 12 });
  assert.deepEqual(formatSid(sid, 0, 4), { text: 'S-?', used: 4 });
});

test('evtx format: 64-bit integers are numbers when exact, decimal text beyond 2^53', () => {
  assert.equal(uint64Value(...halves(5_000_000_000n)), 5_000_000_000);
  assert.equal(uint64Value(0xffffffff, 0xffffffff), '18446744073709551615');
  assert.equal(int64Value(0xffffffff, 0xffffffff), -1);
  assert.equal(int64Value(...halves(BigInt.asUintN(64, -5_000_000_000n))), -5_000_000_000);
  assert.equal(int64Value(0, 0x80000000), '-9223372036854775808');
});

test('evtx format: Real32 prints its shortest round-trip form', () => {
  assert.equal(formatReal32(Math.fround(0.1)), '0.1');
  assert.equal(formatReal32(Math.fround(1.5)), '1.5');
  assert.equal(formatReal32(Math.fround(16777217)), '16777216');
  assert.equal(formatReal32(Number.NaN), 'NaN');
});
