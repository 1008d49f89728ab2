import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEvtx } from '../../src/formats/evtx/index.js';
import {
  buildEvtx,
  buildEvtxChunk,
  repeatEvtxChunks,
  type EvtxFileSpec,
  type EvtxRecordSpec,
  type EvtxValueType,
  eventRoot,
} from './evtx.js';

const system = (
  id: number,
  eventId: unknown,
  channel = 'Microsoft-Windows-Sysmon/Operational',
) => ({
  Provider: {
    '#attributes': {
      Name: 'Microsoft-Windows-Sysmon',
      Guid: '5770385F-C22A-43E0-BF4C-06F5698FFBD9',
    },
  },
  EventID: eventId,
  Version: 5,
  Level: 4,
  Task: 1,
  Opcode: 0,
  Keywords: '0x8000000000000000',
  TimeCreated: { '#attributes': { SystemTime: '2021-11-08T15:01:27.604646Z' } },
  EventRecordID: id,
  Correlation: null,
  Execution: { '#attributes': { ProcessID: 1068, ThreadID: 1628 } },
  Channel: channel,
  Computer: 'ws01.example.com',
  Security: { '#attributes': { UserID: 'S-1-5-18' } },
});

const SYSTEM_TYPES = {
  'Event.System.Provider.#attributes.Guid': 'guid',
  'Event.System.EventID': 'uint16',
  'Event.System.Keywords': 'hex64',
  'Event.System.TimeCreated.#attributes.SystemTime': 'filetime',
  'Event.System.Security.#attributes.UserID': 'sid',
} as const;

/** Every value type of MS-EVEN6 2.2.13, scalar and array, with the text or number the parser prints. */
const EVERY_TYPE: [string, EvtxValueType, unknown][] = [
  ['String', 'string', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'],
  ['Ansi', 'ansi', 'ansi text'],
  ['Int8', 'int8', -5],
  ['UInt8', 'uint8', 200],
  ['Int16', 'int16', -300],
  ['UInt16', 'uint16', 60000],
  ['Int32', 'int32', -70000],
  ['UInt32', 'uint32', 4000000000],
  ['Int64', 'int64', -5000000000],
  ['UInt64', 'uint64', 5000000000],
  ['UInt64Big', 'uint64', '18446744073709551615'],
  ['Real32', 'real32', '0.1'],
  ['Real64', 'real64', '2.25'],
  ['Bool', 'bool', true],
  ['Binary', 'binary', 'DEADBEEF00'],
  ['Guid', 'guid', 'A57649D1-3BC7-6189-091B-5D0300000000'],
  ['SizeT', 'size_t', '0x7ff6a000'],
  ['FileTime', 'filetime', '2019-03-19T23:34:04.542497Z'],
  ['SysTime', 'systime', '2020-07-04T14:18:58.231000Z'],
  ['Sid', 'sid', 'S-1-5-21-1111-2222-3333-500'],
  ['Hex32', 'hex32', '0x3e7'],
  ['Hex64', 'hex64', '0x8000000000000000'],
  ['StringArray', 'string[]', 'one,two,three'],
  ['UInt16Array', 'uint16[]', '1,2,3'],
  ['Int64Array', 'int64[]', '-1,5000000000'],
  ['Real64Array', 'real64[]', '1.5,2'],
  ['BoolArray', 'bool[]', 'true,false'],
  [
    'GuidArray',
    'guid[]',
    '00000000-0000-0000-0000-000000000001,FFFFFFFF-0000-0000-0000-000000000002',
  ],
  ['SidArray', 'sid[]', 'S-1-5-18,S-1-5-32-544'],
  ['FileTimeArray', 'filetime[]', '2019-03-19T23:34:04.542497Z,2020-01-01T00:00:00.000000Z'],
  ['Hex64Array', 'hex64[]', '0x0,0xffffffffffffffff'],
];

const everyTypeRecord: EvtxRecordSpec = {
  recordId: 1,
  time: '2021-11-08T15:01:27.604646Z',
  event: eventRoot({
    System: system(1, 1),
    EventData: Object.fromEntries(EVERY_TYPE.map(([name, , value]) => [name, value])),
  }),
  types: {
    ...SYSTEM_TYPES,
    ...Object.fromEntries(EVERY_TYPE.map(([name, type]) => [`Event.EventData.${name}`, type])),
  },
};

/** Classic PowerShell 400: EventID with Qualifiers, unnamed Data elements. */
const classicRecord: EvtxRecordSpec = {
  recordId: 2,
  time: '2021-11-08T15:01:28.000001Z',
  event: eventRoot({
    System: {
      Provider: { '#attributes': { Name: 'PowerShell' } },
      EventID: { '#attributes': { Qualifiers: 0 }, '#text': 400 },
      Channel: 'Windows PowerShell',
      Computer: 'ws01.example.com',
    },
    EventData: {
      Data: {
        '#text': [
          'Available',
          'None',
          '\tNewEngineState=Available\r\n\tHostApplication=powershell -nop',
        ],
      },
      Binary: null,
    },
  }),
  types: {
    'Event.System.EventID.#text': 'uint16',
    'Event.System.EventID.#attributes.Qualifiers': 'uint16',
  },
};

/** UserData as a nested BinXml value, with repeated element names. */
const userDataRecord: EvtxRecordSpec = {
  recordId: 3,
  time: '2021-11-08T15:01:29.000000Z',
  event: eventRoot({
    System: system(3, 5861, 'Microsoft-Windows-WMI-Activity/Operational'),
    UserData: {
      Operation_ESStoConsumerBinding: {
        '#attributes': { xmlns: 'http://manifests.microsoft.com/win/2004/08/windows/wmi' },
        Namespace: '//./root/subscription',
        Header: 'first',
        Header_1: 'second',
        Header_2: 'third',
      },
    },
  }),
  types: { ...SYSTEM_TYPES, 'Event.UserData': 'binxml' },
};

const sameShape = (id: number, image: string): EvtxRecordSpec => ({
  recordId: id,
  time: '2021-11-08T15:01:30.000000Z',
  event: eventRoot({
    System: system(id, 1),
    EventData: { RuleName: '-', ProcessId: 1860 + id, Image: image, CommandLine: '' },
  }),
  types: SYSTEM_TYPES,
});

test('evtx builder: parse(build(spec)) gives every record back, every value type included', () => {
  const spec: EvtxFileSpec = {
    chunks: [
      {
        records: [
          everyTypeRecord,
          classicRecord,
          userDataRecord,
          sameShape(4, 'a.exe'),
          sameShape(5, 'b.exe'),
        ],
      },
      { records: [sameShape(6, 'c.exe'), sameShape(7, 'd.exe')] },
    ],
  };
  const parsed = parseEvtx(buildEvtx(spec));
  assert.deepEqual(parsed.anomalies, []);
  assert.equal(parsed.header.chunkCount, 2);
  const expected = spec.chunks.flatMap((c) =>
    c.records.map((r) => ({
      recordId: r.recordId,
      time: r.time,
      event: (r as EvtxRecordSpec).event,
    })),
  );
  assert.deepEqual(
    parsed.records.map((r) => ({ recordId: r.recordId, time: r.time, event: r.event })),
    expected,
  );
  assert.deepEqual(
    parsed.records.map((r) => r.chunk),
    [0, 0, 0, 0, 0, 1, 1],
  );
});

test('evtx builder: repeatEvtxChunks puts the chunks in turn behind a valid file header', () => {
  const a = buildEvtxChunk({ records: [sameShape(1, 'a.exe'), sameShape(2, 'b.exe')] });
  const b = buildEvtxChunk({ records: [sameShape(3, 'c.exe')] });
  const parsed = parseEvtx(repeatEvtxChunks([a, b], 3));
  assert.deepEqual(parsed.anomalies, []);
  assert.equal(parsed.header.chunkCount, 3);
  assert.deepEqual(
    parsed.records.map((r) => [r.chunk, r.recordId]),
    [
      [0, 1],
      [0, 2],
      [1, 3],
      [2, 1],
      [2, 2],
    ],
  );
});
