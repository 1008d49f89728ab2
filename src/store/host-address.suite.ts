/**
 * Part of the store contract correlation relies on to name hosts and to stay idempotent: which host had
 * which address when (`addHostAddresses`), and one open incident per subject (`openSubjectIncident`).
 * Called by `runCorrelationStoreSuite` inside its `describe`, with the migrated store of the current test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from './store.js';

const at = (iso: string) => new Date(iso);

export function runHostAddressSuite(get: () => Store): void {
  test('store: host addresses are kept per (address, time, host); hosts.ip is the newest', async () => {
    const store = get();
    const rows = [
      { host: 'PC-01', address: '192.0.2.15', seenAt: at('2024-01-01T00:00:00Z'), source: 'dhcp' },
      { host: 'PC-02', address: '192.0.2.15', seenAt: at('2024-01-05T00:00:00Z'), source: 'dhcp' },
      {
        host: 'PC-01',
        address: '192.0.2.16',
        seenAt: at('2024-01-06T00:00:00Z'),
        source: 'sysmon',
      },
      { host: 'PC-01', address: 'FE80::1', seenAt: at('2024-01-02T00:00:00Z'), source: 'triage' },
    ];
    await store.addHostAddresses(rows);
    await store.addHostAddresses(rows);
    const seen = await store.listHostAddresses({ addresses: ['192.0.2.15', 'fe80::1', 'x'] });
    assert.deepEqual(
      seen.map((r) => [r.address, r.host, r.seenAt.toISOString(), r.source]),
      [
        ['192.0.2.15', 'PC-01', '2024-01-01T00:00:00.000Z', 'dhcp'],
        ['192.0.2.15', 'PC-02', '2024-01-05T00:00:00.000Z', 'dhcp'],
        ['fe80::1', 'PC-01', '2024-01-02T00:00:00.000Z', 'triage'],
      ],
    );
    const hosts = Object.fromEntries((await store.listHosts()).map((h) => [h.name, h.ip]));
    assert.deepEqual(hosts, { 'PC-01': '192.0.2.16', 'PC-02': '192.0.2.15' });
    assert.equal((await store.listHostAddresses({ host: 'PC-01' })).length, 3);
    await store.upsertHost({ name: 'PC-03', ip: '198.51.100.3' });
    const inventory = await store.listHostAddresses({ addresses: ['198.51.100.3'] });
    assert.deepEqual(
      inventory.map((r) => [r.host, r.source]),
      [['PC-03', 'inventory']],
    );
  });

  test('store: a host address that is no IP literal, or has no host or time, writes nothing', async () => {
    const store = get();
    const good = { host: 'PC-01', address: '192.0.2.1', seenAt: new Date(), source: 'dhcp' };
    for (const bad of [
      { ...good, address: 'pc-01.example.com' },
      { ...good, address: '192.0.2.256' },
      { ...good, host: '' },
      { ...good, seenAt: new Date('nope') },
      { ...good, source: '' },
    ]) {
      await assert.rejects(store.addHostAddresses([good, bad]), { code: 'E_STORE_INVALID_HOST' });
    }
    assert.deepEqual(await store.listHostAddresses({ addresses: ['192.0.2.1'] }), []);
    assert.deepEqual(await store.listHosts(), []);
    await assert.rejects(store.listHostAddresses({}), { code: 'E_STORE_INVALID_QUERY' });
  });

  test('store: openSubjectIncident is get-or-create per kind and subject, case-insensitively', async () => {
    const store = get();
    const input = {
      title: 'PC-01',
      kind: 'host' as const,
      subject: 'PC-01',
      severity: 'info' as const,
    };
    const [a, b] = await Promise.all([
      store.openSubjectIncident(input),
      store.openSubjectIncident({ ...input, subject: 'pc-01' }),
    ]);
    assert.equal(a.created, true);
    assert.equal(b.created, false);
    assert.equal(b.incident.id, a.incident.id);
    const mailbox = await store.openSubjectIncident({ ...input, kind: 'mailbox' });
    assert.equal(mailbox.created, true, 'another kind is another subject');
    // Split-offs and hand-made incidents of the subject are not the subject's incident.
    const manual = await store.createIncident({ ...input });
    assert.equal((await store.openSubjectIncident(input)).incident.id, a.incident.id);
    assert.notEqual(manual.id, a.incident.id);
    // Closed → the next one is new; reopening the old one leaves the new one the subject's.
    await store.updateIncident(a.incident.id, { status: 'closed' });
    const next = await store.openSubjectIncident(input);
    assert.equal(next.created, true);
    const reopened = await store.updateIncident(a.incident.id, { status: 'investigating' });
    assert.equal(reopened.status, 'investigating');
    assert.equal((await store.openSubjectIncident(input)).incident.id, next.incident.id);
    await assert.rejects(store.openSubjectIncident({ ...input, subject: '' }), {
      code: 'E_STORE_INVALID_INCIDENT',
    });
  });
}
