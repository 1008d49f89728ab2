/**
 * The threat-intel part of the `Store` contract, run by every backend beside `store.suite.ts`.
 * `makeStore` returns a fresh, empty, not yet migrated store.
 *
 * @example
 * runIntelSuite('sqlite :memory:', async () => openSqliteStore(':memory:'));
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { IntelInput, IntelRecord, Store } from './store.js';

const T = (iso: string) => new Date(iso);

function feodo(ip: string, extra: Partial<IntelInput> = {}): IntelInput {
  return {
    type: 'ip',
    value: ip,
    source: 'feodotracker',
    tags: ['c2'],
    malware: 'Emotet',
    ...extra,
  };
}

async function collect(iterable: AsyncIterable<IntelRecord>): Promise<IntelRecord[]> {
  const out: IntelRecord[] = [];
  for await (const r of iterable) out.push(r);
  return out;
}

export function runIntelSuite(name: string, makeStore: () => Promise<Store>): void {
  describe(`store intel conformance: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
      await store.migrate();
    });
    afterEach(async () => {
      await store.close();
    });

    test('intel: imported rows list in insertion order with every field round-tripped', async () => {
      const hostile = `x'); DROP TABLE intel;--"<b>\u0000\u202e`;
      const result = await store.importIntel(
        [
          feodo('198.51.100.7', {
            firstSeen: T('2024-01-02T03:04:05.678Z'),
            lastSeen: T('2024-02-01T00:00:00.000Z'),
            confidence: 75,
            reference: 'https://feodotracker.abuse.ch/browse/host/198.51.100.7/',
            expiresAt: T('2024-03-02T00:00:00.000Z'),
          }),
          { type: 'url', value: `http://example.com/${hostile}`, source: hostile, tags: [hostile] },
        ],
        { importedAt: T('2024-05-01T00:00:00.000Z') },
      );
      assert.deepEqual(result, { inserted: 2, updated: 0 });
      const rows = await store.listIntel();
      assert.equal(rows.length, 2);
      const [a, b] = rows as [IntelRecord, IntelRecord];
      assert.ok(b.id > a.id);
      assert.deepEqual(
        { ...a, id: 0 },
        {
          id: 0,
          type: 'ip',
          value: '198.51.100.7',
          source: 'feodotracker',
          firstSeen: T('2024-01-02T03:04:05.678Z'),
          lastSeen: T('2024-02-01T00:00:00.000Z'),
          confidence: 75,
          tags: ['c2'],
          malware: 'Emotet',
          reference: 'https://feodotracker.abuse.ch/browse/host/198.51.100.7/',
          expiresAt: T('2024-03-02T00:00:00.000Z'),
          importedAt: T('2024-05-01T00:00:00.000Z'),
          updatedAt: T('2024-05-01T00:00:00.000Z'),
        },
      );
      assert.equal(b.value, `http://example.com/${hostile}`);
      assert.equal(b.source, hostile);
      assert.deepEqual(b.tags, [hostile]);
      assert.equal(b.firstSeen, null);
      assert.equal(b.confidence, null);
    });

    test('intel: re-import upserts by (type, value, source): earliest first seen, latest last seen, newest expiry', async () => {
      await store.importIntel(
        [
          feodo('198.51.100.7', {
            firstSeen: T('2024-01-10T00:00:00Z'),
            lastSeen: T('2024-01-20T00:00:00Z'),
            confidence: 50,
            expiresAt: T('2024-02-20T00:00:00Z'),
          }),
        ],
        { importedAt: T('2024-01-21T00:00:00Z') },
      );
      const again = await store.importIntel(
        [
          feodo('198.51.100.7', {
            firstSeen: T('2024-01-05T00:00:00Z'),
            lastSeen: T('2024-01-15T00:00:00Z'),
            tags: [],
            malware: undefined,
            expiresAt: T('2024-04-01T00:00:00Z'),
          }),
          feodo('198.51.100.8'),
          feodo('198.51.100.8'),
        ],
        { importedAt: T('2024-03-01T00:00:00Z') },
      );
      assert.deepEqual(again, { inserted: 1, updated: 2 });
      const [row] = await store.listIntel({ value: '198.51.100.7' });
      assert.deepEqual(row!.firstSeen, T('2024-01-05T00:00:00Z'));
      assert.deepEqual(row!.lastSeen, T('2024-01-20T00:00:00Z'));
      assert.equal(row!.confidence, 50, 'kept when the new import has none');
      assert.deepEqual(row!.tags, ['c2'], 'kept when the new import has none');
      assert.equal(row!.malware, 'Emotet');
      assert.deepEqual(row!.expiresAt, T('2024-04-01T00:00:00Z'));
      assert.deepEqual(row!.importedAt, T('2024-01-21T00:00:00Z'));
      assert.deepEqual(row!.updatedAt, T('2024-03-01T00:00:00Z'));
      assert.equal((await store.listIntel()).length, 2);
    });

    test('intel: the same value from two feeds, or as two types, is two rows', async () => {
      await store.importIntel([
        feodo('198.51.100.7'),
        feodo('198.51.100.7', { source: 'threatfox' }),
        { type: 'ip-port', value: '198.51.100.7:8080', source: 'feodotracker' },
      ]);
      assert.equal((await store.listIntel()).length, 3);
      assert.equal((await store.listIntel({ source: 'threatfox' })).length, 1);
      assert.equal((await store.listIntel({ type: 'ip-port' })).length, 1);
    });

    test('intel: an invalid row → E_STORE_INVALID_INTEL and the whole batch is not written', async () => {
      const bad: unknown[] = [
        { type: 'email', value: 'a@example.com', source: 'x' },
        { type: 'ip', value: '', source: 'x' },
        { type: 'ip', value: '192.0.2.1', source: '' },
        { type: 'ip', value: '192.0.2.1', source: 'x', confidence: 101 },
        { type: 'ip', value: '192.0.2.1', source: 'x', confidence: 1.5 },
        { type: 'ip', value: '192.0.2.1', source: 'x', firstSeen: new Date('nope') },
        { type: 'ip', value: '192.0.2.1', source: 'x', tags: [1] },
      ];
      for (const row of bad) {
        await assert.rejects(store.importIntel([feodo('192.0.2.9'), row as IntelInput]), {
          code: 'E_STORE_INVALID_INTEL',
        });
      }
      assert.equal((await store.listIntel()).length, 0);
    });

    test('intel: list filters (type, source, value, active only) and pages; unknown type → E_STORE_INVALID_QUERY', async () => {
      const now = T('2024-06-01T00:00:00Z');
      await store.importIntel([
        feodo('192.0.2.1', { expiresAt: T('2024-05-01T00:00:00Z') }),
        feodo('192.0.2.2', { expiresAt: T('2024-07-01T00:00:00Z') }),
        feodo('192.0.2.3'),
        { type: 'domain', value: 'c2.example', source: 'threatfox' },
      ]);
      assert.deepEqual(
        (await store.listIntel({ activeOnly: true, now })).map((r) => r.value),
        ['192.0.2.2', '192.0.2.3', 'c2.example'],
      );
      assert.deepEqual(
        (await store.listIntel({ type: 'ip', limit: 2, offset: 1 })).map((r) => r.value),
        ['192.0.2.2', '192.0.2.3'],
      );
      await assert.rejects(store.listIntel({ type: 'email' as never }), {
        code: 'E_STORE_INVALID_QUERY',
      });
    });

    test('intel: stats count by type and source, active and expired', async () => {
      const now = T('2024-06-01T00:00:00Z');
      await store.importIntel(
        [
          feodo('192.0.2.1', { expiresAt: T('2024-05-01T00:00:00Z') }),
          feodo('192.0.2.2'),
          { type: 'url', value: 'http://example.com/a.exe', source: 'urlhaus' },
        ],
        { importedAt: T('2024-05-15T00:00:00Z') },
      );
      const stats = await store.intelStats({ now });
      assert.equal(stats.total, 3);
      assert.equal(stats.active, 2);
      assert.equal(stats.expired, 1);
      assert.equal(stats.byType.ip, 2);
      assert.equal(stats.byType.url, 1);
      assert.equal(stats.byType.sha256, 0);
      assert.deepEqual(stats.bySource, [
        {
          source: 'feodotracker',
          total: 2,
          active: 1,
          expired: 1,
          byType: { ip: 2 },
          lastImport: T('2024-05-15T00:00:00Z'),
        },
        {
          source: 'urlhaus',
          total: 1,
          active: 1,
          expired: 0,
          byType: { url: 1 },
          lastImport: T('2024-05-15T00:00:00Z'),
        },
      ]);
    });

    test('intel: expire deletes what expired at now (optionally of one source), nothing else', async () => {
      await store.importIntel([
        feodo('192.0.2.1', { expiresAt: T('2024-05-01T00:00:00Z') }),
        feodo('192.0.2.2', { expiresAt: T('2024-06-01T00:00:00Z') }),
        feodo('192.0.2.3', { expiresAt: T('2024-05-01T00:00:00Z'), source: 'other' }),
        feodo('192.0.2.4'),
      ]);
      assert.equal(await store.expireIntel({ now: T('2024-06-01T00:00:00Z'), source: 'other' }), 1);
      assert.equal(await store.expireIntel({ now: T('2024-06-01T00:00:00Z') }), 2);
      assert.deepEqual(
        (await store.listIntel()).map((r) => r.value),
        ['192.0.2.4'],
      );
    });

    test('intel: loadIntel streams every page, filters types and sources, leaves expired out unless asked', async () => {
      const batch: IntelInput[] = [];
      for (let i = 1; i <= 10; i++) batch.push(feodo(`192.0.2.${i}`));
      batch.push({ type: 'sha256', value: 'a'.repeat(64), source: 'misp:CIRCL' });
      batch.push(feodo('192.0.2.99', { expiresAt: T('2000-01-01T00:00:00Z') }));
      await store.importIntel(batch);
      const all = await collect(store.loadIntel({ pageSize: 3 }));
      assert.equal(all.length, 11);
      assert.deepEqual(
        all.map((r) => r.id),
        [...all.map((r) => r.id)].sort((x, y) => x - y),
      );
      assert.equal(
        (await collect(store.loadIntel({ includeExpired: true, pageSize: 3 }))).length,
        12,
      );
      const hashes = await collect(store.loadIntel({ types: ['sha256', 'md5'] }));
      assert.deepEqual(
        hashes.map((r) => r.source),
        ['misp:CIRCL'],
      );
      assert.equal((await collect(store.loadIntel({ sources: ['feodotracker'] }))).length, 10);
      assert.equal((await collect(store.loadIntel({ sources: [] }))).length, 0);
      // Writes between pages are fine: no cursor is held open.
      let n = 0;
      for await (const row of store.loadIntel({ pageSize: 2 })) {
        if (n++ === 0) await store.importIntel([feodo(row.value, { confidence: 10 })]);
      }
      assert.equal(n, 11);
    });
  });
}
