import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding, ScanResult } from '../core/index.js';
import type { FindingRecord, Store } from '../store/index.js';
import {
  logResult,
  openMemoryStore,
  saveScan,
  useMemoryStore,
} from '../../test/support/correlate-store.js';
import {
  AddressBook,
  addressFactsOf,
  ipLiteral,
  MAX_OBSERVATIONS_PER_ADDRESS,
  pickHost,
} from './addresses.js';
import { correlate } from './correlate.js';

const obs = (host: string, iso: string) => ({
  address: '192.0.2.15',
  hostId: 1,
  host,
  seenAt: new Date(iso),
  source: 'dhcp',
});

const record = (note: string, host = 'PC-01'): FindingRecord => ({
  id: 1,
  ruleId: 'sigma.x',
  title: 'x',
  severity: 'high',
  step: '6',
  attack: [],
  evidence: [{ note }],
  scanId: 1,
  artifactId: 1,
  artifactPath: 'a.evtx',
  artifactSha256: '0'.repeat(64),
  hostId: 1,
  host,
  createdAt: new Date('2024-02-01T00:00:00Z'),
  observedAt: null,
});

describe('correlate: host addresses', () => {
  test('addresses: IP literals only; IPv6 compares lower-cased', () => {
    assert.equal(ipLiteral(' 192.0.2.15 '), '192.0.2.15');
    assert.equal(ipLiteral('FE80::1'), 'fe80::1');
    for (const v of ['PC-01', '192.0.2.256', ':', '1.2.3', 'pc-01.example.com']) {
      assert.equal(ipLiteral(v), null, v);
    }
  });

  test('addresses: the host that held the address nearest the event time; one holder always wins', () => {
    const dhcp = [obs('PC-01', '2024-01-01T00:00:00Z'), obs('PC-02', '2024-01-05T00:00:00Z')];
    assert.equal(pickHost(dhcp, new Date('2024-01-02T00:00:00Z')), 'PC-01');
    assert.equal(pickHost(dhcp, new Date('2024-01-04T12:00:00Z')), 'PC-02');
    assert.equal(pickHost(dhcp, new Date('2024-01-03T00:00:00Z')), 'PC-01', 'a tie → the earlier');
    assert.equal(pickHost(dhcp, null), 'PC-02', 'no time → the newest holder');
    assert.equal(pickHost([dhcp[0]!], new Date('2030-01-01T00:00:00Z')), 'PC-01');
    assert.equal(pickHost([], null), null);
  });

  test('addresses: Sysmon 3 local side and a logon source become observations; loopback does not', () => {
    const facts = addressFactsOf(
      record(
        'PC-01 2024-01-10T00:05:00Z | host_ip=192.0.2.15 | src_host=PC-02 | src_ip=192.0.2.20',
      ),
      'PC-01',
    );
    assert.deepEqual(
      facts.map((f) => [f.host, f.address, f.seenAt.toISOString(), f.source]),
      [
        ['PC-01', '192.0.2.15', '2024-01-10T00:05:00.000Z', 'sysmon'],
        ['PC-02', '192.0.2.20', '2024-01-10T00:05:00.000Z', 'security'],
      ],
    );
    assert.deepEqual(addressFactsOf(record('PC-01 | host_ip=127.0.0.1 | src_ip=::1'), 'PC-01'), []);
    assert.deepEqual(
      addressFactsOf(record('x | host_ip=192.0.2.15', '192.0.2.15'), '192.0.2.15'),
      [],
      'a finding stored under an address names no host',
    );
  });
});

const f = (id: string, severity: Finding['severity'], note: string, at: string): Finding => ({
  id,
  title: id,
  severity,
  step: '6',
  attack: [],
  evidence: [{ text: 'x', location: 'record 1', note }],
  observedAt: at,
});

let n = 0;
const result = (findings: Finding[]): ScanResult => {
  n++;
  return logResult(`log-${n}.json`, String(n % 10).repeat(64), findings);
};

const hunt = (store: Store, host: string, findings: Finding[]) =>
  saveScan(store, 'hunt', result(findings), host);

const c2 = (at: string) =>
  f('ioc.c2-ip', 'critical', `192.0.2.15 ${at} | ip 203.0.113.5 (feodotracker)`, at);
const sysmon3 = (host: string, at: string) =>
  f('sigma.net', 'medium', `${host} ${at} | host_ip=192.0.2.15`, at);

describe('correlate: address book bounds', () => {
  test('addresses: the newest MAX_OBSERVATIONS_PER_ADDRESS observations of an address are kept', async () => {
    for (const extra of [0, 1]) {
      const store = await openMemoryStore();
      const t0 = Date.parse('2024-01-01T00:00:00Z');
      const rows = [
        { host: 'PC-OLD', address: '192.0.2.15', seenAt: new Date(t0), source: 'dhcp' },
      ];
      for (let i = 1; i < MAX_OBSERVATIONS_PER_ADDRESS + extra; i++) {
        rows.push({
          host: 'PC-NEW',
          address: '192.0.2.15',
          seenAt: new Date(t0 + 86_400_000 + i * 1000),
          source: 'dhcp',
        });
      }
      await store.addHostAddresses(rows);
      const book = new AddressBook(store);
      await book.prepare([], ['192.0.2.15']);
      assert.equal(
        book.resolve('192.0.2.15', new Date(t0)),
        extra === 0 ? 'PC-OLD' : 'PC-NEW',
        `${MAX_OBSERVATIONS_PER_ADDRESS + extra} observations`,
      );
      await store.close();
    }
  });
});

describe('correlate: network findings by client address', () => {
  let store: Store;
  useMemoryStore((s) => void (store = s));

  const subjects = async () =>
    (await store.listIncidents())
      .map((i) => `${i.subject}:${i.status}:${i.findingIds.length}`)
      .sort();

  test('address: a proxy hit joins the host whose Sysmon log showed that address', async () => {
    await hunt(store, 'PC-01', [sysmon3('PC-01', '2024-01-10T00:00:00Z')]);
    await hunt(store, '192.0.2.15', [c2('2024-01-10T00:06:00Z')]);
    await correlate(store);
    assert.deepEqual(await subjects(), ['PC-01:new:2']);
    const hosts = Object.fromEntries((await store.listHosts()).map((h) => [h.name, h.ip]));
    assert.equal(hosts['PC-01'], '192.0.2.15', 'hosts.ip is set from what the layers saw');
  });

  test('address: DHCP moved the address — each hit goes to the host that held it then', async () => {
    await hunt(store, 'PC-01', [sysmon3('PC-01', '2024-01-01T00:00:00Z')]);
    await hunt(store, 'PC-02', [sysmon3('PC-02', '2024-01-20T00:00:00Z')]);
    await hunt(store, '192.0.2.15', [c2('2024-01-02T00:00:00Z')]);
    await hunt(store, '192.0.2.15', [c2('2024-01-21T00:00:00Z')]);
    await correlate(store);
    assert.deepEqual(await subjects(), ['PC-01:new:2', 'PC-02:new:2']);
  });

  test('address: an address-named incident is merged into the host once a later log resolves it', async () => {
    await hunt(store, '192.0.2.15', [c2('2024-01-10T00:06:00Z')]);
    await correlate(store);
    assert.deepEqual(await subjects(), ['192.0.2.15:new:1']);
    await hunt(store, 'PC-01', [sysmon3('PC-01', '2024-01-10T00:00:00Z')]);
    const summary = await correlate(store);
    assert.deepEqual(await subjects(), ['192.0.2.15:closed:0', 'PC-01:new:2']);
    const host = (await store.listIncidents()).find((i) => i.subject === 'PC-01')!;
    assert.ok(summary.created.includes(host.id), 'the host incident is new in this pass');
    assert.equal(host.severity, 'critical');
    const ip = (await store.listIncidents()).find((i) => i.subject === '192.0.2.15')!;
    const notes = await store.listIncidentNotes(ip.id);
    assert.match(notes[0]!.text, new RegExp(`merged into #${host.id}`));
    const sightings = await store.listSightings({ kind: 'ip', value: '203.0.113.5' });
    assert.deepEqual(
      sightings.map((s) => s.subject),
      ['host:PC-01'],
    );
    assert.deepEqual(await correlate(store), { created: [], updated: [], linked: 0 });
  });

  test('address: an address no layer has seen stays an incident of its own', async () => {
    await hunt(store, '192.0.2.99', [c2('2024-01-10T00:06:00Z')]);
    await hunt(store, 'PC-01', [sysmon3('PC-01', '2024-01-10T00:00:00Z')]);
    await correlate(store);
    assert.deepEqual(await subjects(), ['192.0.2.99:new:1', 'PC-01:new:1']);
  });
});
