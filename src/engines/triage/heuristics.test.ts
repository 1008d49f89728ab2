import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildCleanSnapshot,
  LOCAL,
  proc,
  RUN_HKCU,
  snapshotBytes,
  withWmiPowerShell,
  type SnapshotSpec,
} from '../../../test/builders/host-snapshot.js';
import { parseHostSnapshot } from '../../formats/host-snapshot/index.js';
import { looksRandomName, triageSnapshot, type TriageReport } from './index.js';
import { normalizePath, parseProxyLaunch, programOf, splitCommandLine } from './paths.js';

function triage(spec: SnapshotSpec): TriageReport {
  return triageSnapshot(parseHostSnapshot(snapshotBytes(spec)).snapshots[0]!);
}
const ids = (r: TriageReport) => r.findings.map((f) => f.id);
const SYS = 'C:\\Windows\\System32';

function withProcess(command: string, path: string, name: string, parentPid = 3100): SnapshotSpec {
  const spec = buildCleanSnapshot();
  return { ...spec, processes: [...spec.processes, proc(7000, name, path, parentPid, command)] };
}

describe('triage heuristics: random names in user-writable folders', () => {
  test('random-looking names are told from product and Windows names', () => {
    for (const name of ['rghzwwirg', 'Tmbocxtmrulq', 'xkcdqwrtp', 'ndqrxlkw'])
      assert.equal(looksRandomName(name), true, name);
    for (const name of [
      'OneDrive',
      'Teams',
      'Update',
      'msedge',
      'chrome',
      'Spotify',
      'svchost',
      'GoogleDriveFS',
      'setup',
      'abc',
    ]) {
      assert.equal(looksRandomName(name), false, name);
    }
  });

  test('a random-named process in AppData\\Local → user-dir-random-process (medium); OneDrive there → nothing', () => {
    const r = triage(withProcess('', `${LOCAL}\\Qxvzbnrt\\rghzwwirg.exe`, 'rghzwwirg.exe'));
    assert.deepEqual(ids(r), ['triage.user-dir-random-process']);
    assert.equal(r.findings[0]!.severity, 'medium');
    assert.equal(r.findings[0]!.evidence[0]!.location, 'process 7000 rghzwwirg.exe');
    assert.deepEqual(ids(triage(buildCleanSnapshot())), []);
  });

  test('the same name in Program Files is not flagged', () => {
    assert.deepEqual(
      ids(triage(withProcess('', 'C:\\Program Files\\Vendor\\rghzwwirg.exe', 'rghzwwirg.exe'))),
      [],
    );
  });
});

describe('triage heuristics: autoruns pointing at loaders', () => {
  test('Run value launching rundll32 on a user-folder DLL → run-key-user-dir with the Run key as location', () => {
    const spec = buildCleanSnapshot();
    const data = `rundll32.exe "${LOCAL}\\Temp\\invoice.dll",#1`;
    const r = triage({
      ...spec,
      registry: [...spec.registry, { key: RUN_HKCU, name: 'upd', type: 'REG_SZ', data }],
    });
    assert.deepEqual(ids(r), ['triage.run-key-user-dir']);
    assert.equal(r.findings[0]!.evidence[0]!.location, `registry ${RUN_HKCU}\\upd`);
    assert.match(
      r.findings[0]!.evidence[0]!.note ?? '',
      /rundll32 loads a DLL from a temp folder through ordinal #1/,
    );
  });

  test('Run value with encoded PowerShell → run-key-user-dir; plain PowerShell → nothing', () => {
    const spec = buildCleanSnapshot();
    const add = (data: string) =>
      triage({
        ...spec,
        registry: [...spec.registry, { key: RUN_HKCU, name: 'x', type: 'REG_SZ', data }],
      });
    assert.deepEqual(ids(add('powershell.exe -w hidden -enc SQBFAFgAIAAoACkA')), [
      'triage.run-key-user-dir',
    ]);
    assert.deepEqual(ids(add('powershell.exe -File C:\\Scripts\\login.ps1')), []);
  });

  test('service from AppData → service-user-dir (T1543.003); a svchost service → nothing', () => {
    const spec = buildCleanSnapshot();
    const r = triage({
      ...spec,
      services: [
        ...spec.services,
        { name: 'WinUpd', binaryPath: `"${LOCAL}\\Updater\\updater.exe"` },
      ],
    });
    assert.deepEqual(ids(r), ['triage.service-user-dir']);
    assert.deepEqual(r.findings[0]!.attack, ['T1543.003']);
  });

  test('service with a ServiceDll in ProgramData → service-user-dir', () => {
    const spec = buildCleanSnapshot();
    const svc = {
      name: 'Netsvc2',
      binaryPath: `${SYS}\\svchost.exe -k netsvcs`,
      serviceDll: 'C:\\ProgramData\\x\\svc.dll',
    };
    assert.deepEqual(ids(triage({ ...spec, services: [...spec.services, svc] })), [
      'triage.service-user-dir',
    ]);
  });

  test('task running regsvr32 on a Roaming DLL → task-user-dir; the OneDrive updater task → nothing', () => {
    const spec = buildCleanSnapshot();
    const task = {
      name: '\\Kxqwe',
      command: 'regsvr32.exe',
      arguments: `/s "C:\\Users\\alice\\AppData\\Roaming\\Kxqwe\\a.ocx"`,
    };
    const r = triage({ ...spec, scheduledTasks: [...spec.scheduledTasks, task] });
    assert.deepEqual(ids(r), ['triage.task-user-dir']);
    assert.equal(r.findings[0]!.evidence[0]!.location, 'task \\Kxqwe');
  });
});

describe('triage heuristics: living-off-the-land and WMI', () => {
  test('WmiPrvSE → PowerShell still running → wmi-powershell-running (step 4) with the decoded command', () => {
    const r = triage(withWmiPowerShell(buildCleanSnapshot()));
    assert.deepEqual(ids(r), ['triage.wmi-powershell-running']);
    assert.equal(r.findings[0]!.step, '4');
    assert.deepEqual(
      r.powershell.map((p) => p.decoded),
      ["Write-Output 'emoguard test'"],
    );
    assert.match(
      r.findings[0]!.evidence[0]!.note ?? '',
      /parent 2044 WmiPrvSE.exe; decoded: Write-Output/,
    );
  });

  test('PowerShell under explorer, or under a "parent" started after it (PID reuse), is not flagged', () => {
    assert.deepEqual(ids(triage(buildCleanSnapshot())), []);
    const spec = withWmiPowerShell(buildCleanSnapshot());
    const reused = {
      ...spec,
      processes: spec.processes.map((p) =>
        p.pid === 2044 ? { ...p, createdAt: '2024-05-01T09:30:00Z' } : p,
      ),
    };
    assert.deepEqual(ids(triage(reused)), []);
  });

  test('rundll32 on a Temp DLL through Control_RunDLL → rundll32-user-dir; shell32 desk.cpl → nothing', () => {
    const r = triage(
      withProcess(
        `${SYS}\\rundll32.exe "${LOCAL}\\Temp\\x.qwx",Control_RunDLL`,
        `${SYS}\\rundll32.exe`,
        'rundll32.exe',
      ),
    );
    assert.deepEqual(ids(r), ['triage.rundll32-user-dir']);
    assert.match(
      r.findings[0]!.evidence[0]!.note ?? '',
      /through Control_RunDLL \(not a \.dll extension\)/,
    );
  });

  test('regsvr32 on a ProgramData DLL → regsvr32-user-dir (T1218.010)', () => {
    const r = triage(
      withProcess(
        `regsvr32.exe /s C:\\ProgramData\\Kqz\\kqz.dll`,
        `${SYS}\\regsvr32.exe`,
        'regsvr32.exe',
      ),
    );
    assert.deepEqual(ids(r), ['triage.regsvr32-user-dir']);
    assert.deepEqual(r.findings[0]!.attack, ['T1218.010']);
  });

  test('svchost.exe running from AppData → system-name-masquerade; from System32 → nothing', () => {
    assert.deepEqual(ids(triage(withProcess('', `${LOCAL}\\svchost.exe`, 'svchost.exe'))), [
      'triage.system-name-masquerade',
    ]);
    assert.deepEqual(ids(triage(withProcess('', `${SYS}\\svchost.exe`, 'svchost.exe'))), []);
  });
});

describe('triage paths and command lines', () => {
  test('CommandLineToArgvW rules: quotes, escaped quotes, backslashes before quotes', () => {
    assert.deepEqual(splitCommandLine('"C:\\a b\\x.exe" one "two three" fo\\"ur c:\\d\\\\"e f"'), [
      'C:\\a b\\x.exe',
      'one',
      'two three',
      'fo"ur',
      'c:\\d\\e f',
    ]);
  });

  test('programOf resolves unquoted paths with spaces as CreateProcess does', () => {
    assert.equal(
      programOf('C:\\Program Files\\App\\app.exe --flag'),
      'C:\\Program Files\\App\\app.exe',
    );
    assert.equal(programOf('"C:\\x\\y.exe" a'), 'C:\\x\\y.exe');
  });

  test('rundll32 and regsvr32 launches give their DLL and entry point', () => {
    assert.deepEqual(parseProxyLaunch('rundll32.exe "C:\\a b\\c.dll",Control_RunDLL'), {
      kind: 'rundll32',
      dll: 'C:\\a b\\c.dll',
      entry: 'Control_RunDLL',
    });
    assert.deepEqual(parseProxyLaunch('C:\\Windows\\SysWOW64\\regsvr32.exe /s /i C:\\x\\y.ocx'), {
      kind: 'regsvr32',
      dll: 'C:\\x\\y.ocx',
      entry: '',
    });
    assert.equal(parseProxyLaunch('notepad.exe a.txt'), undefined);
  });

  test('normalization: quotes, case, slashes, \\\\?\\ and environment variables', () => {
    assert.equal(
      normalizePath('"\\\\?\\C:/Users/Bob/AppData/Local/X"'),
      'c:\\users\\bob\\appdata\\local\\x',
    );
    assert.equal(normalizePath('%SystemRoot%\\System32\\x.dll'), 'c:\\windows\\system32\\x.dll');
    assert.equal(
      normalizePath('\\SystemRoot\\System32\\drivers\\x.sys'),
      'c:\\windows\\system32\\drivers\\x.sys',
    );
  });
});
