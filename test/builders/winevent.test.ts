import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventDocument } from '../../src/engines/sigma/index.js';
import { buildWinEvent, SYSMON } from './winevent.js';

test('winevent builder: round trip through the find(field) document', () => {
  const spec = {
    channel: SYSMON,
    eventId: 1,
    data: { Image: 'C:\\Windows\\System32\\cmd.exe', ProcessId: '42' },
    computer: 'WS02.example.com',
    time: '2024-06-01T00:00:00Z',
    recordId: 7,
  };
  const doc = new EventDocument(buildWinEvent(spec));
  assert.equal(doc.channel(), SYSMON.toLowerCase());
  assert.equal(doc.eventId(), 1);
  assert.deepEqual(doc.find('Image'), [spec.data.Image]);
  assert.deepEqual(doc.find('ProcessId'), ['42']);
  assert.deepEqual(doc.find('Computer'), [spec.computer]);
  assert.deepEqual(doc.find('EventRecordID'), ['7']);
  assert.equal(doc.systemTime(), spec.time);
  assert.deepEqual(doc.find('Provider_Name'), ['Microsoft-Windows-Sysmon']);
});

test('winevent builder: qualifiers wrap EventID, UserData replaces EventData', () => {
  const doc = new EventDocument(
    buildWinEvent({
      channel: 'System',
      eventId: 7045,
      qualifiers: 16384,
      userData: { Op: { Name: 'x' } },
    }),
  );
  assert.equal(doc.eventId(), 7045);
  assert.deepEqual(doc.find('Name'), ['x']);
});
