import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  parseIntel,
  stixPatternOf,
  SURICATA_SID_BASE,
  toBlocklist,
  toStixBundle,
  toSuricataRules,
  type ExportIoc,
} from './index.js';

const IOCS: ExportIoc[] = [
  { type: 'ip', value: '198.51.100.1', source: 'feodotracker', malware: 'Emotet' },
  { type: 'ip', value: '198.51.100.2', source: 'feodotracker' },
  { type: 'cidr', value: '203.0.113.0/24', source: 'misp:CIRCL' },
  { type: 'ip-port', value: '198.51.100.1:8080', source: 'feodotracker' },
  { type: 'ip-port', value: '[2001:db8::1]:8080', source: 'feodotracker' },
  { type: 'domain', value: 'c2.example', source: 'threatfox', malware: 'Emotet' },
  { type: 'url', value: 'http://evil.example/a%20b;c"d|e?x=1', source: 'urlhaus' },
  { type: 'ja3', value: 'ab'.repeat(16), source: 'sslbl' },
  { type: 'sha256', value: 'cd'.repeat(32), source: 'threatfox' },
];

describe('intel: exports', () => {
  test('Suricata rules: grouped addresses, dns+tls rules with dotprefix, exact http host/uri, ja3; sids count up', () => {
    const r = toSuricataRules(IOCS);
    assert.equal(r.skipped, 1, 'hashes need list files');
    const sids = r.rules.map((x) => Number(/sid:(\d+);/.exec(x)![1]));
    assert.deepEqual(
      sids,
      sids.map((_, i) => SURICATA_SID_BASE + i),
    );
    assert.equal(r.nextSid, SURICATA_SID_BASE + r.rules.length);
    const text = r.rules.join('\n');
    assert.match(
      text,
      /alert dns \$HOME_NET any -> any any \(msg:"emoguard intel: DNS query for c2\.example \(threatfox, Emotet\)"; dns\.query; dotprefix; content:"\.c2\.example"; endswith; nocase; classtype:trojan-activity; metadata:malware_family Emotet; sid:\d+; rev:1;\)/,
    );
    assert.match(
      text,
      /alert tls .* tls\.sni; dotprefix; content:"\.c2\.example"; endswith; nocase;/,
    );
    assert.match(
      text,
      /http\.host; content:"evil\.example"; bsize:12; http\.uri; content:"\/a b\|3B\|c\|22\|d\|7C\|e\?x=1"; bsize:14;/,
    );
    assert.match(
      text,
      /alert ip \$HOME_NET any -> \[198\.51\.100\.1,198\.51\.100\.2\] any \(msg:"emoguard intel: C2\/bad address \(feodotracker\) group 1";/,
    );
    assert.match(text, /alert ip \$HOME_NET any -> \[203\.0\.113\.0\/24\] any/);
    assert.match(text, /alert tcp \$HOME_NET any -> \[198\.51\.100\.1,2001:db8::1\] 8080/);
    assert.match(text, /ja3\.hash; content:"abab/);
    for (const rule of r.rules)
      assert.match(rule, /^alert \S+ .* \(msg:"(?:[^"\\]|\\.)*"; .*rev:1;\)$/);
    assert.equal(
      toSuricataRules(IOCS, { sidBase: 5_000_000 }).rules[0]!.includes('sid:5000000;'),
      true,
    );
  });

  test('address groups hold at most 100 addresses per rule', () => {
    const many = Array.from({ length: 250 }, (_, i): ExportIoc => ({
      type: 'ip',
      value: `198.51.${i >> 8}.${i & 255}`,
      source: 's',
    }));
    const rules = toSuricataRules(many).rules;
    assert.equal(rules.length, 3);
    assert.deepEqual(
      rules.map((r) => r.split(',').length),
      [100, 100, 50],
    );
  });

  test('blocklists: sorted unique values; ip takes IPs, CIDRs and ip:port addresses', () => {
    assert.deepEqual(toBlocklist(IOCS, 'ip'), [
      '198.51.100.1',
      '198.51.100.2',
      '2001:db8::1',
      '203.0.113.0/24',
    ]);
    assert.deepEqual(toBlocklist(IOCS, 'domain'), ['c2.example']);
    assert.deepEqual(toBlocklist(IOCS, 'url'), ['http://evil.example/a%20b;c"d|e?x=1']);
  });

  test('STIX bundle: deterministic ids, families with indicates relationships, sightings; it re-imports', () => {
    const now = new Date('2024-02-01T00:00:00Z');
    const a = toStixBundle(IOCS, {
      now,
      sightings: [{ ioc: IOCS[0]!, count: 3, firstSeen: '2024-01-20T00:00:00.000Z' }],
    });
    const b = toStixBundle(IOCS, { now });
    assert.equal(a.skipped, 1, 'JA3 has no STIX property');
    const objects = a.bundle.objects as Record<string, unknown>[];
    const indicators = objects.filter((o) => o.type === 'indicator');
    assert.equal(indicators.length, 8);
    assert.deepEqual(
      indicators.map((o) => o.id),
      (b.bundle.objects as Record<string, unknown>[])
        .filter((o) => o.type === 'indicator')
        .map((o) => o.id),
    );
    assert.ok(
      indicators.every((o) =>
        /^indicator--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(
          String(o.id),
        ),
      ),
    );
    assert.equal(objects.filter((o) => o.type === 'malware').length, 1);
    assert.equal(objects.filter((o) => o.type === 'relationship').length, 2);
    const sighting = objects.find((o) => o.type === 'sighting')!;
    assert.equal(sighting.sighting_of_ref, indicators[0]!.id);
    const back = parseIntel(new TextEncoder().encode(JSON.stringify(a.bundle)), {
      name: 'export.json',
    });
    assert.deepEqual(
      back.iocs.map((i) => `${i.type} ${i.value}`),
      [
        'ip 198.51.100.1',
        'ip 198.51.100.2',
        'cidr 203.0.113.0/24',
        'domain c2.example',
        'url http://evil.example/a%20b;c%22d|e?x=1',
        `sha256 ${'cd'.repeat(32)}`,
      ],
    );
    assert.equal(
      back.anomalies.length,
      2,
      'ip:port patterns use network-traffic, which the importer refuses',
    );
    assert.equal(back.iocs[0]!.malware, 'Emotet');
    assert.equal(
      stixPatternOf({ type: 'url', value: "http://x.example/it's" }),
      "[url:value = 'http://x.example/it\\'s']",
    );
  });
});
