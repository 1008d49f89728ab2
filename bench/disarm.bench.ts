/**
 * Disarm as a whole (`pipeline/disarm.ts`: dispatch by type, the format disarmer, then the re-scan that
 * every copy must pass) over a mixed Office corpus, and the latency it adds per mail in the gateway.
 *
 * (1) Throughput: `BENCH_FILES` files (default 1,000) cycling through a .docm (VBA + remote template),
 *     an .xlsm (XLM macro sheet + Auto_Open), a .doc (VBA), an RTF (DDE field + OLE package) and a
 *     clean .docx (unchanged, still re-scanned); each made unique by its text. files/s and MB/s of input.
 * (2) Gateway: `BENCH_MAILS` mails (default 100) with one .docm attachment each, sent one at a time over
 *     loopback SMTP through the filter (1 scan worker) to a sink, with the `tag` action (no disarm) and
 *     with `disarm` (rules/policy/disarm.yml). p50/p99 of the SMTP transaction, in the notes.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { parse } from 'yaml';
import { demoMacroModules } from '../src/apps/demo/index.js';
import { Scanner } from '../src/apps/scan-runner/index.js';
import { createFilterServer, createRelay, QuarantineDir } from '../src/apps/smtp/index.js';
import { resolveLimits } from '../src/core/index.js';
import { buildOleWordDocument, buildVbaProjectBin } from '../src/formats/ovba/index.js';
import { disarmInput, resolvePolicy, type Policy } from '../src/pipeline/index.js';
import { emotetXlmSpec } from '../test/builders/biff.js';
import { buildMime } from '../test/builders/mime.js';
import { buildDocx, complexField } from '../test/builders/office.js';
import { buildRtf } from '../test/builders/rtf.js';
import { buildXlsm } from '../test/builders/xlsm.js';
import { buildDocm } from '../test/builders/zip.js';
import { benchResult, MB, REPO_ROOT, startRssSampler, type BenchResult } from './lib.js';

export const name = 'disarm';

const positive = (env: string, fallback: number) => {
  const n = Number(process.env[env] || fallback);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${env} must be a positive integer`);
  return n;
};

const WARMUP = 5;
const DDE = 'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"';

function corpus(count: number): Uint8Array[] {
  const vba = buildVbaProjectBin({ modules: demoMacroModules() });
  const kinds = [
    (i: number) =>
      buildDocm({
        vbaProjectBin: vba,
        text: `invoice ${i}`,
        externalTemplate: 'http://203.0.113.7/t.dotm',
      }),
    (i: number) => {
      const spec = emotetXlmSpec();
      spec.sheets[0]!.cells.push({ ref: 'B1', value: `ledger ${i}` });
      return buildXlsm(spec);
    },
    (i: number) => buildOleWordDocument({ text: `letter ${i}`, modules: demoMacroModules() }),
    (i: number) => buildRtf({ body: `memo ${i}`, fields: [DDE] }),
    (i: number) =>
      buildDocx({ body: [`<w:r><w:t>report ${i}</w:t></w:r>`, complexField(['PAGE'])] }),
  ];
  return Array.from({ length: count }, (_, i) => kinds[i % kinds.length]!(i));
}

async function throughput(files: Uint8Array[]) {
  const tally: Record<string, number> = {};
  const started = process.hrtime.bigint();
  for (let i = 0; i < files.length; i++) {
    const report = await disarmInput({ path: `f${i}`, bytes: files[i]! });
    const key = report.status === 'refused' ? `refused:${report.refusal}` : report.status;
    tally[key] = (tally[key] ?? 0) + 1;
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, tally };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function gatewayLatency(
  mails: number,
  policy: Policy,
): Promise<{ p50: number; p99: number }> {
  const sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _s, cb) {
      stream.on('data', () => undefined);
      stream.on('end', () => cb(null, 'ok'));
    },
  });
  const listen = (s: SMTPServer) =>
    new Promise<number>((r) =>
      s.listen(0, '127.0.0.1', () =>
        r((s as unknown as { server: { address(): AddressInfo } }).server.address().port),
      ),
    );
  const sinkPort = await listen(sink);
  const limits = resolveLimits({});
  const scanner = new Scanner(limits, 1);
  const relay = createRelay({ host: '127.0.0.1', port: sinkPort });
  const qdir = mkdtempSync(join(tmpdir(), 'emoguard-bench-q-'));
  const filter = createFilterServer({
    scanner,
    policy,
    relay,
    quarantine: new QuarantineDir(qdir),
    maxSize: 10 * MB,
    timeoutMs: 60_000,
    hostname: 'bench',
    limits,
  });
  const port = await listen(filter);
  const client = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: 1,
  });
  const vba = buildVbaProjectBin({ modules: demoMacroModules() });
  const times: number[] = [];
  try {
    // The first mails warm the worker, the JIT and the pool connections: not counted.
    for (let i = -WARMUP; i < mails; i++) {
      const raw = await buildMime({
        subject: `invoice ${i + WARMUP}`,
        text: 'please find the invoice attached',
        attachments: [
          {
            filename: `invoice-${i}.docm`,
            content: buildDocm({ vbaProjectBin: vba, text: `invoice ${i}` }),
          },
        ],
      });
      const t = process.hrtime.bigint();
      await client.sendMail({
        envelope: { from: 'a@example.com', to: ['b@example.com'] },
        raw: Buffer.from(raw),
      });
      if (i >= 0) times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  } finally {
    client.close();
    relay.close();
    await new Promise<void>((r) => filter.close(() => r()));
    await new Promise<void>((r) => sink.close(() => r()));
    await scanner.close();
    rmSync(qdir, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

export async function run(): Promise<BenchResult> {
  const files = corpus(positive('BENCH_FILES', 1000));
  const bytes = files.reduce((n, f) => n + f.length, 0);
  const rss = startRssSampler();
  const { seconds, tally } = await throughput(files);
  const peakRssMb = rss.stop();
  const mails = positive('BENCH_MAILS', 100);
  const disarmPolicy = resolvePolicy(
    parse(readFileSync(join(REPO_ROOT, 'rules/policy/disarm.yml'), 'utf8')),
  );
  const tagPolicy = resolvePolicy({
    verdicts: { clean: 'tag', suspicious: 'tag', malicious: 'tag' },
    findings: [],
  });
  const without = await gatewayLatency(mails, tagPolicy);
  const withDisarm = await gatewayLatency(mails, disarmPolicy);
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  return benchResult({
    name,
    items: files.length,
    bytes,
    seconds,
    peakRssMb,
    notes:
      `outcomes ${JSON.stringify(tally)}; gateway per mail (${mails} mails, .docm attached, 1 scan worker): ` +
      `tag p50 ${ms(without.p50)} p99 ${ms(without.p99)}, disarm p50 ${ms(withDisarm.p50)} p99 ${ms(withDisarm.p99)}`,
  });
}
