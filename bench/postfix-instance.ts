/**
 * A private Postfix instance for the filter-postfix bench: its own config directory, queue, data directory
 * and log file under /var/tmp (maillog_file must live under maillog_file_prefixes, default /var), started
 * with `postfix -c`. The system instance (/etc/postfix, port 25), which test/e2e/postfix.test.ts
 * configures, stops and purges (`postsuper -d ALL`), is never touched: a test run during the bench can no
 * longer redirect the content filter or delete the bench's queued mail, and the bench leaves no
 * content_filter, message_size_limit or listener behind in /etc/postfix.
 */
import { execFileSync } from 'node:child_process';
import {
  chownSync,
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

export interface PostfixInstanceOptions {
  /** The SMTP listener mail is submitted to (not 25: the system instance keeps that). */
  smtpPort: number;
  /** content_filter = emoguard:[127.0.0.1]:filterPort. */
  filterPort: number;
  /** The reinjection smtpd the filter sends scanned mail back to. */
  reinjectPort: number;
  /** relayhost: the final destination. */
  sinkPort: number;
  /** Parallel deliveries to the filter (the `emoguard` transport's process limit). */
  concurrency: number;
  maxSize: number;
  /** queue_run_delay / minimal_backoff_time / maximal_backoff_time, seconds: deferred mail retried within the run. */
  retrySeconds: number;
}

export interface PostfixInstance {
  dir: string;
  logFile: string;
  /** `postqueue -j`: one object per queued message. */
  queue(): Array<{
    queue_id: string;
    queue_name: string;
    sender: string;
    recipients: Array<{ address: string; delay_reason?: string }>;
  }>;
  /** `postcat -q <id>` (headers and envelope), for the report of a message still queued. */
  postcat(queueId: string): string;
  log(): string;
  stop(): void;
}

/** The daemons an after-queue content filter set-up needs; chroot off (the queue is not a chroot jail). */
const SERVICES = `pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
`;

export function startPostfixInstance(o: PostfixInstanceOptions): PostfixInstance {
  const dir = mkdtempSync('/var/tmp/emoguard-bench-postfix-');
  chmodSync(dir, 0o755);
  const etc = join(dir, 'etc');
  const data = join(dir, 'data');
  const logFile = join(dir, 'postfix.log');
  mkdirSync(etc);
  mkdirSync(join(dir, 'queue'));
  mkdirSync(data);
  const uid = Number(execFileSync('id', ['-u', 'postfix'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postfix'], { encoding: 'utf8' }).trim());
  chownSync(data, uid, gid);
  const r = o.retrySeconds;
  writeFileSync(
    join(etc, 'main.cf'),
    [
      'compatibility_level = 3.6',
      `queue_directory = ${dir}/queue`,
      `data_directory = ${data}`,
      'meta_directory = /etc/postfix',
      `maillog_file = ${logFile}`,
      'myhostname = emoguard-bench.localdomain',
      'mydestination =',
      'alias_maps =',
      'alias_database =',
      'inet_interfaces = 127.0.0.1',
      'inet_protocols = ipv4',
      'mynetworks = 127.0.0.0/8',
      'smtpd_relay_restrictions = permit_mynetworks, reject',
      `relayhost = [127.0.0.1]:${o.sinkPort}`,
      'smtp_dns_support_level = disabled',
      `content_filter = emoguard:[127.0.0.1]:${o.filterPort}`,
      `message_size_limit = ${o.maxSize}`,
      `queue_run_delay = ${r}s`,
      `minimal_backoff_time = ${r}s`,
      `maximal_backoff_time = ${r}s`,
      '',
    ].join('\n'),
  );
  // The README recipe (amavisd-new style): the filter transport and the reinjection smtpd.
  const reinject = `127.0.0.1:${o.reinjectPort}`;
  writeFileSync(
    join(etc, 'master.cf'),
    `127.0.0.1:${o.smtpPort} inet n - n - - smtpd\n${SERVICES}` +
      `emoguard unix - - n - ${o.concurrency} smtp\n  -o smtp_send_xforward_command=yes\n` +
      `  -o smtp_data_done_timeout=1200\n  -o max_use=20\n` +
      `${reinject} inet n - n - - smtpd\n  -o content_filter=\n` +
      '  -o receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_milters\n' +
      '  -o smtpd_recipient_restrictions=permit_mynetworks,reject\n  -o mynetworks=127.0.0.0/8\n' +
      '  -o smtpd_authorized_xforward_hosts=127.0.0.0/8\n',
  );
  const run = (cmd: string, ...args: string[]) =>
    execFileSync(cmd, ['-c', etc, ...args], {
      encoding: 'utf8',
      stdio: 'pipe',
      maxBuffer: 64 << 20,
    });
  try {
    run('postfix', 'start');
  } catch (error) {
    let log = '';
    try {
      log = readFileSync(logFile, 'utf8');
    } catch {
      // no log yet
    }
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`private Postfix did not start: ${String(error)}\n${log}`);
  }
  return {
    dir,
    logFile,
    queue() {
      return run('postqueue', '-j')
        .split('\n')
        .filter((l) => l.trim().startsWith('{'))
        .map((l) => JSON.parse(l) as ReturnType<PostfixInstance['queue']>[number]);
    },
    postcat(queueId) {
      try {
        return run('postcat', '-e', '-h', '-q', queueId);
      } catch (error) {
        return `postcat: ${String(error)}`;
      }
    },
    log() {
      try {
        return readFileSync(logFile, 'utf8');
      } catch {
        return '';
      }
    },
    stop() {
      try {
        run('postfix', 'stop');
      } catch {
        // already stopped
      }
      if (!process.env.BENCH_KEEP_POSTFIX) rmSync(dir, { recursive: true, force: true });
    },
  };
}
