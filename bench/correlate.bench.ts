/**
 * Correlation over a store the size of a busy incident: 100,000 findings (BENCH_FINDINGS overrides) from
 * every layer — Sysmon-style hunt findings on 500 hosts naming attachment hashes, users and C2 addresses,
 * mails to 2,000 mailboxes with a macro attachment each, proxy C2 hits, lone documents. Measures the first
 * `correlate()` pass (findings/s, peak RSS), then a second pass (idempotent, nothing to do) and one
 * `buildIncidentView` of the biggest incident, in the notes.
 */
import { emptyExtracted, type Finding, type ScanResult } from '../src/core/index.js';
import { buildIncidentView, correlate } from '../src/correlate/index.js';
import type { Store } from '../src/store/index.js';
import {
  benchResult,
  fakeSha256 as hex,
  positiveIntEnv,
  seededRandom,
  startRssSampler,
  withScratchStore,
  type BenchResult,
} from './lib.js';

export const name = 'correlate';

const DEFAULT_FINDINGS = 100_000;
const HOSTS = 500;
const MAILBOXES = 2_000;
const C2S = 200;
const PER_RESULT = 20;

function f(
  id: string,
  severity: Finding['severity'],
  step: Finding['step'],
  text: string,
  note?: string,
): Finding {
  return {
    id,
    title: id,
    severity,
    step,
    attack: ['T1059.001'],
    evidence: [{ text, location: 'record 1', ...(note === undefined ? {} : { note }) }],
    observedAt: '2024-01-10T00:00:00.000Z',
  };
}

function node(
  path: string,
  sha256: string,
  findings: Finding[],
  children: ScanResult[] = [],
): ScanResult {
  return {
    path,
    sha256,
    size: 1,
    type: 'text',
    verdict: 'suspicious',
    findings,
    extracted: emptyExtracted(),
    children,
  };
}

/** Stores `total` findings; returns how many were written. */
async function fill(store: Store, total: number): Promise<number> {
  const random = seededRandom(0xc0ffee);
  const pick = (n: number) => Math.floor(random() * n);
  let written = 0;
  let serial = 0;
  const mailScan = await store.beginScan({ command: 'scan', args: [], host: 'analyst' });
  const huntScan = await store.beginScan({ command: 'hunt', args: [], host: 'analyst' });
  while (written < total) {
    const kind = random();
    serial++;
    if (kind < 0.3) {
      // A mail with a macro attachment (its hash is what hosts will name).
      const doc = node(`m${serial}.eml!invoice.docm`, hex(serial % 5_000), [
        f('vba.autoexec', 'critical', '3', 'AutoOpen'),
      ]);
      const mail = node(
        `m${serial}.eml`,
        hex(1e9 + serial),
        Array.from({ length: PER_RESULT - 1 }, () =>
          f('mail.office-attachment', 'medium', '1', 'invoice.docm'),
        ),
        [doc],
      );
      mail.extracted.mail = {
        from: `attacker${pick(50)}@example.org`,
        fromName: '',
        to: [`user${pick(MAILBOXES)}@example.co.jp`],
        cc: [],
        replyTo: [],
        subject: 'Re: 請求書',
        date: '2024-01-10T00:00:00.000Z',
        messageId: `<${serial}@example.org>`,
        inReplyTo: null,
        quoted: [`partner${pick(500)}@example.net`],
      };
      await store.saveResults(mailScan, [mail]);
    } else if (kind < 0.9) {
      const host = `PC-${pick(HOSTS)}`;
      const findings = Array.from({ length: PER_RESULT }, (_, i) =>
        i % 4 === 0
          ? f('ioc.c2-ip', 'critical', '6', `ip 203.0.113.${pick(C2S)} (feodotracker)`)
          : f(
              'sigma.proc',
              'high',
              '4',
              'CommandLine: powershell -enc AAAA',
              `${host} 2024-01-10T00:00:00Z | user=CORP\\u${pick(HOSTS)} | sha256=${hex(pick(5_000))} | pid=${pick(9999)} | ppid=${pick(9999)} | image=C:\\x\\powershell.exe`,
            ),
      );
      await store.saveResults(
        huntScan,
        [node(`logs/${serial}.evtx`, hex(2e9 + serial), findings)],
        { host },
      );
    } else {
      await store.saveResults(mailScan, [
        node(
          `docs/${serial}.doc`,
          hex(3e9 + serial),
          Array.from({ length: PER_RESULT }, () => f('vba.shell', 'high', '4', 'Shell "cmd"')),
        ),
      ]);
    }
    written += PER_RESULT;
  }
  return written;
}

export async function run(): Promise<BenchResult> {
  const total = positiveIntEnv('BENCH_FINDINGS', DEFAULT_FINDINGS);
  return withScratchStore('correlate', async (store) => {
    const findings = await fill(store, total);
    const rss = startRssSampler();
    const started = process.hrtime.bigint();
    const summary = await correlate(store);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const again = process.hrtime.bigint();
    const second = await correlate(store);
    const secondMs = Number(process.hrtime.bigint() - again) / 1e6;
    const biggest = (await store.listIncidents()).sort(
      (a, b) => b.findingIds.length - a.findingIds.length,
    )[0];
    let viewMs = Number.NaN;
    if (biggest !== undefined) {
      const t = process.hrtime.bigint();
      await buildIncidentView(store, biggest.id);
      viewMs = Number(process.hrtime.bigint() - t) / 1e6;
    }
    const peakRssMb = rss.stop();
    return benchResult({
      name,
      items: findings,
      bytes: 0,
      seconds,
      peakRssMb,
      notes: [
        `${summary.created.length} incidents, ${summary.linked} links`,
        `second pass ${secondMs.toFixed(0)} ms (${second.linked} links)`,
        `view of #${biggest?.id} (${biggest?.findingIds.length} findings) ${viewMs.toFixed(0)} ms`,
      ].join('; '),
    });
  });
}
