/**
 * A dashboard server on an ephemeral loopback port over an in-memory store, seeded with users of each
 * role, one incident built from the store suite's mail tree (with hostile strings) and, optionally, a
 * quarantined message. Plus a tiny cookie-keeping client for API tests. Inert text only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import {
  createApp,
  hashPassword,
  listen,
  type ApiApp,
  type ApiOptions,
} from '../../src/apps/api/index.js';
import { QuarantineDir, type QuarantineRecord } from '../../src/apps/smtp/index.js';
import { openSqliteStore, type Role, type Store } from '../../src/store/index.js';
import { buildDemoCorpus } from '../../src/apps/demo/index.js';
import { resolveLimits } from '../../src/core/index.js';
import { correlate } from '../../src/correlate/index.js';
import { scanInput } from '../../src/pipeline/index.js';

/** Cheap scrypt for tests only: the cost is stored in each hash, so verification follows it. */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 };
export const XSS_SUBJECT = '<img src=x onerror=alert(1)>';
export const PASSWORDS: Record<Role, string> = {
  viewer: 'viewer-password-1',
  analyst: 'analyst-password-1',
  admin: 'admin-password-1',
};

export interface Dashboard {
  url: string;
  store: Store;
  app: ApiApp;
  incidentId: number;
  /** The exact bytes of the probe mail the incident holds (the demo's mails differ on each build). */
  probeMail: Uint8Array;
  quarantined?: QuarantineRecord;
  released: string[];
  close(): Promise<void>;
}

/** The demo's invoice mail and a copy of it whose Subject is the XSS probe, as scanned by the seed. */
export async function demoMails(): Promise<{ path: string; mail: Uint8Array; probe: Uint8Array }> {
  const mail = (await buildDemoCorpus()).find((f) => f.kind === 'mail')!;
  const probe = new TextDecoder()
    .decode(mail.bytes)
    .replace(/^Subject:.*(\r?\n[ \t].*)*/m, `Subject: ${XSS_SUBJECT}`);
  return { path: mail.path, mail: mail.bytes, probe: new TextEncoder().encode(probe) };
}

/**
 * The demo's invoice mail and a copy of it whose Subject is an XSS probe, scanned in process and
 * correlated: one mailbox incident holding both mails (about 0.3 s).
 */
export async function seedDemoIncident(
  store: Store,
  mails?: Awaited<ReturnType<typeof demoMails>>,
): Promise<number> {
  const { path: mailPath, mail, probe } = mails ?? (await demoMails());
  const scanId = await store.beginScan({ command: 'scan', args: ['mail'] });
  const limits = resolveLimits();
  for (const [path, bytes] of [
    [mailPath, mail],
    ['mail/probe.eml', probe],
  ] as const) {
    await store.saveResults(scanId, [await scanInput({ path, bytes }, { limits })]);
  }
  const { created } = await correlate(store);
  if (created.length === 0) throw new Error('the demo mail made no incident');
  return created[0]!;
}

export async function startDashboard(
  options: { quarantine?: boolean; app?: Partial<ApiOptions> } = {},
): Promise<Dashboard> {
  const store = openSqliteStore(':memory:');
  await store.migrate();
  for (const role of ['viewer', 'analyst', 'admin'] as const) {
    await store.auth.createUser({
      name: role,
      role,
      passwordHash: await hashPassword(PASSWORDS[role], TEST_SCRYPT),
    });
  }
  const mails = await demoMails();
  const incidentId = await seedDemoIncident(store, mails);
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-dashboard-'));
  const released: string[] = [];
  let quarantined: QuarantineRecord | undefined;
  let quarantine: ApiOptions['quarantine'];
  if (options.quarantine) {
    const q = new QuarantineDir(join(dir, 'quarantine'));
    quarantined = await q.put(
      new TextEncoder().encode(
        `Subject: ${XSS_SUBJECT}\r\nFrom: a@example.com\r\n\r\ninert body\r\n`,
      ),
      {
        receivedAt: new Date().toISOString(),
        envelope: { from: 'a@example.com', to: ['b@example.com'] },
        subject: XSS_SUBJECT,
        verdict: 'malicious',
        action: 'quarantine',
        reasons: ['verdict malicious'],
        findings: ['vba.autoexec-execution-chain'],
      },
    );
    quarantine = {
      dir: q,
      release: async (record) => {
        released.push(record.id);
        return '250 2.0.0 Ok: queued';
      },
    };
  }
  const app = createApp({
    store,
    auth: { scryptCost: TEST_SCRYPT },
    ...(quarantine ? { quarantine } : {}),
    ...options.app,
  });
  const server: Server = await listen(app, '127.0.0.1', 0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    app,
    incidentId,
    probeMail: mails.probe,
    ...(quarantined ? { quarantined } : {}),
    released,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A browser-like client: keeps cookies, sends Origin, never follows redirects. */
export class Client {
  readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly base: string) {}

  async request(
    path: string,
    init: {
      method?: string;
      raw?: string;
      form?: Record<string, string>;
      json?: unknown;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size > 0)
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.raw !== undefined) {
      body = init.raw;
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    if (init.method && init.method !== 'GET' && headers.origin === undefined)
      headers.origin = this.base;
    if (headers.origin === '') delete headers.origin;
    const res = await fetch(`${this.base}${path}`, {
      method: init.method ?? 'GET',
      headers,
      ...(body === undefined ? {} : { body }),
      redirect: 'manual',
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/Max-Age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  async login(name: string, password: string): Promise<Response> {
    const page = await (await this.request('/login')).text();
    const token = /name="_login" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const res = await this.request('/login', {
      method: 'POST',
      form: { _login: token, name, password },
    });
    if (res.status === 303) {
      const html = await (await this.request('/incidents')).text();
      this.csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    }
    return res;
  }
}
