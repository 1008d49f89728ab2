import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogEvent } from '../../core/index.js';
import { createChainEngine } from './index.js';

let record = 0;
const sysmon1 = (
  host: string,
  time: string,
  image: string,
  parent: string,
  guid: string,
  parentGuid: string,
  cmd = '',
): LogEvent => ({
  kind: 'windows',
  source: { path: 'x.evtx', recordId: ++record },
  host,
  time,
  data: {
    Event: {
      System: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1, Computer: host },
      EventData: {
        Image: image,
        ParentImage: parent,
        ProcessGuid: guid,
        ParentProcessGuid: parentGuid,
        CommandLine: cmd,
      },
    },
  },
});
const WORD = 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE';
const WMI = 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe';
const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const RUNDLL = 'C:\\Windows\\SysWOW64\\rundll32.exe';

const ids = (events: LogEvent[]) => {
  const engine = createChainEngine();
  return events.flatMap((e) => engine.match(e)).map((d) => d.rule.id);
};

test('chain: Word, then WmiPrvSE → PowerShell, then PowerShell → rundll32 on one host → the full chain', () => {
  assert.deepEqual(
    ids([
      sysmon1('PC1', '2026-11-20T01:00:00Z', WORD, 'C:\\Windows\\explorer.exe', '{W}', '{E}'),
      sysmon1('PC1', '2026-11-20T01:00:30Z', PS, WMI, '{P}', '{M}', 'powershell -enc JAB1AA=='),
      sysmon1(
        'PC1',
        '2026-11-20T01:00:40Z',
        RUNDLL,
        PS,
        '{R}',
        '{P}',
        'rundll32 C:\\Users\\t\\AppData\\Local\\Temp\\a.dll,Control_RunDLL',
      ),
    ]),
    ['office-wmi-shell', 'wmi-shell-payload', 'office-wmi-powershell-payload'],
  );
});

test('chain: no Office start on that host (or too long before) → only the WMI payload step', () => {
  const events = [
    sysmon1('PC2', '2026-11-20T01:00:00Z', WORD, 'C:\\Windows\\explorer.exe', '{W}', '{E}'),
    sysmon1('PC1', '2026-11-20T01:00:30Z', PS, WMI, '{P}', '{M}'),
    sysmon1(
      'PC1',
      '2026-11-20T01:00:40Z',
      RUNDLL,
      PS,
      '{R}',
      '{P}',
      'rundll32 C:\\ProgramData\\x.dll,#1',
    ),
  ];
  assert.deepEqual(ids(events), ['wmi-shell-payload']);
  const late = [
    sysmon1('PC1', '2026-11-20T01:00:00Z', WORD, 'C:\\Windows\\explorer.exe', '{W}', '{E}'),
    sysmon1('PC1', '2026-11-20T01:30:00Z', PS, WMI, '{P}', '{M}'),
  ];
  assert.deepEqual(ids(late), []);
});

test('chain: an ordinary PowerShell child (not started by WMI) is not a chain', () => {
  assert.deepEqual(
    ids([
      sysmon1('PC1', '2026-11-20T01:00:00Z', WORD, 'C:\\Windows\\explorer.exe', '{W}', '{E}'),
      sysmon1('PC1', '2026-11-20T01:00:30Z', PS, 'C:\\Windows\\explorer.exe', '{P}', '{E}'),
      sysmon1(
        'PC1',
        '2026-11-20T01:00:40Z',
        RUNDLL,
        PS,
        '{R}',
        '{P}',
        'rundll32 C:\\ProgramData\\x.dll,#1',
      ),
    ]),
    [],
  );
});
