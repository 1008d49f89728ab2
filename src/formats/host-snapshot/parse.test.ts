import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildCleanSnapshot,
  COLLECTED_AT,
  snapshotBytes,
  snapshotJson,
  snapshotJsonl,
} from '../../../test/builders/host-snapshot.js';
import {
  looksLikeHostSnapshot,
  parseHostInput,
  parseHostSnapshot,
  parseTimestampMicros,
  parseVolumeSerial,
  wallClockOf,
} from './index.js';

describe('host-snapshot: parse', () => {
  test('a clean snapshot reads back field for field, with no anomaly', () => {
    const spec = buildCleanSnapshot();
    const { snapshots, anomalies } = parseHostSnapshot(snapshotBytes(spec));
    assert.deepEqual(anomalies, []);
    assert.equal(snapshots.length, 1);
    const s = snapshots[0]!;
    assert.equal(s.hostname, 'WS-0042');
    assert.equal(s.volumeSerial, 0x1a2b3c4d);
    assert.equal(s.collectedAt, COLLECTED_AT);
    assert.equal(s.source, 'snapshot');
    assert.equal(s.processes.length, spec.processes.length);
    assert.deepEqual(s.processes[2], { ...spec.processes[2], user: spec.processes[2]!.user });
    assert.deepEqual(s.registry.at(-1), { ...spec.registry.at(-1), type: 'REG_BINARY' });
    assert.equal(s.services[1]!.serviceDll, '%SystemRoot%\\System32\\dnsrslvr.dll');
    assert.equal(s.scheduledTasks[0]!.arguments, '-c -h -o -$');
    assert.deepEqual(s.system32[0], { name: 'svchost.exe', size: 57_360 });
  });

  test('looksLikeHostSnapshot (the sniff rule): the collector layout, JSONL too; not other JSON', () => {
    const text = (b: Uint8Array) => new TextDecoder().decode(b);
    assert.equal(looksLikeHostSnapshot(text(snapshotBytes(buildCleanSnapshot()))), true);
    assert.equal(looksLikeHostSnapshot(text(snapshotJsonl([buildCleanSnapshot()]))), true);
    assert.equal(looksLikeHostSnapshot('{"hostname":"x","note":"no serial"}'), false);
    assert.equal(looksLikeHostSnapshot('{"Event":{"volumeSerial":1}}'), false);
  });

  test('UTF-16LE with a BOM (PowerShell 5.1 Out-File) parses like UTF-8', () => {
    const text = snapshotJson(buildCleanSnapshot());
    const bytes = new Uint8Array([
      0xff,
      0xfe,
      ...new Uint8Array(new Uint16Array([...text].map((c) => c.charCodeAt(0))).buffer),
    ]);
    const { snapshots, anomalies } = parseHostSnapshot(bytes);
    assert.deepEqual(anomalies, []);
    assert.equal(snapshots[0]?.hostname, 'WS-0042');
  });

  test('JSON Lines: one snapshot per line, a broken line is an anomaly and the others are kept', () => {
    const good = snapshotJsonl([
      buildCleanSnapshot({ hostname: 'A' }),
      buildCleanSnapshot({ hostname: 'B' }),
    ]);
    const bytes = new Uint8Array([...good, ...new TextEncoder().encode('{"hostname": broken\n')]);
    const { snapshots, anomalies } = parseHostSnapshot(bytes);
    assert.deepEqual(
      snapshots.map((s) => s.hostname),
      ['A', 'B'],
    );
    assert.equal(anomalies.length, 1);
    assert.equal(anomalies[0]!.code, 'E_SNAPSHOT_JSON');
    assert.equal(anomalies[0]!.location, 'input line 3');
  });

  test('a JSON array of snapshots gives one snapshot each', () => {
    const bytes = new TextEncoder().encode(
      JSON.stringify([
        buildCleanSnapshot({ hostname: 'A' }),
        buildCleanSnapshot({ hostname: 'B' }),
      ]),
    );
    assert.deepEqual(
      parseHostSnapshot(bytes).snapshots.map((s) => s.hostname),
      ['A', 'B'],
    );
  });

  test('registry binary data: hex text, "hex:" lists and byte arrays all become lowercase hex', () => {
    const spec = buildCleanSnapshot({
      registry: [
        { key: 'HKCU\\X', name: 'a', type: 'REG_BINARY', data: '4D 5A 90' },
        { key: 'HKCU\\X', name: 'b', type: 'REG_BINARY', data: 'hex:4d,5a' },
        { key: 'HKCU\\X', name: 'c', type: '', data: [77, 90] as unknown as string },
        { key: 'HKCU\\X', name: 'd', type: 'BINARY', data: 'zz' },
      ],
    });
    const { snapshots, anomalies } = parseHostSnapshot(snapshotBytes(spec));
    assert.deepEqual(
      snapshots[0]!.registry.map((r) => [r.type, r.data]),
      [
        ['REG_BINARY', '4d5a90'],
        ['REG_BINARY', '4d5a'],
        ['REG_BINARY', '4d5a'],
        ['REG_BINARY', null],
      ],
    );
    assert.deepEqual(
      anomalies.map((a) => a.code),
      ['E_SNAPSHOT_FIELD_TYPE'],
    );
  });

  test('volume serials: hex, 0x, vol-style XXXX-XXXX and decimal numbers; junk is null with an anomaly', () => {
    assert.equal(parseVolumeSerial('1A2B3C4D'), 0x1a2b3c4d);
    assert.equal(parseVolumeSerial('0x1a2b3c4d'), 0x1a2b3c4d);
    assert.equal(parseVolumeSerial('1A2B-3C4D'), 0x1a2b3c4d);
    assert.equal(parseVolumeSerial(1900000), 1900000);
    assert.equal(parseVolumeSerial('123456789'), null);
    assert.equal(parseVolumeSerial(-1), null);
    const { snapshots, anomalies } = parseHostSnapshot(
      snapshotBytes(buildCleanSnapshot({ volumeSerial: 'C:' })),
    );
    assert.equal(snapshots[0]!.volumeSerial, null);
    assert.equal(anomalies[0]!.code, 'E_SNAPSHOT_VOLUME_SERIAL');
  });

  test('timestamps keep sub-second digits: .NET "o" (7 digits), RFC 3339 nanoseconds, /Date(ms)/', () => {
    assert.equal(
      parseTimestampMicros('2024-05-01T01:20:30.1234567Z'),
      Date.UTC(2024, 4, 1, 1, 20, 30) * 1000 + 123_456,
    );
    assert.equal(
      parseTimestampMicros('2024-05-01T10:20:30.123456789+09:00'),
      Date.UTC(2024, 4, 1, 1, 20, 30) * 1000 + 123_456,
    );
    assert.equal(parseTimestampMicros('/Date(1714526430123)/'), 1714526430123 * 1000);
    assert.equal(parseTimestampMicros('yesterday'), null);
    assert.equal(parseTimestampMicros('2024-13-01T00:00:00Z'), null);
    assert.deepEqual(wallClockOf(COLLECTED_AT), {
      year: 2024,
      month: 5,
      day: 1,
      hour: 10,
      minute: 20,
      second: 30,
    });
  });

  test('wrong types: a string pid drops the row, an object name is emptied, both are anomalies', () => {
    const spec = buildCleanSnapshot({
      processes: [
        {
          pid: 'x' as unknown as number,
          name: 'a.exe',
          path: '',
          commandLine: '',
          parentPid: null,
        },
        {
          pid: 8,
          name: { evil: true } as unknown as string,
          path: 'C:\\b.exe',
          commandLine: '',
          parentPid: 1,
        },
      ],
    });
    const { snapshots, anomalies } = parseHostSnapshot(snapshotBytes(spec));
    assert.deepEqual(
      snapshots[0]!.processes.map((p) => [p.pid, p.name]),
      [[8, 'b.exe']],
    );
    assert.deepEqual(anomalies.map((a) => a.code).sort(), [
      'E_SNAPSHOT_FIELD_TYPE',
      'E_SNAPSHOT_FIELD_TYPE',
      'E_SNAPSHOT_ROW',
    ]);
  });

  test('not JSON at all → no snapshot, one E_SNAPSHOT_JSON anomaly, no throw', () => {
    const { snapshots, anomalies } = parseHostSnapshot(
      new TextEncoder().encode('this is not json'),
    );
    assert.deepEqual(snapshots, []);
    assert.equal(anomalies[0]!.code, 'E_SNAPSHOT_JSON');
  });

  test('parseHostInput: a ZIP that is not a Velociraptor collection is not a snapshot', async () => {
    const { writeZip } = await import('../zip/index.js');
    const out = await parseHostInput(writeZip([{ name: 'readme.txt', data: 'hello' }]));
    assert.equal(out.format, 'not-a-snapshot');
    assert.equal(out.anomalies[0]!.code, 'E_SNAPSHOT_NOT_COLLECTION');
  });
});
