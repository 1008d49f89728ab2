/**
 * Third part of the store contract: what correlation and the incident workflow need — event times, mail
 * envelopes, incident kind/subject/owner, notes, merge and split, the sightings index and the cursor.
 * Called by `runStoreSuite` inside its `describe`, with the migrated store of the current test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExtractedMail } from '../core/index.js';
import type { Store } from './store.js';
import { runHostAddressSuite } from './host-address.suite.js';
import { buildMailTree, HOSTILE_STRINGS } from './suite-fixtures.js';

const ENVELOPE: ExtractedMail = {
  from: 'Sender@Example.com',
  fromName: '請求書 担当 <boss@example.net>',
  to: ['taro@example.co.jp'],
  cc: ['hanako@example.co.jp'],
  replyTo: [],
  subject: '<script>alert(1)</script> 請求書',
  date: '2024-01-10T00:00:00.000Z',
  messageId: '<m1@example.com>',
  inReplyTo: null,
  quoted: ['partner@example.org'],
};

/** The suite's mail tree with an envelope on the mail and event times on two findings. */
async function fillMail(store: Store) {
  const tree = buildMailTree('c/mail.eml');
  tree.extracted.mail = ENVELOPE;
  tree.findings[0]!.observedAt = '2024-01-10T00:00:00.000Z';
  const scanId = await store.beginScan({ command: 'scan', args: [] });
  await store.saveResults(scanId, [tree]);
  const rows = await store.listArtifacts({ scanId });
  const findings = await store.listFindings({ scanId });
  return { tree, scanId, rows, findings };
}

async function incidentWith(store: Store, findingIds: number[], title = 't') {
  const i = await store.createIncident({
    title,
    kind: 'mailbox',
    subject: 'taro@example.co.jp',
    severity: 'low',
  });
  await store.linkFindings(i.id, findingIds);
  return i;
}

export function runCorrelationStoreSuite(get: () => Store): void {
  test('store: a finding event time round-trips (observedAt), null when unknown or unparsable', async () => {
    const store = get();
    const { tree, rows, findings } = await fillMail(store);
    assert.deepEqual(findings[0]!.observedAt, new Date('2024-01-10T00:00:00.000Z'));
    assert.equal(findings[1]!.observedAt, null);
    assert.deepEqual(await store.getResult(rows[0]!.id), tree);
    const scanId = await store.beginScan({ command: 'scan', args: [] });
    const bad = buildMailTree('d/mail.eml');
    bad.findings[0]!.observedAt = 'not a date';
    await store.saveResults(scanId, [bad]);
    assert.equal((await store.listFindings({ scanId }))[0]!.observedAt, null);
  });

  test('store: mail envelopes are kept per mail artifact and found by address, message id and artifact', async () => {
    const store = get();
    const { rows } = await fillMail(store);
    const [mail] = await store.listMails();
    assert.equal(mail!.artifactId, rows[0]!.id);
    assert.equal(mail!.path, 'c/mail.eml');
    assert.deepEqual(
      { ...mail, artifactId: 0, scanId: 0, path: '', sha256: '' },
      { ...ENVELOPE, artifactId: 0, scanId: 0, path: '', sha256: '' },
    );
    for (const address of [
      'sender@example.com',
      'TARO@example.co.jp',
      'hanako@example.co.jp',
      'partner@example.org',
    ]) {
      assert.equal((await store.listMails({ address })).length, 1, address);
    }
    assert.equal((await store.listMails({ address: 'nobody@example.com' })).length, 0);
    assert.equal((await store.listMails({ messageId: '<m1@example.com>' })).length, 1);
    assert.equal((await store.listMails({ artifactIds: [rows[1]!.id] })).length, 0);
    const delivered = await store.findDeliveringMails([
      rows[2]!.id,
      rows[1]!.id,
      rows[0]!.id,
      999_999,
    ]);
    assert.deepEqual(
      delivered.map((d) => [d.artifactId, d.mail.artifactId]),
      [
        [rows[2]!.id, rows[0]!.id],
        [rows[1]!.id, rows[0]!.id],
        [rows[0]!.id, rows[0]!.id],
      ],
    );
    assert.deepEqual(
      (await store.listArtifacts({ parentId: rows[0]!.id })).map((r) => r.name),
      ['invoice.doc', 'readme.txt'],
    );
  });

  test('store: incidents keep kind, subject and owner; findings filter by incident and after an id', async () => {
    const store = get();
    const { findings } = await fillMail(store);
    const i = await store.createIncident({
      title: 'x',
      kind: 'host',
      subject: HOSTILE_STRINGS[2]!,
      owner: '山田',
      severity: 'high',
    });
    assert.deepEqual([i.kind, i.subject, i.owner], ['host', HOSTILE_STRINGS[2], '山田']);
    assert.equal((await store.updateIncident(i.id, { owner: null })).owner, null);
    await store.linkFindings(i.id, [findings[1]!.id, findings[3]!.id]);
    assert.deepEqual(
      (await store.listFindings({ incidentId: i.id })).map((f) => f.id),
      [findings[1]!.id, findings[3]!.id],
    );
    assert.deepEqual(
      (await store.listFindings({ afterId: findings[2]!.id })).map((f) => f.id),
      [findings[3]!.id],
    );
    const { rows } = { rows: await store.listArtifacts({ scanId: findings[0]!.scanId }) };
    assert.deepEqual(
      (await store.listFindings({ underArtifactId: rows[1]!.id })).map((f) => f.ruleId),
      ['test.autoexec', 'test.wmi-process'],
    );
    assert.equal((await store.listFindings({ underArtifactId: rows[0]!.id })).length, 4);
    await store.unlinkFindings(i.id, [findings[1]!.id, 424242]);
    assert.deepEqual((await store.getIncident(i.id))!.findingIds, [findings[3]!.id]);
    await assert.rejects(
      store.createIncident({ title: 'x', kind: 'planet' as 'host', severity: 'low' }),
      { code: 'E_STORE_INVALID_INCIDENT' },
    );
    await assert.rejects(store.listFindings({ afterId: -1 }), { code: 'E_STORE_INVALID_QUERY' });
  });

  test('store: notes are appended in order, hostile text kept; empty, oversized or orphan notes refused', async () => {
    const store = get();
    const i = await store.createIncident({ title: 'n', severity: 'low' });
    const a = await store.addIncidentNote(i.id, {
      author: 'soc',
      text: HOSTILE_STRINGS[4]!,
      at: new Date('2024-01-01T00:00:00.000Z'),
    });
    await store.addIncidentNote(i.id, { author: '山田', text: '隔離しました' });
    const notes = await store.listIncidentNotes(i.id);
    assert.deepEqual(
      notes.map((n) => [n.author, n.text]),
      [
        ['soc', HOSTILE_STRINGS[4]],
        ['山田', '隔離しました'],
      ],
    );
    assert.deepEqual(a.createdAt, new Date('2024-01-01T00:00:00.000Z'));
    await assert.rejects(store.addIncidentNote(i.id, { author: 'x', text: '  ' }), {
      code: 'E_STORE_INVALID_NOTE',
    });
    await assert.rejects(
      store.addIncidentNote(i.id, { author: 'x', text: 'y'.repeat(64 * 1024 + 1) }),
      { code: 'E_STORE_INVALID_NOTE' },
    );
    await store.addIncidentNote(i.id, { author: 'x', text: 'y'.repeat(64 * 1024) });
    await assert.rejects(store.addIncidentNote(9999, { author: 'x', text: 'y' }), {
      code: 'E_STORE_NOT_FOUND',
    });
  });

  test('store: merge moves links into the target, closes sources with a note, keeps the worst severity', async () => {
    const store = get();
    const { findings } = await fillMail(store);
    const target = await incidentWith(store, [findings[0]!.id]);
    const s1 = await incidentWith(store, [findings[1]!.id, findings[0]!.id]);
    const s2 = await incidentWith(store, [findings[2]!.id]);
    const merged = await store.mergeIncidents(target.id, [s1.id, s2.id], { author: 'soc' });
    assert.deepEqual(merged.findingIds, [findings[0]!.id, findings[1]!.id, findings[2]!.id]);
    assert.equal(merged.severity, 'critical');
    assert.deepEqual(merged.steps, ['1', '3', '4']);
    for (const id of [s1.id, s2.id]) {
      const s = (await store.getIncident(id))!;
      assert.equal(s.status, 'closed');
      assert.deepEqual(s.findingIds, []);
      assert.equal((await store.listIncidentNotes(id))[0]!.text, `merged into #${target.id}`);
    }
    await assert.rejects(store.mergeIncidents(target.id, [target.id]), {
      code: 'E_STORE_INVALID_MERGE',
    });
    await assert.rejects(store.mergeIncidents(target.id, []), { code: 'E_STORE_INVALID_MERGE' });
    const s3 = await incidentWith(store, [findings[3]!.id]);
    await assert.rejects(store.mergeIncidents(target.id, [s3.id, 9999]), {
      code: 'E_STORE_NOT_FOUND',
    });
    assert.deepEqual(
      (await store.getIncident(s3.id))!.findingIds,
      [findings[3]!.id],
      'nothing moved',
    );
    await assert.rejects(store.mergeIncidents(9999, [s3.id]), { code: 'E_STORE_NOT_FOUND' });
  });

  test('store: split moves chosen findings into a new incident of the same subject; bad splits change nothing', async () => {
    const store = get();
    const { findings } = await fillMail(store);
    const ids = findings.map((f) => f.id);
    const i = await incidentWith(store, ids);
    await store.updateIncident(i.id, { severity: 'critical', owner: 'soc' });
    const created = await store.splitIncident(i.id, [ids[1]!, ids[2]!], { title: '分割' });
    assert.deepEqual(
      [created.title, created.kind, created.subject, created.owner],
      ['分割', 'mailbox', 'taro@example.co.jp', 'soc'],
    );
    assert.deepEqual(created.findingIds, [ids[1], ids[2]]);
    assert.equal(created.severity, 'critical');
    assert.deepEqual(created.steps, ['3', '4']);
    const rest = (await store.getIncident(i.id))!;
    assert.deepEqual(rest.findingIds, [ids[0], ids[3]]);
    assert.equal(rest.severity, 'medium');
    assert.deepEqual(rest.steps, ['1', '2']);
    assert.match((await store.listIncidentNotes(i.id))[0]!.text, new RegExp(`into #${created.id}`));
    await assert.rejects(store.splitIncident(i.id, [ids[1]!]), { code: 'E_STORE_INVALID_SPLIT' });
    await assert.rejects(store.splitIncident(i.id, [ids[0]!, ids[3]!]), {
      code: 'E_STORE_INVALID_SPLIT',
    });
    await assert.rejects(store.splitIncident(i.id, []), { code: 'E_STORE_INVALID_SPLIT' });
    await assert.rejects(store.splitIncident(9999, [ids[0]!]), { code: 'E_STORE_NOT_FOUND' });
    assert.equal((await store.listIncidents()).length, 2);
  });

  test('store: sightings are indexed by value and finding, twice is harmless; the cursor persists', async () => {
    const store = get();
    const { findings } = await fillMail(store);
    const rows = [
      {
        kind: 'sha256' as const,
        value: 'a'.repeat(64),
        findingId: findings[0]!.id,
        subject: 'mailbox:taro@example.co.jp',
        observedAt: new Date('2024-01-10T00:00:00.000Z'),
      },
      {
        kind: 'sha256' as const,
        value: 'a'.repeat(64),
        findingId: findings[1]!.id,
        subject: null,
        observedAt: null,
      },
      {
        kind: 'ip' as const,
        value: '203.0.113.5',
        findingId: findings[1]!.id,
        subject: 'host:PC-01',
        observedAt: null,
      },
    ];
    await store.addSightings(rows);
    await store.addSightings(rows);
    assert.deepEqual(
      await store.listSightings({ kind: 'sha256', value: 'a'.repeat(64) }),
      rows.slice(0, 2),
    );
    assert.deepEqual(
      await store.listSightings({ kind: 'ip', values: ['203.0.113.5', 'x'] }),
      rows.slice(2),
    );
    assert.equal((await store.listSightings({ findingIds: [findings[1]!.id] })).length, 2);
    await assert.rejects(store.listSightings({}), { code: 'E_STORE_INVALID_QUERY' });
    await assert.rejects(store.addSightings([{ ...rows[0]!, findingId: 999_999 }]), {
      code: 'E_STORE_NOT_FOUND',
    });
    await assert.rejects(store.addSightings([{ ...rows[0]!, kind: 'planet' as 'ip' }]), {
      code: 'E_STORE_INVALID_QUERY',
    });
    assert.equal(await store.getCorrelationCursor(), 0);
    await store.setCorrelationCursor(42);
    assert.equal(await store.getCorrelationCursor(), 42);
    await assert.rejects(store.setCorrelationCursor(-1), { code: 'E_STORE_INVALID_QUERY' });
    assert.equal(await store.relabelSightings('host:PC-01', 'host:PC-09'), 1);
    assert.equal(
      (await store.listSightings({ kind: 'ip', value: '203.0.113.5' }))[0]!.subject,
      'host:PC-09',
    );
  });

  runHostAddressSuite(get);
}
