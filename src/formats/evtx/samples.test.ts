/**
 * The parser on the real logs of ../shared/data/evtx (origins in its README). Values below were read
 * with libevtx's evtxexport too (scripts/evtx-crosscheck.ts: 8,263 fields, no difference).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { sharedDataPath, sharedDataSkip } from '../../../test/support/fixtures.js';
import { evtxRecordToLogEvent, parseEvtx } from './index.js';

type Obj = Record<string, unknown>;
const load = (name: string) =>
  parseEvtx(new Uint8Array(readFileSync(sharedDataPath('evtx', name))));
const eventOf = (event: Obj) => event['Event'] as Obj;
const dataOf = (event: Obj) => eventOf(event)['EventData'] as Obj;
const systemOf = (event: Obj) => eventOf(event)['System'] as Obj;

const CLEAN: [string, number][] = [
  ['ID1-WMI_spawning_PowerShell_WMImplant.evtx', 1],
  ['ID4688_5140_5145-WMIexec_via_SMB_GLOBAL.evtx', 97],
  ['LM_wmiexec_impacket_sysmon_whoami.evtx', 7],
  ['de_sysmon_13_VBA_Security_AccessVBOM.evtx', 1],
  ['evasion_persis_hidden_run_keyvalue_sysmon_13.evtx', 1],
  ['sideloading_uacbypass_rundll32_injection_c2.evtx', 18],
  ['smbmap_upload_exec_sysmon.evtx', 27],
];

describe('evtx samples', () => {
  for (const [name, count] of CLEAN) {
    test(
      `evtx: ${name} → ${count} records, no anomaly`,
      { skip: sharedDataSkip('evtx', name) },
      () => {
        const parsed = load(name);
        assert.deepEqual(parsed.anomalies, []);
        assert.equal(parsed.records.length, count);
      },
    );
  }

  const dirty = 'sysmon_dirty_header.evtx';
  test(
    'evtx: dirty header claims 1 chunk → all 358 records of 9 chunks, the lie reported',
    { skip: sharedDataSkip('evtx', dirty) },
    () => {
      const parsed = load(dirty);
      assert.equal(parsed.header.chunkCount, 1);
      assert.equal(parsed.records.length, 358);
      assert.deepEqual(
        new Set(parsed.records.map((r) => r.chunk)),
        new Set([0, 1, 2, 3, 4, 5, 6, 7, 8]),
      );
      assert.equal(parsed.anomalies[0]?.code, 'E_EVTX_HEADER_CHUNK_COUNT');
      // Chunks 9–16 hold leftover bytes without a chunk signature: reported, skipped.
      assert.deepEqual(
        parsed.anomalies.slice(1).map((a) => a.code),
        Array(8).fill('E_EVTX_BAD_CHUNK'),
      );
      const ids = parsed.records.map((r) => r.recordId);
      assert.deepEqual([ids[0], ids[ids.length - 1]], [1742, 2099]);
    },
  );

  const wmi = 'ID1-WMI_spawning_PowerShell_WMImplant.evtx';
  test(
    'evtx: Sysmon 1 WmiPrvSE → powershell in the evtx-rs layout, hex unpadded',
    { skip: sharedDataSkip('evtx', wmi) },
    () => {
      const [record] = load(wmi).records;
      const event = record?.event as Obj;
      assert.deepEqual(eventOf(event)['#attributes'], {
        xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event',
      });
      const system = systemOf(event);
      assert.deepEqual(system['Provider'], {
        '#attributes': {
          Name: 'Microsoft-Windows-Sysmon',
          Guid: '5770385F-C22A-43E0-BF4C-06F5698FFBD9',
        },
      });
      assert.equal(system['EventID'], 1);
      assert.equal(system['Keywords'], '0x8000000000000000');
      assert.deepEqual(system['TimeCreated'], {
        '#attributes': { SystemTime: '2021-11-08T15:01:27.604646Z' },
      });
      assert.equal(system['EventRecordID'], 44867);
      assert.equal(system['Correlation'], null);
      assert.deepEqual(system['Execution'], { '#attributes': { ProcessID: 1068, ThreadID: 1628 } });
      assert.equal(system['Computer'], 'fs03vuln.offsec.lan');
      const data = dataOf(event);
      assert.equal(data['Image'], 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
      assert.equal(
        data['CommandLine'],
        "powershell $env:I4Pzl|.(Get-C`ommand ('{1}e{0}'-f'x','i'))",
      );
      assert.equal(data['ParentImage'], 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe');
      assert.equal(
        data['ParentCommandLine'],
        'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding',
      );
      assert.equal(data['LogonId'], '0x35d1aad');
      assert.equal(data['ProcessId'], 1860);
      assert.equal(data['ProcessGuid'], 'A57649D1-3BC7-6189-091B-5D0300000000');
    },
  );

  const security = 'ID4688_5140_5145-WMIexec_via_SMB_GLOBAL.evtx';
  test(
    'evtx: Security 4688 cmd from WmiPrvSE to ADMIN$, 1102 in UserData',
    { skip: sharedDataSkip('evtx', security) },
    () => {
      const records = load(security).records;
      const created = records.filter((r) => systemOf(r.event)['EventID'] === 4688);
      assert.equal(created.length, 6);
      const data = dataOf(created[0]?.event as Obj);
      assert.equal(
        data['CommandLine'],
        'cmd.exe /Q /c cd \\ 1> \\\\127.0.0.1\\ADMIN$\\__1619425227.894209 2>&1',
      );
      assert.equal(data['ParentProcessName'], 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe');
      assert.equal(data['SubjectLogonId'], '0x3e4');
      assert.equal(data['NewProcessId'], '0xd44');
      const cleared = records.find((r) => systemOf(r.event)['EventID'] === 1102);
      assert.deepEqual(eventOf(cleared?.event as Obj)['UserData'], {
        LogFileCleared: {
          '#attributes': { xmlns: 'http://manifests.microsoft.com/win/2004/08/windows/eventlog' },
          SubjectUserSid: 'S-1-5-21-4230534742-2542757381-3142984815-1111',
          SubjectUserName: 'admmig',
          SubjectDomainName: 'OFFSEC',
          SubjectLogonId: '0x2b5f6bf',
        },
      });
      // The record header numbers records 1–97 in this exported file; Event Viewer shows System/EventRecordID.
      const log = evtxRecordToLogEvent(created[0]!, 'x.evtx');
      assert.deepEqual(log.source, { path: 'x.evtx', recordId: 463010 });
      assert.equal(log.host, 'srvdefender01.offsec.lan');
      assert.equal(log.time, '2021-04-26T08:25:37.258117Z');
    },
  );

  const hidden = 'evasion_persis_hidden_run_keyvalue_sysmon_13.evtx';
  test(
    'evtx: Sysmon 13 hidden Run value: TargetObject kept exactly as written',
    { skip: sharedDataSkip('evtx', hidden) },
    () => {
      const data = dataOf(load(hidden).records[0]?.event as Obj);
      // Sysmon itself stopped at the NUL that starts the value name: the key path ends with "Run\".
      assert.equal(
        data['TargetObject'],
        'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\',
      );
      assert.equal(data['Details'], '"c:\\windows\\tasks\\taskhost.exe"');
      assert.equal(data['EventType'], 'SetValue');
    },
  );

  const vbom = 'de_sysmon_13_VBA_Security_AccessVBOM.evtx';
  test('evtx: Sysmon 13 AccessVBOM set by wmiprvse', { skip: sharedDataSkip('evtx', vbom) }, () => {
    const data = dataOf(load(vbom).records[0]?.event as Obj);
    assert.match(String(data['TargetObject']), /\\Excel\\Security\\AccessVBOM$/);
    assert.equal(data['Details'], 'DWORD (0x00000001)');
    assert.equal(data['Image'], 'C:\\Windows\\system32\\wbem\\wmiprvse.exe');
  });
});
