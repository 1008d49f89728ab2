/**
 * Second half of the store contract: filters, stats, IOCs, hosts and incidents. Called by
 * `runStoreSuite` inside its `describe`, with the migrated store of the current test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from './store.js';
import { buildCleanNode, buildMailTree } from './suite-fixtures.js';

/** Two scans: A = one mail tree on host pc-a; B = a second mail tree and a clean file on pc-b. */
async function fill(store: Store): Promise<{ a: number; b: number }> {
  const a = await store.beginScan({ command: 'scan', args: ['a'], host: 'pc-a' });
  await store.saveResults(a, [buildMailTree('a/mail.eml')]);
  const b = await store.beginScan({ command: 'scan', args: ['b'] });
  await store.saveResults(b, [buildMailTree('b/mail.eml'), buildCleanNode('b/clean.txt')], {
    host: 'pc-b',
  });
  return { a, b };
}

export function runStoreQuerySuite(get: () => Store): void {
  test('store: listArtifacts filters by scan, verdict and sha256, and pages', async () => {
    const store = get();
    const { a, b } = await fill(store);
    assert.equal((await store.listArtifacts({ scanId: a })).length, 4);
    assert.equal((await store.listArtifacts({ scanId: b })).length, 5);
    assert.equal((await store.listArtifacts({ verdict: 'clean' })).length, 3);
    const malicious = await store.listArtifacts({ scanId: b, verdict: 'malicious' });
    assert.deepEqual(
      malicious.map((r) => r.path),
      ['b/mail.eml', 'b/mail.eml!invoice.doc', 'b/mail.eml!invoice.doc!Macros/VBA/ThisDocument'],
    );
    const [one] = await store.listArtifacts({ sha256: malicious[1]!.sha256 });
    assert.equal(one?.id, malicious[1]!.id);
    const page1 = await store.listArtifacts({ limit: 3 });
    const page2 = await store.listArtifacts({ limit: 3, offset: 3 });
    assert.equal(page1.length, 3);
    assert.ok(page2[0]!.id > page1[2]!.id);
    await assert.rejects(store.listArtifacts({ limit: -1 }), { code: 'E_STORE_INVALID_QUERY' });
    await assert.rejects(store.listArtifacts({ offset: 1.5 }), { code: 'E_STORE_INVALID_QUERY' });
  });

  test('store: listFindings filters by scan, step, minSeverity, rule id, host, artifact', async () => {
    const store = get();
    const { a, b } = await fill(store);
    const ids = async (q: Parameters<Store['listFindings']>[0]) =>
      (await store.listFindings(q)).map((f) => f.ruleId);
    assert.equal((await store.listFindings()).length, 8);
    assert.deepEqual(await ids({ scanId: a, step: '3' }), ['test.autoexec']);
    assert.deepEqual(await ids({ scanId: a, minSeverity: 'high' }), [
      'test.autoexec',
      'test.wmi-process',
    ]);
    assert.deepEqual(await ids({ scanId: b, minSeverity: 'critical' }), ['test.autoexec']);
    assert.equal((await ids({ minSeverity: 'info' })).length, 8);
    assert.equal((await ids({ ruleId: 'test.wmi-process' })).length, 2);
    assert.deepEqual(await ids({ host: 'pc-a', step: '1' }), ['test.office-attachment']);
    assert.equal((await ids({ host: 'pc-b' })).length, 4);
    assert.equal((await ids({ host: 'nobody' })).length, 0);
    const [mail] = await store.listArtifacts({ scanId: b, limit: 1 });
    assert.deepEqual(await ids({ artifactId: mail!.id }), ['test.office-attachment']);
    const all = await store.listFindings({ host: 'pc-a' });
    assert.ok(all.every((f) => f.host === 'pc-a' && f.hostId !== null && f.scanId === a));
    const paged = await store.listFindings({ limit: 2, offset: 6 });
    assert.deepEqual(
      paged.map((f) => f.host),
      ['pc-b', 'pc-b'],
    );
  });

  test('store: stats count verdicts, steps, severities and rules, globally and per scan', async () => {
    const store = get();
    const { a, b } = await fill(store);
    const forA = await store.stats({ scanId: a });
    assert.deepEqual(forA.totals, { scans: 1, inputs: 1, artifacts: 4, findings: 4 });
    assert.deepEqual(forA.inputsByVerdict, { clean: 0, suspicious: 0, malicious: 1 });
    assert.deepEqual(forA.artifactsByVerdict, { clean: 1, suspicious: 0, malicious: 3 });
    assert.deepEqual(forA.findingsByStep, {
      '1': 1,
      '2': 1,
      '3': 1,
      '4': 1,
      '5': 0,
      '6': 0,
      post: 0,
    });
    assert.deepEqual(forA.findingsBySeverity, { info: 1, low: 0, medium: 1, high: 1, critical: 1 });
    assert.deepEqual(
      forA.findingsByRule.find((r) => r.ruleId === 'test.autoexec'),
      {
        ruleId: 'test.autoexec',
        title: 'Macro runs on open',
        severity: 'critical',
        step: '3',
        attack: ['T1059.005', 'T1204.002'],
        count: 1,
      },
    );
    const all = await store.stats();
    assert.deepEqual(all.totals, { scans: 2, inputs: 3, artifacts: 9, findings: 8 });
    assert.deepEqual(all.inputsByVerdict, { clean: 1, suspicious: 0, malicious: 2 });
    assert.equal(all.findingsByRule.length, 4);
    assert.ok(all.findingsByRule.every((r) => r.count === 2));
    assert.deepEqual(
      all.findingsByRule.map((r) => r.ruleId),
      ['test.autoexec', 'test.info', 'test.office-attachment', 'test.wmi-process'],
    );
    const empty = await store.stats({ scanId: b + 100 });
    assert.deepEqual(empty.totals, { scans: 0, inputs: 0, artifacts: 0, findings: 0 });
  });

  test('store: listIocs returns distinct values per kind with artifact counts', async () => {
    const store = get();
    const { a } = await fill(store);
    assert.deepEqual(await store.listIocs({ scanId: a }), [
      { kind: 'domains', value: 'malicious.example.com', artifacts: 2 },
      { kind: 'emails', value: 'sender@example.com', artifacts: 1 },
      { kind: 'ips', value: '198.51.100.7', artifacts: 1 },
      { kind: 'urls', value: 'http://malicious.example.com/payload.exe', artifacts: 1 },
      { kind: 'urls', value: 'https://198.51.100.7/x', artifacts: 1 },
    ]);
    const domains = await store.listIocs({ kind: 'domains' });
    assert.deepEqual(domains, [{ kind: 'domains', value: 'malicious.example.com', artifacts: 4 }]);
    await assert.rejects(store.listIocs({ kind: 'nope' as 'urls' }), {
      code: 'E_STORE_INVALID_QUERY',
    });
  });

  test('store: hosts upsert by name, keep known fields, list by name', async () => {
    const store = get();
    const t1 = new Date('2024-05-01T00:00:00.000Z');
    const t2 = new Date('2024-05-02T00:00:00.000Z');
    const h = await store.upsertHost({
      name: 'pc-2',
      ip: '192.0.2.10',
      os: 'Windows 10',
      lastSeen: t1,
    });
    assert.deepEqual(h, {
      id: h.id,
      name: 'pc-2',
      ip: '192.0.2.10',
      os: 'Windows 10',
      firstSeen: t1,
      lastSeen: t1,
    });
    const again = await store.upsertHost({ name: 'pc-2', ip: '192.0.2.11', lastSeen: t2 });
    assert.deepEqual(again, { ...h, ip: '192.0.2.11', lastSeen: t2 });
    const older = await store.upsertHost({ name: 'pc-2', lastSeen: t1 });
    assert.deepEqual(older.lastSeen, t2, 'an older sighting does not move lastSeen back');
    await store.upsertHost({ name: 'pc-1' });
    assert.deepEqual(
      (await store.listHosts()).map((x) => x.name),
      ['pc-1', 'pc-2'],
    );
  });

  test('store: incidents are created, patched, listed by status and linked to findings', async () => {
    const store = get();
    await fill(store);
    const host = await store.upsertHost({ name: 'pc-a' });
    const created = await store.createIncident({
      title: 'Emotet on pc-a',
      hostId: host.id,
      severity: 'critical',
      steps: ['4', '3', '3'],
    });
    assert.equal(created.status, 'new');
    assert.deepEqual(created.steps, ['3', '4']);
    assert.deepEqual(created.findingIds, []);
    assert.ok(created.createdAt instanceof Date);
    const other = await store.createIncident({ title: 'x', severity: 'low', status: 'closed' });
    assert.equal(other.hostId, null);

    const findings = await store.listFindings({ host: 'pc-a' });
    const ids = findings.map((f) => f.id);
    await store.linkFindings(created.id, ids);
    await store.linkFindings(created.id, ids.slice(0, 2));
    assert.deepEqual((await store.getIncident(created.id))?.findingIds, ids);

    const patched = await store.updateIncident(created.id, {
      status: 'contained',
      title: undefined,
    });
    assert.equal(patched.status, 'contained');
    assert.equal(patched.title, 'Emotet on pc-a');
    assert.equal(patched.severity, 'critical');
    assert.deepEqual(patched.findingIds, ids);
    const unlinked = await store.updateIncident(created.id, { hostId: null });
    assert.equal(unlinked.hostId, null);

    assert.deepEqual(
      (await store.listIncidents()).map((i) => i.id),
      [other.id, created.id],
    );
    assert.deepEqual(
      (await store.listIncidents({ status: 'contained' })).map((i) => i.id),
      [created.id],
    );
    assert.equal(await store.getIncident(9999), undefined);
  });

  test('store: incident misuse → coded errors, and nothing half-linked', async () => {
    const store = get();
    await fill(store);
    const inc = await store.createIncident({ title: 't', severity: 'high' });
    const [f] = await store.listFindings({ limit: 1 });
    await assert.rejects(store.linkFindings(inc.id, [f!.id, 999_999]), {
      code: 'E_STORE_NOT_FOUND',
    });
    assert.deepEqual((await store.getIncident(inc.id))?.findingIds, []);
    await assert.rejects(store.linkFindings(999, [f!.id]), { code: 'E_STORE_NOT_FOUND' });
    await assert.rejects(store.updateIncident(999, { status: 'closed' }), {
      code: 'E_STORE_NOT_FOUND',
    });
    await assert.rejects(store.updateIncident(inc.id, { status: 'done' as 'new' }), {
      code: 'E_STORE_INVALID_INCIDENT',
    });
    await assert.rejects(store.createIncident({ title: 't', severity: 'bad' as 'low' }), {
      code: 'E_STORE_INVALID_INCIDENT',
    });
    await assert.rejects(
      store.createIncident({ title: 't', severity: 'low', steps: ['9' as '1'] }),
      {
        code: 'E_STORE_INVALID_INCIDENT',
      },
    );
    await assert.rejects(store.createIncident({ title: 't', severity: 'low', hostId: 999 }), {
      code: 'E_STORE_NOT_FOUND',
    });
  });
}
