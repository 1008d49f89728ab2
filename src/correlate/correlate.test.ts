import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Store } from '../store/index.js';
import { openMemoryStore, useMemoryStore } from '../../test/support/correlate-store.js';
import { fillScenario, SCENARIO } from '../../test/support/incident-scenario.js';
import { buildIncidentView, correlate } from './index.js';

describe('correlate', () => {
  let store: Store;
  useMemoryStore(async (s) => {
    store = s;
    await fillScenario(store);
  });

  test('correlate: one incident per compromised host and per attacked mailbox, none for bystanders', async () => {
    const summary = await correlate(store);
    const incidents = await store.listIncidents();
    const subjects = incidents.map((i) => `${i.kind}:${i.subject}`).sort();
    assert.deepEqual(subjects, [
      `host:${SCENARIO.host}`,
      `host:${SCENARIO.otherHost}`,
      `mailbox:${SCENARIO.victim}`,
    ]);
    assert.deepEqual([...summary.created].sort(), incidents.map((i) => i.id).sort());
    assert.ok(summary.linked > 0);
  });

  test('correlate: the host incident links mail → document → process chain → C2 → triage', async () => {
    await correlate(store);
    const host = (await store.listIncidents()).find((i) => i.subject === SCENARIO.host)!;
    const findings = await store.listFindings({ incidentId: host.id });
    const rules = findings.map((f) => f.ruleId).sort();
    assert.deepEqual(rules, [
      'chain.emotet-chain',
      'ioc.c2-ip', // stored under the proxy client's address, which is PC-01's
      'mail.office-attachment',
      'mail.thread-hijack',
      'sigma.smb-admin-share-copy',
      'sigma.wmi-powershell',
      'triage.emocheck-v4-rundll32-dll',
      'vba.autoexec-execution-chain',
    ]);
    assert.equal(host.severity, 'critical');
    assert.deepEqual(host.steps, ['1', '4', '5', '6']);
    assert.equal(host.kind, 'host');
  });

  test('correlate: a second pass (and a full one) links nothing twice and creates nothing', async () => {
    await correlate(store);
    const before = await store.listIncidents();
    assert.deepEqual(await correlate(store), { created: [], updated: [], linked: 0 });
    assert.deepEqual(await correlate(store, { full: true }), {
      created: [],
      updated: [],
      linked: 0,
    });
    assert.deepEqual(await store.listIncidents(), before);
  });

  test('correlate: findings stored later join the open incident of their subject', async () => {
    await correlate(store);
    const scanId = await store.beginScan({ command: 'triage', args: [] });
    const { scenarioMail } = await import('../../test/support/incident-scenario.js');
    void scenarioMail;
    await store.saveResults(
      scanId,
      [
        {
          path: 'snap2.json',
          sha256: '9'.repeat(64),
          size: 1,
          type: 'host-snapshot',
          verdict: 'suspicious',
          findings: [
            {
              id: 'triage.run-key-user-dir',
              title: 'Run key',
              severity: 'high',
              step: 'post',
              attack: [],
              evidence: [],
            },
          ],
          extracted: (await import('../core/index.js')).emptyExtracted(),
          children: [],
        },
      ],
      { host: SCENARIO.host },
    );
    const summary = await correlate(store);
    const host = (await store.listIncidents()).find((i) => i.subject === SCENARIO.host)!;
    assert.deepEqual(summary, { created: [], updated: [host.id], linked: 1 });
    assert.ok(host.steps.includes('post'));
  });

  test('correlate: a page size of 1 gives the same incidents as one big page', async () => {
    await correlate(store, { pageSize: 1 });
    const small = (await store.listIncidents()).map((i) => [
      i.subject,
      i.findingIds.length,
      i.severity,
    ]);
    const other = await openMemoryStore();
    await fillScenario(other);
    await correlate(other);
    const big = (await other.listIncidents()).map((i) => [
      i.subject,
      i.findingIds.length,
      i.severity,
    ]);
    await other.close();
    assert.deepEqual(
      small.sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      big.sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });
});

describe('buildIncidentView', () => {
  let store: Store;
  useMemoryStore(async (s) => {
    store = s;
    await fillScenario(store);
    await correlate(store);
  });
  const hostIncident = async () =>
    (await store.listIncidents()).find((i) => i.subject === SCENARIO.host)!.id;

  test('view: progression per step with layers, times and worst severity', async () => {
    const view = await buildIncidentView(store, await hostIncident());
    const observed = view.progression.filter((s) => s.observed).map((s) => [s.step, s.layers]);
    assert.deepEqual(observed, [
      ['1', ['mail']],
      ['4', ['document', 'endpoint']],
      ['5', ['endpoint']],
      ['6', ['endpoint', 'network', 'response']],
    ]);
    const one = view.progression[0]!;
    assert.equal(one.firstSeen, SCENARIO.mailDate);
    assert.equal(one.worstSeverity, 'high');
    assert.equal(view.progression.length, 7);
  });

  test('view: timeline is oldest first and marks event times', async () => {
    const view = await buildIncidentView(store, await hostIncident());
    const times = view.timeline.map((t) => t.at);
    assert.deepEqual(times, [...times].sort());
    assert.equal(view.timeline[0]!.at, SCENARIO.mailDate);
    assert.equal(
      view.timeline.find((t) => t.ruleId === 'vba.autoexec-execution-chain')!.isEventTime,
      false,
    );
    assert.equal(
      view.timeline.find((t) => t.ruleId === 'mail.thread-hijack')!.summary,
      'Re: 請求書の件',
    );
  });

  test('view: scope names hosts, users, mailboxes, exposed contacts, SMB edges and shared C2s', async () => {
    const view = await buildIncidentView(store, await hostIncident());
    assert.deepEqual(view.scope.hosts, [SCENARIO.host]);
    assert.deepEqual(view.scope.users, [SCENARIO.user]);
    assert.deepEqual(view.scope.mailboxes, [SCENARIO.victim]);
    const contacts = Object.fromEntries(
      view.scope.externalContacts.map((c) => [c.address, c.reasons]),
    );
    assert.deepEqual(contacts[SCENARIO.partner], ['correspondent']);
    assert.deepEqual(contacts[SCENARIO.impersonated], ['impersonated']);
    assert.equal(contacts[SCENARIO.attacker], undefined, 'the attacker is no correspondent');
    assert.deepEqual(
      view.scope.lateral.map((e) => [e.from, e.to, e.protocol]),
      [[SCENARIO.host, SCENARIO.lateralTarget, 'smb']],
    );
    assert.deepEqual(
      view.scope.shared.map((s) => [s.kind, s.value, s.others]),
      [['c2', SCENARIO.c2, [SCENARIO.otherHost]]],
    );
  });

  test('view: process tree nests WmiPrvSE → PowerShell → rundll32 and keeps the Office parent of the chain', async () => {
    const view = await buildIncidentView(store, await hostIncident());
    const flat = (nodes: typeof view.processTree, depth = 0): string[] =>
      nodes.flatMap((n) => [
        `${depth}:${n.image.split('\\').pop()}:${n.pid}`,
        ...flat(n.children, depth + 1),
      ]);
    const lines = flat(view.processTree);
    assert.ok(lines.includes('0:WmiPrvSE.exe:200'), lines.join(' '));
    assert.ok(lines.includes('1:powershell.exe:300'), lines.join(' '));
    assert.ok(lines.includes('2:rundll32.exe:400'), lines.join(' '));
    const ps = view.processTree.flatMap((n) => n.children).find((n) => n.pid === 300)!;
    assert.equal(ps.user, SCENARIO.user);
    assert.equal(ps.commandLine, 'powershell -enc SQBFAFgA');
  });

  test('view: IOCs carry the feeds that list them; techniques and mails with attachments', async () => {
    const view = await buildIncidentView(store, await hostIncident());
    const c2 = view.iocs.find((i) => i.value === SCENARIO.c2)!;
    assert.deepEqual(c2.feeds, ['feodotracker']);
    assert.ok(view.iocs.some((i) => i.kind === 'sha256' && i.value === SCENARIO.docSha256));
    assert.ok(view.techniques.some((t) => t.id === 'T1021.002' && t.steps.includes('6')));
    assert.equal(view.mails.length, 1);
    assert.equal(view.mails[0]!.subject, 'Re: 請求書の件');
    assert.deepEqual(view.mails[0]!.attachments, [
      { name: '請求書.docm', sha256: SCENARIO.docSha256, verdict: 'malicious' },
    ]);
  });

  test('view: an unknown incident id → E_STORE_NOT_FOUND', async () => {
    await assert.rejects(buildIncidentView(store, 9999), { code: 'E_STORE_NOT_FOUND' });
  });
});
