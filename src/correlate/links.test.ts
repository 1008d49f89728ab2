import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding, ScanResult } from '../core/index.js';
import type { Store } from '../store/index.js';
import {
  logResult,
  openMemoryStore,
  saveScan,
  useMemoryStore,
} from '../../test/support/correlate-store.js';
import { scenarioMail, SCENARIO } from '../../test/support/incident-scenario.js';
import { correlate, MAX_RECIPIENT_INCIDENTS } from './correlate.js';

const finding = (
  id: string,
  severity: Finding['severity'],
  text: string,
  step: Finding['step'] = '6',
): Finding => ({
  id,
  title: id,
  severity,
  step,
  attack: [],
  evidence: [{ text, location: 'record 1' }],
});

const result = (path: string, findings: Finding[]): ScanResult =>
  logResult(path, '0'.repeat(63) + String(path.length % 10), findings);

const save = (store: Store, command: string, r: ScanResult, host?: string) =>
  saveScan(store, command, r, host, 'analyst-pc');

const subjects = async (store: Store) =>
  (await store.listIncidents()).map((i) => `${i.kind}:${i.subject}:${i.findingIds.length}`).sort();

describe('correlate: links', () => {
  let store: Store;
  useMemoryStore((s) => void (store = s));

  test('links: the host seen before the mail still gets the mail once it is stored', async () => {
    await save(
      store,
      'hunt',
      result('a.evtx', [finding('sigma.x', 'high', `Hashes: SHA256=${SCENARIO.docSha256}`)]),
      'PC-01',
    );
    await correlate(store);
    assert.deepEqual(await subjects(store), ['host:PC-01:1']);
    await save(store, 'scan', scenarioMail());
    const summary = await correlate(store);
    assert.equal(summary.created.length, 1, 'the mailbox incident');
    assert.deepEqual(await subjects(store), ['host:PC-01:4', `mailbox:${SCENARIO.victim}:3`]);
  });

  test('links: a logon account names the mailbox of the same organisation (VICTIM\\taro ↔ taro@victim…)', async () => {
    const mail = scenarioMail();
    mail.extracted.mail!.to = ['taro@victim.example.co.jp'];
    mail.children[0]!.sha256 = '7'.repeat(64); // no hash in common with the host
    await save(store, 'scan', mail);
    const host = finding('sigma.x', 'high', 'CommandLine: powershell -enc AAAA');
    host.evidence[0]!.note = 'PC-05 2024-01-10T00:05:00Z | user=VICTIM\\taro';
    await save(store, 'hunt', result('b.evtx', [host]), 'PC-05');
    const other = finding('sigma.x', 'high', 'CommandLine: powershell -enc AAAA');
    other.evidence[0]!.note = 'PC-06 2024-01-10T00:05:00Z | user=OTHERCO\\taro';
    await save(store, 'hunt', result('c.evtx', [other]), 'PC-06');
    await correlate(store);
    assert.deepEqual(await subjects(store), [
      'host:PC-05:4',
      'host:PC-06:1',
      'mailbox:taro@victim.example.co.jp:3',
    ]);
  });

  test('links: a network hit without a client address joins the host that talked to the same C2', async () => {
    await save(
      store,
      'hunt',
      result('s.evtx', [finding('sigma.net', 'medium', 'DestinationIp: 203.0.113.9')]),
      'PC-01',
    );
    // No host in the log: the store falls back to the hunting machine, which is not the victim.
    await save(
      store,
      'hunt',
      result('conn.log', [finding('ioc.c2-ip', 'critical', 'ip 203.0.113.9 (feodotracker)')]),
    );
    await correlate(store);
    assert.deepEqual(await subjects(store), ['host:PC-01:2']);
  });

  test('links: low findings alone open no incident; a scan of a lone document opens none', async () => {
    await save(
      store,
      'triage',
      result('snap.json', [finding('triage.checks-incomplete', 'low', 'x')]),
      'PC-09',
    );
    await save(
      store,
      'scan',
      result('doc.docm', [finding('vba.autoexec', 'critical', 'AutoOpen', '3')]),
    );
    const summary = await correlate(store);
    assert.deepEqual(summary, { created: [], updated: [], linked: 0 });
  });

  test('links: a mail makes one incident per recipient up to MAX_RECIPIENT_INCIDENTS', async () => {
    for (const n of [MAX_RECIPIENT_INCIDENTS, MAX_RECIPIENT_INCIDENTS + 1]) {
      const local = await openMemoryStore();
      const mail = scenarioMail();
      mail.extracted.mail!.to = Array.from({ length: n }, (_, i) => `u${i}@example.com`);
      await save(local, 'scan', mail);
      const summary = await correlate(local);
      assert.equal(summary.created.length, MAX_RECIPIENT_INCIDENTS, `${n} recipients`);
      await local.close();
    }
  });
});
