import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EventDocument } from './document.js';

const event = {
  Event: {
    '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
    System: {
      Provider: {
        '#attributes': {
          Name: 'Service Control Manager',
          Guid: '{555908d1-a6d7-4695-8e1e-26931d2012f4}',
          EventSourceName: 'Service Control Manager',
        },
      },
      EventID: { '#attributes': { Qualifiers: 16384 }, '#text': 7045 },
      Level: 4,
      TimeCreated: { '#attributes': { SystemTime: '2024-05-01T10:00:00.123456Z' } },
      EventRecordID: 99,
      Execution: { '#attributes': { ProcessID: 788, ThreadID: 792 } },
      Channel: 'System',
      Computer: 'WS01.example.com',
      Security: { '#attributes': { UserID: 'S-1-5-18' } },
    },
    EventData: {
      ServiceName: 'evil',
      ImagePath: { '#text': 'C:\\x.exe' },
      Empty: null,
      Number: 5,
      Channel: 'spoofed',
    },
  },
};

describe('find(field) over the evtx-rs layout', () => {
  const doc = new EventDocument(event);

  test('System: EventID with qualifiers, Channel, Computer, Provider_Name, Execution_ProcessID', () => {
    assert.equal(doc.eventId(), 7045);
    assert.deepEqual(doc.find('EventID'), ['7045']);
    assert.deepEqual(doc.find('Computer'), ['WS01.example.com']);
    assert.deepEqual(doc.find('Provider_Name'), ['Service Control Manager']);
    assert.deepEqual(doc.find('Provider_EventSourceName'), ['Service Control Manager']);
    assert.deepEqual(doc.find('Execution_ProcessID'), ['788']);
    assert.deepEqual(doc.find('Level'), ['4']);
    assert.equal(doc.systemTime(), '2024-05-01T10:00:00.123456Z');
  });

  test('an EventData field cannot spoof Channel or EventID', () => {
    assert.deepEqual(doc.find('Channel'), ['System']);
    assert.equal(doc.channel(), 'system');
  });

  test('EventData by name: #text unwrapped, numbers as text, null present but empty, absent undefined', () => {
    assert.deepEqual(doc.find('ServiceName'), ['evil']);
    assert.deepEqual(doc.find('ImagePath'), ['C:\\x.exe']);
    assert.deepEqual(doc.find('Number'), ['5']);
    assert.equal(doc.find('Empty'), null);
    assert.equal(doc.find('Missing'), undefined);
    assert.deepEqual(doc.findLower('ImagePath'), ['c:\\x.exe']);
  });

  test('dotted paths from the Event root', () => {
    assert.deepEqual(doc.find('EventData.ServiceName'), ['evil']);
    assert.deepEqual(doc.find('Event.System.Computer'), ['WS01.example.com']);
  });

  test('the prefilter haystack holds every value find can return, attributes included', () => {
    const hay = doc.haystack();
    for (const v of ['evil', 'c:\\x.exe', '7045', 'service control manager', 'system', '788'])
      assert.ok(hay.includes(v), v);
    assert.deepEqual([...doc.haystackFor(['Provider_Name'])].sort(), [
      '5',
      'C:\\x.exe',
      'Service Control Manager',
      'evil',
      'spoofed',
    ]);
  });
});

describe('UserData and unnamed Data', () => {
  test('UserData is flattened: fields of its child elements at any depth', () => {
    const doc = new EventDocument({
      Event: {
        System: { EventID: 5861, Channel: 'Microsoft-Windows-WMI-Activity/Operational' },
        UserData: {
          Operation_ESStoConsumerBinding: {
            '#attributes': { xmlns: 'x' },
            Namespace: '//./root/subscription',
            PossibleCause: { Binding: { Consumer: 'CommandLineEventConsumer' } },
          },
        },
      },
    });
    assert.deepEqual(doc.find('Namespace'), ['//./root/subscription']);
    assert.deepEqual(doc.find('Consumer'), ['CommandLineEventConsumer']);
    assert.ok(doc.keywordValues().includes('commandlineeventconsumer'));
  });

  test('unnamed <Data> elements (classic PowerShell 400/800) are one multi-valued Data field', () => {
    const doc = new EventDocument({
      Event: {
        System: { EventID: 400, Channel: 'Windows PowerShell' },
        EventData: {
          Data: {
            '#text': [
              'Available',
              'None',
              '\tHostName=ConsoleHost\r\n\tHostApplication=powershell -enc AAAA',
            ],
          },
        },
      },
    });
    assert.equal(doc.find('Data')?.length, 3);
    assert.match(doc.find('Data')![2]!, /HostApplication=powershell/);
  });

  test('Data elements kept as {#attributes:{Name}} objects are read by name', () => {
    const doc = new EventDocument({
      Event: {
        System: { EventID: 1, Channel: 'x' },
        EventData: { Data: [{ '#attributes': { Name: 'Image' }, '#text': 'C:\\a.exe' }] },
      },
    });
    assert.deepEqual(doc.find('Image'), ['C:\\a.exe']);
  });

  test('a bare Event object (without the Event wrapper) is accepted', () => {
    const doc = new EventDocument({
      System: { EventID: 4688, Channel: 'Security' },
      EventData: { NewProcessName: 'C:\\a.exe' },
    });
    assert.equal(doc.eventId(), 4688);
    assert.deepEqual(doc.find('NewProcessName'), ['C:\\a.exe']);
  });
});
