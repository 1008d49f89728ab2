import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Detection, HuntEngine, LogEvent } from '../../core/index.js';
import { isKnownTechnique } from '../../core/index.js';
import { NetlogReader } from '../../formats/netlog/index.js';
import {
  buildEve,
  buildSquid,
  buildZeekTsv,
  connRow,
  httpRow,
  T0,
  type ZeekLog,
  type ZeekRow,
} from '../../../test/builders/netlog.js';
import { buildIocSet, createIocHuntEngine, IOC_HUNT_RULES, type IocInput } from './index.js';

function events(text: string, path: string): LogEvent[] {
  const reader = new NetlogReader({ path });
  const out = [...reader.push(new TextEncoder().encode(text)), ...reader.end()];
  assert.equal(reader.anomalyCount, 0, JSON.stringify(reader.anomalies));
  return out;
}
const zeek = (log: ZeekLog, rows: ZeekRow[]) => events(buildZeekTsv(log, rows), `${log}.log`);

function hunt(engine: HuntEngine, list: LogEvent[]): Detection[] {
  const out: Detection[] = [];
  for (const e of list) out.push(...engine.match(e));
  out.push(...(engine.finish?.() ?? []));
  return out;
}
const ids = (ds: Detection[]) => ds.map((d) => d.rule.id);
/** The matched field rides on `ioc` beside core's {type, value, feed}. */
const fieldOf = (d: Detection) => (d.ioc as { field?: string } | undefined)?.field;

const INTEL: IocInput[] = [
  { type: 'ip', value: '198.51.100.7', source: 'feodotracker', malware: 'Emotet' },
  { type: 'ip-port', value: '198.51.100.7:8080', source: 'feodotracker', malware: 'Emotet' },
  { type: 'domain', value: 'c2.example', source: 'threatfox', malware: 'Emotet' },
  { type: 'url', value: 'https://dl.example/wp-content/Invoice_2024.doc', source: 'urlhaus' },
  { type: 'sha256', value: 'ab'.repeat(32), source: 'misp:CIRCL', malware: 'Emotet' },
  { type: 'md5', value: 'cd'.repeat(16), source: 'threatfox' },
  { type: 'ja3', value: 'ef'.repeat(16), source: 'sslbl' },
  { type: 'cidr', value: '203.0.113.128/25', source: 'misp:CIRCL' },
];
const iocEngine = () => createIocHuntEngine({ iocs: buildIocSet(INTEL), heuristics: false });

describe('ioc hunt: threat-intel hits', () => {
  test('conn to a Feodo ip:port → c2-match, step 6, T1571, the matched field and the feed', () => {
    const [d, ...rest] = hunt(
      iocEngine(),
      zeek('conn', [connRow({ 'id.resp_h': '198.51.100.7', 'id.resp_p': 8080, service: 'http' })]),
    );
    assert.equal(rest.length, 0);
    assert.deepEqual(
      {
        id: d!.rule.id,
        level: d!.rule.level,
        step: d!.step,
        attack: d!.attack,
        ioc: d!.ioc,
        host: d!.host,
        time: d!.time,
        line: d!.source.line,
      },
      {
        id: 'c2-match',
        level: 'high',
        step: '6',
        attack: ['T1071.001', 'T1571'],
        ioc: {
          type: 'ip-port',
          value: '198.51.100.7:8080',
          feed: 'feodotracker',
          field: 'id.resp_h',
          malware: 'Emotet',
        },
        host: '10.0.0.5',
        time: '2024-01-15T09:00:00.000Z',
        line: 9,
      },
    );
  });

  test('TLS SNI and DNS queries of a C2 domain and its subdomains → c2-match; TLS adds T1573; JA3 too', () => {
    const ssl = hunt(
      iocEngine(),
      zeek('ssl', [
        {
          ts: T0,
          uid: 'C',
          'id.orig_h': '10.0.0.5',
          'id.resp_h': '192.0.2.1',
          'id.resp_p': 443,
          server_name: 'x.c2.example',
          ja3: 'ef'.repeat(16),
        },
      ]),
    );
    assert.deepEqual(
      ssl.map((d) => [d.rule.id, d.ioc?.type, d.ioc?.value, d.attack.join(' ')]),
      [
        ['c2-match', 'ja3', 'ef'.repeat(16), 'T1071.001 T1573'],
        ['c2-match', 'domain', 'c2.example', 'T1071.001 T1573'],
      ],
    );
    const dns = hunt(
      iocEngine(),
      zeek('dns', [
        {
          ts: T0,
          uid: 'C',
          'id.orig_h': '10.0.0.5',
          'id.resp_h': '10.0.0.53',
          'id.resp_p': 53,
          query: 'a.b.C2.example',
        },
      ]),
    );
    assert.deepEqual(
      dns.map((d) => [d.rule.id, fieldOf(d), d.attack.join(' ')]),
      [['c2-match', 'query', 'T1071.001']],
    );
  });

  test('an HTTP GET of a file from a URLhaus URL (seen in cleartext, listed as https) → download-match, step 5', () => {
    const ds = hunt(
      iocEngine(),
      zeek('http', [
        httpRow({
          host: 'dl.example',
          uri: '/wp-content/Invoice_2024.doc',
          resp_mime_types: ['application/msword'],
        }),
      ]),
    );
    assert.deepEqual(
      ds.map((d) => [d.rule.id, d.step, d.ioc?.type, d.attack.join(' ')]),
      [['download-match', '5', 'url', 'T1105']],
    );
  });

  test('files.log / EVE fileinfo hashes → file-hash-match (critical); an HTTP POST to a C2 domain is C2, not download', () => {
    const files = hunt(
      iocEngine(),
      zeek('files', [
        {
          ts: T0,
          fuid: 'F',
          'id.orig_h': '203.0.113.9',
          'id.resp_h': '10.0.0.5',
          sha256: 'AB'.repeat(32),
        },
      ]),
    );
    assert.deepEqual(
      files.map((d) => [d.rule.id, d.rule.level, d.ioc?.feed]),
      [['file-hash-match', 'critical', 'misp:CIRCL']],
    );
    const eve = hunt(
      iocEngine(),
      events(
        buildEve([
          {
            timestamp: '2024-01-15T09:00:00Z',
            event_type: 'fileinfo',
            src_ip: '192.0.2.80',
            dest_ip: '10.0.0.5',
            fileinfo: { md5: 'cd'.repeat(16), filename: '/a.bin' },
          },
          {
            timestamp: '2024-01-15T09:00:00Z',
            event_type: 'http',
            src_ip: '10.0.0.5',
            dest_ip: '192.0.2.81',
            dest_port: 80,
            http: { hostname: 'c2.example', url: '/gate', http_method: 'POST' },
          },
        ]),
        'eve.json',
      ),
    );
    assert.deepEqual(
      eve.map((d) => [d.rule.id, d.ioc?.type, fieldOf(d)]),
      [
        ['file-hash-match', 'md5', 'fileinfo.md5'],
        ['c2-match', 'domain', 'http.hostname'],
      ],
    );
  });

  test('CIDR hits and proxy URLs; nothing for clean traffic', () => {
    const conn = hunt(
      iocEngine(),
      zeek('conn', [connRow({ 'id.resp_h': '203.0.113.200' }), connRow()]),
    );
    assert.deepEqual(
      conn.map((d) => d.ioc?.value),
      ['203.0.113.128/25'],
    );
    const squid = hunt(
      iocEngine(),
      events(
        buildSquid([
          {
            time: T0,
            client: '10.0.0.5',
            status: 200,
            method: 'GET',
            url: 'https://dl.example/wp-content/Invoice_2024.doc',
            contentType: 'application/msword',
          },
        ]),
        'access.log',
      ),
    );
    assert.deepEqual(ids(squid), ['download-match']);
    assert.deepEqual(hunt(iocEngine(), zeek('http', [httpRow()])), []);
  });
});

const heuristics = () => createIocHuntEngine({});
const http = (over: ZeekRow) => zeek('http', [httpRow(over)]);

describe('ioc hunt: heuristics without indicators', () => {
  test('lolbin-download: PowerShell, BITS, certutil and no user agent fetching EXE/DLL; not browsers, not pages', () => {
    const cases: [ZeekRow, string[], string[]?][] = [
      [
        {
          user_agent:
            'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.1',
          uri: '/x/loader.exe',
        },
        ['lolbin-download'],
        ['T1105', 'T1059.001'],
      ],
      [
        {
          user_agent: 'Microsoft BITS/7.8',
          uri: '/wp-admin/x/',
          resp_mime_types: ['application/x-dosexec'],
        },
        ['lolbin-download'],
        ['T1105', 'T1197'],
      ],
      [{ user_agent: 'CertUtil URL Agent', uri: '/a.dll' }, ['lolbin-download'], ['T1105']],
      [{ user_agent: undefined, uri: '/a.dll' }, ['lolbin-download']],
      [
        { user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120', uri: '/setup.exe' },
        [],
      ],
      [{ user_agent: 'WindowsPowerShell/5.1', uri: '/index.html' }, []],
      [{ user_agent: 'WindowsPowerShell/5.1', uri: '/a.exe', method: 'POST' }, []],
    ];
    for (const [over, want, attack] of cases) {
      const ds = hunt(heuristics(), http({ resp_mime_types: ['text/html'], ...over }));
      assert.deepEqual(ids(ds), want, JSON.stringify(over));
      if (attack) assert.deepEqual(ds[0]!.attack, attack);
      if (want.length) assert.equal(ds[0]!.step, '5');
    }
  });

  test('executable-masquerade: PE bytes named or declared as something else; honest executables are not', () => {
    assert.deepEqual(
      ids(
        hunt(
          heuristics(),
          http({ uri: '/images/logo.jpg', resp_mime_types: ['application/x-dosexec'] }),
        ),
      ),
      ['executable-masquerade'],
    );
    const eve = (http: Record<string, unknown>, fileinfo: Record<string, unknown>) =>
      ids(
        hunt(
          heuristics(),
          events(
            buildEve([
              {
                timestamp: '2024-01-15T09:00:00Z',
                event_type: 'fileinfo',
                src_ip: '203.0.113.9',
                dest_ip: '10.0.0.5',
                http: { http_user_agent: 'Mozilla/5.0', ...http },
                fileinfo,
              },
            ]),
            'eve.json',
          ),
        ),
      );
    assert.deepEqual(
      eve(
        { url: '/x', http_content_type: 'image/png' },
        { magic: 'PE32 executable (DLL) (GUI) Intel 80386, for MS Windows' },
      ),
      ['executable-masquerade'],
    );
    assert.deepEqual(
      eve(
        { url: '/setup.exe', http_content_type: 'application/x-msdownload' },
        { magic: 'PE32 executable' },
      ),
      [],
    );
    assert.deepEqual(
      eve(
        { url: '/x', http_content_type: 'application/octet-stream' },
        { magic: 'PE32 executable' },
      ),
      [],
    );
    assert.deepEqual(
      ids(
        hunt(heuristics(), http({ uri: '/setup.exe', resp_mime_types: ['application/x-dosexec'] })),
      ),
      [],
    );
  });

  test('c2-checkin-shape: POST with a body to a bare IP on an Emotet port with a random path; each part needed', () => {
    const checkin: ZeekRow = {
      method: 'POST',
      host: '198.51.100.7:8080',
      'id.resp_h': '198.51.100.7',
      'id.resp_p': 8080,
      uri: '/tvF5xQ/a2uFkq/',
      request_body_len: 388,
      resp_mime_types: undefined,
    };
    const got = hunt(heuristics(), http(checkin));
    assert.deepEqual(
      got.map((d) => [d.rule.id, d.step, d.attack.join(' ')]),
      [['c2-checkin-shape', '6', 'T1071.001 T1571']],
    );
    assert.deepEqual(
      ids(hunt(heuristics(), http({ ...checkin, host: undefined, 'id.resp_p': 443 }))),
      ['c2-checkin-shape'],
      'plain HTTP on 443, no Host',
    );
    for (const change of [
      { method: 'GET' },
      { 'id.resp_p': 80 },
      { host: 'api.example.com' },
      { uri: '/api/upload' },
      { uri: '/index.php' },
      { request_body_len: 0 },
    ] as ZeekRow[]) {
      assert.deepEqual(
        ids(hunt(heuristics(), http({ ...checkin, ...change }))),
        [],
        JSON.stringify(change),
      );
    }
  });

  test('suricata-emotet-alert: signature or malware_family naming Emotet/Heodo/Geodo; other alerts not', () => {
    const alert = (a: Record<string, unknown>) =>
      ids(
        hunt(
          heuristics(),
          events(
            buildEve([
              {
                timestamp: '2024-01-15T09:00:00Z',
                event_type: 'alert',
                src_ip: '10.0.0.5',
                dest_ip: '198.51.100.7',
                alert: a,
              },
            ]),
            'eve.json',
          ),
        ),
      );
    assert.deepEqual(alert({ signature: 'ET MALWARE W32/Emotet CnC Beacon 3' }), [
      'suricata-emotet-alert',
    ]);
    assert.deepEqual(
      alert({ signature: 'LOCAL loader beacon', metadata: { malware_family: ['Heodo'] } }),
      ['suricata-emotet-alert'],
    );
    assert.deepEqual(alert({ signature: 'ET MALWARE Win32/TrickBot CnC' }), []);
    assert.deepEqual(
      alert({ signature: 'ET POLICY Remotely accessible service' }),
      [],
      'no substring hits on "emote"',
    );
  });

  test('heuristics: false turns them off; without indicators only heuristics run', () => {
    const row = { user_agent: 'WindowsPowerShell/5.1', uri: '/a.exe' };
    assert.deepEqual(hunt(createIocHuntEngine({ heuristics: false }), http(row)), []);
    assert.deepEqual(ids(hunt(createIocHuntEngine({ iocs: buildIocSet([]) }), http(row))), [
      'lolbin-download',
    ]);
  });
});

describe('ioc hunt: C2 list rotation', () => {
  const rows = (n: number, step = 30, over: Partial<ZeekRow> = {}) =>
    Array.from({ length: n }, (_, i) =>
      connRow({
        ts: T0 + i * step,
        'id.resp_h': `198.51.100.${10 + i}`,
        'id.resp_p': [7080, 8080, 8443, 50000][i % 4],
        conn_state: 'S0',
        ...over,
      }),
    );

  test('8 distinct public addresses on C2 ports within 10 minutes → one c2-rotation at finish, with the addresses', () => {
    const engine = heuristics();
    const live = zeek('conn', [...rows(12), connRow({ 'id.orig_h': '10.0.0.9' })]).flatMap((e) =>
      engine.match(e),
    );
    assert.deepEqual(live, [], 'reported by finish(), not per record');
    const [d, ...rest] = engine.finish!();
    assert.equal(rest.length, 0);
    assert.deepEqual(
      [d!.rule.id, d!.host, d!.step, d!.time, d!.attack.join(' ')],
      ['c2-rotation', '10.0.0.5', '6', '2024-01-15T09:00:00.000Z', 'T1071.001 T1571 T1008'],
    );
    assert.equal((d!.event!.addresses as string[]).length, 12);
    assert.equal(d!.event!.connections, 12);
  });

  test('7 addresses, addresses spread over hours, private addresses or ordinary ports → nothing', () => {
    for (const list of [
      rows(7),
      rows(12, 3600),
      rows(12, 30, { 'id.resp_h': '10.1.2.3' }),
      rows(12, 30, { 'id.resp_p': 443 }),
    ]) {
      assert.deepEqual(hunt(heuristics(), zeek('conn', list)), []);
    }
    const privates = Array.from({ length: 12 }, (_, i) =>
      connRow({ ts: T0 + i, 'id.resp_h': `192.168.1.${i + 1}`, 'id.resp_p': 8080 }),
    );
    assert.deepEqual(hunt(heuristics(), zeek('conn', privates)), []);
  });

  test('state is bounded: past maxHosts the least recently seen host is dropped', () => {
    const engine = createIocHuntEngine({ rotation: { maxHosts: 2, minAddresses: 3 } });
    const noise = ['10.0.0.20', '10.0.0.21', '10.0.0.22'].map((h, i) =>
      connRow({ ts: T0 + i, 'id.orig_h': h, 'id.resp_h': '198.51.100.200', 'id.resp_p': 8080 }),
    );
    const scanner = rows(3, 1, { 'id.orig_h': '10.0.0.30', ts: undefined }).map((r, i) => ({
      ...r,
      ts: T0 + 10 + i,
    }));
    const ds = hunt(engine, zeek('conn', [...noise, ...scanner]));
    assert.deepEqual(
      ds.map((d) => d.host),
      ['10.0.0.30'],
    );
  });
});

test('ioc hunt: every rule cites known ATT&CK ids and a step; ids are unique kebab slugs', () => {
  assert.equal(new Set(IOC_HUNT_RULES.map((r) => r.id)).size, IOC_HUNT_RULES.length);
  for (const r of IOC_HUNT_RULES) {
    assert.match(r.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(r.attack.every(isKnownTechnique), r.id);
    assert.ok(['5', '6'].includes(r.step));
  }
});
