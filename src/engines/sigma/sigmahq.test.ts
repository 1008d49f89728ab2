/**
 * The SigmaHQ rule set and real Windows logs from ../shared/data (see its README for origins and for
 * which rules each log should fire). Skips with a stated reason when the shared data is absent.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Detection, LogEvent } from '../../core/index.js';
import { evtxRecordToLogEvent, parseEvtx } from '../../formats/evtx/index.js';
import { sharedDataPath, sharedDataSkip } from '../../../test/support/fixtures.js';
import { readOtrfZip } from '../../../test/support/otrf.js';
import { loadRuleTexts } from '../../../test/support/sigma.js';
import { createSigmaEngine, type SigmaEngine } from './engine.js';
import type { LoadedRuleSet } from './loader.js';

const RULE_DIRS = ['rules/windows', 'rules-emerging-threats', 'rules-threat-hunting/windows'];

/** Refusals that are expected, by code, with why. Anything else is a failure of this engine. */
const EXPECTED_REFUSALS: Readonly<Record<string, string>> = {
  E_SIGMA_UNSUPPORTED_LOGSOURCE:
    'not Windows event logs (web, proxy, linux, macOS …) or no event log source (file_access, file_rename)',
  E_SIGMA_UNSAFE_REGEX:
    'regex with nested unbounded quantifiers ((?:.*\\)){1,}): catastrophic backtracking',
  E_SIGMA_UNRESOLVED_PLACEHOLDER: '`expand` placeholder without configured values (%known_cdcs%)',
};

const skip = sharedDataSkip('sigma-rules');
let set: LoadedRuleSet;

function ruleFiles(): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const dir of RULE_DIRS) {
    const root = sharedDataPath('sigma-rules', dir);
    for (const f of readdirSync(root, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.yml'))
      .sort()) {
      out.push({ path: `${dir}/${f}`, text: readFileSync(join(root, f), 'utf8') });
    }
  }
  return out;
}

function titles(detections: readonly Detection[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of detections) out.set(d.rule.title, (out.get(d.rule.title) ?? 0) + 1);
  return out;
}

describe('SigmaHQ rules (../shared/data/sigma-rules)', { skip }, () => {
  before(() => {
    set = loadRuleTexts(ruleFiles());
  });

  test('every rule loads or is refused for an expected reason; refusals listed by reason', (t) => {
    const byCode = new Map<string, string[]>();
    for (const e of set.errors)
      byCode.set(e.code, [...(byCode.get(e.code) ?? []), `${e.span?.file}: ${e.message}`]);
    t.diagnostic(
      `files ${set.files}, documents ${set.documents}, loaded ${set.rules.length}, refused ${set.errors.length}`,
    );
    for (const [code, list] of byCode)
      t.diagnostic(`refused ${code} (${EXPECTED_REFUSALS[code] ?? 'UNEXPECTED'}): ${list.length}`);
    const unexpected = set.errors.filter((e) => !(e.code in EXPECTED_REFUSALS));
    assert.deepEqual(
      unexpected.map((e) => e.render()),
      [],
    );
    assert.equal(set.rules.length + set.errors.length, set.documents);
    assert.ok(set.rules.length >= 2800, `only ${set.rules.length} rules loaded`);
  });

  test('every Windows logsource of the set maps to a channel (only non-Windows sources are refused)', () => {
    const logsource = set.errors.filter((e) => e.code === 'E_SIGMA_UNSUPPORTED_LOGSOURCE');
    for (const e of logsource)
      assert.match(
        e.message,
        /product '(?!windows)|category '(webserver|proxy|dns|firewall|antivirus|file_access|file_rename)'/,
        e.render(),
      );
  });
});

describe(
  'SigmaHQ rules on OTRF Security-Datasets (NXLog JSON → evtx-rs layout)',
  { skip: skip || sharedDataSkip('evtx') },
  () => {
    let engine: SigmaEngine;
    const found = new Map<string, { events: LogEvent[]; detections: Detection[] }>();

    before(async () => {
      set ??= loadRuleTexts(ruleFiles());
      engine = createSigmaEngine(set);
      for (const zip of [
        'empire_wmi_dcerpc_wmi_IWbemServices_ExecMethod.zip',
        'empire_persistence_registry_modification_run_keys_elevated_user.zip',
        'covenant_dcom_executeexcel4macro_allowed.zip',
      ]) {
        const events = await readOtrfZip(sharedDataPath('evtx', zip));
        found.set(zip, { events, detections: events.flatMap((e) => engine.match(e)) });
      }
    });

    test('WMI → PowerShell -enc (Empire): the README’s rules fire, on Sysmon 1 and on Security 4688', () => {
      const { detections } = found.get('empire_wmi_dcerpc_wmi_IWbemServices_ExecMethod.zip')!;
      const seen = titles(detections);
      for (const title of [
        'Potential WMI Lateral Movement WmiPrvSE Spawned PowerShell',
        'Suspicious Execution of Powershell with Base64',
        'HackTool - Empire PowerShell Launch Parameters',
        'WmiPrvSE Spawned A Process',
      ])
        assert.ok(seen.has(title), title);
      const channels = detections
        .filter(
          (d) => d.rule.title === 'Potential WMI Lateral Movement WmiPrvSE Spawned PowerShell',
        )
        .map((d) =>
          (
            d.event as { Event: { System: { Channel: string } } }
          ).Event.System.Channel.toLowerCase(),
        )
        .sort();
      assert.deepEqual(channels, ['microsoft-windows-sysmon/operational', 'security']);
    });

    test('Run-key persistence (Empire): CurrentVersion Autorun Keys and PowerShell in Run keys', () => {
      const seen = titles(
        found.get('empire_persistence_registry_modification_run_keys_elevated_user.zip')!
          .detections,
      );
      assert.ok(seen.has('CurrentVersion Autorun Keys Modification'));
      assert.ok(seen.has('Suspicious PowerShell In Registry Run Keys'));
    });

    test('Excel 4.0 macro over DCOM (Covenant): Office network connection to a non-local IP', () => {
      assert.ok(
        titles(found.get('covenant_dcom_executeexcel4macro_allowed.zip')!.detections).has(
          'Office Application Initiated Network Connection To Non-Local IP',
        ),
      );
    });

    test('rules fire only on their logsource’s channel and EventIDs', () => {
      const allowed: Record<string, [string, number[]][]> = {
        process_creation: [
          ['microsoft-windows-sysmon/operational', [1]],
          ['security', [4688]],
        ],
        network_connection: [['microsoft-windows-sysmon/operational', [3]]],
        registry_set: [['microsoft-windows-sysmon/operational', [13]]],
        registry_event: [['microsoft-windows-sysmon/operational', [12, 13, 14]]],
        ps_module: [['microsoft-windows-powershell/operational', [4103]]],
        ps_script: [['microsoft-windows-powershell/operational', [4104]]],
        image_load: [['microsoft-windows-sysmon/operational', [7]]],
        process_access: [['microsoft-windows-sysmon/operational', [10]]],
        file_event: [['microsoft-windows-sysmon/operational', [11]]],
      };
      const byId = new Map(set.rules.map((r) => [r.id, r]));
      let checked = 0;
      for (const { detections } of found.values()) {
        for (const d of detections) {
          const category = byId.get(d.rule.id)?.logsource.category;
          const sources = category ? allowed[category] : undefined;
          if (!sources) continue;
          const system = (d.event as { Event: { System: { Channel: string; EventID: number } } })
            .Event.System;
          assert.ok(
            sources.some(
              ([c, ids]) => c === system.Channel.toLowerCase() && ids.includes(system.EventID),
            ),
            `${d.rule.title} on ${system.Channel}/${system.EventID}`,
          );
          checked++;
        }
      }
      assert.ok(checked > 100);
    });

    test('the prefilter changes nothing: same detections with it off (2,000 events)', () => {
      const events = found
        .get('covenant_dcom_executeexcel4macro_allowed.zip')!
        .events.slice(0, 2000);
      const off = createSigmaEngine(set, { noPrefilter: true });
      const on = createSigmaEngine(set);
      const ids = (e: SigmaEngine) =>
        events.flatMap((ev, i) => e.match(ev).map((d) => `${i}:${d.rule.id}`));
      assert.deepEqual(ids(on), ids(off));
    });
  },
);

describe(
  'SigmaHQ rules on the EVTX samples (read by formats/evtx)',
  { skip: skip || sharedDataSkip('evtx') },
  () => {
    const EXPECTED: Record<string, string[]> = {
      'ID1-WMI_spawning_PowerShell_WMImplant.evtx': [
        'WmiPrvSE Spawned A Process',
        'Potential WMI Lateral Movement WmiPrvSE Spawned PowerShell',
      ],
      'ID4688_5140_5145-WMIexec_via_SMB_GLOBAL.evtx': [
        'HackTool - Potential Impacket Lateral Movement Activity',
        'Suspicious Redirection to Local Admin Share',
        'Security Eventlog Cleared',
      ],
      'smbmap_upload_exec_sysmon.evtx': [
        'WmiPrvSE Spawned A Process',
        'HackTool - Potential Impacket Lateral Movement Activity',
        'Suspicious WmiPrvSE Child Process',
      ],
      'LM_wmiexec_impacket_sysmon_whoami.evtx': [
        'WmiPrvSE Spawned A Process',
        'HackTool - Potential Impacket Lateral Movement Activity',
        'Suspicious Redirection to Local Admin Share',
      ],
      'sideloading_uacbypass_rundll32_injection_c2.evtx': [
        'Suspicious Microsoft Office Child Process',
        'Rundll32 Execution With Uncommon DLL Extension',
        'Suspicious Binary In User Directory Spawned From Office Application',
      ],
      'de_sysmon_13_VBA_Security_AccessVBOM.evtx': ['Trust Access Disable For VBApplications'],
      'evasion_persis_hidden_run_keyvalue_sysmon_13.evtx': [
        'CurrentVersion Autorun Keys Modification',
      ],
    };
    let engine: SigmaEngine;
    before(() => {
      set ??= loadRuleTexts(ruleFiles());
      engine = createSigmaEngine(set);
    });
    for (const [file, expected] of Object.entries(EXPECTED)) {
      test(`${file}: ${expected.join('; ')}`, () => {
        const evtx = parseEvtx(new Uint8Array(readFileSync(sharedDataPath('evtx', file))));
        const seen = titles(
          evtx.records.flatMap((r) => engine.match(evtxRecordToLogEvent(r, file))),
        );
        for (const title of expected)
          assert.ok(seen.has(title), `${title} (fired: ${[...seen.keys()].join('; ')})`);
      });
    }
  },
);
