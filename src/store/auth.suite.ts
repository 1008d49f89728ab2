/**
 * Conformance suite for `Store.auth`: every backend runs it (SQLite in sqlite-store.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Store } from './store.js';

export function runAuthSuite(name: string, makeStore: () => Promise<Store>): void {
  const withStore = async (fn: (store: Store) => Promise<void>) => {
    const store = await makeStore();
    await store.migrate();
    try {
      await fn(store);
    } finally {
      await store.close();
    }
  };
  const hash = 'scrypt$test';

  describe(`auth store conformance: ${name}`, () => {
    test('auth: users are created, found by id and name, listed by name, and names are unique', () =>
      withStore(async (store) => {
        const bob = await store.auth.createUser({
          name: 'bob',
          role: 'viewer',
          passwordHash: hash,
        });
        const alice = await store.auth.createUser({
          name: 'アリス<script>',
          role: 'admin',
          passwordHash: hash,
        });
        assert.equal((await store.auth.getUser(bob.id))?.name, 'bob');
        assert.equal((await store.auth.getUserByName('アリス<script>'))?.id, alice.id);
        assert.equal(await store.auth.getUserByName('nobody'), undefined);
        assert.deepEqual(
          (await store.auth.listUsers()).map((u) => u.name),
          ['bob', 'アリス<script>'],
        );
        assert.equal(await store.auth.countUsers(), 2);
        await assert.rejects(
          store.auth.createUser({ name: 'bob', role: 'admin', passwordHash: hash }),
          { code: 'E_STORE_USER_EXISTS' },
        );
      }));

    test('auth: an unknown role or an empty name is refused', () =>
      withStore(async (store) => {
        await assert.rejects(
          store.auth.createUser({ name: 'x', role: 'root' as 'admin', passwordHash: hash }),
          { code: 'E_STORE_INVALID_USER' },
        );
        await assert.rejects(
          store.auth.createUser({ name: '', role: 'viewer', passwordHash: hash }),
          { code: 'E_STORE_INVALID_USER' },
        );
        await assert.rejects(
          store.auth.createUser({ name: 'x'.repeat(65), role: 'viewer', passwordHash: hash }),
          { code: 'E_STORE_INVALID_USER' },
        );
      }));

    test('auth: updating role and password keeps the rest; unknown user → E_STORE_NOT_FOUND', () =>
      withStore(async (store) => {
        const u = await store.auth.createUser({
          name: 'carol',
          role: 'viewer',
          passwordHash: hash,
        });
        const v = await store.auth.updateUser(u.id, { role: 'analyst' });
        assert.equal(v.role, 'analyst');
        assert.equal(v.passwordHash, hash);
        const w = await store.auth.updateUser(u.id, { passwordHash: 'scrypt$new' });
        assert.equal(w.role, 'analyst');
        assert.equal(w.passwordHash, 'scrypt$new');
        await assert.rejects(store.auth.updateUser(9999, { role: 'admin' }), {
          code: 'E_STORE_NOT_FOUND',
        });
      }));

    test('auth: sessions round-trip, are touched, expire, and go with their user', () =>
      withStore(async (store) => {
        const u = await store.auth.createUser({ name: 'dave', role: 'viewer', passwordHash: hash });
        const t0 = new Date('2026-01-01T00:00:00Z');
        const t1 = new Date('2026-01-01T00:30:00Z');
        for (const id of ['a', 'b']) {
          await store.auth.createSession({
            idHash: id,
            userId: u.id,
            csrfToken: `csrf-${id}`,
            createdAt: t0,
            lastSeenAt: t0,
            expiresAt: t1,
          });
        }
        assert.deepEqual(await store.auth.getSession('a'), {
          idHash: 'a',
          userId: u.id,
          csrfToken: 'csrf-a',
          createdAt: t0,
          lastSeenAt: t0,
          expiresAt: t1,
        });
        const t2 = new Date('2026-01-01T01:00:00Z');
        await store.auth.touchSession('b', t1, t2);
        assert.deepEqual((await store.auth.getSession('b'))?.expiresAt, t2);
        assert.equal(await store.auth.deleteExpiredSessions(t1), 1, 'a expires at t1');
        assert.equal(await store.auth.getSession('a'), undefined);
        await store.auth.deleteSession('zzz');
        assert.equal(await store.auth.deleteUserSessions(u.id + 1000), 0);
        assert.equal(await store.auth.deleteUser(u.id), true);
        assert.equal(await store.auth.getSession('b'), undefined);
        assert.equal(await store.auth.deleteUser(u.id), false);
      }));

    test('auth: deleteUserSessions ends every session of that user only', () =>
      withStore(async (store) => {
        const a = await store.auth.createUser({ name: 'a', role: 'viewer', passwordHash: hash });
        const b = await store.auth.createUser({ name: 'b', role: 'viewer', passwordHash: hash });
        const at = new Date('2026-01-01T00:00:00Z');
        const s = { csrfToken: 'c', createdAt: at, lastSeenAt: at, expiresAt: at };
        await store.auth.createSession({ ...s, idHash: 'a1', userId: a.id });
        await store.auth.createSession({ ...s, idHash: 'a2', userId: a.id });
        await store.auth.createSession({ ...s, idHash: 'b1', userId: b.id });
        assert.equal(await store.auth.deleteUserSessions(a.id), 2);
        assert.equal(await store.auth.getSession('a1'), undefined);
        assert.notEqual(await store.auth.getSession('b1'), undefined);
      }));

    test('auth: tokens are found by digest until revoked, and go with their user', () =>
      withStore(async (store) => {
        const u = await store.auth.createUser({
          name: 'erin',
          role: 'analyst',
          passwordHash: hash,
        });
        const t = await store.auth.createToken({
          userId: u.id,
          name: 'ci',
          tokenHash: 'h1',
          prefix: 'eg_abcd',
        });
        assert.equal(t.userName, 'erin');
        assert.equal(t.lastUsedAt, null);
        assert.equal((await store.auth.findToken('h1'))?.id, t.id);
        assert.equal(await store.auth.findToken('h2'), undefined);
        const at = new Date('2026-02-02T00:00:00Z');
        await store.auth.touchToken(t.id, at);
        assert.deepEqual((await store.auth.listTokens({ userId: u.id }))[0]?.lastUsedAt, at);
        assert.equal(await store.auth.revokeToken(t.id), true);
        assert.equal(await store.auth.revokeToken(t.id), false, 'already revoked');
        assert.equal(await store.auth.findToken('h1'), undefined);
        assert.notEqual((await store.auth.listTokens())[0]?.revokedAt, null);
        await store.auth.createToken({ userId: u.id, name: 'x', tokenHash: 'h3', prefix: 'p' });
        await store.auth.deleteUser(u.id);
        assert.deepEqual(await store.auth.listTokens(), []);
        await assert.rejects(
          store.auth.createToken({ userId: 4242, name: 'x', tokenHash: 'h4', prefix: 'p' }),
          { code: 'E_STORE_NOT_FOUND' },
        );
      }));

    test('auth: the audit trail is newest first, filterable by target, and keeps hostile text', () =>
      withStore(async (store) => {
        await store.auth.appendAudit({
          actor: 'alice',
          action: 'quarantine.release',
          target: 'quarantine:1',
          reason: 'false positive <b>"\u0000',
          detail: { nextHop: '127.0.0.1:10026' },
        });
        await store.auth.appendAudit({
          actor: 'bob',
          action: 'incident.status',
          target: 'incident:1',
        });
        const all = await store.auth.listAudit();
        assert.deepEqual(
          all.map((a) => a.actor),
          ['bob', 'alice'],
        );
        assert.equal(all[1]?.reason, 'false positive <b>"\u0000');
        assert.deepEqual(all[1]?.detail, { nextHop: '127.0.0.1:10026' });
        assert.equal(all[0]?.reason, null);
        assert.equal((await store.auth.listAudit({ target: 'quarantine:1' })).length, 1);
        assert.equal((await store.auth.listAudit({ limit: 1 })).length, 1);
      }));
  });
}
