/**
 * Postfix → emoguard filter → Postfix → final destination, end to end, as amavisd-new is deployed: the
 * after-queue content_filter with a reinjection smtpd on 127.0.0.1:10026 (README "Postfix"). Needs root and
 * Debian's postfix (.ci/run installs it); otherwise skipped with the reason. The system instance's main.cf,
 * master.cf and running state are put back afterwards, and /run/lock/emoguard-postfix-e2e keeps two suites
 * from sharing it; bench/filter-postfix.bench.ts runs a private instance and never touches this one.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { demoMacroModules } from '../../src/apps/demo/index.js';
import { buildOleWordDocument } from '../../src/formats/ovba/index.js';
import { buildMime } from '../builders/mime.js';
import { startSink, type Sink, type SinkMessage } from '../support/smtp-loopback.js';

const BIN = fileURLToPath(new URL('../../bin/emoguard', import.meta.url));
const FILTER = '127.0.0.1:10025';
const REINJECT = '127.0.0.1:10026';
const SINK_PORT = 2526;

const skip =
  process.getuid?.() !== 0
    ? 'needs root to run Postfix'
    : !existsSync('/usr/sbin/postfix')
      ? 'Postfix is not installed (apt-get install postfix; .ci/run does)'
      : process.env.EMOGUARD_SKIP_POSTFIX
        ? 'EMOGUARD_SKIP_POSTFIX is set'
        : false;

const postconf = (...args: string[]) => execFileSync('postconf', args, { stdio: 'pipe' });
const postfix = (cmd: string) => execFileSync('postfix', [cmd], { stdio: 'pipe' });

const CONFIG = ['/etc/postfix/main.cf', '/etc/postfix/master.cf'];
/** Held while this file owns the system Postfix: two suites at once would share ports, config and queue. */
const LOCK = '/run/lock/emoguard-postfix-e2e';

async function lockSystemPostfix(): Promise<void> {
  const end = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return;
    } catch {
      let owner = NaN;
      try {
        owner = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
      } catch {
        // being created: wait
      }
      let alive = true;
      if (Number.isInteger(owner) && owner > 0) {
        try {
          process.kill(owner, 0);
        } catch {
          alive = false;
        }
      }
      if (!alive) rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() > end) throw new Error(`${LOCK} held by pid ${owner} for 5 minutes`);
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** main.cf and master.cf as found, and whether Postfix was running: put back after the suite. */
function saveSystemPostfix(): { files: Map<string, Buffer>; running: boolean } {
  let running = true;
  try {
    postfix('status');
  } catch {
    running = false;
  }
  return { files: new Map(CONFIG.map((f) => [f, readFileSync(f)])), running };
}

function restoreSystemPostfix(saved: ReturnType<typeof saveSystemPostfix>): void {
  try {
    postfix('stop');
  } catch {
    // already stopped
  }
  for (const [file, bytes] of saved.files) writeFileSync(file, bytes);
  if (saved.running) postfix('start');
}

function configurePostfix(): void {
  postconf(
    '-e',
    'myhostname=emoguard-test.localdomain',
    'mydestination=',
    'inet_interfaces=loopback-only',
    'inet_protocols=ipv4',
    'mynetworks=127.0.0.0/8',
    `relayhost=[127.0.0.1]:${SINK_PORT}`,
    'smtp_dns_support_level=disabled',
    `content_filter=emoguard:[${FILTER.split(':')[0]}]:${FILTER.split(':')[1]}`,
    'default_transport=smtp',
    'relay_transport=relay',
    'queue_run_delay=5s',
    'minimal_backoff_time=5s',
    'maximal_backoff_time=10s',
  );
  // master.cf: the filter transport and the reinjection listener (the amavisd-new recipe).
  postconf('-M', 'emoguard/unix=emoguard unix - - n - 2 smtp');
  postconf(
    '-P',
    'emoguard/unix/smtp_send_xforward_command=yes',
    'emoguard/unix/smtp_data_done_timeout=1200',
    'emoguard/unix/max_use=20',
  );
  postconf('-M', `${REINJECT}/inet=${REINJECT} inet n - n - - smtpd`);
  for (const p of [
    'content_filter=',
    'receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_milters',
    'smtpd_recipient_restrictions=permit_mynetworks,reject',
    'mynetworks=127.0.0.0/8',
    'smtpd_authorized_xforward_hosts=127.0.0.0/8',
  ]) {
    postconf('-P', `${REINJECT}/inet/${p}`);
  }
}

async function until<T>(what: string, probe: () => T | undefined, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('postfix end to end', { skip }, () => {
  const delivered: SinkMessage<string>[] = [];
  let sink: Sink | undefined;
  let filter: ChildProcess | undefined;
  const quarantine = mkdtempSync(join(tmpdir(), 'emoguard-pf-q-'));
  const db = join(mkdtempSync(join(tmpdir(), 'emoguard-pf-db-')), 'store.db');

  const startFilter = async () => {
    filter = spawn(
      process.execPath,
      [
        BIN,
        'filter',
        '--listen',
        FILTER,
        '--next-hop',
        REINJECT,
        '--quarantine',
        quarantine,
        '--db',
        db,
        '--workers',
        '1',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    filter.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    await until('the filter to listen', () => (/SMTP on/.test(err) ? true : undefined), 30_000);
  };
  const stopFilter = async () => {
    if (!filter) return;
    const exited = new Promise((r) => filter!.once('exit', r));
    filter.kill('SIGTERM');
    await exited;
    filter = undefined;
  };
  const sendThroughPostfix = async (raw: Uint8Array, subject: string) => {
    const client = nodemailer.createTransport({
      host: '127.0.0.1',
      port: 25,
      secure: false,
      ignoreTLS: true,
    });
    try {
      await client.sendMail({
        envelope: { from: 'sender@example.net', to: ['tanaka@victim.example.co.jp'] },
        raw: Buffer.from(raw),
      });
    } finally {
      client.close();
    }
    return subject;
  };

  let saved: ReturnType<typeof saveSystemPostfix> | undefined;
  let locked = false;

  before(async () => {
    await lockSystemPostfix();
    locked = true;
    saved = saveSystemPostfix();
    sink = await startSink(delivered, (raw) => raw.toString('latin1'), { port: SINK_PORT });
    configurePostfix();
    try {
      postfix('stop');
    } catch {
      // not running
    }
    // A clean queue: leftovers of an earlier run would be delivered into this one.
    execFileSync('postsuper', ['-d', 'ALL'], { stdio: 'pipe' });
    postfix('start');
    await startFilter();
  });

  after(async () => {
    try {
      await stopFilter();
      // The configuration as found (content_filter, relayhost, the reinjection listener): the next user
      // of this Postfix is not sent to a filter that is gone.
      if (saved) restoreSystemPostfix(saved);
      else
        try {
          postfix('stop');
        } catch {
          // already stopped
        }
      if (sink) await sink.close();
    } finally {
      if (locked) rmSync(LOCK, { recursive: true, force: true });
    }
  });

  test('a clean mail passes Postfix → filter → Postfix → destination', async () => {
    await sendThroughPostfix(await buildMime({ subject: 'pf-clean', text: 'hello' }), 'pf-clean');
    const got = await until(
      'delivery',
      () => delivered.find((m) => /Subject: pf-clean/.test(m.raw))?.raw,
    );
    assert.match(got, /Received: from .*\(localhost \[127\.0\.0\.1\]\)/);
  });

  test('a malicious mail is quarantined and never reaches the destination', async () => {
    const doc = buildOleWordDocument({ text: 'invoice', modules: demoMacroModules() });
    await sendThroughPostfix(
      await buildMime({
        subject: 'pf-malicious',
        text: 'see attached',
        attachments: [{ filename: 'inv.doc', content: doc }],
      }),
      'pf-malicious',
    );
    await until('the quarantine record', () =>
      readdirSync(quarantine).some((n) => n.endsWith('.json')) ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 2000));
    assert.ok(!delivered.some((m) => /Subject: pf-malicious/.test(m.raw)), 'not delivered');
  });

  test('with the filter down the mail is deferred, and delivered once it is back', async () => {
    await stopFilter();
    await sendThroughPostfix(
      await buildMime({ subject: 'pf-deferred', text: 'later' }),
      'pf-deferred',
    );
    const queued = await until('the deferred message', () => {
      const q = execFileSync('postqueue', ['-j'], { encoding: 'utf8' });
      return /"delay_reason":\s*"[^"]*10025/.test(q) ? q : undefined;
    });
    assert.match(queued, /connect to 127\.0\.0\.1\[127\.0\.0\.1\]:10025: Connection refused|10025/);
    assert.ok(!delivered.some((m) => /Subject: pf-deferred/.test(m.raw)), 'not delivered yet');
    await startFilter();
    execFileSync('postqueue', ['-f']);
    await until('delivery after the retry', () =>
      delivered.find((m) => /Subject: pf-deferred/.test(m.raw)),
    );
  });
});
