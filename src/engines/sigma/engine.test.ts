import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildLogEvent, SECURITY, SYSMON, sysmonProcess } from '../../../test/builders/winevent.js';
import {
  engineFor,
  loadRuleTexts,
  processRule,
  randomProcessRules,
} from '../../../test/support/sigma.js';
import { MAX_DEPTH } from './document.js';
import { createSigmaEngine, MAX_BUCKET_CACHE } from './engine.js';

const CMD_RULE = processRule(
  "  selection:\n    Image|endswith: '\\cmd.exe'\n  condition: selection",
);

const security4688 = (data: Record<string, string>) =>
  buildLogEvent({
    channel: SECURITY,
    eventId: 4688,
    data: {
      SubjectUserSid: 'S-1-5-18',
      SubjectUserName: 'WS01$',
      SubjectDomainName: 'EXAMPLE',
      SubjectLogonId: '0x3e7',
      NewProcessId: '0x1a4',
      NewProcessName: 'C:\\Windows\\System32\\cmd.exe',
      TokenElevationType: '%%1936',
      ProcessId: '0x2f0',
      CommandLine: 'cmd.exe /c whoami',
      ParentProcessName: 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
      MandatoryLabel: 'S-1-16-12288',
      ...data,
    },
  });

describe('logsource is enforced (no matching by field values alone)', () => {
  const engine = engineFor([CMD_RULE]);

  test('a process_creation rule fires on Sysmon 1 and on Security 4688', () => {
    assert.equal(engine.match(sysmonProcess({})).length, 1);
    assert.equal(engine.match(security4688({})).length, 1);
  });

  test('it does not fire on other events that carry an Image field (Sysmon 3, 7, 10, 4689)', () => {
    for (const eventId of [3, 7, 10, 11]) {
      assert.equal(
        engine.match(
          buildLogEvent({
            channel: SYSMON,
            eventId,
            data: { Image: 'C:\\Windows\\System32\\cmd.exe' },
          }),
        ).length,
        0,
        `Sysmon ${eventId}`,
      );
    }
    assert.equal(
      engine.match(
        buildLogEvent({
          channel: SECURITY,
          eventId: 4689,
          data: {
            ProcessName: 'C:\\Windows\\System32\\cmd.exe',
            Image: 'C:\\Windows\\System32\\cmd.exe',
          },
        }),
      ).length,
      0,
    );
    assert.equal(
      engine.match(
        buildLogEvent({
          channel: 'Application',
          eventId: 1,
          data: { Image: 'C:\\Windows\\System32\\cmd.exe' },
        }),
      ).length,
      0,
    );
  });

  test('channels compare case-insensitively (OTRF lower-cases them)', () => {
    assert.equal(engine.match(sysmonProcess({}, { channel: SYSMON.toLowerCase() })).length, 1);
    assert.equal(
      engine.match(
        buildLogEvent({
          ...{ channel: 'security', eventId: 4688 },
          data: { NewProcessName: 'C:\\x\\cmd.exe' },
        }),
      ).length,
      1,
    );
  });

  test('network events are not this engine’s kind', () => {
    assert.deepEqual(
      engine.match({ kind: 'network', source: { path: 'x' }, data: { Image: 'cmd.exe' } }),
      [],
    );
  });
});

describe('Security 4688 field mapping onto process_creation', () => {
  test('Image/ParentImage/User read NewProcessName/ParentProcessName/SubjectUserName', () => {
    const engine = engineFor([
      processRule(
        "  selection:\n    ParentImage|endswith: '\\WmiPrvSE.exe'\n    Image|endswith: '\\cmd.exe'\n    User|contains: 'WS01'\n  condition: selection",
      ),
    ]);
    assert.equal(engine.match(security4688({})).length, 1);
    assert.equal(
      engine.match(security4688({ ParentProcessName: 'C:\\Windows\\explorer.exe' })).length,
      0,
    );
  });

  test('a filter on a field 4688 lacks is UNKNOWN: "selection and not filter" does not fire on 4688', () => {
    const engine = engineFor([
      processRule(
        "  selection:\n    Image|endswith: '\\cmd.exe'\n  filter:\n    OriginalFileName: 'Cmd.Exe'\n  condition: selection and not filter",
      ),
    ]);
    assert.equal(
      engine.match(security4688({})).length,
      0,
      'cannot tell whether the filter applies',
    );
    assert.equal(engine.match(sysmonProcess({ OriginalFileName: 'renamed.exe' })).length, 1);
    assert.equal(engine.match(sysmonProcess({})).length, 0);
  });

  test('an OR with a lacking field still fires on the field that is there', () => {
    const engine = engineFor([
      processRule(
        "  selection:\n    - Image|endswith: '\\cmd.exe'\n    - OriginalFileName: 'Cmd.Exe'\n  condition: selection",
      ),
    ]);
    assert.equal(engine.match(security4688({})).length, 1);
  });

  test('IntegrityLevel values map from MandatoryLabel SIDs', () => {
    const engine = engineFor([
      processRule('  selection:\n    IntegrityLevel: High\n  condition: selection'),
    ]);
    assert.equal(engine.match(security4688({ MandatoryLabel: 'S-1-16-12288' })).length, 1);
    assert.equal(engine.match(security4688({ MandatoryLabel: 'S-1-16-8192' })).length, 0);
    assert.equal(engine.match(sysmonProcess({ IntegrityLevel: 'High' })).length, 1);
  });
});

describe('detections', () => {
  test('rule id/title/level/path, source, host, time, step and ATT&CK ids from tags', () => {
    const rule = `title: Whoami Execution\nid: 11111111-2222-4333-8444-555555555555\nlevel: informational\ntags:\n  - attack.discovery\n  - attack.t1033\nlogsource: {product: windows, category: process_creation}\ndetection:\n  selection:\n    Image|endswith: '\\whoami.exe'\n  condition: selection`;
    const engine = engineFor([{ path: 'rules/whoami.yml', text: rule }]);
    const event = sysmonProcess(
      { Image: 'C:\\Windows\\System32\\whoami.exe' },
      { computer: 'WS09.example.com', time: '2024-05-02T03:04:05.000000Z', recordId: 12 },
    );
    const [d] = engine.match(event);
    assert.deepEqual(d, {
      rule: {
        id: '11111111-2222-4333-8444-555555555555',
        title: 'Whoami Execution',
        level: 'info',
        path: 'rules/whoami.yml',
      },
      source: { path: 'test.evtx', recordId: 12 },
      host: 'WS09.example.com',
      time: '2024-05-02T03:04:05.000000Z',
      step: '6',
      attack: ['T1033'],
      event: event.data,
    });
  });

  test('WMI spawning PowerShell (attack.t1047, attack.t1059.001) is step 4', () => {
    const engine = engineFor([
      processRule(
        "  selection:\n    ParentImage|endswith: '\\WmiPrvSE.exe'\n  condition: selection",
      ),
    ]);
    const [d] = engine.match(
      sysmonProcess({ ParentImage: 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe' }),
    );
    assert.equal(d?.step, '4');
    assert.deepEqual(d?.attack, ['T1059.001']);
  });

  test('registry_set runs on Sysmon 13 SetValue only (mapping where-condition)', () => {
    const engine = engineFor([
      "title: run key\nlogsource: {product: windows, category: registry_set}\ndetection:\n  selection:\n    TargetObject|contains: '\\CurrentVersion\\Run\\'\n  condition: selection",
    ]);
    const reg = (eventId: number, EventType: string) =>
      buildLogEvent({
        channel: SYSMON,
        eventId,
        data: {
          EventType,
          TargetObject: 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater',
          Details: 'x',
        },
      });
    assert.equal(engine.match(reg(13, 'SetValue')).length, 1);
    assert.equal(engine.match(reg(12, 'CreateKey')).length, 0);
    assert.equal(engine.match(reg(13, 'DeleteValue')).length, 0);
  });
});

describe('index and prefilter', () => {
  test('rules are indexed by the EventIDs of their detection: a 4624 rule is not evaluated on 4625', () => {
    const engine = engineFor([
      'title: logon\nlogsource: {product: windows, service: security}\ndetection:\n  selection:\n    EventID: 4624\n    LogonType: 10\n  condition: selection',
    ]);
    engine.match(buildLogEvent({ channel: SECURITY, eventId: 4625, data: { LogonType: '10' } }));
    assert.equal(engine.stats.evaluations, 0);
    assert.equal(
      engine.match(buildLogEvent({ channel: SECURITY, eventId: 4624, data: { LogonType: '10' } }))
        .length,
      1,
    );
  });

  test('a rule whose literals are absent from the event is not evaluated', () => {
    const engine = engineFor([
      processRule("  selection:\n    CommandLine|contains: 'mimikatz'\n  condition: selection"),
    ]);
    engine.match(sysmonProcess({ CommandLine: 'notepad.exe' }));
    assert.equal(engine.stats.evaluations, 0);
    assert.equal(engine.match(sysmonProcess({ CommandLine: 'MIMIKATZ.exe' })).length, 1);
    assert.equal(engine.stats.evaluations, 1);
  });

  test('prefilter on or off, the same detections (randomised rules and events)', () => {
    let seed = 11;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const words = [
      'powershell',
      'Invoke-Expression',
      'DownloadString',
      'rundll32',
      'C:\\Users\\Public\\',
      '.dll,#1',
      '-enc',
      'WmiPrvSE',
      'winword',
      'AppData\\Local\\Temp',
    ];
    const modifiers = [
      '|contains',
      '|startswith',
      '|endswith',
      '',
      '|contains|all',
      '|re',
      '|contains|windash',
    ];
    const rules = randomProcessRules({ rand, words, modifiers, count: 60 });
    const set = loadRuleTexts(rules);
    assert.deepEqual(
      set.errors.map((e) => e.render()),
      [],
    );
    const on = createSigmaEngine(set);
    const off = createSigmaEngine(set, { noPrefilter: true });
    for (let i = 0; i < 400; i++) {
      const text = () =>
        Array.from({ length: 1 + rand(4) }, () => words[rand(words.length)]).join(
          rand(2) ? ' ' : '/',
        );
      const event = sysmonProcess({ CommandLine: text(), Image: text(), ParentImage: text() });
      assert.deepEqual(
        on.match(event).map((d) => d.rule.id),
        off.match(event).map((d) => d.rule.id),
        `event ${i}`,
      );
    }
    assert.ok(on.stats.evaluations < off.stats.evaluations);
  });
});

describe('engine limits', () => {
  test('more distinct (channel, EventID) pairs than MAX_BUCKET_CACHE: the cache resets and matching stays right', () => {
    const engine = engineFor([CMD_RULE]);
    for (let i = 0; i < MAX_BUCKET_CACHE; i++)
      engine.match(buildLogEvent({ channel: `Bogus-${i}`, eventId: i, data: {} }));
    assert.equal(engine.match(sysmonProcess({})).length, 1, 'at the cap');
    engine.match(buildLogEvent({ channel: 'Bogus-last', eventId: 1, data: {} }));
    assert.equal(engine.match(sysmonProcess({})).length, 1, 'over the cap');
  });

  test('an event nested deeper than MAX_DEPTH is read to that depth, without error', () => {
    let deep: Record<string, unknown> = { Image: 'C:\\Windows\\System32\\cmd.exe' };
    for (let i = 0; i < MAX_DEPTH + 10; i++) deep = { x: deep };
    const engine = engineFor([
      "title: k\nlogsource: {product: windows}\ndetection:\n  keywords: ['cmd.exe']\n  condition: keywords",
    ]);
    const event = buildLogEvent({ channel: SYSMON, eventId: 1, data: { Nested: deep } });
    assert.equal(engine.match(event).length, 0, 'the value below the cap is not searched');
    let shallow: Record<string, unknown> = { Image: 'C:\\Windows\\System32\\cmd.exe' };
    for (let i = 0; i < MAX_DEPTH - 2; i++) shallow = { x: shallow };
    assert.equal(
      engine.match(buildLogEvent({ channel: SYSMON, eventId: 1, data: { Nested: shallow } }))
        .length,
      1,
    );
  });
});

describe('Sigma filters (filters specification 2.0)', () => {
  test("a filter document adds '(rule) and (filter condition)' to the rules it names", () => {
    const filter = `title: Not the admin\nlogsource: {product: windows, category: process_creation}\nfilter:\n  rules:\n    - 00000000-0000-4000-8000-000000000001\n  selection:\n    User|startswith: 'EXAMPLE\\adm_'\n  condition: not selection`;
    const engine = engineFor([CMD_RULE, filter]);
    assert.equal(engine.match(sysmonProcess({ User: 'EXAMPLE\\adm_bob' })).length, 0);
    assert.equal(engine.match(sysmonProcess({ User: 'EXAMPLE\\alice' })).length, 1);
  });

  test('a filter naming an unknown rule → E_SIGMA_FILTER_REFERENCE', () => {
    const filter = `title: f\nlogsource: {product: windows}\nfilter:\n  rules: [nope]\n  selection:\n    User: x\n  condition: not selection`;
    assert.equal(loadRuleTexts([CMD_RULE, filter]).errors[0]?.code, 'E_SIGMA_FILTER_REFERENCE');
  });
});
