/**
 * NXLog flat JSON from OTRF Security-Datasets (../shared/data/evtx/*.zip, one JSON Lines file each) read
 * through rules/mappings/winlog-nxlog.yml into the evtx-rs layout. The 8,121-event Covenant set is left
 * to bench/evtx.bench.ts, to keep the suite fast.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import YAML from 'yaml';
import type { LogEvent } from '../../core/index.js';
import { repoRoot, sharedDataPath, sharedDataSkip } from '../../../test/support/fixtures.js';
import { compileWinlogMapping, readWinlogJson } from './index.js';

type Obj = Record<string, unknown>;

/** The single deflated member of an OTRF zip (local header at 0, sizes there: no data descriptor). */
function unzipSingle(path: string): Uint8Array {
  const zip = readFileSync(path);
  const size = zip.readUInt32LE(18);
  const start = 30 + zip.readUInt16LE(26) + zip.readUInt16LE(28);
  return new Uint8Array(inflateRawSync(zip.subarray(start, start + size)));
}

const mappings = {
  nxlog: compileWinlogMapping(
    YAML.parse(readFileSync(join(repoRoot(), 'rules/mappings/winlog-nxlog.yml'), 'utf8')),
    'winlog-nxlog.yml',
  ),
};

function events(name: string): { events: LogEvent[]; anomalies: unknown[] } {
  const bytes = unzipSingle(sharedDataPath('evtx', name));
  const out: LogEvent[] = [];
  const anomalies: unknown[] = [];
  for (const item of readWinlogJson(bytes, { path: name, mappings })) {
    if (item.type === 'event') out.push(item.event);
    else anomalies.push(item.anomaly);
  }
  return { events: out, anomalies };
}

const system = (e: LogEvent) => (e.data['Event'] as Obj)['System'] as Obj;
const data = (e: LogEvent) => ((e.data['Event'] as Obj)['EventData'] ?? {}) as Obj;

describe('winlog-json on OTRF Security-Datasets', () => {
  const wmi = 'empire_wmi_dcerpc_wmi_IWbemServices_ExecMethod.zip';
  test(
    'nxlog: Empire over WMI → 6,383 events; WmiPrvSE → powershell -enc as Sysmon 1 and 4688',
    { skip: sharedDataSkip('evtx', wmi) },
    () => {
      const { events: all, anomalies } = events(wmi);
      assert.deepEqual(anomalies, []);
      assert.equal(all.length, 6383);
      // Lower-case "security" channels come out as "Security".
      assert.equal(all.filter((e) => system(e)['Channel'] === 'security').length, 0);
      const spawned = all.filter(
        (e) =>
          /wmiprvse\.exe$/i.test(String(data(e)['ParentImage'] ?? data(e)['ParentProcessName'])) &&
          /-enc/.test(String(data(e)['CommandLine'])),
      );
      assert.deepEqual(
        spawned.map((e) => [system(e)['EventID'], system(e)['Channel']]),
        [
          [1, 'Microsoft-Windows-Sysmon/Operational'],
          [4688, 'Security'],
        ],
      );
      const sysmon = spawned[0] as LogEvent;
      assert.match(
        String(data(sysmon)['CommandLine']),
        /^C:\\Windows\\System32\\WindowsPowershell\\v1\.0\\powershell -noP -sta -w 1 -enc {2}SQBGA/,
      );
      assert.equal(sysmon.host, 'WORKSTATION6.theshire.local');
      assert.deepEqual(sysmon.source, { path: wmi, line: sysmon.source.line });
      assert.equal(system(sysmon)['EventRecordID'], 3215160);
      assert.equal(system(sysmon)['Keywords'], '0x8000000000000000');
      // NXLog's local EventTime shifted by the collector's offset (UTC-4 here) to UTC.
      assert.match(sysmon.time ?? '', /^2020-09-21T04:\d\d:\d\d\.000000Z$/);
      for (const key of [
        'EventReceivedTime',
        'SourceModuleType',
        'Message',
        '@timestamp',
        'Severity',
      ]) {
        assert.equal(key in data(sysmon), false, key);
      }
    },
  );

  const run = 'empire_persistence_registry_modification_run_keys_elevated_user.zip';
  test(
    "nxlog: Run-key persistence → Sysmon 13 Run\\Updater with Sysmon's own EventType",
    { skip: sharedDataSkip('evtx', run) },
    () => {
      const { events: all, anomalies } = events(run);
      assert.deepEqual(anomalies, []);
      assert.equal(all.length, 657);
      const updater = all.find(
        (e) =>
          system(e)['EventID'] === 13 && String(data(e)['TargetObject']).endsWith('\\Run\\Updater'),
      );
      assert.ok(updater);
      assert.equal(data(updater)['EventType'], 'SetValue');
      assert.match(String(data(updater)['Details']), /powershell\.exe" -c "\$x=/);
      // Classic PowerShell (no named Data in NXLog): the message is kept as the unnamed Data.
      const classic = all.find(
        (e) => system(e)['Channel'] === 'Windows PowerShell' && system(e)['EventID'] === 800,
      );
      assert.match(
        String((data(classic as LogEvent)['Data'] as Obj)['#text']),
        /HostApplication=.*powershell\.exe -noP -sta -w 1 -enc/,
      );
    },
  );
});
