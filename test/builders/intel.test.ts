import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIntel } from '../../src/formats/intel/index.js';
import {
  buildFeodoCsv,
  buildFeodoJson,
  buildMispFeed,
  buildStixBundle,
  buildTextList,
  buildThreatFoxApi,
  buildThreatFoxCsv,
  buildThreatFoxJson,
  buildUrlhausCsv,
  enc,
  type FeodoEntry,
  type ThreatFoxEntry,
} from './intel.js';

const values = (text: string, name: string) =>
  parseIntel(enc(text), { name }).iocs.map((i) => `${i.type} ${i.value}`);

test('intel builders: every feed shape parses back to the values it was built from', () => {
  const feodo: FeodoEntry[] = [
    { firstSeen: '2024-01-10 10:00:00', ip: '198.51.100.7', port: 8080, malware: 'Emotet' },
  ];
  for (const variant of ['quoted', 'commented', 'legacy'] as const) {
    assert.deepEqual(
      values(buildFeodoCsv(feodo, variant), 'ipblocklist.csv'),
      ['ip 198.51.100.7', 'ip-port 198.51.100.7:8080'],
      variant,
    );
  }
  assert.deepEqual(values(buildFeodoJson(feodo), 'ipblocklist.json'), [
    'ip 198.51.100.7',
    'ip-port 198.51.100.7:8080',
  ]);
  const urlhaus = [
    { id: 1, dateAdded: '2024-01-10 10:00:00', url: 'http://example.com/a.doc', tags: ['emotet'] },
  ];
  assert.deepEqual(values(buildUrlhausCsv(urlhaus), 'csv.txt'), ['url http://example.com/a.doc']);
  assert.deepEqual(values(buildUrlhausCsv(urlhaus, true), 'csv.txt'), [
    'url http://example.com/a.doc',
  ]);
  const tf: ThreatFoxEntry[] = [
    {
      firstSeen: '2024-01-10 10:00:00',
      id: 7,
      value: 'c2.example',
      type: 'domain',
      threatType: 'botnet_cc',
      malware: 'win.emotet',
      printable: 'Emotet',
      confidence: 90,
      tags: ['Emotet'],
    },
  ];
  for (const text of [
    buildThreatFoxCsv(tf),
    buildThreatFoxCsv(tf, true),
    buildThreatFoxJson(tf),
    buildThreatFoxApi(tf),
  ]) {
    assert.deepEqual(values(text, 'threatfox'), ['domain c2.example']);
  }
  const feed = buildMispFeed([
    {
      uuid: '5a1b3c0e-8f7d-4e2a-9c6b-0d1e2f3a4b5c',
      info: 'x',
      date: '2024-01-15',
      org: 'CIRCL',
      attributes: [{ type: 'ip-dst', value: '198.51.100.1', toIds: true }],
    },
  ]);
  assert.deepEqual(values(feed['5a1b3c0e-8f7d-4e2a-9c6b-0d1e2f3a4b5c.json']!, 'e.json'), [
    'ip 198.51.100.1',
  ]);
  assert.deepEqual(
    values(buildStixBundle([{ pattern: "[domain-name:value = 'c2.example']" }]), 'b.json'),
    ['domain c2.example'],
  );
  assert.deepEqual(values(buildTextList(['198.51.100.5']), 'list.txt'), ['ip 198.51.100.5']);
});
