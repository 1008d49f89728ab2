import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildEvtx,
  type ContentSpec,
  type ElementSpec,
  type RawRecordSpec,
  type TypedValue,
} from '../../../test/builders/evtx.js';
import { parseEvtx } from './index.js';

const TIME = '2024-05-01T10:00:00.000000Z';

/** Parses one record built from a template and values; returns its `Event` and the anomalies. */
function one(template: ElementSpec, values: TypedValue[] = []) {
  const parsed = parseEvtx(
    buildEvtx({ chunks: [{ records: [{ recordId: 1, time: TIME, template, values }] }] }),
  );
  return {
    event: (parsed.records[0]?.event as Record<string, unknown> | undefined)?.['Event'],
    anomalies: parsed.anomalies,
  };
}

const el = (
  name: string,
  children: ContentSpec[] = [],
  attrs?: Record<string, ContentSpec[]>,
): ElementSpec => ({
  el: name,
  children,
  ...(attrs ? { attrs } : {}),
});
const data = (name: string, sub: number, type: TypedValue['type'] = 'string'): ElementSpec =>
  el('Data', [{ sub, type }], { Name: [{ text: name }] });

test('binxml: character and entity references resolve, CDATA is text, processing instructions drop', () => {
  const { event, anomalies } = one(
    el('Event', [
      el('Msg', [
        { text: 'a' },
        { entity: 'amp' },
        { cdata: 'x<y' },
        { charRef: 65 },
        { pi: 'xml-stylesheet', data: 'href="x"' },
        { entity: 'nbsp' },
      ]),
    ]),
  );
  assert.deepEqual(anomalies, []);
  assert.deepEqual(event, { Msg: 'a&x<yA&nbsp;' });
});

test('binxml: an empty optional substitution drops its attribute; the element is then null', () => {
  const { event } = one(
    el('Event', [
      el('System', [
        el('Security', [], { UserID: [{ sub: 0, type: 'sid', optional: true }] }),
        el('Correlation', [], { ActivityID: [{ sub: 1, type: 'guid', optional: true }] }),
      ]),
    ]),
    [
      { type: 'null', value: null },
      { type: 'guid', value: '3AF69DEC-79B4-0001-9D29-449F068DD601' },
    ],
  );
  assert.deepEqual(event, {
    System: {
      Security: null,
      Correlation: { '#attributes': { ActivityID: '3AF69DEC-79B4-0001-9D29-449F068DD601' } },
    },
  });
});

test('binxml: a substitution index past the values renders nothing', () => {
  const { event, anomalies } = one(el('Event', [el('X', [{ sub: 5, type: 'string' }])]), [
    { type: 'string', value: 'a' },
  ]);
  assert.deepEqual(anomalies, []);
  assert.deepEqual(event, { X: null });
});

test('binxml: strings keep leading and embedded NULs (hidden Run value names), lose the terminator', () => {
  const { event } = one(
    el('Event', [el('EventData', [data('TargetObject', 0), data('Other', 1)])]),
    [
      {
        type: 'string',
        value: 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\\u0000hidden',
      },
      { type: 'string', value: 'a\u0000b' },
    ],
  );
  assert.deepEqual(event, {
    EventData: {
      TargetObject: 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\\u0000hidden',
      Other: 'a\u0000b',
    },
  });
});

test('binxml: text and a number together are a string; a lone number stays a number', () => {
  const { event } = one(
    el('Event', [
      el('A', [{ text: 'pid=' }, { sub: 0, type: 'uint32' }]),
      el('B', [{ sub: 0, type: 'uint32' }]),
    ]),
    [{ type: 'uint32', value: 5 }],
  );
  assert.deepEqual(event, { A: 'pid=5', B: 5 });
});

test('binxml: ANSI strings are windows-1252', () => {
  const { event } = one(el('Event', [el('A', [{ sub: 0, type: 'ansi' }])]), [
    { type: 'ansi', value: 'caf\u00e9 \u0080' },
  ]);
  assert.deepEqual(event, { A: 'café €' });
});

test('binxml: a record of direct elements (no template) parses', () => {
  const record: RawRecordSpec = {
    recordId: 7,
    time: TIME,
    elements: el('Event', [
      el('System', [el('EventID', [{ text: '4104' }])]),
      el('EventData', [el('Data', [{ text: 'x' }], { Name: [{ text: 'ScriptBlockText' }] })]),
    ]),
  };
  const parsed = parseEvtx(buildEvtx({ chunks: [{ records: [record] }] }));
  assert.deepEqual(parsed.anomalies, []);
  assert.deepEqual(parsed.records[0]?.event, {
    Event: { System: { EventID: '4104' }, EventData: { ScriptBlockText: 'x' } },
  });
});

test('binxml: a template instance inside a template renders with its own values', () => {
  const inner = el('Inner', [{ sub: 0, type: 'string' }]);
  const { event } = one(
    el('Event', [
      { instance: inner, values: [{ type: 'string', value: 'inner value' }] },
      el('Outer', [{ sub: 0, type: 'string' }]),
    ]),
    [{ type: 'string', value: 'outer value' }],
  );
  assert.deepEqual(event, { Inner: 'inner value', Outer: 'outer value' });
});

test('binxml: a Data named "__proto__" is an own key, the prototype untouched', () => {
  const { event } = one(el('Event', [el('EventData', [data('__proto__', 0), data('Image', 1)])]), [
    { type: 'string', value: 'polluted' },
    { type: 'string', value: 'x.exe' },
  ]);
  const eventData = (event as Record<string, Record<string, unknown>>)['EventData'] as Record<
    string,
    unknown
  >;
  assert.equal(Object.getPrototypeOf(eventData), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(eventData, '__proto__')?.value, 'polluted');
  assert.equal(JSON.stringify(eventData), '{"__proto__":"polluted","Image":"x.exe"}');
});

test('binxml: repeated Data names keep every value as Name, Name_1', () => {
  const { event } = one(el('Event', [el('EventData', [data('Param', 0), data('Param', 1)])]), [
    { type: 'string', value: 'a' },
    { type: 'string', value: 'b' },
  ]);
  assert.deepEqual(event, { EventData: { Param: 'a', Param_1: 'b' } });
});

test('binxml: one unnamed Data is {"Data": {"#text": value}}; named Data win over unnamed ones', () => {
  const single = one(el('Event', [el('EventData', [el('Data', [{ sub: 0, type: 'string' }])])]), [
    { type: 'string', value: 'only' },
  ]);
  assert.deepEqual(single.event, { EventData: { Data: { '#text': 'only' } } });
  const mixed = one(
    el('Event', [el('EventData', [el('Data', [{ sub: 0, type: 'string' }]), data('Named', 0)])]),
    [{ type: 'string', value: 'v' }],
  );
  assert.deepEqual(mixed.event, { EventData: { Named: 'v' } });
});
