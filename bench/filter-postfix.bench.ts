/**
 * Content-filter latency and mail accounting (issue 4: "never loses or duplicates mail"): per-mail latency
 * from submission to delivery or quarantine, p50/p99, mails/s and the filter's peak RSS, in two set-ups:
 *   1. Postfix: nodemailer → a private Postfix instance (bench/postfix-instance.ts: own config, queue and
 *      log under /var/tmp; the system instance that test/e2e/postfix.test.ts drives is never touched) →
 *      content_filter `emoguard filter` → reinjection smtpd → Postfix → relayhost = the sink; latency is
 *      submission until the sink has the mail or the quarantine has its record. Every mail is accounted
 *      for: delivered, quarantined, deferred first (a 451 or a connection failure, then retried after
 *      BENCH_RETRY_S), bounced, duplicated (delivered twice, or delivered and quarantined) or lost — and
 *      for each one not delivered exactly once, its Postfix queue entry, Postfix log lines and the
 *      filter's log lines are printed;
 *   2. direct: nodemailer → `emoguard filter` → sink; latency is the client's submission until the
 *      filter's 250. Long (BENCH_DIRECT_MAILS, default 2,000) to show that the filter's RSS is bounded by
 *      --max-size × concurrency, not by the number of messages: RSS after the first tenth vs at the end.
 * Mails: the Japanese corpus of test/builders/mail-corpus.ts (100 KB – 2 MB attachments, archives,
 * password ZIPs), one in ten carrying an inert macro .doc that the filter quarantines; each one stamped
 * with its own envelope sender `bench-<n>@example.net`, `X-Bench-Id: <n>` and a unique Message-ID.
 * Postfix needs root and /usr/sbin/postfix; without them that part is skipped and the notes say why.
 *
 * Env: BENCH_MAILS (Postfix run, default 200), BENCH_DIRECT_MAILS (default 2000; 0 skips the direct run),
 * BENCH_CONCURRENCY (default 4), BENCH_WORKERS (filter --workers, default all cores), BENCH_MAX_SIZE
 * (default 4 MiB), BENCH_FILTER_TIMEOUT (filter --timeout seconds, default 90; small values provoke 451s),
 * BENCH_RETRY_S (Postfix retry delay, default 10), BENCH_SETTLE_S (wait for the last mails, default 600),
 * BENCH_FILTER_PROFILE=<dir> (CPU profiles of the filter, per thread), BENCH_KEEP_POSTFIX=1 (keep the
 * private instance's folder and log).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { demoMacroModules } from '../src/apps/demo/index.js';
import { buildOleWordDocument } from '../src/formats/ovba/index.js';
import { buildCorpusMail } from '../test/builders/mail-corpus.js';
import { buildMime } from '../test/builders/mime.js';
import { account, describeAccount, type Account, type Observed } from './filter-postfix-account.js';
import {
  benchResult,
  MB,
  positiveIntEnv,
  REPO_ROOT,
  seededRandom,
  type BenchResult,
} from './lib.js';
import { startPostfixInstance } from './postfix-instance.js';

export const name = 'filter-postfix';

const BIN = join(REPO_ROOT, 'bin', 'emoguard');
/** Not the e2e test's 25/10025/10026/2526: the two can run at the same time. */
const PORTS = {
  smtp: 2535,
  filter: 10035,
  reinject: 10036,
  sink: 2536,
  direct: 10037,
  directSink: 2537,
};
const DISTINCT_MAILS = 42;
const MALICIOUS_EVERY = 10;
/** Start of a delivered message kept to identify bounces (their sender is <>) by X-Bench-Id. */
const SINK_HEAD = 256 * 1024;

interface Mail {
  raw: Buffer;
  malicious: boolean;
}

async function corpus(): Promise<Mail[]> {
  const random = seededRandom(0x9f17);
  const mails: Mail[] = [];
  for (let i = 0; i < DISTINCT_MAILS; i++) {
    const size = 100 * 1024 + Math.floor(random() * (2 * MB - 100 * 1024));
    mails.push({ raw: Buffer.from((await buildCorpusMail(i, size)).bytes), malicious: false });
  }
  const doc = buildOleWordDocument({ text: 'invoice (inert)', modules: demoMacroModules() });
  const bad = await buildMime({
    subject: '請求書送付 (bench, inert)',
    text: 'ご確認ください。',
    attachments: [{ filename: '請求書.doc', content: doc }],
  });
  mails.push({ raw: Buffer.from(bad), malicious: true });
  return mails;
}

const mailFor = (mails: readonly Mail[], n: number): Mail =>
  n % MALICIOUS_EVERY === MALICIOUS_EVERY - 1
    ? mails[mails.length - 1]!
    : mails[n % (mails.length - 1)]!;

const RUN = Date.now().toString(36);
const senderOf = (n: number) => `bench-${n}@example.net`;
const numberOf = (sender: string) => Number(/^bench-(\d+)@/.exec(sender)?.[1] ?? -1);
export const messageIdOf = (n: number) => `bench-${n}.${RUN}@example.net`;

/** Mail n: its own Message-ID (the corpus repeats them) and X-Bench-Id, so that logs name it. */
function stamp(raw: Buffer, n: number): Buffer {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw
    .subarray(0, end < 0 ? 0 : end)
    .toString('latin1')
    .replace(/^Message-ID:.*$/im, `Message-ID: <${messageIdOf(n)}>`);
  const extra = /^Message-ID:/im.test(head) ? '' : `Message-ID: <${messageIdOf(n)}>\r\n`;
  return Buffer.concat([
    Buffer.from(`X-Bench-Id: ${n}\r\n${extra}${head}`, 'latin1'),
    raw.subarray(end < 0 ? 0 : end),
  ]);
}

/** The final destination: notes each arrival by envelope sender, or by X-Bench-Id for a bounce (<>). */
async function startSink(
  port: number,
  arrived: (n: number, bounce: boolean) => void,
): Promise<SMTPServer> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    size: 64 * MB,
    onData(stream, session, callback) {
      const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      let head = '';
      stream.on('data', (c: Buffer) => {
        if (head.length < SINK_HEAD) head += c.toString('latin1');
      });
      stream.on('end', () => {
        const bounce = from === '';
        arrived(
          bounce ? Number(/^X-Bench-Id: (\d+)/m.exec(head)?.[1] ?? -1) : numberOf(from),
          bounce,
        );
        callback(null, 'queued');
      });
    },
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return server;
}

interface Filter {
  child: ChildProcess;
  quarantine: string;
  /** The filter's stdout: one line per message (from=<…> verdict action reply). */
  lines: string[];
  stderr(): string;
  /** VmHWM of the filter process, MiB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

function vmHwmMb(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

async function startFilter(listen: number, nextHop: number, maxSize: number, workers: number) {
  const quarantine = mkdtempSync(join(tmpdir(), 'emoguard-bench-q-'));
  const timeout = positiveIntEnv('BENCH_FILTER_TIMEOUT', 90);
  const child = spawn(
    process.execPath,
    [
      // BENCH_FILTER_PROFILE=<dir>: CPU profiles of the filter's main thread and each scan worker.
      ...(process.env.BENCH_FILTER_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_FILTER_PROFILE}`]
        : []),
      BIN,
      'filter',
      ...['--listen', `127.0.0.1:${listen}`, '--next-hop', `127.0.0.1:${nextHop}`],
      ...['--quarantine', quarantine, '--no-store', '--workers', String(workers)],
      ...['--max-size', String(maxSize), '--timeout', String(timeout)],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  let partial = '';
  const lines: string[] = [];
  child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-8192)));
  child.stdout!.on('data', (c: Buffer) => {
    const parts = (partial + c.toString()).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  const end = Date.now() + 30_000;
  while (!/SMTP on/.test(err)) {
    if (Date.now() > end || child.exitCode !== null)
      throw new Error(`filter did not start:\n${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const filter: Filter = {
    child,
    quarantine,
    lines,
    stderr: () => err,
    peakRssMb: () => (child.exitCode === null ? vmHwmMb(child.pid!) : Number.NaN),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(quarantine, { recursive: true, force: true });
    },
  };
  return filter;
}

/** Senders of quarantine records not seen before (the .json sidecar names the envelope). */
function quarantined(dir: string, seen: Set<string>): number[] {
  const found: number[] = [];
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.json') || seen.has(file)) continue;
    try {
      const record = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
        envelope?: { from?: string };
      };
      seen.add(file);
      found.push(numberOf(record.envelope?.from ?? ''));
    } catch {
      // being written: next poll
    }
  }
  return found;
}

interface RunFigures {
  count: number;
  bytes: number;
  seconds: number;
  latenciesMs: number[];
  peakRssMb: number;
  earlyRssMb: number;
  quarantined: number;
  account?: Account;
}

/** Submits `count` mails at `concurrency` to `port`; `sent(n, ms)` after each client-side 250. */
async function submit(
  mails: readonly Mail[],
  count: number,
  concurrency: number,
  port: number,
  filter: Filter,
  sent: (n: number, startedAt: number) => void,
) {
  let bytes = 0;
  let next = 0;
  let earlyRssMb = Number.NaN;
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: concurrency,
    maxMessages: Infinity,
  });
  const submitter = async () => {
    for (let n = next++; n < count; n = next++) {
      const raw = stamp(mailFor(mails, n).raw, n);
      bytes += raw.length;
      const startedAt = performance.now();
      await transport.sendMail({ envelope: { from: senderOf(n), to: ['keiri@example.com'] }, raw });
      sent(n, startedAt);
      if (n === Math.floor(count / 10)) earlyRssMb = filter.peakRssMb();
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, submitter));
  } finally {
    transport.close();
  }
  return { bytes, earlyRssMb };
}

async function runPostfix(
  mails: readonly Mail[],
  count: number,
  concurrency: number,
  maxSize: number,
  workers: number,
): Promise<RunFigures> {
  const seen: Observed = { delivered: new Map(), bounced: new Map(), quarantined: new Map() };
  const firstAt = new Map<number, number>();
  const bump = (m: Map<number, number>, n: number) => {
    m.set(n, (m.get(n) ?? 0) + 1);
    if (!firstAt.has(n)) firstAt.set(n, performance.now());
  };
  const sink = await startSink(PORTS.sink, (n, bounce) =>
    bump(bounce ? seen.bounced : seen.delivered, n),
  );
  const filter = await startFilter(PORTS.filter, PORTS.reinject, maxSize, workers);
  const retrySeconds = positiveIntEnv('BENCH_RETRY_S', 10);
  let postfix: ReturnType<typeof startPostfixInstance> | undefined;
  try {
    postfix = startPostfixInstance({
      smtpPort: PORTS.smtp,
      filterPort: PORTS.filter,
      reinjectPort: PORTS.reinject,
      sinkPort: PORTS.sink,
      concurrency,
      maxSize,
      retrySeconds,
    });
    const records = new Set<string>();
    const poll = () => {
      for (const n of quarantined(filter.quarantine, records)) bump(seen.quarantined, n);
    };
    const started = new Map<number, number>();
    const t0 = performance.now();
    const { bytes, earlyRssMb } = await submit(
      mails,
      count,
      concurrency,
      PORTS.smtp,
      filter,
      (n, at) => started.set(n, at),
    );
    // Done when every mail arrived somewhere and Postfix's queue is empty (a late duplicate would still
    // be queued); a few retry rounds more are waited for nothing to be missed.
    const settle = positiveIntEnv('BENCH_SETTLE_S', 600) * 1000;
    const deadline = Date.now() + settle;
    let emptySince = 0;
    for (;;) {
      poll();
      const arrived = [...started.keys()].filter((n) => firstAt.has(n)).length;
      const empty = arrived === count && postfix.queue().length === 0;
      emptySince = empty ? emptySince || Date.now() : 0;
      if (emptySince > 0 && Date.now() - emptySince > 2000 + retrySeconds * 1000) break;
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (Math.max(...firstAt.values(), t0) - t0) / 1000;
    const latenciesMs = [...started].flatMap(([n, at]) =>
      firstAt.has(n) ? [firstAt.get(n)! - at] : [],
    );
    const result: RunFigures = {
      count,
      bytes,
      seconds,
      latenciesMs,
      peakRssMb: filter.peakRssMb(),
      earlyRssMb,
      quarantined: [...seen.quarantined.values()].reduce((a, b) => a + b, 0),
      account: account(count, seen, {
        postfixLog: postfix.log(),
        queue: postfix.queue(),
        postcat: (id) => postfix!.postcat(id),
        filterLines: filter.lines,
        messageIdOf,
        senderOf,
        malicious: (n) => mailFor(mails, n).malicious,
        settleSeconds: settle / 1000,
      }),
    };
    return result;
  } finally {
    postfix?.stop();
    await filter.stop();
    await new Promise<void>((r) => sink.close(() => r()));
  }
}

async function runDirect(
  mails: readonly Mail[],
  count: number,
  concurrency: number,
  maxSize: number,
  workers: number,
): Promise<RunFigures> {
  const sink = await startSink(PORTS.directSink, () => undefined);
  const filter = await startFilter(PORTS.direct, PORTS.directSink, maxSize, workers);
  try {
    const latenciesMs: number[] = [];
    const t0 = performance.now();
    const { bytes, earlyRssMb } = await submit(
      mails,
      count,
      concurrency,
      PORTS.direct,
      filter,
      (_, at) => latenciesMs.push(performance.now() - at),
    );
    return {
      count,
      bytes,
      seconds: (performance.now() - t0) / 1000,
      latenciesMs,
      peakRssMb: filter.peakRssMb(),
      earlyRssMb,
      quarantined: quarantined(filter.quarantine, new Set()).length,
    };
  } finally {
    await filter.stop();
    await new Promise<void>((r) => sink.close(() => r()));
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function describe(label: string, f: RunFigures): string {
  const sorted = [...f.latenciesMs].sort((a, b) => a - b);
  return (
    `${label}: ${f.count} mails, ${(f.bytes / MB).toFixed(0)} MiB in ${f.seconds.toFixed(1)} s = ` +
    `${(f.count / f.seconds).toFixed(1)} mails/s, ${(f.bytes / MB / f.seconds).toFixed(1)} MiB/s; latency p50 ` +
    `${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms, max ` +
    `${(sorted[sorted.length - 1] ?? Number.NaN).toFixed(0)} ms; ${f.quarantined} quarantined; filter peak ` +
    `RSS ${f.earlyRssMb.toFixed(0)} MiB after ${Math.floor(f.count / 10)} mails, ${f.peakRssMb.toFixed(0)} MiB at the end` +
    (f.account ? `\n    ${describeAccount(f.account)}` : '')
  );
}

function postfixSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to run Postfix';
  if (!existsSync('/usr/sbin/postfix')) return 'Postfix is not installed (apt-get install postfix)';
  try {
    execFileSync('id', ['-u', 'postfix'], { stdio: 'pipe' });
  } catch {
    return 'no postfix user';
  }
  return undefined;
}

export async function run(): Promise<BenchResult> {
  const postfixCount = positiveIntEnv('BENCH_MAILS', 200);
  const directCount =
    process.env.BENCH_DIRECT_MAILS === '0' ? 0 : positiveIntEnv('BENCH_DIRECT_MAILS', 2000);
  const concurrency = positiveIntEnv('BENCH_CONCURRENCY', 4);
  const workers = positiveIntEnv('BENCH_WORKERS', cpus().length);
  const maxSize = positiveIntEnv('BENCH_MAX_SIZE', 4 * MB);
  const mails = await corpus();
  const skip = postfixSkipReason();
  const postfix = skip
    ? undefined
    : await runPostfix(mails, postfixCount, concurrency, maxSize, workers);
  const direct =
    directCount > 0
      ? await runDirect(mails, directCount, concurrency, maxSize, workers)
      : undefined;
  const headline = postfix ?? direct;
  if (!headline) throw new Error('nothing to measure: Postfix skipped and BENCH_DIRECT_MAILS=0');
  const notes = [
    `concurrency ${concurrency}, filter --workers ${workers}, --max-size ${(maxSize / MB).toFixed(0)} MiB`,
    postfix ? describe('Postfix → filter → Postfix', postfix) : `Postfix run skipped: ${skip}`,
    direct ? describe('direct client → filter → sink', direct) : 'direct run skipped',
  ].join('\n    ');
  return benchResult({
    name,
    items: headline.count,
    bytes: headline.bytes,
    seconds: headline.seconds,
    peakRssMb: Math.max(postfix?.peakRssMb ?? 0, direct?.peakRssMb ?? 0),
    notes,
  });
}
