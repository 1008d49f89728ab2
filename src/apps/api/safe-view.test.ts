import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  Client,
  PASSWORDS,
  startDashboard,
  XSS_SUBJECT,
  type Dashboard,
} from '../../../test/support/dashboard.js';
import { quarantineAnother } from '../../../test/support/dashboard-quarantine.js';
import type { QuarantineRecord } from '../smtp/index.js';
import { SAFE_VIEW_FRAME_HEADERS } from './safe-view.js';

/** A quarantined mail whose subject and HTML body are script probes; inert text, example.com only. */
const HOSTILE_HTML_MAIL = [
  `Subject: ${XSS_SUBJECT}`,
  'From: attacker@example.com',
  'To: user@example.com',
  'MIME-Version: 1.0',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<html><body><p>請求書をご確認ください</p><script>alert(2)</script>',
  '<img src=x onerror=alert(3)><a href="javascript:alert(4)">click</a></body></html>',
  '',
].join('\r\n');

let d: Dashboard;
let hostile: QuarantineRecord;
let probe: QuarantineRecord;

const put = (bytes: Uint8Array, subject: string) => quarantineAnother(d, bytes, subject);

before(async () => {
  d = await startDashboard({ quarantine: true });
  hostile = await put(new TextEncoder().encode(HOSTILE_HTML_MAIL), XSS_SUBJECT);
  probe = await put(d.probeMail, XSS_SUBJECT);
});
after(() => d.close());

async function as(role: 'viewer' | 'analyst'): Promise<Client> {
  const c = new Client(d.url);
  assert.equal((await c.login(role, PASSWORDS[role])).status, 303, 'login');
  return c;
}

describe('dashboard safe view of quarantined mail', () => {
  test('safe view: without a session both the page and the frame redirect to /login', async () => {
    const c = new Client(d.url);
    for (const path of [`/quarantine/${hostile.id}/view`, `/quarantine/${hostile.id}/view/frame`]) {
      const res = await c.request(path);
      assert.equal(res.status, 303, path);
      assert.equal(res.headers.get('location'), '/login', path);
    }
  });

  test('safe view: the page frames the view in <iframe sandbox> with no allow-*, and may frame only us', async () => {
    const c = await as('viewer');
    const res = await c.request(`/quarantine/${hostile.id}/view`);
    assert.equal(res.status, 200, 'page status');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-src 'self'/, csp);
    assert.match(csp, /script-src 'self'/, csp);
    assert.match(csp, /frame-ancestors 'none'/, 'the page itself is not framable');
    const body = await res.text();
    const frame = /<iframe[^>]*>/.exec(body)?.[0] ?? '';
    assert.match(frame, /\ssandbox[\s>]/, frame);
    assert.doesNotMatch(frame, /allow-/, frame);
    assert.match(frame, new RegExp(`src="/quarantine/${hostile.id}/view/frame"`), frame);
    assert.equal(body.includes(XSS_SUBJECT), false, 'the subject is escaped on the page');
    assert.ok(body.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the subject is shown as text');
  });

  test('safe view: the frame is the static view under a sandboxing CSP, never the raw message', async () => {
    const c = await as('viewer');
    const res = await c.request(`/quarantine/${hostile.id}/view/frame`);
    assert.equal(res.status, 200, 'frame status');
    assert.match(res.headers.get('content-type') ?? '', /^text\/html; charset=utf-8$/);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.equal(csp, SAFE_VIEW_FRAME_HEADERS['Content-Security-Policy']);
    assert.match(
      csp,
      /^sandbox; default-src 'none'; img-src data:; style-src 'sha256-[A-Za-z0-9+/=]+'/,
    );
    assert.match(csp, /frame-ancestors 'self'$/, csp);
    assert.doesNotMatch(csp, /script-src|allow-/, csp);
    assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('content-disposition'), null, 'shown, not downloaded');
    const body = await res.text();
    assert.ok(body.includes('請求書をご確認ください'), 'the body text is shown');
    assert.ok(body.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the subject is text');
    assert.doesNotMatch(body, /<script|<img[^>]*onerror|href=|<a\s/i, 'no active markup');
    assert.equal(body.includes(HOSTILE_HTML_MAIL.slice(0, 40)), false, 'not the raw message');
    const audit = await d.store.auth.listAudit({ target: `quarantine:${hostile.id}` });
    assert.ok(
      audit.some((a) => a.action === 'quarantine.view' && a.actor === 'viewer'),
      'the view is audited',
    );
  });

  test('safe view: the frame follows the dashboard language', async () => {
    const c = await as('viewer');
    await c.request('/lang/ja');
    const body = await (await c.request(`/quarantine/${hostile.id}/view/frame`)).text();
    assert.match(body, /<html lang="ja">/);
    const page = await (await c.request(`/quarantine/${hostile.id}/view`)).text();
    assert.ok(page.includes('安全表示'), 'Japanese label on the page');
  });

  test('safe view: unknown ids are 404, a malformed id matches no route, a closed record is 410', async () => {
    const c = await as('analyst');
    assert.equal((await c.request('/quarantine/20990101000000-deadbeef/view')).status, 404);
    assert.equal((await c.request('/quarantine/20990101000000-deadbeef/view/frame')).status, 404);
    assert.equal((await c.request('/quarantine/..%2f..%2fetc/view/frame')).status, 404);
    const closed = await put(new TextEncoder().encode('Subject: closed\r\n\r\nbye\r\n'), 'closed');
    const del = await c.request(`/quarantine/${closed.id}/delete`, {
      method: 'POST',
      form: { _csrf: c.csrf, reason: 'test' },
    });
    assert.equal(del.status, 303, 'deleted');
    assert.equal((await c.request(`/quarantine/${closed.id}/view`)).status, 410);
    assert.equal((await c.request(`/quarantine/${closed.id}/view/frame`)).status, 410);
    const list = await (await c.request('/quarantine')).text();
    assert.ok(list.includes(`href="/quarantine/${hostile.id}/view"`), 'active row links');
    assert.equal(list.includes(`/quarantine/${closed.id}/view`), false, 'closed row does not');
  });

  test('safe view: the incident page links a mail that sits byte for byte in the quarantine', async () => {
    const c = await as('viewer');
    const page = await (await c.request(`/incidents/${d.incidentId}`)).text();
    const links = [...page.matchAll(/href="\/quarantine\/([0-9a-f-]+)\/view"/g)].map((m) => m[1]);
    assert.deepEqual(links, [probe.id], 'only the probe mail is quarantined');
  });

  test('safe view: without a quarantine the routes are 404', async () => {
    const bare = await startDashboard();
    try {
      const c = new Client(bare.url);
      assert.equal((await c.login('viewer', PASSWORDS.viewer)).status, 303, 'login');
      assert.equal((await c.request(`/quarantine/${hostile.id}/view/frame`)).status, 404);
      const page = await (await c.request(`/incidents/${bare.incidentId}`)).text();
      assert.equal(page.includes('/view"'), false, 'no safe-view links');
    } finally {
      await bare.close();
    }
  });
});
