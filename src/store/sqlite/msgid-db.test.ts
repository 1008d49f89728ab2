import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openSqliteStore } from './open.js';
import { openMessageIdDb } from './msgid-db.js';

const dir = mkdtempSync(join(tmpdir(), 'emoguard-msgid-db-'));

test('msgid db: rows added once, looked up by id, org domains kept; read-only refuses writes', () => {
  const path = join(dir, 'a.db');
  const db = openMessageIdDb(path);
  const row = { id: 'q1@mx.example.co.jp', sender: 'example.co.jp', participants: ['example.jp'] };
  assert.equal(db.add([row, { ...row, participants: [] }]), 1);
  db.addOrgDomains(['example.co.jp', 'example.co.jp']);
  db.close();
  const ro = openMessageIdDb(path, { readonly: true });
  assert.deepEqual(ro.lookup('q1@mx.example.co.jp'), ['example.jp']);
  assert.equal(ro.lookup('other@mx.example.co.jp'), undefined);
  assert.deepEqual(ro.orgDomains(), ['example.co.jp']);
  assert.equal(ro.count(), 1);
  assert.throws(() => ro.add([row]), /E_MSGID_DB_READONLY|read-only/);
  ro.close();
});

test('msgid db: a missing file read-only, a findings store and a non-SQLite file are refused', async () => {
  assert.throws(() => openMessageIdDb(join(dir, 'none.db'), { readonly: true }), /cannot open/);
  const storePath = join(dir, 'store.db');
  const store = openSqliteStore(storePath);
  await store.migrate();
  await store.close();
  assert.throws(() => openMessageIdDb(storePath), /not an emoguard Message-ID database/);
  writeFileSync(join(dir, 'text.db'), 'hello, this is not sqlite at all'.repeat(10));
  assert.throws(() => openMessageIdDb(join(dir, 'text.db')), /not a SQLite database/);
});
