import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildCleanSnapshot,
  dir,
  EXPLORER_HKCU,
  file,
  LOCAL,
  proc,
  RUN_HKCU,
  snapshotBytes,
  V4_DIR,
  V4_FILE,
  withEmotetV1,
  withEmotetV2,
  withEmotetV3,
  withEmotetV4,
  withEmotetV4Service,
  withEmotetV5,
  type SnapshotSpec,
} from '../../../test/builders/host-snapshot.js';
import { parseHostSnapshot } from '../../formats/host-snapshot/index.js';
import {
  decodeV2Name,
  emotetV1Names,
  encodeV2Name,
  triageSnapshot,
  V1_DICTIONARY,
  type TriageReport,
} from './index.js';

function triage(spec: SnapshotSpec): TriageReport {
  const { snapshots, anomalies } = parseHostSnapshot(snapshotBytes(spec));
  assert.deepEqual(anomalies, []);
  return triageSnapshot(snapshots[0]!);
}
const ids = (r: TriageReport) => r.findings.map((f) => f.id);
const methods = (r: TriageReport) => r.detections.map((d) => d.method);

describe('EmoCheck v1: the process name from the volume serial', () => {
  test('published example: serial 1900000 gives purgeelem.exe (epuzanov/emocheckps README)', () => {
    assert.deepEqual(emotetV1Names(1900000), ['purgeelem.exe']);
  });

  test('the dictionary has the 64 words EmoCheck lists, 356 characters with commas', () => {
    assert.equal(V1_DICTIONARY.split(',').length, 64);
    assert.equal(V1_DICTIONARY.length, 356);
  });

  test('serial 0 picks "duck", then the word holding offset 0xFFFFFFFF mod 356', () => {
    const offset = 0xffffffff % 356;
    let at = 0;
    const word = V1_DICTIONARY.split(',').find((w) => {
      const holds = offset >= at - 1 && offset < at + w.length; // a comma selects the next word
      at += w.length + 1;
      return holds;
    });
    assert.deepEqual(emotetV1Names(0), [`duck${word}.exe`]);
  });

  test('an offset inside "duck" also yields EmoCheck\'s mid-word variant, so both tools agree', () => {
    const names = emotetV1Names(2);
    assert.equal(names.length, 2);
    assert.ok(names[0]!.startsWith('duck') && names[1]!.startsWith('ck'), names.join());
  });

  test('running under the derived name → critical v1 detection with PID and image path', () => {
    const r = triage(withEmotetV1(buildCleanSnapshot()));
    assert.equal(r.isInfected, true);
    assert.deepEqual(methods(r), ['v1']);
    const name = emotetV1Names(0x1a2b3c4d)[0]!;
    assert.deepEqual(
      [r.detections[0]!.processName, r.detections[0]!.pid, r.detections[0]!.imagePath],
      [name, 5100, `${LOCAL}\\${name}`],
    );
    assert.equal(r.findings[0]!.id, 'triage.emocheck-v1-process-name');
    assert.equal(r.findings[0]!.severity, 'critical');
  });

  test('the same name on a host with another serial is not Emotet', () => {
    const spec = withEmotetV1(buildCleanSnapshot());
    assert.equal(triage({ ...spec, volumeSerial: '0BADF00D' }).isInfected, false);
  });
});

describe('EmoCheck v2: the XOR-encoded name in the Explorer value named by the serial', () => {
  test('encode and decode are inverse; bytes outside 0x21–0x7D are dropped as EmoCheck does', () => {
    const hex = encodeV2Name('mstask', 0x1a2b3c4d);
    assert.equal(decodeV2Name(hex, 0x1a2b3c4d), 'mstask');
    assert.equal(decodeV2Name(encodeV2Name('ms task\n', 0x1a2b3c4d), 0x1a2b3c4d), 'mstask');
    assert.equal(
      hex.slice(0, 2),
      (0x6d ^ 0x4d).toString(16).padStart(2, '0'),
      'first byte XORs the low byte of the serial',
    );
  });

  test('marker present and the named process running → critical v2 detection naming the value', () => {
    const r = triage(withEmotetV2(buildCleanSnapshot()));
    assert.deepEqual(methods(r), ['v2']);
    assert.equal(r.detections[0]!.registryKey, `${EXPLORER_HKCU}\\1a2b3c4d`);
    assert.equal(r.detections[0]!.processName, 'mstask.exe');
  });

  test('marker present but nothing running under its name → dormant (high), not infected', () => {
    const r = triage(withEmotetV2(buildCleanSnapshot(), 'mstask', 0, false));
    assert.equal(r.isInfected, false);
    assert.deepEqual(ids(r), ['triage.emotet-loader-dormant']);
  });

  test('the HKLM WOW6432Node view and the zero-padded value name are read too', () => {
    const serial = 0x00ab12cd;
    const spec = buildCleanSnapshot({
      volumeSerial: '00AB12CD',
      registry: [
        {
          key: 'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Explorer',
          name: '00ab12cd',
          type: 'REG_BINARY',
          data: encodeV2Name('wmpsvc', serial),
        },
      ],
      processes: [proc(77, 'wmpsvc.exe', 'C:\\Windows\\SysWOW64\\wmpsvc.exe', 4)],
    });
    assert.deepEqual(methods(triage(spec)), ['v2']);
  });

  test('a value named by another serial, or under another key, is ignored', () => {
    const spec = withEmotetV2(buildCleanSnapshot());
    const moved = {
      ...spec,
      registry: spec.registry.map((r) =>
        r.type === 'REG_BINARY' && r.name !== 'ShellState' ? { ...r, key: RUN_HKCU } : r,
      ),
    };
    assert.equal(triage(moved).isInfected, false);
  });
});

describe('EmoCheck v3: a System32-named executable in a same-named folder', () => {
  test('file, Run value and running process → critical v3 detection with the Run key', () => {
    const r = triage(withEmotetV3(buildCleanSnapshot()));
    assert.deepEqual(methods(r), ['v3']);
    assert.equal(r.detections[0]!.registryKey, `${RUN_HKCU}\\dsrole`);
  });

  test("a copy under 10,000 bytes fails EmoCheck's validation: neither detected nor dormant", () => {
    const r = triage(withEmotetV3(buildCleanSnapshot(), { size: 9_999 }));
    assert.equal(r.isInfected, false);
    assert.ok(!ids(r).includes('triage.emotet-loader-dormant'));
    assert.equal(triage(withEmotetV3(buildCleanSnapshot(), { size: 10_000 })).isInfected, true);
  });

  test("a file the size of System32's own copy is a legitimate copy", () => {
    const spec = withEmotetV3(buildCleanSnapshot(), { size: 20_480 });
    const renamed = { ...spec, system32: [...spec.system32, { name: 'dsrole.exe', size: 20_480 }] };
    assert.equal(triage(renamed).isInfected, false);
  });

  test('same name but another image path (or none readable) is not confirmed', () => {
    const spec = withEmotetV3(buildCleanSnapshot());
    const elsewhere = {
      ...spec,
      processes: spec.processes.map((p) =>
        p.pid === 5300 ? { ...p, path: 'C:\\Windows\\System32\\dsrole.exe' } : p,
      ),
    };
    assert.equal(triage(elsewhere).isInfected, false);
    const hidden = {
      ...spec,
      processes: spec.processes.map((p) => (p.pid === 5300 ? { ...p, path: '' } : p)),
    };
    const r = triage(hidden);
    assert.equal(r.isInfected, false);
    assert.match(r.skipped.join(), /no image path/);
  });

  test('installed but not running → dormant with its Run key', () => {
    const r = triage(withEmotetV3(buildCleanSnapshot(), { isRunning: false }));
    assert.deepEqual(ids(r), ['triage.emotet-loader-dormant']);
    assert.match(r.findings[0]!.evidence[0]!.note ?? '', /Run\\dsrole/);
  });
});

describe('EmoCheck v4: a random-folder DLL started by rundll32', () => {
  test('LocalAppData file, HKCU Run value, rundll32 running it → critical v4 detection', () => {
    const r = triage(withEmotetV4(buildCleanSnapshot()));
    assert.deepEqual(methods(r), ['v4']);
    assert.equal(r.detections[0]!.processName, 'rundll32.exe');
    assert.equal(r.detections[0]!.imagePath, `${LOCAL}\\${V4_DIR}\\${V4_FILE}`);
    assert.ok(ids(r).includes('triage.emocheck-v4-rundll32-dll'));
  });

  test('SysWOW64 file with a service: found through System32 by the WOW64 redirection rule', () => {
    const r = triage(withEmotetV4Service(buildCleanSnapshot()));
    assert.deepEqual(methods(r), ['v4']);
    assert.equal(r.detections[0]!.service, V4_FILE);
  });

  test('a folder installed software uses (knownFolders) is allowed', () => {
    const spec = withEmotetV4(buildCleanSnapshot());
    assert.equal(
      triage({ ...spec, knownFolders: [...spec.knownFolders, V4_DIR] }).isInfected,
      false,
    );
  });

  test('a file that is not a PE, or named .dll, or a Run value not naming it, is not v4', () => {
    const spec = withEmotetV4(buildCleanSnapshot());
    const notPe = {
      ...spec,
      files: spec.files.map((f) => (f.path.endsWith(V4_FILE) ? { ...f, isPe: false } : f)),
    };
    assert.ok(!methods(triage(notPe)).includes('v4'));
    const otherRun = {
      ...spec,
      registry: spec.registry.map((r) =>
        r.name === 'Qmvhzrkaxp'
          ? { ...r, data: 'C:\\Windows\\SysWOW64\\rundll32.exe other.dll,Control_RunDLL' }
          : r,
      ),
    };
    assert.ok(!methods(triage(otherRun)).includes('v4'));
  });

  test('persisted but not running → dormant', () => {
    const r = triage(withEmotetV4(buildCleanSnapshot(), { isRunning: false }));
    assert.equal(r.isInfected, false);
    assert.ok(ids(r).includes('triage.emotet-loader-dormant'));
  });
});

describe('EmoCheck v5: the 7-day timestamp offset', () => {
  for (const [offsetMs, expected] of [
    [100, true],
    [300, true],
    [-299, true],
    [301, false],
    [-300, false],
  ] as const) {
    test(`file time = folder time − 7 days ${offsetMs >= 0 ? '+' : ''}${offsetMs} ms → ${expected ? 'detected' : 'not detected'}`, () => {
      const r = triage(withEmotetV5(buildCleanSnapshot(), { offsetMs }));
      assert.equal(methods(r).includes('v5'), expected);
    });
  }

  test('timestomped but not running → dormant; a non-PE with the same times is ignored', () => {
    assert.ok(
      ids(triage(withEmotetV5(buildCleanSnapshot(), { isRunning: false }))).includes(
        'triage.emotet-loader-dormant',
      ),
    );
    const spec = withEmotetV5(buildCleanSnapshot(), { isRunning: false });
    const text = {
      ...spec,
      files: spec.files.map((f) => (f.path.endsWith('.dll') ? { ...f, isPe: false } : f)),
    };
    assert.deepEqual(ids(triage(text)), []);
  });

  test('without folder times v5 says it could not run', () => {
    const spec = buildCleanSnapshot({
      files: [file(`${LOCAL}\\X\\a.dll`, { isPe: true, mtime: '2024-01-01T00:00:00Z' })],
    });
    assert.match(triage(spec).skipped.join('\n'), /v5: no folder times/);
  });
});

describe('triage: clean hosts and missing data', () => {
  test('a clean workstation: not infected, no finding at all', () => {
    const r = triage(buildCleanSnapshot());
    assert.equal(r.isInfected, false);
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.skipped, []);
  });

  test('one detection per PID even when several methods name the same process', () => {
    const spec = withEmotetV3(buildCleanSnapshot());
    const both = {
      ...spec,
      files: [...spec.files, dir(`${LOCAL}\\dsrole`, '2024-05-07T08:00:00Z')],
    };
    const r = triage(both);
    assert.equal(r.detections.length, 1);
  });

  test('no serial and no files: checks-incomplete (low) lists what was skipped', () => {
    const r = triage(
      buildCleanSnapshot({ volumeSerial: '', files: [], system32: [], knownFolders: [] }),
    );
    assert.deepEqual(ids(r), ['triage.checks-incomplete']);
    assert.equal(r.findings[0]!.severity, 'low');
    assert.match(r.skipped.join('\n'), /v1, v2: the snapshot has no volume serial/);
    assert.match(r.skipped.join('\n'), /v3, v4, v5: the snapshot lists no files/);
  });

  test('loader paths are reported as file IOCs', () => {
    const r = triage(withEmotetV4(buildCleanSnapshot()));
    assert.deepEqual(r.files, [`${LOCAL}\\${V4_DIR}\\${V4_FILE}`]);
  });

  test("the Explorer key's other binary values (ShellState) never decode into a candidate", () => {
    const spec = buildCleanSnapshot({
      registry: [
        { key: EXPLORER_HKCU, name: 'ShellState', type: 'REG_BINARY', data: 'ff'.repeat(8) },
      ],
    });
    assert.deepEqual(triage(spec).findings, []);
  });
});
