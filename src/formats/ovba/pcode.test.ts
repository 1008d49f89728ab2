import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Anomaly } from '../../core/index.js';
import { buildPcodeModuleStream, buildVbaProjectStream } from '../../../test/builders/pcode.js';
import {
  MAX_PCODE_DIRECTORY_CANDIDATES,
  MAX_PCODE_IDENTIFIERS,
  MAX_PCODE_STRINGS,
  parseVbaProjectStream,
  readModulePcode,
} from './index.js';

const ids = new Map([['x', 0]]);
const read = (cache: Uint8Array, anomalies: Anomaly[] = []) =>
  readModulePcode(cache, cache.length, 1252, anomalies, 'VBA/Module1');
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
};
/** A look-alike directory: the magic with a line count that cannot fit. */
const FAKE = new Uint8Array([0xfe, 0xca, 0x01, 0x00, 0xff, 0xff]);

describe('p-code module cache', () => {
  test('no cache (MODULEOFFSET 0) or no line directory → undefined', () => {
    const { bytes } = buildPcodeModuleStream('x = "abc"', ids);
    assert.equal(readModulePcode(bytes, 0, 1252, [], 'm'), undefined);
    assert.equal(read(new Uint8Array(200).fill(0x41)), undefined);
  });

  test('a line record pointing past the cache rejects that directory', () => {
    const { bytes } = buildPcodeModuleStream('x = "abc"', ids);
    const cut = bytes.subarray(0, bytes.length - 12); // the p-code of the line is gone
    assert.equal(read(cut), undefined);
  });

  test('a planted empty look-alike does not hide the real directory', () => {
    const { bytes } = buildPcodeModuleStream('x = "hidden text"', ids);
    const decoy = new Uint8Array([0xfe, 0xca, 0x01, 0x00, 0, 0, ...new Uint8Array(10)]);
    const pcode = read(concat(decoy, bytes));
    assert.deepEqual(
      pcode?.strings.map((s) => s.text),
      ['hidden text'],
    );
  });

  test(`MAX_PCODE_DIRECTORY_CANDIDATES: the ${MAX_PCODE_DIRECTORY_CANDIDATES}th candidate is read, the next is not`, () => {
    const { bytes } = buildPcodeModuleStream('x = "found"', ids);
    const fakes = (n: number) => concat(...Array.from({ length: n }, () => FAKE));
    const within: Anomaly[] = [];
    assert.equal(
      read(concat(fakes(MAX_PCODE_DIRECTORY_CANDIDATES - 1), bytes), within)?.strings[0]?.text,
      'found',
    );
    assert.deepEqual(within, []);
    const past: Anomaly[] = [];
    assert.equal(read(concat(fakes(MAX_PCODE_DIRECTORY_CANDIDATES), bytes), past), undefined);
    assert.deepEqual(
      past.map((a) => a.code),
      ['E_OVBA_PCODE_BAD_DIRECTORY'],
    );
  });

  test(`MAX_PCODE_STRINGS: ${MAX_PCODE_STRINGS} literals are kept, one more is cut with E_OVBA_PCODE_LIMIT`, () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `x = "str${i}"`).join('\n');
    const at: Anomaly[] = [];
    assert.equal(
      read(buildPcodeModuleStream(body(MAX_PCODE_STRINGS), ids).bytes, at)?.strings.length,
      MAX_PCODE_STRINGS,
    );
    assert.deepEqual(at, []);
    const over: Anomaly[] = [];
    const pcode = read(buildPcodeModuleStream(body(MAX_PCODE_STRINGS + 1), ids).bytes, over);
    assert.equal(pcode?.strings.length, MAX_PCODE_STRINGS);
    assert.deepEqual(
      over.map((a) => a.code),
      ['E_OVBA_PCODE_LIMIT'],
    );
  });

  test('short runs and operands are not literals; odd-length literals keep their padding', () => {
    const pcode = read(buildPcodeModuleStream('x = "ab"\nx = "odd"\nx = "even"', ids).bytes);
    assert.deepEqual(
      pcode?.strings.map((s) => [s.line, s.text]),
      [
        [1, 'odd'],
        [2, 'even'],
      ],
    );
  });
});

describe('_VBA_PROJECT stream', () => {
  test('shorter than its header or with a wrong Reserved1 → anomalies, no cache', () => {
    const anomalies: Anomaly[] = [];
    assert.equal(
      parseVbaProjectStream(new Uint8Array([0xcc, 0x61]), 1252, anomalies).hasCache,
      false,
    );
    parseVbaProjectStream(new Uint8Array([0, 0, 0xff, 0xff, 0, 0, 0]), 1252, anomalies);
    assert.deepEqual(
      anomalies.map((a) => a.code),
      ['E_OVBA_PCODE_TRUNCATED', 'E_OVBA_PCODE_BAD_HEADER'],
    );
  });

  test('version 0xFFFF → no cache even with bytes after the header', () => {
    const bytes = new Uint8Array([0xcc, 0x61, 0xff, 0xff, 0, 1, 0, 9, 9, 9]);
    assert.deepEqual(parseVbaProjectStream(bytes, 1252, []), {
      version: 0xffff,
      hasCache: false,
      identifiers: [],
    });
  });

  test('the identifier table is found behind libraries and module records', () => {
    const names = ['Project', 'ThisDocument', 'ReDim', 'AutoOpen', 'Shell'];
    const bytes = buildVbaProjectStream({ modules: [{ name: 'Module1', source: '' }] }, names);
    assert.deepEqual(parseVbaProjectStream(bytes, 1252, []).identifiers, names);
  });

  test(`MAX_PCODE_IDENTIFIERS: a run is cut at ${MAX_PCODE_IDENTIFIERS} records`, () => {
    const record = new Uint8Array([1, 0x04, 0x61, 0, 0, 0, 0]); // "a", type 4, 4 trailing bytes
    const table = (n: number) =>
      concat(
        new Uint8Array([0xcc, 0x61, 0xb2, 0, 0, 3, 0]),
        ...Array.from({ length: n }, () => record),
      );
    assert.equal(
      parseVbaProjectStream(table(MAX_PCODE_IDENTIFIERS), 1252, []).identifiers.length,
      MAX_PCODE_IDENTIFIERS,
    );
    assert.equal(
      parseVbaProjectStream(table(MAX_PCODE_IDENTIFIERS + 1), 1252, []).identifiers.length,
      MAX_PCODE_IDENTIFIERS,
    );
  });

  test('4 MiB of record-like bytes: every record parses once (a quadratic scan would not finish)', () => {
    const bytes = new Uint8Array(4 * 1024 * 1024).fill(0x41);
    bytes.set([0xcc, 0x61, 0xb2, 0]);
    // "AA" reads as a record of 65 'A's: the whole stream is one run, bounded by MAX_PCODE_IDENTIFIERS.
    const { identifiers } = parseVbaProjectStream(bytes, 1252, []);
    assert.ok(identifiers.length > 50_000 && identifiers.length <= MAX_PCODE_IDENTIFIERS);
  });
});
