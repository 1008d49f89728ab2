import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  Client,
  PASSWORDS,
  startDashboard,
  type Dashboard,
} from '../../../test/support/dashboard.js';
import { MAX_BODY_BYTES } from './index.js';

let now = new Date('2026-11-25T10:00:00Z');
let d: Dashboard;
before(async () => {
  d = await startDashboard({
    app: {
      auth: {
        scryptCost: { N: 1024, r: 8, p: 1 },
        now: () => now,
        idleMs: 30 * 60_000,
        absoluteMs: 8 * 3_600_000,
        maxFailuresPerUser: 3,
      },
    },
  });
});
after(() => d.close());
const advance = (ms: number) => (now = new Date(now.getTime() + ms));

describe('api: sessions, throttling and request limits', () => {
  test('session: use within the idle time keeps it alive; 30 idle minutes end it', async () => {
    const c = new Client(d.url);
    assert.equal((await c.login('viewer', PASSWORDS.viewer)).status, 303);
    advance(29 * 60_000);
    assert.equal((await c.request('/api/me')).status, 200, 'slides the expiry');
    advance(29 * 60_000);
    assert.equal((await c.request('/api/me')).status, 200);
    advance(30 * 60_000);
    assert.equal((await c.request('/api/me')).status, 401);
  });

  test('session: ends after the absolute lifetime even when in use', async () => {
    const c = new Client(d.url);
    await c.login('viewer', PASSWORDS.viewer);
    for (let i = 0; i < 20; i++) {
      advance(29 * 60_000);
      if ((await c.request('/api/me')).status === 401) {
        assert.equal(i, 16, 'ended at the first request after 8 hours (17 × 29 min)');
        return;
      }
    }
    assert.fail('the session outlived its absolute lifetime');
  });

  test('login: the 3rd failure for a user blocks even the right password with 429 + Retry-After', async () => {
    const c = new Client(d.url);
    for (let i = 0; i < 3; i++)
      assert.equal((await c.login('admin', 'wrong-password')).status, 401);
    const blocked = await c.login('admin', PASSWORDS.admin);
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers.get('retry-after')) > 0);
    advance(15 * 60_000);
    assert.equal((await c.login('admin', PASSWORDS.admin)).status, 303, 'the window passed');
  });

  test('body: a form at the size limit is read; one byte more is refused with 413', async () => {
    const c = new Client(d.url);
    await c.login('analyst', PASSWORDS.analyst);
    const base = `_csrf=${c.csrf}&status=investigating&reason=`;
    const at = await c.request(`/incidents/${d.incidentId}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      raw: base + 'x'.repeat(MAX_BODY_BYTES - base.length),
    });
    assert.equal(at.status, 400, 'read, then refused for its over-long reason (not 413)');
    const over = await c.request(`/incidents/${d.incidentId}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      raw: base + 'x'.repeat(MAX_BODY_BYTES - base.length + 1),
    });
    assert.equal(over.status, 413);
  });

  test('routing: unknown path 404, wrong method 405, and /lang never redirects off-site', async () => {
    const c = new Client(d.url);
    await c.login('viewer', PASSWORDS.viewer);
    assert.equal((await c.request('/api/nothing')).status, 404);
    assert.equal(
      (await c.request('/api/incidents', { method: 'DELETE', headers: { 'x-csrf-token': c.csrf } }))
        .status,
      405,
    );
    for (const next of [
      '//evil.example/',
      '/\\evil.example/',
      'https://evil.example/',
      '/ok\r\nSet-Cookie: x=1',
    ]) {
      const res = await c.request(`/lang/ja?next=${encodeURIComponent(next)}`);
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/', next);
    }
    const ok = await c.request(`/lang/en?next=${encodeURIComponent('/findings?q=a')}`);
    assert.equal(ok.headers.get('location'), '/findings?q=a');
  });
});
