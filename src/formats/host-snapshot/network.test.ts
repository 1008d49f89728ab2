import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildCleanSnapshot, snapshotBytes } from '../../../test/builders/host-snapshot.js';
import { normalizeIp, parseHostSnapshot } from './index.js';

const parseNetwork = (network: unknown, limits = {}) => {
  const { snapshots, anomalies } = parseHostSnapshot(
    snapshotBytes({ ...buildCleanSnapshot(), network }),
    { limits },
  );
  return { addresses: snapshots[0]!.network.addresses, anomalies };
};

describe('host-snapshot: network addresses', () => {
  test('a snapshot without network has no addresses and no anomaly', () => {
    const { snapshots, anomalies } = parseHostSnapshot(snapshotBytes(buildCleanSnapshot()));
    assert.deepEqual(snapshots[0]!.network, { addresses: [] });
    assert.deepEqual(anomalies, []);
  });

  test('WMI-shaped rows: an adapter with a list of addresses is one row per address, MAC normalised, IPv6 zone dropped', () => {
    const { addresses, anomalies } = parseNetwork({
      addresses: [
        {
          ip: ['192.168.10.25', 'FE80::1%12'],
          mac: '00-15-5D-01-02-03',
          interface: 'Ethernet0',
        },
        '10.0.0.7',
      ],
    });
    assert.deepEqual(anomalies, []);
    assert.deepEqual(addresses, [
      { ip: '192.168.10.25', mac: '00:15:5d:01:02:03', interface: 'Ethernet0' },
      { ip: 'fe80::1', mac: '00:15:5d:01:02:03', interface: 'Ethernet0' },
      { ip: '10.0.0.7' },
    ]);
  });

  test('a host name, garbage or a non-string ip is dropped with an anomaly; a bad MAC is left out', () => {
    const { addresses, anomalies } = parseNetwork({
      addresses: [
        { ip: 'ws-0042.corp.example' },
        { ip: 42 },
        { ip: '999.1.1.1' },
        { ip: '192.168.10.26', mac: 'not-a-mac' },
      ],
    });
    assert.deepEqual(addresses, [{ ip: '192.168.10.26' }]);
    assert.equal(anomalies.filter((a) => a.code === 'E_SNAPSHOT_ROW').length, 3);
  });

  test('network that is not an object → one anomaly, no addresses', () => {
    const { addresses, anomalies } = parseNetwork(['192.168.10.25']);
    assert.deepEqual(addresses, []);
    assert.equal(anomalies[0]?.code, 'E_SNAPSHOT_FIELD_TYPE');
  });

  test('maxAddresses: at the limit all are kept; past it the rest are dropped with a limit anomaly', () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => `10.1.${i >> 8}.${i & 255}`);
    const at = parseNetwork({ addresses: rows(8) }, { maxAddresses: 8 });
    assert.equal(at.addresses.length, 8);
    assert.deepEqual(at.anomalies, []);
    const past = parseNetwork({ addresses: rows(9) }, { maxAddresses: 8 });
    assert.equal(past.addresses.length, 8);
    assert.equal(past.anomalies[0]?.code, 'E_LIMIT_SNAPSHOT_ITEMS');
    // One adapter with a huge address list is bounded too.
    const spread = parseNetwork({ addresses: [{ ip: rows(20) }] }, { maxAddresses: 8 });
    assert.equal(spread.addresses.length, 8);
  });

  test('normalizeIp keeps IP literals only', () => {
    assert.equal(normalizeIp(' 192.168.1.1 '), '192.168.1.1');
    assert.equal(normalizeIp('2001:DB8::1'), '2001:db8::1');
    assert.equal(normalizeIp('example.com'), null);
    assert.equal(normalizeIp('1.2.3'), null);
    assert.equal(normalizeIp('::'), '::');
  });
});
