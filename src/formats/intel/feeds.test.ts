import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildFeodoCsv,
  buildMispEvent,
  buildMispFeed,
  buildStixBundle,
  buildTextList,
  buildThreatFoxApi,
  buildThreatFoxCsv,
  buildUrlhausCsv,
  enc,
  type ThreatFoxEntry,
} from '../../../test/builders/intel.js';
import {
  detectIntelFormat,
  IntelParser,
  parseIntel,
  withDefaultExpiry,
  type Ioc,
} from './index.js';

const brief = (iocs: Ioc[]) => iocs.map((i) => `${i.type} ${i.value}`);

describe('intel: abuse.ch feeds', () => {
  test('Feodo CSV: both indicators per row, times as UTC, status and family kept; a bad address is reported with its line', () => {
    const text = buildFeodoCsv([
      {
        firstSeen: '2024-01-10 10:00:00',
        ip: '198.51.100.7',
        port: 8080,
        malware: 'Heodo',
        status: 'offline',
        lastOnline: '2024-01-14',
      },
      { firstSeen: '2024-01-11 10:00:00', ip: '198.51.100.300', port: 443, malware: 'Emotet' },
    ]);
    const { iocs, anomalies, summary } = parseIntel(enc(text), { name: 'ipblocklist.csv' });
    assert.deepEqual(brief(iocs), ['ip 198.51.100.7', 'ip-port 198.51.100.7:8080']);
    assert.deepEqual(
      { ...iocs[0] },
      {
        type: 'ip',
        value: '198.51.100.7',
        source: 'feodotracker',
        tags: ['c2', 'offline'],
        firstSeen: '2024-01-10T10:00:00.000Z',
        lastSeen: '2024-01-14T00:00:00.000Z',
        malware: 'Heodo',
        line: 9,
      },
    );
    assert.deepEqual(
      anomalies.map((a) => [a.code, a.location]),
      [['E_INTEL_RECORD', 'ipblocklist.csv:10']],
    );
    assert.equal(summary.format, 'feodo');
  });

  test("Feodo's plain ipblocklist.txt and SSLBL's 3-column IP list are read too", () => {
    const plain =
      '#\n# abuse.ch Feodo Tracker Botnet C2 IP Blocklist\n#\n198.51.100.1\n198.51.100.2\n';
    assert.deepEqual(brief(parseIntel(enc(plain), { name: 'ipblocklist.txt' }).iocs), [
      'ip 198.51.100.1',
      'ip 198.51.100.2',
    ]);
    const sslbl =
      '# abuse.ch SSLBL IP Blacklist (CSV)\n# Firstseen,DstIP,DstPort\n2024-01-10 10:00:00,198.51.100.3,447\n';
    const r = parseIntel(enc(sslbl), { name: 'sslipblacklist.csv' });
    assert.deepEqual(brief(r.iocs), ['ip 198.51.100.3', 'ip-port 198.51.100.3:447']);
    assert.equal(r.summary.source, 'sslbl');
  });

  test('URLhaus: new and old column sets, tags split, "None" ignored, reference kept, unterminated quote reported', () => {
    const entry = {
      id: 9,
      dateAdded: '2024-01-10 10:00:00',
      url: 'http://Example.com:80/wp/Doc_2024.doc',
      tags: ['doc', 'emotet', 'heodo'],
      lastOnline: '2024-01-12 00:00:00',
    };
    for (const legacy of [false, true]) {
      const { iocs } = parseIntel(enc(buildUrlhausCsv([entry], legacy)), { name: 'csv.txt' });
      assert.equal(iocs.length, 1);
      assert.equal(iocs[0]!.value, 'http://example.com/wp/Doc_2024.doc');
      assert.deepEqual(iocs[0]!.tags, ['malware_download', 'online', 'doc', 'emotet', 'heodo']);
      assert.equal(iocs[0]!.reference, 'https://urlhaus.abuse.ch/url/9/');
      assert.equal(iocs[0]!.lastSeen, legacy ? undefined : '2024-01-12T00:00:00.000Z');
    }
    const broken = buildUrlhausCsv([entry]) + '"10","2024-01-10 10:00:00","http://example.com/x\n';
    assert.deepEqual(
      parseIntel(enc(broken), { name: 'csv.txt' }).anomalies.map((a) => [a.code, a.line]),
      [['E_INTEL_CSV', 10]],
    );
  });

  test('ThreatFox CSV with ", " separators (old and new columns), JSON export and API: types mapped, unsupported types refused', () => {
    const entries: ThreatFoxEntry[] = [
      {
        firstSeen: '2024-01-10 10:00:00',
        id: 1,
        value: '198.51.100.9:7080',
        type: 'ip:port',
        threatType: 'botnet_cc',
        malware: 'win.emotet',
        printable: 'Emotet',
        alias: 'Geodo,Heodo',
        confidence: 100,
        tags: ['epoch5'],
      },
      {
        firstSeen: '2024-01-10 11:00:00',
        id: 2,
        value: 'https://evil.example/a,"b".doc',
        type: 'url',
        threatType: 'payload_delivery',
        malware: 'win.emotet',
        printable: 'Emotet',
        confidence: 75,
        tags: [],
      },
      {
        firstSeen: '2024-01-10 12:00:00',
        id: 3,
        value: 'ef'.repeat(32),
        type: 'sha256_hash',
        threatType: 'payload',
        malware: 'win.emotet',
        printable: 'Emotet',
        confidence: 50,
        tags: [],
      },
      {
        firstSeen: '2024-01-10 12:00:00',
        id: 4,
        value: 'a@example.com',
        type: 'envelope_from',
        threatType: 'payload_delivery',
        malware: 'win.emotet',
        printable: 'Emotet',
        confidence: 50,
        tags: [],
      },
    ];
    const want = [
      'ip-port 198.51.100.9:7080',
      'ip 198.51.100.9',
      'url https://evil.example/a,%22b%22.doc',
      `sha256 ${'ef'.repeat(32)}`,
    ];
    for (const text of [
      buildThreatFoxCsv(entries),
      buildThreatFoxCsv(entries, true),
      buildThreatFoxApi(entries),
    ]) {
      const r = parseIntel(enc(text), { name: 'full.csv' });
      assert.deepEqual(brief(r.iocs), want);
      assert.equal(r.iocs[0]!.confidence, 100);
      assert.equal(r.iocs[0]!.malware, 'Emotet');
      assert.deepEqual(r.iocs[0]!.tags, ['botnet_cc', 'epoch5', 'Geodo', 'Heodo']);
      assert.deepEqual(
        r.anomalies.map((a) => a.code),
        ['E_INTEL_UNSUPPORTED'],
      );
    }
    const api = parseIntel(
      enc('{"query_status":"no_result","data":"Your search did not yield any results"}'),
      { name: 'api.json' },
    );
    assert.deepEqual(
      api.anomalies.map((a) => a.code),
      ['E_INTEL_JSON'],
    );
  });

  test('format detection by content (not by name) for every feed, text otherwise', () => {
    assert.equal(detectIntelFormat(buildUrlhausCsv([]), 'x').format, 'urlhaus');
    assert.equal(detectIntelFormat(buildThreatFoxCsv([]), 'x').format, 'threatfox');
    assert.equal(detectIntelFormat(buildFeodoCsv([], 'legacy'), 'x').format, 'feodo');
    assert.equal(
      detectIntelFormat('# ja3_md5,Firstseen,Lastseen,Listingreason\n', 'x').format,
      'sslbl',
    );
    assert.equal(detectIntelFormat(buildStixBundle([]), 'x').format, 'stix');
    assert.equal(
      detectIntelFormat(
        buildMispEvent({ uuid: 'u', info: 'i', date: '2024-01-01', org: 'o', attributes: [] }),
        'x',
      ).format,
      'misp',
    );
    assert.deepEqual(detectIntelFormat('198.51.100.1\n', 'list'), { format: 'text' });
  });

  test('SSLBL JA3 fingerprints become ja3 indicators with the listing reason as family', () => {
    const text =
      '# ja3_md5,Firstseen,Lastseen,Listingreason\n' +
      `${'1a'.repeat(16)},2024-01-10 10:00:00,2024-01-14 10:00:00,Emotet C&C\n`;
    const { iocs } = parseIntel(enc(text), { name: 'ja3_fingerprints.csv' });
    assert.deepEqual(brief(iocs), [`ja3 ${'1a'.repeat(16)}`]);
    assert.equal(iocs[0]!.malware, 'Emotet');
  });
});

describe('intel: MISP feeds', () => {
  const uuid = '5a1b3c0e-8f7d-4e2a-9c6b-0d1e2f3a4b5c';
  const feed = buildMispFeed([
    {
      uuid,
      info: 'Emotet epoch 5 C2 and loaders',
      date: '2024-01-15',
      org: 'CIRCL',
      tags: ['tlp:white', 'misp-galaxy:malpedia="Emotet"'],
      attributes: [
        { type: 'ip-dst|port', value: '198.51.100.1|8080', toIds: true },
        { type: 'domain|ip', value: 'c2.example|198.51.100.2', toIds: true },
        { type: 'ip-dst', value: '198.51.100.0/24', toIds: true },
        {
          type: 'url',
          value: 'http://evil.example/x.doc',
          toIds: true,
          category: 'Payload delivery',
        },
        { type: 'domain', value: 'benign.example', toIds: false },
        { type: 'domain', value: 'gone.example', toIds: true, deleted: true },
        { type: 'email-src', value: 'a@example.com', toIds: true },
      ],
      objects: [
        {
          name: 'file',
          attributes: [
            { type: 'filename|sha256', value: `invoice.doc|${'ab'.repeat(32)}`, toIds: true },
          ],
        },
      ],
    },
  ]);

  test('only to_ids attributes (objects included) become indicators; composites give each matchable half', () => {
    const r = parseIntel(enc(feed[`${uuid}.json`]!), { name: `${uuid}.json` });
    assert.deepEqual(brief(r.iocs), [
      'ip 198.51.100.1',
      'ip-port 198.51.100.1:8080',
      'domain c2.example',
      'ip 198.51.100.2',
      'cidr 198.51.100.0/24',
      'url http://evil.example/x.doc',
      `sha256 ${'ab'.repeat(32)}`,
    ]);
    assert.equal(r.summary.skipped, 2, 'to_ids false and deleted');
    assert.deepEqual(
      r.anomalies.map((a) => a.code),
      ['E_INTEL_UNSUPPORTED'],
    );
    assert.equal(r.iocs[0]!.source, 'misp:CIRCL');
    assert.equal(r.iocs[0]!.malware, 'Emotet');
    assert.ok(r.iocs[5]!.tags.includes('Payload delivery'));
    assert.equal(r.iocs[0]!.firstSeen, '2024-01-15T00:00:00.000Z');
  });

  test('manifest.json lists the event files and holds no indicators itself', () => {
    const r = parseIntel(enc(feed['manifest.json']!), { name: 'feed/manifest.json' });
    assert.deepEqual(r.iocs, []);
    assert.deepEqual(r.summary.manifest, [uuid]);
  });
});

describe('intel: STIX 2.1 bundles', () => {
  test('indicators with supported patterns import with family, source, expiry; the rest are refused with reasons', () => {
    const bundle = buildStixBundle([
      {
        pattern: "[ipv4-addr:value = '198.51.100.3'] OR [domain-name:value = 'c2.example']",
        malware: 'Emotet',
        validUntil: '2025-01-01T00:00:00Z',
        confidence: 80,
      },
      { pattern: "[process:name = 'rundll32.exe']" },
      { pattern: 'alert tcp any any -> any any', patternType: 'snort' },
      { pattern: "[url:value = 'http://evil.example/a']", revoked: true },
    ]);
    const r = parseIntel(enc(bundle), { name: 'bundle.json' });
    assert.deepEqual(brief(r.iocs), ['ip 198.51.100.3', 'domain c2.example']);
    assert.deepEqual(
      [
        r.iocs[0]!.source,
        r.iocs[0]!.malware,
        r.iocs[0]!.expiresAt,
        r.iocs[0]!.confidence,
        r.iocs[0]!.firstSeen,
      ],
      ['stix:Example CERT', 'Emotet', '2025-01-01T00:00:00.000Z', 80, '2024-01-15T09:00:00.000Z'],
    );
    assert.deepEqual(
      r.anomalies.map((a) => a.code),
      ['E_INTEL_STIX_PATTERN', 'E_INTEL_UNSUPPORTED'],
    );
    assert.match(r.anomalies[0]!.message, /process:name is not supported/);
    assert.equal(r.summary.skipped, 1);
  });
});

describe('intel: plain lists', () => {
  test('comments, blanks, inline comments, defanged values and hosts-file lines', () => {
    const text = buildTextList([
      '; a comment',
      '// another',
      '198.51.100.5   # inline',
      'hxxp://evil[.]example/x.exe',
      '0.0.0.0 bad.example',
      '127.0.0.1\tworse.example',
      'two words',
    ]);
    const r = parseIntel(enc(text), { name: '/feeds/mylist.txt' });
    assert.deepEqual(brief(r.iocs), [
      'ip 198.51.100.5',
      'url http://evil.example/x.exe',
      'domain bad.example',
      'domain worse.example',
    ]);
    assert.equal(r.iocs[0]!.source, 'text:mylist.txt');
    assert.deepEqual(
      r.anomalies.map((a) => [a.code, a.line]),
      [['E_INTEL_TEXT', 9]],
    );
  });
});

describe('intel: hostile feeds', () => {
  test('a feed past maxIocs is cut with one E_INTEL_TOO_MANY; exactly maxIocs is fine', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `198.51.100.${i}`);
    const ok = parseIntel(enc(lines.join('\n')), { name: 'l.txt', maxIocs: 100 });
    assert.equal(ok.iocs.length, 100);
    assert.equal(ok.anomalies.length, 0);
    const cut = parseIntel(enc(lines.join('\n')), { name: 'l.txt', maxIocs: 99 });
    assert.equal(cut.iocs.length, 99);
    assert.deepEqual(
      cut.anomalies.map((a) => a.code),
      ['E_INTEL_TOO_MANY'],
    );
  });

  test('a JSON feed past maxJsonBytes is refused before it is held; at the limit it parses', () => {
    const text = buildStixBundle([{ pattern: "[domain-name:value = 'c2.example']" }]);
    const bytes = enc(text);
    assert.equal(parseIntel(bytes, { name: 'b.json', maxJsonBytes: bytes.length }).iocs.length, 1);
    const parser = new IntelParser({ name: 'b.json', maxJsonBytes: bytes.length - 1 });
    parser.push(bytes.subarray(0, 10));
    parser.push(bytes.subarray(10));
    assert.deepEqual(parser.end(), []);
    assert.deepEqual(
      parser.anomalies.map((a) => a.code),
      ['E_INTEL_TOO_LARGE'],
    );
  });

  test('broken JSON, a non-object and an over-long line are reported, never thrown', () => {
    assert.deepEqual(
      parseIntel(enc('{"type": "bundle", "objects": ['), { name: 'b.json' }).anomalies.map(
        (a) => a.code,
      ),
      ['E_INTEL_JSON'],
    );
    assert.deepEqual(
      parseIntel(enc('[1, 2]'), { name: 'x.json', format: 'misp' }).anomalies.map((a) => a.code),
      ['E_INTEL_JSON'],
    );
    const long = `198.51.100.1\n${'a'.repeat(5000)}\n198.51.100.2\n`;
    const r = parseIntel(enc(long), { name: 'l.txt', maxLineChars: 4096 });
    assert.deepEqual(brief(r.iocs), ['ip 198.51.100.1', 'ip 198.51.100.2']);
    assert.deepEqual(
      r.anomalies.map((a) => [a.code, a.line]),
      [['E_INTEL_LINE_TOO_LONG', 2]],
    );
  });

  test('a 200k-line feed streams in small chunks with bounded output per push', () => {
    const parser = new IntelParser({ name: 'big.txt' });
    let total = 0;
    let biggest = 0;
    const chunk = enc(
      Array.from({ length: 1000 }, (_, i) => `198.51.${(i >> 8) & 255}.${i & 255}`).join('\n') +
        '\n',
    );
    for (let i = 0; i < 200; i++) {
      const out = parser.push(chunk);
      total += out.length;
      biggest = Math.max(biggest, out.length);
    }
    total += parser.end().length;
    assert.equal(total, 200_000);
    assert.ok(biggest <= 70_000, `one push returned ${biggest}`);
  });
});

describe('intel: default expiry', () => {
  test('TTL from last seen by type; feed expiry kept; hashes never expire; ttl 0 means never', () => {
    const now = new Date('2024-02-01T00:00:00Z');
    const ip: Ioc = {
      type: 'ip',
      value: '198.51.100.1',
      source: 's',
      tags: [],
      lastSeen: '2024-01-10T00:00:00.000Z',
    };
    assert.equal(withDefaultExpiry({ ...ip }, now).expiresAt, '2024-02-09T00:00:00.000Z');
    assert.equal(
      withDefaultExpiry({ ...ip, lastSeen: undefined }, now).expiresAt,
      '2024-03-02T00:00:00.000Z',
    );
    assert.equal(
      withDefaultExpiry({ ...ip, expiresAt: '2030-01-01T00:00:00.000Z' }, now).expiresAt,
      '2030-01-01T00:00:00.000Z',
    );
    assert.equal(withDefaultExpiry({ ...ip, type: 'sha256' }, now).expiresAt, undefined);
    assert.equal(withDefaultExpiry({ ...ip }, now, 0).expiresAt, undefined);
    assert.equal(withDefaultExpiry({ ...ip }, now, 1).expiresAt, '2024-01-11T00:00:00.000Z');
  });
});
