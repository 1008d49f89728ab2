/**
 * `emoguard serve` under read load, in process over loopback HTTP: a store with N incidents (each linked
 * to the findings of one stored mail tree), then 8 concurrent clients fetching
 * - the incident list page (HTML, session cookie) — the headline figure;
 * - GET /api/incidents (JSON, bearer token) and GET /api/incidents/:id (correlated view) — in the notes.
 * Requests/s per endpoint and the process's peak RSS. Env: BENCH_INCIDENTS=<n> (default 1,000),
 * BENCH_REQUESTS=<n> per endpoint (default 400).
 */
import { Agent, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, hashPassword, listen, newApiToken } from '../src/apps/api/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { buildMailTree } from '../src/store/suite-fixtures.js';
import { Client } from '../test/support/dashboard.js';
import { benchResult, startRssSampler, type BenchResult } from './lib.js';

export const name = 'dashboard';

const CONCURRENCY = 8;
const incidents = () => Number(process.env.BENCH_INCIDENTS) || 1_000;
const requests = () => Number(process.env.BENCH_REQUESTS) || 400;
const cheap = { N: 1024, r: 8, p: 1 };

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** One GET over a keep-alive socket (node:http: fetch's own overhead would dominate the figures). */
function fetchBytes(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent, headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () =>
        res.statusCode === 200 ? resolve(bytes) : reject(new Error(`HTTP ${res.statusCode}`)),
      );
    }).on('error', reject);
  });
}

async function hammer(
  count: number,
  fetchOne: (i: number) => Promise<number>,
): Promise<{ seconds: number; bytes: number }> {
  let next = 0;
  let bytes = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const received = await fetchOne(next++);
        bytes += received;
      }
    }),
  );
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, bytes };
}

export async function run(): Promise<BenchResult> {
  const n = incidents();
  const store = openSqliteStore(':memory:');
  await store.migrate();
  const user = await store.auth.createUser({
    name: 'bench',
    role: 'viewer',
    passwordHash: await hashPassword('bench-password', cheap),
  });
  const token = newApiToken();
  await store.auth.createToken({ userId: user.id, name: 'bench', ...token });
  const scanId = await store.beginScan({ command: 'scan', args: [], host: 'pc-01' });
  await store.saveResults(scanId, [buildMailTree()]);
  const findingIds = (await store.listFindings()).map((f) => f.id);
  for (let i = 0; i < n; i++) {
    const inc = await store.createIncident({
      title: `Attack mail received by user${i}@example.com <img src=x>`,
      kind: 'mailbox',
      subject: `user${i}@example.com`,
      severity: i % 3 === 0 ? 'critical' : 'high',
      steps: ['1', '2', '3'],
    });
    await store.linkFindings(inc.id, findingIds);
  }
  const app = createApp({ store, auth: { scryptCost: cheap } });
  const server = await listen(app, '127.0.0.1', 0);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = new Client(base);
  await browser.login('bench', 'bench-password');
  const bearer = { authorization: `Bearer ${token.token}` };
  const session = { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };

  const rss = startRssSampler();
  const count = requests();
  const page = await hammer(count, () => fetchBytes(`${base}/incidents`, session));
  const api = await hammer(count, () => fetchBytes(`${base}/api/incidents`, bearer));
  const view = await hammer(count, (i) =>
    fetchBytes(`${base}/api/incidents/${(i % n) + 1}`, bearer),
  );
  const peakRssMb = rss.stop();
  server.closeAllConnections();
  server.close();
  agent.destroy();
  await store.close();
  const rate = (x: { seconds: number }) => Math.round(count / x.seconds);
  return benchResult({
    name,
    items: count,
    bytes: page.bytes,
    seconds: page.seconds,
    peakRssMb,
    notes:
      `${n} incidents, ${CONCURRENCY} clients: list page ${rate(page)} req/s ` +
      `(${Math.round(page.bytes / count / 1024)} KiB each); GET /api/incidents ${rate(api)} req/s ` +
      `(${Math.round(api.bytes / count / 1024)} KiB); GET /api/incidents/:id ${rate(view)} req/s`,
  });
}
