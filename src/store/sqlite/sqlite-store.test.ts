import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { runAuthSuite } from '../auth.suite.js';
import { runIntelSuite } from '../intel.suite.js';
import { runStoreSuite } from '../store.suite.js';
import { buildMailTree } from '../suite-fixtures.js';
import { openSqliteStore } from './index.js';
import { LATEST_VERSION, MIGRATIONS, SCHEMA_VERSION_TABLE } from './migrations.js';

const dir = mkdtempSync(join(tmpdir(), 'emoguard-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const tempPath = () => join(dir, `store-${++files}.db`);

runStoreSuite('sqlite :memory:', async () => openSqliteStore(':memory:'));
runStoreSuite('sqlite file', async () => openSqliteStore(tempPath()));
runIntelSuite('sqlite :memory:', async () => openSqliteStore(':memory:'));
runAuthSuite('sqlite :memory:', async () => openSqliteStore(':memory:'));

describe('sqlite store', () => {
  test('sqlite: migrations are numbered 1..n without gaps', () => {
    assert.deepEqual(
      MIGRATIONS.map((m) => m.version),
      MIGRATIONS.map((_, i) => i + 1),
    );
    assert.equal(LATEST_VERSION, MIGRATIONS.length);
  });

  test('sqlite: a file opens in WAL mode with foreign keys on, and data survives reopening', async () => {
    const path = tempPath();
    const store = openSqliteStore(path);
    await store.migrate();
    const scanId = await store.beginScan({ command: 'scan', args: [] });
    await store.saveResults(scanId, [buildMailTree()]);
    await store.close();
    await store.close();
    await assert.rejects(store.listScans(), { code: 'E_STORE_CLOSED' });

    const raw = new Database(path, { readonly: true });
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(raw.prepare('SELECT count(*) FROM schema_version').pluck().get(), LATEST_VERSION);
    raw.close();

    const reopened = openSqliteStore(path);
    assert.equal((await reopened.stats()).totals.artifacts, 4, 'no migrate() needed when current');
    await reopened.close();
  });

  test('sqlite: a version 2 store upgrades: its incidents become host incidents, its data stays', async () => {
    const path = tempPath();
    const raw = new Database(path);
    raw.exec(SCHEMA_VERSION_TABLE);
    for (const m of MIGRATIONS.filter((m) => m.version <= 2)) {
      raw.exec(m.sql);
      raw
        .prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)')
        .run(m.version, m.name, new Date().toISOString());
    }
    raw
      .prepare(
        `INSERT INTO incidents (title, severity, status, steps, created_at, updated_at)
         VALUES ('old', 'high', 'new', '["6"]', ?, ?)`,
      )
      .run(new Date().toISOString(), new Date().toISOString());
    raw.close();
    const store = openSqliteStore(path);
    await assert.rejects(store.listIncidents(), { code: 'E_STORE_NOT_MIGRATED' });
    await store.migrate();
    const [old] = await store.listIncidents();
    assert.deepEqual(
      [old!.title, old!.kind, old!.subject, old!.owner],
      ['old', 'host', null, null],
    );
    await store.close();
  });

  test('sqlite: a file that is not a database → E_STORE_NOT_A_DB', () => {
    const path = join(dir, 'not-a-db.db');
    writeFileSync(path, 'this is plain text, not SQLite\n'.repeat(200));
    assert.throws(() => openSqliteStore(path), { code: 'E_STORE_NOT_A_DB' });
  });

  test('sqlite: a database from a newer emoguard → E_STORE_SCHEMA_NEWER, file untouched', async () => {
    const path = tempPath();
    const store = openSqliteStore(path);
    await store.migrate();
    await store.close();
    const raw = new Database(path);
    raw
      .prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)')
      .run(LATEST_VERSION + 1, 'from-the-future', new Date().toISOString());
    raw.close();
    assert.throws(() => openSqliteStore(path), { code: 'E_STORE_SCHEMA_NEWER' });
  });

  test('sqlite: a SQLite file with foreign tables → E_STORE_FOREIGN_DB', () => {
    const path = tempPath();
    const raw = new Database(path);
    raw.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY)');
    raw.close();
    assert.throws(() => openSqliteStore(path), { code: 'E_STORE_FOREIGN_DB' });
  });

  test('sqlite: an unopenable path → E_STORE_OPEN', () => {
    assert.throws(() => openSqliteStore(join(dir, 'missing-dir', 'x.db')), {
      code: 'E_STORE_OPEN',
    });
  });

  test('sqlite: a version 4 store upgrades: host IPs become observations, the oldest open incident keeps its subject', async () => {
    const path = tempPath();
    const raw = new Database(path);
    raw.exec(SCHEMA_VERSION_TABLE);
    for (const m of MIGRATIONS.filter((m) => m.version <= 4)) {
      raw.exec(m.sql);
      raw
        .prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)')
        .run(m.version, m.name, new Date().toISOString());
    }
    const now = '2024-01-10T00:00:00.000Z';
    raw
      .prepare(
        `INSERT INTO hosts (name, ip, first_seen, last_seen) VALUES ('PC-01', '192.0.2.15', ?, ?)`,
      )
      .run(now, now);
    const incident = raw.prepare(
      `INSERT INTO incidents (title, kind, subject, severity, status, steps, created_at, updated_at)
       VALUES ('t', 'host', ?, 'high', ?, '[]', ?, ?)`,
    );
    incident.run('PC-01', 'closed', now, now);
    incident.run('PC-01', 'new', now, now);
    incident.run('pc-01', 'new', now, now);
    raw.close();
    const store = openSqliteStore(path);
    await store.migrate();
    assert.deepEqual(
      (await store.listHostAddresses({ addresses: ['192.0.2.15'] })).map((r) => [r.host, r.source]),
      [['PC-01', 'inventory']],
    );
    const { incident: open, created } = await store.openSubjectIncident({
      title: 'x',
      kind: 'host',
      subject: 'PC-01',
      severity: 'info',
    });
    assert.deepEqual([open.id, created], [2, false]);
    await store.close();
  });

  test('sqlite: the listed queries use indexes, not table scans', () => {
    const raw = new Database(':memory:');
    for (const m of MIGRATIONS) raw.exec(m.sql);
    const plan = (sql: string) =>
      (
        raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(
          ...sql
            .split('?')
            .slice(1)
            .map(() => 'x'),
        ) as { detail: string }[]
      )
        .map((r) => r.detail)
        .join('; ');
    for (const sql of [
      'SELECT * FROM artifacts WHERE scan_id = 1 AND verdict = ?',
      'SELECT * FROM artifacts WHERE sha256 = ?',
      'SELECT * FROM findings WHERE scan_id = 1 AND step = ?',
      'SELECT * FROM findings WHERE rule_id = ?',
      'SELECT * FROM findings WHERE host_id = ?',
      'SELECT * FROM iocs WHERE kind = ? AND value = ?',
      'SELECT * FROM sightings WHERE kind = ? AND value = ?',
      'SELECT * FROM sightings WHERE finding_id = ?',
      'SELECT artifact_id FROM mail_addresses WHERE address = ?',
      'SELECT * FROM mails WHERE message_id = ?',
      'SELECT * FROM incidents WHERE kind = ? AND subject = ?',
      'SELECT * FROM incident_notes WHERE incident_id = ?',
      'SELECT * FROM host_addresses WHERE address = ?',
      "SELECT id FROM incidents WHERE subject_key = ? AND status <> 'closed'",
    ]) {
      assert.match(plan(sql), /USING (COVERING )?INDEX|USING PRIMARY KEY/, sql);
    }
    raw.close();
  });
});
