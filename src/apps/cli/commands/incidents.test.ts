import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { correlate } from '../../../correlate/index.js';
import { openSqliteStore } from '../../../store/index.js';
import { runCli } from '../../../../test/support/cli-io.js';
import { fillScenario, SCENARIO } from '../../../../test/support/incident-scenario.js';
import { buildWinEvent, SYSMON } from '../../../../test/builders/winevent.js';

const dir = mkdtempSync(join(tmpdir(), 'emoguard-incidents-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let dbs = 0;

async function scenarioDb(): Promise<{ db: string; host: number; mailbox: number; other: number }> {
  const db = join(dir, `s-${++dbs}.db`);
  const store = openSqliteStore(db);
  await store.migrate();
  await fillScenario(store);
  await correlate(store);
  const list = await store.listIncidents();
  await store.close();
  const id = (subject: string) => list.find((i) => i.subject === subject)!.id;
  return {
    db,
    host: id(SCENARIO.host),
    mailbox: id(SCENARIO.victim),
    other: id(SCENARIO.otherHost),
  };
}

describe('cli: incidents', () => {
  let s: Awaited<ReturnType<typeof scenarioDb>>;
  before(async () => {
    s = await scenarioDb();
  });

  test('incidents: lists every incident as a table, and as JSON lines with --json', async () => {
    const human = await runCli(['incidents', '--db', s.db]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /ID\s+STATUS\s+SEVERITY/);
    assert.match(human.stdout, new RegExp(`#${s.host}\\s+new\\s+critical`));
    assert.ok(human.stdout.includes(`mailbox ${SCENARIO.victim}`));
    const json = await runCli(['incidents', '--json', '--db', s.db]);
    const rows = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(rows.length, 3);
    assert.deepEqual(
      rows.map((r) => r.id),
      [s.other, s.mailbox, s.host].sort((a, b) => b - a),
    );
  });

  test('incident show: human sections with Japanese intact, and the view as JSON', async () => {
    const human = await runCli(['incident', 'show', String(s.host), '--db', s.db]);
    assert.equal(human.code, 0, human.stderr);
    for (const heading of [
      'Kill chain',
      'Timeline',
      'Scope',
      'Process tree',
      'Mails',
      'IOCs',
      'ATT&CK',
    ]) {
      assert.ok(human.stdout.includes(heading), heading);
    }
    assert.ok(human.stdout.includes('Re: 請求書の件'));
    assert.ok(human.stdout.includes('請求書.docm'));
    assert.ok(human.stdout.includes(`${SCENARIO.c2}  [feodotracker]`));
    const json = await runCli(['incident', 'show', String(s.host), '--json', '--db', s.db]);
    const view = JSON.parse(json.stdout);
    assert.equal(view.incident.id, s.host);
    assert.equal(view.progression.length, 7);
    assert.deepEqual(view.notes, []);
  });

  test('incident show: an unknown id is a clear error with exit status 2', async () => {
    const r = await runCli(['incident', 'show', '999', '--db', s.db]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /E_STORE_NOT_FOUND: incident 999 does not exist/);
    const bad = await runCli(['incident', 'show', 'abc', '--db', s.db]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /positive integer/);
  });

  test('incidents: a store that does not exist is an error, not a new empty store', async () => {
    const r = await runCli(['incidents', '--db', join(dir, 'missing.db')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /E_STORE_MISSING/);
  });

  test('incident set: status, owner, severity and a note; --status filters the list', async () => {
    const own = await scenarioDb();
    const r = await runCli([
      'incident',
      'set',
      String(own.mailbox),
      '--status',
      'investigating',
      '--owner',
      '山田',
      '--severity',
      'high',
      '--note',
      '隔離しました',
      '--author',
      'soc',
      '--db',
      own.db,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const list = await runCli(['incidents', '--status', 'investigating', '--json', '--db', own.db]);
    const [row] = list.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(row.id, own.mailbox);
    assert.equal(row.owner, '山田');
    const shown = await runCli(['incident', 'show', String(own.mailbox), '--db', own.db]);
    assert.match(shown.stdout, /soc: 隔離しました/);
    const bad = await runCli([
      'incident',
      'set',
      String(own.mailbox),
      '--status',
      'done',
      '--db',
      own.db,
    ]);
    assert.equal(bad.code, 2);
    const none = await runCli(['incident', 'set', String(own.mailbox), '--db', own.db]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /nothing to set/);
    const missing = await runCli(['incident', 'set', '999', '--note', 'x', '--db', own.db]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /E_STORE_NOT_FOUND/);
  });

  test('incident merge and split: findings move, sources close with a note', async () => {
    const own = await scenarioDb();
    const merged = await runCli([
      'incident',
      'merge',
      String(own.host),
      String(own.other),
      '--db',
      own.db,
    ]);
    assert.equal(merged.code, 0, merged.stderr);
    const other = JSON.parse(
      (await runCli(['incident', 'show', String(own.other), '--json', '--db', own.db])).stdout,
    );
    assert.equal(other.incident.status, 'closed');
    assert.deepEqual(other.incident.findingIds, []);
    assert.equal(other.notes[0].text, `merged into #${own.host}`);
    const host = JSON.parse(
      (await runCli(['incident', 'show', String(own.host), '--json', '--db', own.db])).stdout,
    );
    const smb = host.findings
      .filter((f: { ruleId: string }) => f.ruleId.startsWith('sigma.smb'))
      .map((f: { id: number }) => f.id);
    const split = await runCli([
      'incident',
      'split',
      String(own.host),
      '--findings',
      smb.join(','),
      '--title',
      'SMB spread',
      '--db',
      own.db,
    ]);
    assert.equal(split.code, 0, split.stderr);
    const created = Number(/new incident #(\d+)/.exec(split.stdout)![1]);
    const view = JSON.parse(
      (await runCli(['incident', 'show', String(created), '--json', '--db', own.db])).stdout,
    );
    assert.equal(view.incident.title, 'SMB spread');
    assert.deepEqual(view.incident.findingIds, smb);
    const wrong = await runCli([
      'incident',
      'split',
      String(own.host),
      '--findings',
      '999999',
      '--db',
      own.db,
    ]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /E_STORE_INVALID_SPLIT/);
    const self = await runCli([
      'incident',
      'merge',
      String(own.host),
      String(own.host),
      '--db',
      own.db,
    ]);
    assert.equal(self.code, 2);
  });

  test('incident correlate: a second pass changes nothing', async () => {
    const r = await runCli(['incident', 'correlate', '--full', '--db', s.db]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /0 incident\(s\) created, 0 updated, 0 finding link\(s\)/);
  });

  test('hunt: one log with two computers stores each finding under its host, and correlates into one incident per host', async () => {
    const log = join(dir, 'two-hosts.jsonl');
    const events = ['PC-A', 'PC-B'].flatMap((computer, h) => {
      const start = (pid: number, image: string, parent: string, ppid: number, minute: number) =>
        buildWinEvent({
          channel: SYSMON,
          eventId: 1,
          computer,
          time: `2024-01-10T00:0${minute}:0${h}.000Z`,
          recordId: 10 * h + minute,
          data: {
            ProcessId: pid,
            Image: image,
            ParentProcessId: ppid,
            ParentImage: parent,
            CommandLine: image,
            User: `CORP\\user${h}`,
          },
        });
      return [
        start(
          100,
          'C:\\Program Files\\Microsoft Office\\WINWORD.EXE',
          'C:\\Windows\\explorer.exe',
          50,
          1,
        ),
        start(
          300,
          'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
          'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
          200,
          2,
        ),
      ];
    });
    writeFileSync(log, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const db = join(dir, 'hunt.db');
    const hunt = await runCli(['hunt', '--db', db, log]);
    assert.ok(hunt.code === 0 || hunt.code === 1, hunt.stderr);
    const rows = (await runCli(['incidents', '--json', '--db', db])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(rows.map((r) => r.subject).sort(), ['PC-A', 'PC-B']);
    const store = openSqliteStore(db);
    for (const host of ['PC-A', 'PC-B']) {
      const findings = await store.listFindings({ host });
      assert.ok(findings.length > 0, host);
      assert.ok(
        findings.every((f) => f.evidence[0]!.note!.startsWith(host)),
        host,
      );
      assert.ok(
        findings.every((f) => f.observedAt !== null),
        host,
      );
    }
    await store.close();
  });
});
