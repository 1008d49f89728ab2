import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildCleanSnapshot,
  buildDeepSnapshot,
  buildHugeSnapshot,
  proc,
  snapshotBytes,
  snapshotJsonl,
} from '../../../test/builders/host-snapshot.js';
import { DEFAULT_SNAPSHOT_LIMITS, parseHostSnapshot, type SnapshotParse } from './index.js';

const codes = (p: SnapshotParse) => p.anomalies.map((a) => a.code);
const processes = (n: number) =>
  Array.from({ length: n }, (_, i) => proc(100 + i, `p${i}.exe`, `C:\\p${i}.exe`, 4));

describe('host-snapshot: hostile input and limits', () => {
  test('maxProcesses: at the limit all rows are read; one more is cut with E_LIMIT_SNAPSHOT_ITEMS', () => {
    const at = parseHostSnapshot(snapshotBytes(buildCleanSnapshot({ processes: processes(3) })), {
      limits: { maxProcesses: 3 },
    });
    assert.equal(at.snapshots[0]!.processes.length, 3);
    assert.deepEqual(codes(at), []);
    const over = parseHostSnapshot(snapshotBytes(buildCleanSnapshot({ processes: processes(4) })), {
      limits: { maxProcesses: 3 },
    });
    assert.equal(over.snapshots[0]!.processes.length, 3);
    assert.deepEqual(codes(over), ['E_LIMIT_SNAPSHOT_ITEMS']);
  });

  test('the default process cap holds against a flood one row past it', () => {
    const { snapshots, anomalies } = parseHostSnapshot(
      buildHugeSnapshot(DEFAULT_SNAPSHOT_LIMITS.maxProcesses + 1),
    );
    assert.equal(snapshots[0]!.processes.length, DEFAULT_SNAPSHOT_LIMITS.maxProcesses);
    assert.equal(anomalies[0]!.code, 'E_LIMIT_SNAPSHOT_ITEMS');
  });

  test('maxStringChars: a command line of exactly the limit is kept, one more character is cut', () => {
    const limits = { maxStringChars: 50 };
    const line = (n: number) => ({
      hostname: 'h',
      volumeSerial: '1',
      processes: [{ pid: 9, commandLine: 'x'.repeat(n) }],
    });
    const at = parseHostSnapshot(snapshotBytes(line(50)), { limits });
    assert.equal(at.snapshots[0]!.processes[0]!.commandLine.length, 50);
    assert.ok(!codes(at).includes('E_LIMIT_SNAPSHOT_STRING'));
    const over = parseHostSnapshot(snapshotBytes(line(51)), { limits });
    assert.equal(over.snapshots[0]!.processes[0]!.commandLine.length, 50);
    assert.ok(codes(over).includes('E_LIMIT_SNAPSHOT_STRING'));
  });

  test('maxBinaryBytes: a REG_BINARY of the limit is whole, a longer one is cut to it', () => {
    const value = (bytes: number) =>
      buildCleanSnapshot({
        registry: [{ key: 'HKCU\\X', name: 'v', type: 'REG_BINARY', data: 'ab'.repeat(bytes) }],
      });
    const at = parseHostSnapshot(snapshotBytes(value(16)), { limits: { maxBinaryBytes: 16 } });
    assert.equal(at.snapshots[0]!.registry[0]!.data, 'ab'.repeat(16));
    const over = parseHostSnapshot(snapshotBytes(value(17)), { limits: { maxBinaryBytes: 16 } });
    assert.equal(over.snapshots[0]!.registry[0]!.data, 'ab'.repeat(16));
    assert.deepEqual(codes(over), ['E_LIMIT_SNAPSHOT_BINARY']);
  });

  test('maxSnapshotBytes: a document of the limit parses; one byte more is refused, not parsed', () => {
    const bytes = snapshotBytes(buildCleanSnapshot());
    const at = parseHostSnapshot(bytes, { limits: { maxSnapshotBytes: bytes.length } });
    assert.equal(at.snapshots.length, 1);
    // The pretty-printed document is then read as lines: each line is too short to be a snapshot.
    const compact = new TextEncoder().encode(JSON.stringify(buildCleanSnapshot()));
    const over = parseHostSnapshot(compact, { limits: { maxSnapshotBytes: compact.length - 1 } });
    assert.equal(over.snapshots.length, 0);
    assert.deepEqual(codes(over), ['E_LIMIT_SNAPSHOT_SIZE']);
  });

  test('maxSnapshots: JSONL with one host more than allowed keeps the first ones', () => {
    const hosts = (n: number) =>
      snapshotJsonl(Array.from({ length: n }, (_, i) => buildCleanSnapshot({ hostname: `H${i}` })));
    assert.equal(parseHostSnapshot(hosts(2), { limits: { maxSnapshots: 2 } }).snapshots.length, 2);
    const over = parseHostSnapshot(hosts(3), { limits: { maxSnapshots: 2 } });
    assert.deepEqual(
      over.snapshots.map((s) => s.hostname),
      ['H0', 'H1'],
    );
    assert.deepEqual(codes(over), ['E_LIMIT_SNAPSHOTS']);
  });

  test('100,000 levels of nesting in an unknown field: parsed, ignored, never walked', () => {
    const { snapshots, anomalies } = parseHostSnapshot(buildDeepSnapshot(100_000));
    assert.equal(snapshots[0]!.hostname, 'WS-0042');
    assert.deepEqual(anomalies, []);
  });

  test('deep nesting inside a known field is a type anomaly, not a crash', () => {
    const deep = '['.repeat(50_000) + ']'.repeat(50_000);
    const text = JSON.stringify(buildCleanSnapshot()).replace(
      '"hostname":"WS-0042"',
      `"hostname":${deep}`,
    );
    const { snapshots, anomalies } = parseHostSnapshot(new TextEncoder().encode(text));
    assert.equal(snapshots[0]!.hostname, '');
    assert.equal(anomalies[0]!.code, 'E_SNAPSHOT_FIELD_TYPE');
  });

  test('wrong container types: processes as an object, files as a string, rows as numbers', () => {
    const text = JSON.stringify({
      ...buildCleanSnapshot(),
      processes: { a: 1 },
      files: 'C:\\',
      services: [1, 2],
    });
    const { snapshots, anomalies } = parseHostSnapshot(new TextEncoder().encode(text));
    assert.deepEqual(
      [snapshots[0]!.processes, snapshots[0]!.files, snapshots[0]!.services],
      [[], [], []],
    );
    assert.deepEqual(codes({ snapshots, anomalies }), [
      'E_SNAPSHOT_FIELD_TYPE',
      'E_SNAPSHOT_ROW',
      'E_SNAPSHOT_ROW',
      'E_SNAPSHOT_FIELD_TYPE',
    ]);
  });

  test('maxAnomalies: a flood of broken rows is kept to the cap plus one summary anomaly', () => {
    const text = JSON.stringify({ ...buildCleanSnapshot(), processes: Array(50).fill('junk') });
    const { anomalies } = parseHostSnapshot(new TextEncoder().encode(text), {
      limits: { maxAnomalies: 10 },
    });
    assert.equal(anomalies.length, 11);
    assert.match(anomalies[10]!.message, /40 more anomalies/);
  });

  test('a top-level JSON scalar or null is one row anomaly', () => {
    for (const text of ['42', 'null', '"x"']) {
      const p = parseHostSnapshot(new TextEncoder().encode(text));
      assert.deepEqual(p.snapshots, []);
      assert.deepEqual(codes(p), ['E_SNAPSHOT_ROW'], text);
    }
  });
});
