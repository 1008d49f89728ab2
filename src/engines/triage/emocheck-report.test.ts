import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildCleanSnapshot,
  snapshotBytes,
  withEmotetV2,
  withEmotetV4,
  type SnapshotSpec,
} from '../../../test/builders/host-snapshot.js';
import { assertGolden } from '../../../test/support/golden.js';
import { parseHostSnapshot } from '../../formats/host-snapshot/index.js';
import {
  emocheckReportName,
  emocheckScanTime,
  renderEmoCheckJson,
  renderEmoCheckText,
  triageSnapshot,
  type TriageReport,
} from './index.js';

const testdata = (name: string) => new URL(`./testdata/${name}`, import.meta.url);

function triage(spec: SnapshotSpec): TriageReport {
  return triageSnapshot(parseHostSnapshot(snapshotBytes(spec)).snapshots[0]!);
}

describe("EmoCheck report files (EmoCheck v2.0's layout)", () => {
  const infected = triage(withEmotetV4(withEmotetV2(buildCleanSnapshot())));
  const clean = triage(buildCleanSnapshot());
  const scanTime = emocheckScanTime(infected, new Date(0));

  test("file names: <COMPUTERNAME>_<yyyymmddhhmmss>_emocheck.txt/.json at the host's local collection time", () => {
    assert.deepEqual(scanTime, { year: 2024, month: 5, day: 1, hour: 10, minute: 20, second: 30 });
    assert.equal(
      emocheckReportName('WS-0042', scanTime, 'txt'),
      'WS-0042_20240501102030_emocheck.txt',
    );
    assert.equal(
      emocheckReportName('WS-0042', scanTime, 'json'),
      'WS-0042_20240501102030_emocheck.json',
    );
  });

  test('a host name from the snapshot cannot leave the report folder', () => {
    assert.equal(
      emocheckReportName('..\\..\\Windows/evil', scanTime, 'txt'),
      '__.._Windows_evil_20240501102030_emocheck.txt',
    );
    assert.equal(emocheckReportName('', scanTime, 'txt'), 'UNKNOWN_20240501102030_emocheck.txt');
  });

  test('without a collection time the report is dated now (UTC)', () => {
    const clock = emocheckScanTime({ collectedAt: null }, new Date(Date.UTC(2024, 0, 2, 3, 4, 5)));
    assert.equal(emocheckReportName('H', clock, 'txt'), 'H_20240102030405_emocheck.txt');
  });

  test('text report of an infected host (golden, CRLF)', () => {
    const text = renderEmoCheckText(infected, { scanTime });
    assert.ok(text.includes('\r\n') && !/[^\r]\n/.test(text), 'CRLF line ends only');
    assertGolden(text, testdata('emocheck-infected.out.txt'));
  });

  test("JSON report of an infected host (golden) parses as EmoCheck's fields", () => {
    const json = renderEmoCheckJson(infected, { scanTime });
    assertGolden(json, testdata('emocheck-infected.out.json'));
    const parsed = JSON.parse(json) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed), [
      'scan_time',
      'hostname',
      'emocheck_version',
      'is_infected',
      'emotet_processes',
    ]);
    assert.equal(parsed.is_infected, 'yes');
    assert.deepEqual((parsed.emotet_processes as Record<string, string>[])[0], {
      process_name: 'mstask.exe',
      process_id: '5200',
      image_path: 'C:\\Users\\alice\\AppData\\Local\\mstask.exe',
    });
  });

  test('reports of a clean host (golden): "Emotet was not detected." and is_infected "no"', () => {
    assertGolden(renderEmoCheckText(clean, { scanTime }), testdata('emocheck-clean.out.txt'));
    assertGolden(renderEmoCheckJson(clean, { scanTime }), testdata('emocheck-clean.out.json'));
    assert.deepEqual(Object.keys(JSON.parse(renderEmoCheckJson(clean, { scanTime }))), [
      'scan_time',
      'hostname',
      'emocheck_version',
      'is_infected',
    ]);
  });

  test('a line break inside a process name cannot add lines to the text report', () => {
    const evil = {
      ...infected,
      detections: [
        { ...infected.detections[0]!, processName: 'a\r\n[Result] \r\nEmotet was not detected.' },
      ],
    };
    const text = renderEmoCheckText(evil, { scanTime });
    assert.equal(
      text.split('\r\n').filter((l) => l.startsWith('Emotet was not detected')).length,
      0,
    );
  });
});
