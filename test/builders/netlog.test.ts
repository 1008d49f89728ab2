import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NetlogReader, type NetlogOptions } from '../../src/formats/netlog/index.js';
import {
  buildEve,
  buildProxyCsv,
  buildSquid,
  buildZeekJson,
  buildZeekTsv,
  connRow,
  httpRow,
  T0,
  ZEEK_SCHEMAS,
  type ZeekLog,
} from './netlog.js';

function read(text: string, options: NetlogOptions) {
  const reader = new NetlogReader(options);
  const events = [...reader.push(new TextEncoder().encode(text)), ...reader.end()];
  return { events, reader };
}

test('buildZeekTsv: every Zeek log round-trips through the TSV reader, unset fields left out', () => {
  const rows: Record<ZeekLog, Record<string, unknown>> = {
    conn: connRow({ tunnel_parents: ['a,b', 'c'], service: undefined }),
    http: httpRow({ uri: '/a\tb\\c', resp_mime_types: ['application/x-dosexec'], referrer: '' }),
    dns: {
      ts: T0,
      uid: 'C1',
      'id.orig_h': '10.0.0.5',
      query: 'c2.example',
      answers: ['198.51.100.7'],
      TTLs: [60],
      AA: false,
    },
    ssl: {
      ts: T0,
      uid: 'C2',
      'id.orig_h': '10.0.0.5',
      server_name: 'c2.example',
      ja3: 'ab'.repeat(16),
      established: true,
    },
    files: {
      ts: T0,
      fuid: 'F1',
      'id.orig_h': '203.0.113.20',
      sha256: 'cd'.repeat(32),
      analyzers: ['SHA256', 'MD5'],
    },
    'files-legacy': {
      ts: T0,
      fuid: 'F2',
      tx_hosts: ['203.0.113.20'],
      rx_hosts: ['10.0.0.5'],
      md5: 'ef'.repeat(16),
    },
    dhcp: {
      ts: T0,
      uids: ['C4'],
      mac: '00:11:22:33:44:55',
      host_name: 'PC-SALES-01',
      assigned_addr: '10.0.0.5',
      lease_time: 86400,
      msg_types: ['REQUEST', 'ACK'],
    },
    smtp: {
      ts: T0,
      uid: 'C3',
      'id.orig_h': '10.0.0.5',
      mailfrom: 'a@example.com',
      rcptto: ['b@example.com'],
      path: ['198.51.100.1'],
    },
  };
  for (const [log, row] of Object.entries(rows) as [ZeekLog, Record<string, unknown>][]) {
    const { events, reader } = read(buildZeekTsv(log, [row]), { path: `${log}.log` });
    assert.equal(reader.anomalyCount, 0, log);
    assert.equal(events.length, 1, log);
    const expected = Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined));
    const path = log === 'files-legacy' ? 'files' : log;
    assert.deepEqual(
      JSON.parse(JSON.stringify(events[0]!.data)),
      { _path: path, ...expected },
      log,
    );
    assert.ok(ZEEK_SCHEMAS[log].length > 5);
  }
});

test('buildZeekJson, buildEve, buildSquid, buildProxyCsv: read back as written', () => {
  const row = connRow();
  assert.deepEqual(read(buildZeekJson([row]), { path: 'conn.log' }).events[0]!.data, {
    ...row,
    _path: 'conn',
  });
  const eve = {
    timestamp: '2024-01-15T09:00:00.000000+0000',
    event_type: 'flow',
    src_ip: '10.0.0.5',
    dest_ip: '198.51.100.7',
  };
  assert.deepEqual(read(buildEve([eve]), { path: 'eve.json' }).events[0]!.data, eve);
  const squid = read(
    buildSquid([
      {
        time: T0,
        client: '10.0.0.5',
        status: 200,
        method: 'GET',
        url: 'http://example.com/a.exe',
        server: '203.0.113.9',
        contentType: 'application/x-msdownload',
      },
    ]),
    { path: 'access.log' },
  ).events[0]!.data;
  assert.equal(squid.url, 'http://example.com/a.exe');
  assert.equal(squid.content_type, 'application/x-msdownload');
  const csv = read(
    buildProxyCsv(
      ['date', 'c-ip', 'cs-uri'],
      [['2024-01-15 09:00:00', '10.0.0.5', 'http://example.com/"a",b']],
    ),
    {
      path: 'proxy.csv',
      proxyCsv: { columns: { time: 'date', client_ip: 'c-ip', url: 'cs-uri' } },
    },
  ).events[0]!.data;
  assert.equal(csv.url, 'http://example.com/"a",b');
});
