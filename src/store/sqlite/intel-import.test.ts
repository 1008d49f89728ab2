import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { IntelInput } from '../store.js';
import { MIGRATIONS, SCHEMA_VERSION_TABLE } from './migrations.js';
import { openSqliteStore } from './open.js';

const T = (iso: string) => new Date(iso);
const ip = (n: number, extra: Partial<IntelInput> = {}): IntelInput => ({
  type: 'ip',
  value: `198.51.100.${n}`,
  source: 'feodotracker',
  tags: ['c2'],
  ...extra,
});

async function fresh() {
  const store = openSqliteStore(':memory:');
  await store.migrate();
  return store;
}

test('importIntelStream: batches are one transaction; repeats across batches upsert like row-by-row imports', async () => {
  const store = await fresh();
  async function* batches() {
    yield [
      ip(1, { firstSeen: T('2024-01-05T00:00:00Z'), lastSeen: T('2024-01-06T00:00:00Z') }),
      ip(2),
    ];
    yield [
      ip(1, {
        firstSeen: T('2024-01-01T00:00:00Z'),
        lastSeen: T('2024-01-03T00:00:00Z'),
        confidence: 80,
        tags: [],
      }),
    ];
  }
  const r = await store.importIntelStream(batches(), { importedAt: T('2024-02-01T00:00:00Z') });
  assert.deepEqual(r, { inserted: 2, updated: 1 });
  const rows = await store.listIntel();
  assert.deepEqual(
    rows.map((x) => x.value),
    ['198.51.100.1', '198.51.100.2'],
    'ids in feed order',
  );
  const first = rows[0]!;
  assert.deepEqual(
    [first.firstSeen, first.lastSeen, first.confidence, first.tags],
    [T('2024-01-01T00:00:00Z'), T('2024-01-06T00:00:00Z'), 80, ['c2']],
    'earliest first seen, latest last seen, newest confidence, tags kept when the repeat has none',
  );
  await store.close();
});

test('importIntelStream: a bad row in a later batch rolls back the whole feed', async () => {
  const store = await fresh();
  await store.importIntel([ip(9)]);
  async function* batches() {
    yield [ip(1), ip(2)];
    yield [ip(3, { confidence: 101 })];
  }
  await assert.rejects(store.importIntelStream(batches()), /intel row 2: confidence/);
  assert.deepEqual(
    (await store.listIntel()).map((x) => x.value),
    ['198.51.100.9'],
  );
  // The store stays usable: the staging table and the transaction are gone.
  assert.deepEqual(await store.importIntelStream([[ip(4)]]), { inserted: 1, updated: 0 });
  await store.close();
});

test('importIntelStream: a failing source (a read error half-way) writes nothing', async () => {
  const store = await fresh();
  async function* batches() {
    yield [ip(1)];
    throw new Error('EIO: read failed');
  }
  await assert.rejects(store.importIntelStream(batches()), /EIO/);
  assert.equal((await store.listIntel()).length, 0);
  await store.close();
});

test('importIntel: more rows than one multi-row INSERT carries (64) and a remainder all arrive', async () => {
  const store = await fresh();
  for (const n of [63, 64, 65, 130]) {
    const batch = Array.from({ length: n }, (_, i) => ({
      ...ip(0),
      value: `203.0.113.${i}`,
      source: `s${n}`,
    }));
    assert.deepEqual(await store.importIntel(batch), { inserted: n, updated: 0 }, `${n} rows`);
  }
  await store.close();
});

/** Rows with repeats in every combination of present/absent fields, in a fixed pseudo-random order. */
function repeatingFeed(n: number): IntelInput[] {
  const out: IntelInput[] = [];
  for (let i = 0; i < n; i++) {
    const k = (i * 7919) % 23;
    const day = (d: number) => T(`2024-01-${String(1 + (d % 28)).padStart(2, '0')}T00:00:00.000Z`);
    const row: IntelInput = {
      ...ip(k % 11),
      source: k % 2 ? 'a' : 'b',
      tags: i % 3 ? [] : [`t${i}`],
    };
    if (i % 4) row.firstSeen = day(i);
    if (i % 5) row.lastSeen = day(i * 3);
    if (i % 6) row.confidence = i % 101;
    if (i % 7) row.malware = `m${i}`;
    if (i % 2) row.reference = `https://example.com/${i}`;
    if (i % 9) row.expiresAt = day(i * 5);
    out.push(row);
  }
  return out;
}

const comparable = (rows: readonly { id: number }[]) => rows.map((r) => ({ ...r, id: 0 }));

test('importIntelStream into an empty table (indexes built after) stores what the row-by-row upsert stores', async () => {
  const feed = repeatingFeed(300);
  const at = { importedAt: T('2024-02-01T00:00:00Z') };
  const bulk = await fresh();
  const r = await bulk.importIntelStream([feed.slice(0, 100), feed.slice(100)], at);
  const merged = await fresh();
  let inserted = 0;
  for (const row of feed) inserted += (await merged.importIntel([row], at)).inserted;
  assert.deepEqual(r, { inserted, updated: feed.length - inserted });
  const [a, b] = [await bulk.listIntel({ limit: 1000 }), await merged.listIntel({ limit: 1000 })];
  assert.deepEqual(comparable(a), comparable(b), 'same rows, fields and order');
  // The key index is back: a second import upserts instead of duplicating.
  assert.deepEqual(await bulk.importIntelStream([feed.slice(0, 5)], at), {
    inserted: 0,
    updated: 5,
  });
  assert.equal((await bulk.listIntel({ limit: 1000 })).length, a.length);
  await bulk.close();
  await merged.close();
});

const cells = (...rows: (string | number | null)[][]) => ({
  rows: rows.length,
  cells: rows.flat(),
});
const row = (value: string, extra: Partial<Record<number, string | number | null>> = {}) => {
  const r: (string | number | null)[] = [
    'url',
    value,
    'urlhaus',
    null,
    null,
    null,
    '[]',
    null,
    null,
    null,
  ];
  for (const [i, v] of Object.entries(extra)) r[Number(i)] = v ?? null;
  return r;
};

test('importIntelStream takes IntelRows batches (stored form) and mixes them with IntelInput batches', async () => {
  const store = await fresh();
  const r = await store.importIntelStream([
    cells(
      row('http://example.com/a', { 3: '2024-01-01T00:00:00.000Z', 5: 50, 6: '["x"]' }),
      row('http://example.com/b'),
    ),
    [{ type: 'url', value: 'http://example.com/a', source: 'urlhaus', confidence: 60 }],
  ]);
  assert.deepEqual(r, { inserted: 2, updated: 1 });
  const [a] = await store.listIntel();
  assert.deepEqual(
    [a!.firstSeen, a!.confidence, a!.tags],
    [T('2024-01-01T00:00:00.000Z'), 60, ['x']],
  );
  await store.close();
});

test('importIntelStream refuses IntelRows with a bad cell, and the table keeps its indexes', async () => {
  const store = await fresh();
  const bad: [string, ReturnType<typeof cells>, RegExp][] = [
    ['type', cells(row('v', { 0: 'bogus' })), /unknown type/],
    ['time', cells(row('v', { 4: '2024-01-01 00:00' })), /lastSeen is not ISO/],
    ['tags', cells(row('v', { 6: '{"a":1}' })), /tags must be/],
    ['confidence', cells(row('v', { 5: 101 })), /confidence/],
    ['malware', cells(row('v', { 7: 5 })), /malware must be text/],
    ['width', { rows: 1, cells: ['url', 'v'] }, /10 cells per row/],
  ];
  for (const [what, batch, error] of bad) {
    await assert.rejects(store.importIntelStream([cells(row('ok')), batch]), error, what);
    assert.equal((await store.listIntel()).length, 0, `${what}: nothing written`);
  }
  await store.importIntelStream([cells(row('ok'))]);
  assert.deepEqual(await store.importIntelStream([cells(row('ok'))]), { inserted: 0, updated: 1 });
  await store.close();
});

test('migration 7: a version 6 store keeps its intel rows and ids; the key is the named unique index', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-intel-v6-'));
  try {
    const path = join(dir, 'v6.db');
    const raw = new Database(path);
    raw.exec(SCHEMA_VERSION_TABLE);
    for (const m of MIGRATIONS.filter((m) => m.version <= 6)) {
      raw.exec(m.sql);
      raw.prepare('INSERT INTO schema_version VALUES (?, ?, ?)').run(m.version, m.name, 'x');
    }
    raw.exec(`INSERT INTO intel (id, type, value, source, tags, imported_at, updated_at) VALUES
      (5, 'ip', '192.0.2.1', 'feodotracker', '["c2"]', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'),
      (9, 'url', 'http://example.com/x', 'urlhaus', '[]', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')`);
    raw.close();
    const store = openSqliteStore(path);
    await store.migrate();
    assert.deepEqual(
      (await store.listIntel()).map((r) => [r.id, r.value, r.tags]),
      [
        [5, '192.0.2.1', ['c2']],
        [9, 'http://example.com/x', []],
      ],
    );
    assert.deepEqual(
      await store.importIntelStream([[{ type: 'ip', value: '192.0.2.1', source: 'feodotracker' }]]),
      { inserted: 0, updated: 1 },
    );
    await store.close();
    const check = new Database(path, { readonly: true });
    const indexes = check
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'intel' ORDER BY name",
      )
      .pluck()
      .all();
    check.close();
    assert.deepEqual(indexes, ['intel_expires', 'intel_key']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
