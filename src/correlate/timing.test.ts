import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Finding, ScanResult } from '../core/index.js';
import { openSqliteStore, type Store } from '../store/index.js';
import { logResult, saveScan, useMemoryStore } from '../../test/support/correlate-store.js';
import { scenarioMail, SCENARIO } from '../../test/support/incident-scenario.js';
import { MAX_CLOCK_SKEW_MS } from './cross-link.js';
import { correlate } from './correlate.js';

const hostFinding = (text: string, at: string | null, note = ''): Finding => ({
  id: 'sigma.office-child',
  title: 'Office starts a process',
  severity: 'high',
  step: '4',
  attack: [],
  evidence: [{ text, location: 'record 1', note: `PC-01 ${at ?? ''} | user=CORP\\taro${note}` }],
  ...(at === null ? {} : { observedAt: at }),
});

let n = 0;
const log = (findings: Finding[]): ScanResult => {
  n++;
  return logResult(`pc-01-${n}.evtx`, String(n % 10).repeat(63) + 'f', findings);
};

const save = saveScan;

/** The scenario mail delivered at `date` to `to`. */
function mailAt(date: string, to: string = SCENARIO.victim): ScanResult {
  const mail = scenarioMail();
  mail.path = `inbox/${date}.eml`;
  mail.sha256 = String(date.length % 10).repeat(60) + date.slice(8, 10) + '00';
  mail.extracted.mail = { ...mail.extracted.mail!, date, to: [to] };
  for (const f of mail.findings) f.observedAt = date;
  return mail;
}

const hostRules = async (store: Store) => {
  const host = (await store.listIncidents()).find((i) => i.subject === 'PC-01')!;
  return store.listFindings({ incidentId: host.id });
};
const byHash = `Hashes: SHA256=${SCENARIO.docSha256}`;

describe('correlate: mail → host in time', () => {
  let store: Store;
  useMemoryStore((s) => void (store = s));

  test('time: a host event before the delivery (beyond the skew) links no mail; within it does', async () => {
    const delivered = Date.parse(SCENARIO.mailDate);
    await save(store, 'scan', mailAt(SCENARIO.mailDate));
    const early = new Date(delivered - MAX_CLOCK_SKEW_MS - 60_000).toISOString();
    await save(store, 'hunt', log([hostFinding(byHash, early)]), 'PC-01');
    await correlate(store);
    assert.deepEqual(
      (await hostRules(store)).map((f) => f.ruleId),
      ['sigma.office-child'],
      'opened before it arrived: another copy',
    );
    const skewed = new Date(delivered - MAX_CLOCK_SKEW_MS + 60_000).toISOString();
    await save(store, 'hunt', log([hostFinding(byHash, skewed)]), 'PC-01');
    await correlate(store);
    assert.deepEqual((await hostRules(store)).map((f) => f.ruleId).sort(), [
      'mail.office-attachment',
      'mail.thread-hijack',
      'sigma.office-child',
      'sigma.office-child',
      'vba.autoexec-execution-chain',
    ]);
  });

  test('time: of several mails with the same attachment, the host gets the latest before its event', async () => {
    await save(store, 'scan', mailAt('2024-01-01T00:00:00.000Z', 'a@example.co.jp'));
    await save(store, 'scan', mailAt('2024-01-09T00:00:00.000Z', 'b@example.co.jp'));
    await save(store, 'scan', mailAt('2024-01-20T00:00:00.000Z', 'c@example.co.jp'));
    await save(store, 'hunt', log([hostFinding(byHash, '2024-01-10T00:00:00.000Z')]), 'PC-01');
    await correlate(store);
    const mails = (await hostRules(store)).filter((f) => f.ruleId.startsWith('mail.'));
    assert.deepEqual(
      [...new Set(mails.map((f) => f.artifactPath))],
      ['inbox/2024-01-09T00:00:00.000Z.eml'],
    );
  });

  test('time: a value is dated by the latest record naming it, not by the first match of its group', async () => {
    await save(store, 'scan', mailAt('2024-01-09T00:00:00.000Z'));
    const group = hostFinding('CommandLine: powershell -enc AAAA', '2024-01-01T00:00:00.000Z');
    group.evidence.push({
      text: byHash,
      location: 'record 2',
      note: 'PC-01 2024-01-10T00:00:00.000Z | user=CORP\\taro',
    });
    await save(store, 'hunt', log([group]), 'PC-01');
    await correlate(store);
    const mails = (await hostRules(store)).filter((f) => f.ruleId.startsWith('mail.'));
    assert.equal(mails.length, 2, 'the hash was seen on Jan 10, after the Jan 9 delivery');
  });

  test('time: without an event time on the host side every mail with the hash still links', async () => {
    await save(store, 'scan', mailAt('2024-01-01T00:00:00.000Z', 'a@example.co.jp'));
    await save(store, 'scan', mailAt('2024-01-09T00:00:00.000Z', 'b@example.co.jp'));
    await save(store, 'hunt', log([hostFinding(byHash, null)]), 'PC-01');
    await correlate(store);
    const mails = (await hostRules(store)).filter((f) => f.ruleId.startsWith('mail.'));
    assert.equal(new Set(mails.map((f) => f.artifactPath)).size, 2);
  });
});

describe('correlate: documents named only by file name', () => {
  let store: Store;
  useMemoryStore((s) => void (store = s));

  // The report CLI test's shape: a mail file whose envelope was not stored, its .docm, and the host's
  // logs naming the document in a command line, a Sysmon 11 TargetFilename or a Zone.Identifier stream.
  for (const text of [
    'CommandLine: "C:\\Program Files\\Microsoft Office\\WINWORD.EXE" /n "C:\\Users\\taro\\Downloads\\Invoice.docm"',
    'TargetFilename: C:\\Users\\taro\\Downloads\\invoice.docm',
    'TargetFilename: C:\\Users\\taro\\Downloads\\invoice.docm:Zone.Identifier',
  ]) {
    test(`name: the mail and document join the host incident (${text.slice(0, 16)}…)`, async () => {
      const mail = scenarioMail();
      delete mail.extracted.mail;
      mail.children[0]!.path = 'inbox/invoice.eml!invoice.docm';
      await save(store, 'scan', mail);
      await save(store, 'hunt', log([hostFinding(text, '2024-01-10T00:05:00.000Z')]), 'PC-01');
      await correlate(store);
      assert.deepEqual((await hostRules(store)).map((f) => f.ruleId).sort(), [
        'mail.office-attachment',
        'mail.thread-hijack',
        'sigma.office-child',
        'vba.autoexec-execution-chain',
      ]);
    });
  }
});

describe('correlate: concurrent passes', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'emoguard-correlate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('concurrency: two passes at once over one database open one incident per subject', async () => {
    const path = join(dir, 'store.db');
    const a = openSqliteStore(path);
    await a.migrate();
    const b = openSqliteStore(path);
    await b.migrate();
    for (let i = 0; i < 20; i++) {
      await save(a, 'hunt', log([hostFinding(`CommandLine: x${i}`, null)]), `PC-${i % 5}`);
    }
    await save(a, 'scan', mailAt(SCENARIO.mailDate));
    const [x, y] = await Promise.all([correlate(a), correlate(b)]);
    const incidents = await a.listIncidents();
    const subjects = incidents.map((i) => `${i.kind}:${i.subject}`);
    assert.equal(new Set(subjects).size, subjects.length, subjects.join(' '));
    assert.equal(incidents.length, 6);
    assert.equal(x.created.length + y.created.length, 6, 'each incident counted once');
    await a.close();
    await b.close();
  });
});
