/**
 * The dashboard's safe view under load, in process over loopback HTTP: the demo's invoice mail (with its
 * macro .doc) in a quarantine folder, then 8 concurrent logged-in clients fetching
 * GET /quarantine/ID/view/frame — the mail parsed, the .doc's text extracted, the page rendered and the
 * access audited, on every request. Frames/s, input MB/s and the process's peak RSS.
 * Env: BENCH_REQUESTS=<n> (default 200).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, hashPassword, listen } from '../src/apps/api/index.js';
import { buildDemoCorpus } from '../src/apps/demo/index.js';
import { QuarantineDir } from '../src/apps/smtp/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { Client } from '../test/support/dashboard.js';
import { benchResult, startRssSampler, type BenchResult } from './lib.js';

export const name = 'dashboard-safe-view';

const CONCURRENCY = 8;
const requests = () => Number(process.env.BENCH_REQUESTS) || 200;
const cheap = { N: 1024, r: 8, p: 1 };

export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-bench-view-'));
  const store = openSqliteStore(':memory:');
  await store.migrate();
  await store.auth.createUser({
    name: 'bench',
    role: 'viewer',
    passwordHash: await hashPassword('bench-password', cheap),
  });
  const mail = (await buildDemoCorpus()).find((f) => f.kind === 'mail')!;
  const quarantine = new QuarantineDir(join(dir, 'q'));
  const record = await quarantine.put(mail.bytes, {
    receivedAt: new Date().toISOString(),
    envelope: { from: 'a@example.com', to: ['b@example.com'] },
    subject: 'invoice',
    verdict: 'malicious',
    action: 'quarantine',
    reasons: [],
    findings: [],
  });
  const app = createApp({ store, auth: { scryptCost: cheap }, quarantine: { dir: quarantine } });
  const server = await listen(app, '127.0.0.1', 0);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = new Client(base);
  await browser.login('bench', 'bench-password');
  const headers = { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const fetchFrame = () =>
    new Promise<number>((resolve, reject) => {
      get(`${base}/quarantine/${record.id}/view/frame`, { agent, headers }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(bytes) : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      }).on('error', reject);
    });

  const count = requests();
  const rss = startRssSampler();
  let next = 0;
  let pageBytes = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < count) {
        const received = await fetchFrame();
        pageBytes += received;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const peakRssMb = rss.stop();
  server.closeAllConnections();
  server.close();
  agent.destroy();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return benchResult({
    name,
    items: count,
    bytes: count * mail.bytes.length,
    seconds,
    peakRssMb,
    notes:
      `${CONCURRENCY} clients, one ${Math.round(mail.bytes.length / 1024)} KiB mail with a .doc: ` +
      `${Math.round((seconds / count) * 1000 * CONCURRENCY)} ms per frame under load, ` +
      `${Math.round(pageBytes / count / 1024)} KiB page each`,
  });
}
