/**
 * emoguard's endpoint Sigma rules for step ⑥ and post-infection (rules/sigma/): the correlations on each
 * side of their thresholds and timespans, the demo telemetry firing a rule that cites each sub-step's
 * technique, and the real benign/attack logs of ../shared/data/evtx raising no step ⑥/post detection
 * beyond the one that is right (smbmap's DLL pushed over SMB).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { Detection, LogEvent } from '../src/core/index.js';
import { bundledSigmaRulesDir, loadSigmaRuleFiles } from '../src/apps/cli/commands/rules.js';
import {
  c2Events,
  outlookAccessEvents,
  ransomNoteEvents,
  serviceEvents,
  smbSpreadEvents,
} from '../src/apps/demo/telemetry-infected.js';
import { winEvent, type WinEventSpec } from '../src/apps/demo/telemetry.js';
import { createSigmaEngine, type LoadedRuleSet } from '../src/engines/sigma/index.js';
import { evtxRecordToLogEvent, parseEvtx } from '../src/formats/evtx/index.js';
import { buildWinEvent, SYSMON } from './builders/winevent.js';
import { sharedDataPath, sharedDataSkip } from './support/fixtures.js';

let loaded: LoadedRuleSet | undefined;
function rules(): LoadedRuleSet {
  loaded ??= loadSigmaRuleFiles([bundledSigmaRulesDir()]);
  assert.equal(loaded.errors.length, 0, loaded.errors.map((e) => e.render()).join('\n'));
  return loaded;
}

function hunt(events: readonly LogEvent[]): Detection[] {
  const engine = createSigmaEngine(rules());
  return [...events.flatMap((e) => engine.match(e)), ...(engine.finish?.() ?? [])];
}

const titles = (ds: readonly Detection[]) => ds.map((d) => d.rule.title);
const T0 = Date.parse('2026-11-20T01:00:00Z');

function sysmon(eventId: number, seconds: number, data: Record<string, unknown>): LogEvent {
  const time = new Date(T0 + seconds * 1000).toISOString();
  return {
    kind: 'windows',
    source: { path: 'test.jsonl' },
    host: 'PC1.example.com',
    time,
    data: buildWinEvent({ channel: SYSMON, eventId, time, computer: 'PC1.example.com', data }),
  };
}

const SMB_SCAN = 'One Process Reaches SMB on Five or More Hosts Within Five Minutes (emoguard)';
const RANSOM = 'Ransom Notes Written Into Five or More Places Within Ten Minutes (emoguard)';

function smb(hosts: number, gapSeconds: number, image = 'C:\\Windows\\SysWOW64\\rundll32.exe') {
  return Array.from({ length: hosts }, (_, i) =>
    sysmon(3, i * gapSeconds, {
      Image: image,
      Protocol: 'tcp',
      Initiated: true,
      SourceIp: '10.20.30.41',
      DestinationIp: `10.20.30.${50 + i}`,
      DestinationPort: 445,
    }),
  );
}

describe('SMB spread correlation (value_count of DestinationIp ≥ 5 in 5m per host and image)', () => {
  test('five distinct hosts within five minutes → one high step-6 detection citing T1021.002', () => {
    const hits = hunt(smb(5, 10)).filter((d) => d.rule.title === SMB_SCAN);
    assert.equal(hits.length, 1, titles(hits).join('; '));
    assert.equal(hits[0]!.step, '6');
    assert.equal(hits[0]!.rule.level, 'high');
    assert.ok(hits[0]!.attack.includes('T1021.002'), hits[0]!.attack.join(','));
  });
  test('four hosts → nothing; the base rule alone does not report (generate off)', () => {
    assert.deepEqual(titles(hunt(smb(4, 10))), []);
  });
  test('five hosts spread over more than five minutes → nothing', () => {
    assert.deepEqual(titles(hunt(smb(5, 80))), []);
  });
  test("Windows' own SMB client (Image System) to five hosts → nothing", () => {
    assert.deepEqual(titles(hunt(smb(6, 10, 'System'))), []);
  });
  test('the same host five times → nothing (distinct addresses are counted)', () => {
    const same = smb(5, 10).map((e) => {
      const data = structuredClone(e.data) as { Event: { EventData: Record<string, unknown> } };
      data.Event.EventData.DestinationIp = '10.20.30.50';
      return { ...e, data };
    });
    assert.deepEqual(titles(hunt(same)), []);
  });
});

function notes(count: number, gapSeconds: number, name = 'HOW_TO_DECRYPT.txt') {
  return Array.from({ length: count }, (_, i) =>
    sysmon(11, i * gapSeconds, {
      Image: 'C:\\Users\\t\\AppData\\Local\\Temp\\x.exe',
      TargetFilename: `C:\\Users\\t\\Folder${i}\\${name}`,
    }),
  );
}

describe('ransom-note correlation (value_count of TargetFilename ≥ 5 in 10m per host and image)', () => {
  test('five notes in five folders within ten minutes → one critical post-infection T1486 detection', () => {
    const hits = hunt(notes(5, 30));
    assert.deepEqual(titles(hits), [RANSOM]);
    assert.equal(hits[0]!.step, 'post');
    assert.equal(hits[0]!.rule.level, 'critical');
    assert.deepEqual(hits[0]!.attack, ['T1486']);
  });
  test('four notes → nothing', () => {
    assert.deepEqual(titles(hunt(notes(4, 30))), []);
  });
  test('five notes over more than ten minutes → nothing', () => {
    assert.deepEqual(titles(hunt(notes(5, 160))), []);
  });
  test('plain README.txt files in many folders (a software install) → nothing', () => {
    assert.deepEqual(titles(hunt(notes(20, 1, 'README.txt'))), []);
  });
});

function demoEvents(specs: readonly WinEventSpec[]): LogEvent[] {
  return specs.map((spec, i) => {
    const data = winEvent(spec, 1 + i);
    const system = (
      data.Event as { System: { TimeCreated: { '#attributes': { SystemTime: string } } } }
    ).System;
    return {
      kind: 'windows' as const,
      source: { path: 'demo.jsonl', recordId: 1 + i },
      host: 'PC-SALES-01.victim.example.co.jp',
      time: system.TimeCreated['#attributes'].SystemTime,
      data,
    };
  });
}

describe('the demo telemetry of each step-6/post sub-step fires a rule citing its technique', () => {
  const targets = ['10.20.30.42', '10.20.30.43', '10.20.30.44', '10.20.30.45', '10.20.30.46'];
  const cases: [string, WinEventSpec[], string, string][] = [
    ['service', serviceEvents('C:\\Users\\t\\AppData\\Local\\Q\\b.dll'), 'T1543.003', '6'],
    ['Outlook theft', outlookAccessEvents(), 'T1114.001', '6'],
    ['SMB spread', smbSpreadEvents(targets), 'T1021.002', '6'],
    ['C2', c2Events([{ ip: '198.51.100.23', port: 8080 }]), 'T1071.001', '6'],
    ['ransom note', ransomNoteEvents('README_RESTORE_FILES.txt'), 'T1486', 'post'],
  ];
  for (const [what, specs, technique, step] of cases) {
    test(`${what} → ${technique} at step ${step}`, () => {
      const hits = hunt(demoEvents(specs)).filter((d) => d.attack.includes(technique));
      assert.ok(hits.length > 0, `no detection cites ${technique}`);
      for (const d of hits) assert.equal(d.step, step, d.rule.title);
    });
  }
});

/** Rules of this pack that report step ⑥ or post-infection. */
const STEP6_OR_POST = new Set(['6', 'post']);
const EVTX = [
  'sysmon_dirty_header.evtx',
  'ID1-WMI_spawning_PowerShell_WMImplant.evtx',
  'ID4688_5140_5145-WMIexec_via_SMB_GLOBAL.evtx',
  'smbmap_upload_exec_sysmon.evtx',
  'LM_wmiexec_impacket_sysmon_whoami.evtx',
  'sideloading_uacbypass_rundll32_injection_c2.evtx',
  'de_sysmon_13_VBA_Security_AccessVBOM.evtx',
  'evasion_persis_hidden_run_keyvalue_sysmon_13.evtx',
];

describe('real logs (../shared/data/evtx)', { skip: sharedDataSkip('evtx', EVTX[0]!) }, () => {
  test('no step-6/post detection except smbmap pushing 7okjer.dll into C$\\ProgramData', () => {
    const events = EVTX.flatMap((file) =>
      parseEvtx(new Uint8Array(readFileSync(sharedDataPath('evtx', file)))).records.map((r) =>
        evtxRecordToLogEvent(r, file),
      ),
    );
    const hits = hunt(events).filter((d) => STEP6_OR_POST.has(d.step));
    const seen = hits.map((d) => {
      const data = (d.event as { Event?: { EventData?: Record<string, unknown> } })?.Event
        ?.EventData;
      return `${d.rule.title} | ${String(data?.TargetFilename ?? '')}`;
    });
    assert.deepEqual(seen, [
      'Executable Created by the Kernel SMB Server (Sysmon 11, emoguard) | C:\\ProgramData\\7okjer.dll',
    ]);
  });
});
