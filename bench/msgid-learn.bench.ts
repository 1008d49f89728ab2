/**
 * `emoguard mail learn-msgids` on a big sent-mail mbox: BENCH_MSGIDS (default 1,000,000) messages of
 * ~1 KiB (headers + a short body), written to a temp file, learned into a fresh Message-ID database.
 * Measures messages/s, MB/s and peak RSS (must stay flat: header blocks only, batched inserts), then
 * the read-only lookup rate the scan workers see.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { learnMessageIds, openSentMessageIndex } from '../src/apps/msgid/index.js';
import { openMessageIdDb } from '../src/store/index.js';
import { benchResult, startRssSampler, type BenchResult } from './lib.js';

export const name = 'msgid-learn';

const LOOKUPS = 200_000;

function count(): number {
  const n = Number(process.env.BENCH_MSGIDS ?? 1_000_000);
  if (!Number.isInteger(n) || n <= 0) throw new Error('BENCH_MSGIDS must be a positive integer');
  return n;
}

async function writeMbox(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < n; i++) {
    const chunk =
      `From tanaka@example.co.jp Tue Nov  1 10:00:00 2022\n` +
      `Received: from mx.example.co.jp (mx.example.co.jp [192.0.2.10]) by mx2.example.co.jp\n` +
      `From: =?UTF-8?B?55Sw5Lit?= <tanaka@example.co.jp>\nTo: sato${i % 97}@partner${i % 13}.example.jp\n` +
      `Cc: keiri@example.co.jp\nSubject: =?UTF-8?B?6KaL56mN5pu4?= ${i}\nDate: Tue, 1 Nov 2022 10:00:00 +0900\n` +
      `Message-ID: <${i.toString(36)}.${(i * 7919).toString(16)}@mx.example.co.jp>\nMIME-Version: 1.0\n` +
      `Content-Type: text/plain; charset=utf-8\n\n${'ご確認ください。よろしくお願いいたします。\n'.repeat(8)}\n`;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((e?: Error | null) => (e ? reject(e) : resolve())),
  );
}

export async function run(): Promise<BenchResult> {
  const n = count();
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-bench-msgid-'));
  try {
    const mbox = join(dir, 'sent.mbox');
    await writeMbox(mbox, n);
    const bytes = statSync(mbox).size;
    const db = openMessageIdDb(join(dir, 'msgids.db'));
    const rss = startRssSampler();
    const started = process.hrtime.bigint();
    const summary = await learnMessageIds([mbox], db, { domains: ['example.co.jp'] });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const peakRssMb = rss.stop();
    db.close();
    const index = openSentMessageIndex(join(dir, 'msgids.db'));
    const t = process.hrtime.bigint();
    let hits = 0;
    for (let i = 0; i < LOOKUPS; i++) {
      const k = (i * 104_729) % n;
      if (index.lookup(`${k.toString(36)}.${(k * 7919).toString(16)}@mx.example.co.jp`)) hits++;
      index.lookup(`missing-${i}@mx.example.co.jp`);
    }
    const lookupSeconds = Number(process.hrtime.bigint() - t) / 1e9;
    index.close();
    return benchResult({
      name,
      items: summary.mails,
      bytes,
      seconds,
      peakRssMb,
      notes:
        `${summary.added} ids learned; ${((LOOKUPS * 2) / lookupSeconds / 1000).toFixed(0)}k lookups/s ` +
        `(${hits}/${LOOKUPS} hits + ${LOOKUPS} misses)`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
