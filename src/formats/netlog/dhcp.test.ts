import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildEve, buildZeekJson, buildZeekTsv } from '../../../test/builders/netlog.js';
import { DhcpLeaseReader, MAX_DHCP_CLIENTS, NetlogReader, type DhcpLease } from './index.js';

const T0 = 1_705_309_200; // 2024-01-15T09:00:00Z

function leases(text: string, path: string, reader = new DhcpLeaseReader()): DhcpLease[] {
  const netlog = new NetlogReader({ path });
  const events = [...netlog.push(new TextEncoder().encode(text)), ...netlog.end()];
  assert.equal(netlog.anomalyCount, 0, 'the log reads cleanly');
  return events.map((e) => reader.read(e)).filter((l): l is DhcpLease => l !== undefined);
}

const zeekRows = [
  {
    ts: T0,
    uids: ['C1'],
    mac: '00:11:22:33:44:AA',
    host_name: 'PC-SALES-01',
    assigned_addr: '10.0.0.5',
    lease_time: 3600,
    msg_types: ['DISCOVER', 'OFFER', 'REQUEST', 'ACK'],
  },
  // A NAK'd exchange assigns nothing; a client that gave only its FQDN is named by its first label.
  {
    ts: T0 + 10,
    mac: '00:11:22:33:44:bb',
    host_name: 'PC-X',
    assigned_addr: '10.0.0.6',
    msg_types: ['REQUEST', 'NAK'],
  },
  {
    ts: T0 + 7200,
    mac: '00:11:22:33:44:cc',
    client_fqdn: 'pc-hr-02.corp.example',
    assigned_addr: '10.0.0.5',
    msg_types: ['REQUEST', 'ACK'],
  },
  // No name at all, or no address: nothing to record.
  { ts: T0 + 7300, mac: '00:11:22:33:44:dd', assigned_addr: '10.0.0.7', msg_types: ['ACK'] },
];

const expected: DhcpLease[] = [
  {
    host: 'PC-SALES-01',
    address: '10.0.0.5',
    seenAt: '2024-01-15T09:00:00.000Z',
    mac: '00:11:22:33:44:aa',
    leaseSeconds: 3600,
  },
  {
    host: 'pc-hr-02',
    address: '10.0.0.5',
    seenAt: '2024-01-15T11:00:00.000Z',
    mac: '00:11:22:33:44:cc',
  },
];

const withoutLines = (list: DhcpLease[]) => list.map(({ line: _line, ...rest }) => rest);

test('dhcp: Zeek dhcp.log (TSV) → leases of ACKed exchanges, by host_name or the FQDN first label', () => {
  const got = leases(buildZeekTsv('dhcp', zeekRows), 'dhcp.log');
  assert.deepEqual(withoutLines(got), expected);
  assert.equal(got[0]?.line, 9, 'the line of the record (after the 8 header lines)');
});

test('dhcp: Zeek dhcp.log as JSON gives the same leases', () => {
  assert.deepEqual(withoutLines(leases(buildZeekJson(zeekRows), 'dhcp.log')), expected);
});

test('dhcp: Suricata EVE — the ACK takes the host name the request gave, by client MAC', () => {
  const eve = (ts: string, dhcp: Record<string, unknown>) => ({
    timestamp: ts,
    event_type: 'dhcp',
    src_ip: '10.0.0.1',
    dest_ip: '10.0.0.5',
    proto: 'UDP',
    dhcp,
  });
  const text = buildEve([
    eve('2024-01-15T09:00:00.000000+0000', {
      type: 'request',
      client_mac: '00:11:22:33:44:AA',
      dhcp_type: 'request',
      hostname: 'PC-SALES-01',
    }),
    eve('2024-01-15T09:00:01.000000+0000', {
      type: 'reply',
      client_mac: '00:11:22:33:44:aa',
      dhcp_type: 'offer',
      assigned_ip: '10.0.0.5',
    }),
    eve('2024-01-15T09:00:02.000000+0000', {
      type: 'reply',
      client_mac: '00:11:22:33:44:aa',
      dhcp_type: 'ack',
      assigned_ip: '10.0.0.5',
      lease_time: 86400,
    }),
    eve('2024-01-15T09:00:03.000000+0000', {
      type: 'reply',
      client_mac: '00:11:22:33:44:ee',
      dhcp_type: 'ack',
      assigned_ip: '10.0.0.9',
    }),
    eve('2024-01-15T09:00:04.000000+0000', {
      type: 'reply',
      client_mac: '00:11:22:33:44:aa',
      dhcp_type: 'ack',
      assigned_ip: '0.0.0.0',
    }),
  ]);
  assert.deepEqual(withoutLines(leases(text, 'eve.json')), [
    {
      host: 'PC-SALES-01',
      address: '10.0.0.5',
      seenAt: '2024-01-15T09:00:02.000Z',
      mac: '00:11:22:33:44:aa',
      leaseSeconds: 86400,
    },
  ]);
});

test('dhcp: host names that are not names (spaces, markup, 64+ chars) are refused', () => {
  const rows = ['bad name', '<b>x</b>', 'a'.repeat(64), 'a'.repeat(63)].map((host_name, i) => ({
    ts: T0 + i,
    host_name,
    assigned_addr: '10.0.0.5',
    msg_types: ['ACK'],
  }));
  assert.deepEqual(
    leases(buildZeekJson(rows), 'dhcp.log').map((l) => l.host),
    ['a'.repeat(63)],
  );
});

test('dhcp: MAC → name memory is bounded at MAX_DHCP_CLIENTS, the oldest forgotten first', () => {
  const reader = new DhcpLeaseReader();
  const request = (i: number) => ({
    kind: 'network' as const,
    source: { path: 'eve.json' },
    time: '2024-01-15T09:00:00.000Z',
    data: {
      event_type: 'dhcp',
      dhcp: { type: 'request', client_mac: `m${i}`, hostname: `PC-${i}` },
    },
  });
  const ack = (i: number) => ({
    ...request(i),
    data: {
      event_type: 'dhcp',
      dhcp: { type: 'reply', dhcp_type: 'ack', client_mac: `m${i}`, assigned_ip: '10.0.0.5' },
    },
  });
  for (let i = 0; i <= MAX_DHCP_CLIENTS; i++) reader.read(request(i));
  assert.equal(
    reader.read(ack(0)),
    undefined,
    'the first client, one past the bound, is forgotten',
  );
  assert.equal(reader.read(ack(1))?.host, 'PC-1', 'the one at the bound is remembered');
});
