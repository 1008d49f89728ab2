import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Uint8ArrayReader, Uint8ArrayWriter, ZipReader, type FileEntry } from '@zip.js/zip.js';
import {
  Client,
  PASSWORDS,
  startDashboard,
  type Dashboard,
} from '../../../test/support/dashboard.js';
import { quarantineAnother } from '../../../test/support/dashboard-quarantine.js';
import { CSP } from './index.js';

let d: Dashboard;
before(async () => {
  d = await startDashboard({ quarantine: true });
});
after(() => d.close());

async function as(role: 'viewer' | 'analyst' | 'admin'): Promise<Client> {
  const c = new Client(d.url);
  assert.equal((await c.login(role, PASSWORDS[role])).status, 303);
  assert.notEqual(c.csrf, '');
  return c;
}

async function token(role: 'viewer' | 'analyst' | 'admin'): Promise<string> {
  const admin = await as('admin');
  const res = await admin.request('/api/tokens', {
    method: 'POST',
    json: { user: role, name: `${role} token` },
    headers: { 'x-csrf-token': admin.csrf },
  });
  assert.equal(res.status, 201);
  return ((await res.json()) as { token: string }).token;
}

describe('api: authentication', () => {
  test('api: every /api/ route answers 401 without credentials, pages redirect to /login', async () => {
    const c = new Client(d.url);
    for (const path of [
      '/api/me',
      '/api/incidents',
      `/api/incidents/${d.incidentId}`,
      '/api/findings',
      '/api/quarantine',
    ]) {
      const res = await c.request(path);
      assert.equal(res.status, 401, path);
      assert.deepEqual(await res.json(), { error: 'authentication required' });
    }
    const page = await c.request('/incidents');
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), '/login');
  });

  test('api: responses carry the strict CSP, nosniff, same-origin referrers and no caching', async () => {
    const res = await new Client(d.url).request('/login');
    assert.equal(res.headers.get('content-security-policy'), CSP);
    assert.match(
      CSP,
      /default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'/,
    );
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'same-origin');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
  });

  test('api: a session cookie is HttpOnly and SameSite=Strict; a wrong password gets 401', async () => {
    const c = new Client(d.url);
    assert.equal((await c.login('viewer', 'wrong-password')).status, 401);
    const res = await c.login('viewer', PASSWORDS.viewer);
    const cookie = res.headers.getSetCookie().find((s) => s.startsWith('eg_session='));
    assert.match(cookie ?? '', /HttpOnly/);
    assert.match(cookie ?? '', /SameSite=Strict/);
    const me = await (await c.request('/api/me')).json();
    assert.deepEqual((me as { user: { name: string } }).user.name, 'viewer');
    assert.equal(JSON.stringify(me).includes('scrypt'), false, 'no password hash in the API');
  });

  test('api: login without the pre-session token or from another origin → 403', async () => {
    const c = new Client(d.url);
    await c.request('/login');
    const noToken = await c.request('/login', {
      method: 'POST',
      form: { name: 'viewer', password: PASSWORDS.viewer },
    });
    assert.equal(noToken.status, 403);
    const page = await (await c.request('/login')).text();
    const t = /name="_login" value="([^"]+)"/.exec(page)![1]!;
    const foreign = await c.request('/login', {
      method: 'POST',
      form: { _login: t, name: 'viewer', password: PASSWORDS.viewer },
      headers: { origin: 'http://evil.example' },
    });
    assert.equal(foreign.status, 403);
  });

  test('api: logout ends the session on the server', async () => {
    const c = await as('viewer');
    const session = c.cookies.get('eg_session')!;
    assert.equal(
      (await c.request('/logout', { method: 'POST', form: { _csrf: c.csrf } })).status,
      303,
    );
    const replay = new Client(d.url);
    replay.cookies.set('eg_session', session);
    assert.equal((await replay.request('/api/me')).status, 401);
  });
});

describe('api: roles and CSRF', () => {
  test('api: a viewer reads but gets 403 on status changes and quarantine actions', async () => {
    const c = await as('viewer');
    assert.equal((await c.request('/api/incidents')).status, 200);
    const change = await c.request(`/api/incidents/${d.incidentId}/status`, {
      method: 'POST',
      json: { status: 'contained' },
      headers: { 'x-csrf-token': c.csrf },
    });
    assert.equal(change.status, 403);
    const del = await c.request(`/api/quarantine/${d.quarantined!.id}/delete`, {
      method: 'POST',
      json: { reason: 'x' },
      headers: { 'x-csrf-token': c.csrf },
    });
    assert.equal(del.status, 403);
    assert.equal((await c.request('/api/users')).status, 403, 'users are for admins');
  });

  test('api: a session state change without the CSRF token, or with a foreign Origin, is refused', async () => {
    const c = await as('analyst');
    const path = `/api/incidents/${d.incidentId}/status`;
    const none = await c.request(path, { method: 'POST', json: { status: 'investigating' } });
    assert.equal(none.status, 403);
    assert.match(((await none.json()) as { error: string }).error, /CSRF/);
    const wrong = await c.request(path, {
      method: 'POST',
      json: { status: 'investigating' },
      headers: { 'x-csrf-token': 'forged' },
    });
    assert.equal(wrong.status, 403);
    const foreign = await c.request(`/incidents/${d.incidentId}/status`, {
      method: 'POST',
      form: { _csrf: c.csrf, status: 'investigating' },
      headers: { origin: 'http://evil.example' },
    });
    assert.equal(foreign.status, 403);
    const noOrigin = await c.request(`/incidents/${d.incidentId}/status`, {
      method: 'POST',
      form: { _csrf: c.csrf, status: 'investigating' },
      headers: { origin: '' },
    });
    assert.equal(noOrigin.status, 403);
    assert.equal((await d.store.getIncident(d.incidentId))?.status, 'new', 'nothing changed');
    const ok = await c.request(path, {
      method: 'POST',
      json: { status: 'investigating', reason: 'triage started' },
      headers: { 'x-csrf-token': c.csrf },
    });
    assert.equal(ok.status, 200);
    assert.equal((await d.store.getIncident(d.incidentId))?.status, 'investigating');
    const [entry] = await d.store.auth.listAudit({ target: `incident:${d.incidentId}` });
    assert.equal(entry?.actor, 'analyst');
    assert.equal(entry?.reason, 'triage started');
  });

  test('api: a bearer token authenticates without CSRF; a revoked or malformed one gets 401', async () => {
    const t = await token('analyst');
    const api = new Client(d.url);
    const auth = { authorization: `Bearer ${t}` };
    assert.equal((await api.request('/api/me', { headers: auth })).status, 200);
    const res = await api.request(`/api/incidents/${d.incidentId}/status`, {
      method: 'POST',
      json: { status: 'contained' },
      headers: auth,
    });
    assert.equal(res.status, 200);
    const stored = await d.store.auth.listTokens();
    assert.equal(
      stored.some((x) => JSON.stringify(x).includes(t)),
      false,
      'only the digest is stored',
    );
    const id = stored.find((x) => x.name === 'analyst token')!.id;
    assert.equal(
      (await api.request(`/api/tokens/${id}`, { method: 'DELETE', headers: auth })).status,
      200,
    );
    assert.equal((await api.request('/api/me', { headers: auth })).status, 401);
    assert.equal(
      (await api.request('/api/me', { headers: { authorization: 'Bearer nope' } })).status,
      401,
    );
  });
});

describe('api: quarantine', () => {
  test('api: download is an AES-encrypted zip sent as an attachment, never the message inline', async () => {
    const c = await as('analyst');
    const res = await c.request(`/api/quarantine/${d.quarantined!.id}/download`, {
      method: 'POST',
      json: { password: 'infected-test' },
      headers: { 'x-csrf-token': c.csrf },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/zip');
    assert.match(
      res.headers.get('content-disposition') ?? '',
      /^attachment; filename="quarantine-/,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 2)], [0x50, 0x4b]);
    assert.equal(Buffer.from(bytes).includes('inert body'), false, 'content is encrypted');
    const reader = new ZipReader(new Uint8ArrayReader(bytes), { useWebWorkers: false });
    const [entry] = await reader.getEntries();
    assert.equal(entry?.encrypted, true);
    const text = new TextDecoder().decode(
      await (entry as FileEntry).getData(new Uint8ArrayWriter(), { password: 'infected-test' }),
    );
    assert.match(text, /inert body/);
    await reader.close();
    const short = await c.request(`/api/quarantine/${d.quarantined!.id}/download`, {
      method: 'POST',
      json: { password: 'short' },
      headers: { 'x-csrf-token': c.csrf },
    });
    assert.equal(short.status, 400);
  });

  test('api: release needs a reason, re-injects once, and is audited', async () => {
    const c = await as('analyst');
    const path = `/api/quarantine/${d.quarantined!.id}/release`;
    const headers = { 'x-csrf-token': c.csrf };
    assert.equal((await c.request(path, { method: 'POST', json: {}, headers })).status, 400);
    const ok = await c.request(path, {
      method: 'POST',
      json: { reason: 'false positive' },
      headers,
    });
    assert.equal(ok.status, 200);
    assert.deepEqual(d.released, [d.quarantined!.id]);
    assert.equal(
      (await c.request(path, { method: 'POST', json: { reason: 'again' }, headers })).status,
      409,
    );
    const [entry] = await d.store.auth.listAudit({ target: `quarantine:${d.quarantined!.id}` });
    assert.equal(entry?.action, 'quarantine.release');
    assert.equal(entry?.reason, 'false positive');
  });
});

describe('api: reads and administration', () => {
  test('api: findings search filters by text and step; an unknown step is a 400', async () => {
    const c = await as('viewer');
    const all = (await (await c.request('/api/findings')).json()) as {
      findings: { ruleId: string; step: string }[];
    };
    assert.ok(all.findings.length > 0);
    const mail = (await (await c.request('/api/findings?q=mail.&step=1')).json()) as typeof all;
    assert.ok(mail.findings.length > 0);
    assert.ok(mail.findings.every((f) => f.step === '1' && f.ruleId.includes('mail.')));
    assert.equal((await c.request('/api/findings?step=9')).status, 400);
    const html = await (await c.request(`/findings?q=${encodeURIComponent('<img')}`)).text();
    assert.equal(html.includes('<img'), false);
  });

  test('api: incident list pages with total/offset; the view carries the correlated mails', async () => {
    const c = await as('viewer');
    const list = (await (await c.request('/api/incidents?limit=1')).json()) as {
      total: number;
      incidents: unknown[];
    };
    assert.equal(list.incidents.length, 1);
    assert.ok(list.total >= 1);
    const view = (await (await c.request(`/api/incidents/${d.incidentId}`)).json()) as {
      mails: { subject: string }[];
    };
    assert.ok(view.mails.some((m) => m.subject === '<img src=x onerror=alert(1)>'));
    assert.equal((await c.request('/api/incidents/999999')).status, 404);
    assert.equal((await c.request('/api/intel')).status, 200);
    assert.equal(
      (await c.request('/api/coverage')).status,
      404,
      'no matrix configured in this server',
    );
    const note = await c.request(`/api/incidents/${d.incidentId}/notes`, {
      method: 'POST',
      json: { text: 'x' },
      headers: { 'x-csrf-token': c.csrf },
    });
    assert.equal(note.status, 403, 'viewers do not write notes');
  });

  test('api: an analyst adds a note (1–2,000 characters), audited', async () => {
    const c = await as('analyst');
    const post = (text: string) =>
      c.request(`/api/incidents/${d.incidentId}/notes`, {
        method: 'POST',
        json: { text },
        headers: { 'x-csrf-token': c.csrf },
      });
    assert.equal((await post('')).status, 400);
    assert.equal((await post('n'.repeat(2_001))).status, 400);
    const ok = await post('n'.repeat(2_000));
    assert.equal(ok.status, 201);
    const { notes } = (await ok.json()) as { notes: { text: string; author: string }[] };
    assert.equal(notes.at(-1)?.author, 'analyst');
    const [entry] = await d.store.auth.listAudit({ target: `incident:${d.incidentId}` });
    assert.equal(entry?.action, 'incident.note');
  });

  test('api: an admin adds and deletes users (never itself); the password is hashed', async () => {
    const admin = await as('admin');
    const headers = { 'x-csrf-token': admin.csrf };
    const added = await admin.request('/api/users', {
      method: 'POST',
      json: { name: '田中', role: 'viewer', password: 'tanaka-password-1' },
      headers,
    });
    assert.equal(added.status, 201);
    assert.match((await d.store.auth.getUserByName('田中'))!.passwordHash, /^scrypt\$/);
    const weak = await admin.request('/api/users', {
      method: 'POST',
      json: { name: 'x', role: 'viewer', password: 'short' },
      headers,
    });
    assert.equal(weak.status, 400);
    assert.equal(
      (
        await admin.request(`/api/users/${encodeURIComponent('田中')}`, {
          method: 'DELETE',
          headers,
        })
      ).status,
      200,
    );
    assert.equal(
      (await admin.request('/api/users/admin', { method: 'DELETE', headers })).status,
      409,
    );
    assert.equal(
      (await admin.request('/api/users/%E0%A4%A', { method: 'DELETE', headers })).status,
      400,
    );
  });

  test('page: the quarantine form download is a zip attachment and needs the CSRF token', async () => {
    const c = await as('analyst');
    const record = await quarantineAnother(
      d,
      new TextEncoder().encode('Subject: x\r\n\r\ninert\r\n'),
      d.quarantined!.subject,
    );
    const path = `/quarantine/${record.id}/download`;
    assert.equal(
      (await c.request(path, { method: 'POST', form: { password: 'infected-form' } })).status,
      403,
    );
    const res = await c.request(path, {
      method: 'POST',
      form: { _csrf: c.csrf, password: 'infected-form' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/zip');
    assert.match(res.headers.get('content-disposition') ?? '', /^attachment;/);
    const released = `/api/quarantine/${d.quarantined!.id}/download`;
    const gone = await c.request(released, {
      method: 'POST',
      json: { password: 'infected-form' },
      headers: { 'x-csrf-token': c.csrf },
    });
    assert.equal(gone.status, 404, 'a released message is no longer on disk');
  });
});
