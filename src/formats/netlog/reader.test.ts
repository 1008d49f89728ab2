import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildEve,
  buildProxyCsv,
  buildSquid,
  buildZeekJson,
  buildZeekTsv,
  connRow,
  httpRow,
  T0,
  zeekTsvHeader,
  zeekTsvLine,
} from '../../../test/builders/netlog.js';
import { detectNetlogFormat, NetlogReader, readNetlog, type NetlogOptions } from './index.js';

const enc = (s: string) => new TextEncoder().encode(s);

function read(text: string, options: NetlogOptions) {
  const reader = new NetlogReader(options);
  const events = [...reader.push(enc(text)), ...reader.end()];
  return { events, anomalies: reader.anomalies, reader };
}

describe('netlog: format detection', () => {
  test('each dialect is recognised from its first line; anything else is not', () => {
    assert.equal(detectNetlogFormat('#separator \\x09'), 'zeek-tsv');
    assert.equal(detectNetlogFormat(zeekTsvLine('conn', connRow())), 'zeek-tsv');
    assert.equal(detectNetlogFormat(buildZeekJson([connRow()])), 'zeek-json');
    assert.equal(
      detectNetlogFormat('{"timestamp":"2024-01-15T09:00:00Z","event_type":"dns"}'),
      'suricata-eve',
    );
    assert.equal(
      detectNetlogFormat(
        buildSquid([
          { time: T0, client: '10.0.0.5', status: 200, method: 'GET', url: 'http://example.com/' },
        ]),
      ),
      'squid',
    );
    assert.equal(detectNetlogFormat('{"a":1}'), undefined);
    assert.equal(detectNetlogFormat('{broken'), undefined);
    assert.equal(detectNetlogFormat('hello world'), undefined);
  });

  test('an unknown log → one E_NETLOG_UNKNOWN_FORMAT anomaly at its first line, no events', () => {
    const { events, anomalies } = read('\n\nnot a log\nstill not\n', { path: 'x.log' });
    assert.equal(events.length, 0);
    assert.deepEqual(
      anomalies.map((a) => [a.code, a.line]),
      [['E_NETLOG_UNKNOWN_FORMAT', 3]],
    );
  });
});

describe('netlog: Zeek TSV', () => {
  test('typed values: times, counts, ports, booleans, sets, (empty), unset, escapes; host and ISO time', () => {
    const { events, anomalies } = read(
      buildZeekTsv('http', [
        httpRow({ uri: '/a\tb', referrer: '', resp_mime_types: ['application/x-dosexec', 'x,y'] }),
      ]),
      { path: '/var/log/zeek/http.log' },
    );
    assert.equal(anomalies.length, 0);
    const e = events[0]!;
    assert.equal(e.kind, 'network');
    assert.deepEqual(e.source, { path: '/var/log/zeek/http.log', line: 9 });
    assert.equal(e.host, '10.0.0.5');
    assert.equal(e.time, '2024-01-15T09:00:00.000Z');
    assert.equal(e.data.uri, '/a\tb');
    assert.equal(e.data.referrer, '');
    assert.equal(e.data['id.resp_p'], 80);
    assert.deepEqual(e.data.resp_mime_types, ['application/x-dosexec', 'x,y']);
    assert.deepEqual(e.data.tags, []);
    assert.equal(e.data.origin, undefined, 'unset fields have no value');
    assert.equal(JSON.stringify(e.data).includes('origin'), false);
  });

  test('header-less TSV → one E_NETLOG_ZEEK_NO_HEADER, lines skipped until a header names the columns', () => {
    const text = `${zeekTsvLine('conn', connRow())}\n${zeekTsvLine('conn', connRow())}\n${buildZeekTsv('conn', [connRow()])}`;
    const { events, anomalies } = read(text, { path: 'conn.log' });
    assert.equal(events.length, 1);
    assert.deepEqual(
      anomalies.map((a) => [a.code, a.line]),
      [['E_NETLOG_ZEEK_NO_HEADER', 1]],
    );
    assert.match(anomalies[0]!.message, /#fields/);
  });

  test('a line with the wrong column count is reported and skipped; concatenated logs switch headers', () => {
    const text =
      buildZeekTsv('conn', [connRow()]) +
      'only\tthree\tcolumns\n' +
      buildZeekTsv('dns', [{ ts: T0, uid: 'C', 'id.orig_h': '10.0.0.6', query: 'c2.example' }]);
    const { events, anomalies } = read(text, { path: 'all.log' });
    assert.deepEqual(
      events.map((e) => e.data._path),
      ['conn', 'dns'],
    );
    assert.deepEqual(
      anomalies.map((a) => a.code),
      ['E_NETLOG_ZEEK_COLUMNS'],
    );
    assert.equal(anomalies[0]!.location, 'all.log:11');
  });

  test('#path missing: the log is named from its file name; custom separators are honoured', () => {
    const text =
      '#separator \\x7c\n#set_separator|;\n#empty_field|EMPTY\n#unset_field|NONE\n#fields|ts|id.orig_h|answers|query\n#types|time|addr|vector[string]|string\n' +
      `${T0}|10.0.0.5|a;b|NONE\n${T0}|10.0.0.5|EMPTY|x.example\n`;
    const { events, anomalies } = read(text, { path: 'dns.2024-01-15-09-00-00.log' });
    assert.equal(anomalies.length, 0);
    assert.equal(events[0]!.data._path, 'dns');
    assert.deepEqual(events[0]!.data.answers, ['a', 'b']);
    assert.equal(events[0]!.data.query, undefined);
    assert.deepEqual(events[1]!.data.answers, []);
  });
});

describe('netlog: JSON logs', () => {
  test('Zeek JSON: ISO ts, nested id, broken lines reported with their number and skipped', () => {
    const text =
      '{"ts":"2024-01-15T09:00:00.000000Z","uid":"C1","id":{"orig_h":"10.0.0.7","resp_h":"198.51.100.7"}}\n' +
      '{"ts":1705309200.5,"uid":"C2","id.orig_h":"10.0.0.8"\n' +
      '[1,2]\n' +
      buildZeekJson([connRow()]);
    const { events, anomalies } = read(text, { path: 'conn.log' });
    assert.deepEqual(
      events.map((e) => e.host),
      ['10.0.0.7', '10.0.0.5'],
    );
    assert.equal(events[0]!.time, '2024-01-15T09:00:00.000Z');
    assert.deepEqual(
      anomalies.map((a) => [a.code, a.line]),
      [
        ['E_NETLOG_JSON', 2],
        ['E_NETLOG_JSON', 3],
      ],
    );
  });

  test('Suricata EVE: time in UTC, the client as host (dest_ip on DNS replies), records without event_type reported', () => {
    const text = buildEve([
      {
        timestamp: '2024-01-15T10:00:00.123456+0100',
        event_type: 'http',
        src_ip: '10.0.0.5',
        dest_ip: '203.0.113.20',
        http: { hostname: 'example.com' },
      },
      {
        timestamp: '2024-01-15T09:00:00.000000+0000',
        event_type: 'dns',
        src_ip: '10.0.0.53',
        dest_ip: '10.0.0.5',
        dns: { version: 3, type: 'response', queries: [{ rrname: 'c2.example' }] },
      },
      {
        timestamp: '2024-01-15T09:00:00.000000+0000',
        event_type: 'dns',
        src_ip: '10.0.0.53',
        dest_ip: '10.0.0.6',
        dns: { type: 'answer', rrname: 'c2.example' },
      },
      { timestamp: '2024-01-15T09:00:00Z', src_ip: '10.0.0.5' },
    ]);
    const { events, anomalies } = read(text, { path: 'eve.json' });
    assert.deepEqual(
      events.map((e) => e.host),
      ['10.0.0.5', '10.0.0.5', '10.0.0.6'],
    );
    assert.equal(events[0]!.time, '2024-01-15T09:00:00.123Z');
    assert.deepEqual(
      anomalies.map((a) => [a.code, a.line]),
      [['E_NETLOG_EVE', 4]],
    );
  });
});

describe('netlog: proxy logs', () => {
  test('Squid native: fields named, CONNECT host:port split, short lines reported', () => {
    const text =
      buildSquid([
        {
          time: T0,
          client: '10.0.0.5',
          status: 200,
          method: 'CONNECT',
          url: 'c2.example:8443',
          server: '198.51.100.7',
        },
        {
          time: T0 + 1,
          client: '10.0.0.5',
          status: 200,
          method: 'GET',
          url: 'http://example.com/a.exe',
          contentType: 'image/jpeg',
        },
      ]) + '1705309200.000 5 10.0.0.5 TCP_MISS/200\n';
    const { events, anomalies } = read(text, { path: 'access.log' });
    assert.equal(events.length, 2);
    assert.deepEqual(
      {
        host: events[0]!.data.host,
        port: events[0]!.data.server_port,
        server: events[0]!.data.server_ip,
      },
      { host: 'c2.example', port: 8443, server: '198.51.100.7' },
    );
    assert.equal(events[1]!.data.content_type, 'image/jpeg');
    assert.equal(events[1]!.host, '10.0.0.5');
    assert.equal(events[1]!.time, '2024-01-15T09:00:01.000Z');
    assert.deepEqual(
      anomalies.map((a) => [a.code, a.line]),
      [['E_NETLOG_SQUID', 3]],
    );
  });

  test('proxy CSV: mapped columns get canonical names, others keep theirs; a bad mapping is a ConfigError', () => {
    const csv = buildProxyCsv(
      ['date', 'c-ip', 'cs-uri', 'cs(User-Agent)', 'x-extra'],
      [
        [
          '2024-01-15 09:00:00',
          '10.0.0.5',
          'http://example.com:8080/a.dll',
          'WindowsPowerShell/5.1',
          'z',
        ],
      ],
    );
    const { events } = read(csv, {
      path: 'proxy.csv',
      format: 'proxy-csv',
      proxyCsv: {
        columns: { time: 'date', client_ip: 'c-ip', url: 'cs-uri', user_agent: 'cs(User-Agent)' },
      },
    });
    assert.deepEqual(events[0]!.data, {
      _path: 'proxy',
      time: '2024-01-15 09:00:00',
      client_ip: '10.0.0.5',
      url: 'http://example.com:8080/a.dll',
      user_agent: 'WindowsPowerShell/5.1',
      'x-extra': 'z',
      host: 'example.com',
      server_port: 8080,
    });
    assert.equal(events[0]!.time, '2024-01-15T09:00:00.000Z');
    assert.throws(
      () => new NetlogReader({ path: 'p.csv', proxyCsv: { columns: { nope: 'x' } as never } }),
      { code: 'E_CONFIG_PROXY_CSV' },
    );
    assert.throws(
      () => new NetlogReader({ path: 'p.csv', proxyCsv: { columns: { time: 'date' } } }),
      { code: 'E_CONFIG_PROXY_CSV' },
    );
    const missing = read(csv, { path: 'p.csv', proxyCsv: { columns: { url: 'no-such-column' } } });
    assert.deepEqual(
      missing.anomalies.map((a) => a.code),
      ['E_NETLOG_PROXY_COLUMN'],
    );
  });
});

describe('netlog: hostile input', () => {
  test('a huge line (2 GB in the field; 8 MiB here against a 1 MiB bound) is reported and the log goes on', () => {
    const reader = new NetlogReader({ path: 'eve.json', maxLineChars: 1024 * 1024 });
    const chunk = enc('{"event_type":"flow","x":"' + 'A'.repeat(256 * 1024));
    let events = reader.push(enc(buildEve([{ event_type: 'flow', src_ip: '10.0.0.1' }])));
    for (let i = 0; i < 32; i++) events = events.concat(reader.push(chunk));
    events = events.concat(
      reader.push(enc('"}\n' + buildEve([{ event_type: 'flow', src_ip: '10.0.0.2' }]))),
      reader.end(),
    );
    assert.deepEqual(
      events.map((e) => e.data.src_ip),
      ['10.0.0.1', '10.0.0.2'],
    );
    assert.deepEqual(
      reader.anomalies.map((a) => [a.code, a.line]),
      [['E_NETLOG_LINE_TOO_LONG', 2]],
    );
  });

  test('anomalies are all counted but only maxAnomalies are kept', () => {
    const text = buildEve([{ event_type: 'flow' }]) + '{bad\n'.repeat(50);
    const { anomalies, reader } = read(text, { path: 'eve.json', maxAnomalies: 10 });
    assert.equal(anomalies.length, 10);
    assert.equal(reader.anomalyCount, 50);
  });

  test('readNetlog streams chunks and returns the summary', async () => {
    const text =
      zeekTsvHeader('conn') +
      '\n' +
      Array.from({ length: 100 }, (_, i) => zeekTsvLine('conn', connRow({ ts: T0 + i }))).join(
        '\n',
      ) +
      '\n';
    const bytes = enc(text);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 97) }, (_, i) =>
      bytes.subarray(i * 97, (i + 1) * 97),
    );
    const gen = readNetlog(chunks, { path: 'conn.log' });
    let n = 0;
    let r = await gen.next();
    while (!r.done) {
      n++;
      r = await gen.next();
    }
    assert.equal(n, 100);
    assert.deepEqual(r.value, {
      format: 'zeek-tsv',
      lines: 108,
      events: 100,
      filtered: 0,
      anomalyCount: 0,
    });
  });
});
