import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { ConfigError, describeError, resolveLimits } from '../../../core/index.js';
import { DEFAULT_POLICY, resolvePolicy, type Policy } from '../../../pipeline/index.js';
import { Scanner } from '../../scan-runner/index.js';
import {
  createClamdServer,
  createFilterServer,
  createRelay,
  parseHostPort,
  QuarantineDir,
  type FilterEvent,
} from '../../smtp/index.js';
import { EXIT_OK, write, type CliIO } from '../io.js';
import { parsePositiveInt, resolveDbPath } from '../options.js';
import { safeText } from '../output/terminal.js';
import { checkMessageIdDb, openStore } from './scan.js';
import { emoguardVersion } from './version.js';

interface FilterFlags {
  listen?: string;
  nextHop?: string;
  quarantine?: string;
  policy?: string;
  maxSize: number;
  timeout: number;
  clamdListen?: string;
  clamdReportSuspicious?: boolean;
  db?: string;
  store: boolean;
  workers?: number;
  msgidDb?: string;
}

export const DEFAULT_MAX_SIZE = 50 * 1024 * 1024;

export function registerFilter(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('filter')
    .description('run the SMTP content filter for Postfix (and/or a clamd-protocol scanner)')
    .option('--listen <host:port>', 'SMTP address to accept mail on, e.g. 127.0.0.1:10025')
    .option(
      '--next-hop <host:port>',
      "where scanned mail is re-injected, e.g. Postfix's 127.0.0.1:10026",
    )
    .option(
      '--quarantine <dir>',
      'quarantine folder (default: $EMOGUARD_QUARANTINE or ./quarantine)',
    )
    .option('--policy <file>', 'verdict policy YAML (default: rules/policy/default.yml, built in)')
    .option(
      '--max-size <bytes>',
      'largest message accepted (SIZE); bigger ones get 552',
      parsePositiveInt,
      DEFAULT_MAX_SIZE,
    )
    .option(
      '--timeout <seconds>',
      'scan time per message before answering 451; once the relay or quarantine write has started, the reply waits for it',
      parsePositiveInt,
      90,
    )
    .option(
      '--clamd-listen <host:port>',
      'also answer the clamd protocol here (PING, VERSION, INSTREAM, SCAN)',
    )
    .option(
      '--clamd-report-suspicious',
      'clamd: report suspicious inputs as FOUND, not only malicious ones',
    )
    .option('--db <path>', 'findings store (default: $EMOGUARD_DB or ./emoguard.db)')
    .option('--no-store', 'do not write findings to the store')
    .option('--workers <n>', 'scan worker threads (default: all cores)', parsePositiveInt)
    .option(
      '--msgid-db <file>',
      "the organisation's sent Message-IDs (emoguard mail learn-msgids): thread-hijack checks",
    )
    .action(async (flags: FilterFlags) => setExit(await runFilter(flags, io)));
}

export async function loadPolicy(path: string | undefined): Promise<Policy> {
  if (!path) return structuredClone(DEFAULT_POLICY) as Policy;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError('E_POLICY_UNREADABLE', `${path}: ${describeError(error)}`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new ConfigError('E_POLICY_INVALID', `${path}: not valid YAML: ${describeError(error)}`);
  }
  return resolvePolicy(doc, path);
}

export function quarantineDirOf(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag ?? (env.EMOGUARD_QUARANTINE || 'quarantine');
}

async function runFilter(flags: FilterFlags, io: CliIO): Promise<number> {
  if (!flags.listen && !flags.clamdListen)
    throw new ConfigError(
      'E_FILTER_NO_LISTENER',
      'give --listen HOST:PORT and/or --clamd-listen HOST:PORT',
    );
  if (flags.listen && !flags.nextHop)
    throw new ConfigError(
      'E_FILTER_NO_NEXT_HOP',
      '--listen needs --next-hop HOST:PORT to re-inject scanned mail',
    );
  const policy = await loadPolicy(flags.policy);
  const limits = resolveLimits({
    maxFileSize: flags.maxSize,
    maxTimePerInputMs: Math.max(1000, flags.timeout * 1000 - 5000),
  });
  if (flags.msgidDb) checkMessageIdDb(flags.msgidDb);
  const scanner = new Scanner(limits, flags.workers, {
    ...(flags.msgidDb ? { msgidDb: flags.msgidDb } : {}),
  });
  const store = flags.store ? await openStore(resolveDbPath(flags.db, io.env)) : undefined;
  const scanId = store
    ? await store.beginScan({
        command: 'filter',
        args: [flags.listen ?? '', flags.clamdListen ?? ''],
        host: hostname(),
      })
    : undefined;
  const counts = { inputs: 0, malicious: 0, suspicious: 0, clean: 0, errors: 0 };
  const onMessage = async (event: FilterEvent) => {
    counts.inputs++;
    if (event.result) counts[event.result.verdict]++;
    else counts.errors++;
    const line = `${new Date().toISOString()} from=<${event.envelope.from}> to=<${event.envelope.to.join(',')}> ${event.decision ? `${event.decision.verdict} ${event.decision.action}` : 'error'} ${event.reply}${event.error ? ` (${event.error})` : ''}`;
    await write(io.stdout, `${safeText(line)}\n`);
    if (store && scanId !== undefined && event.result)
      await store.saveResults(scanId, [event.result]);
  };
  const servers: { close(cb: () => void): unknown }[] = [];
  let relay: ReturnType<typeof createRelay> | undefined;
  if (flags.listen) {
    const listen = parseHostPort(flags.listen, '--listen');
    relay = createRelay(parseHostPort(flags.nextHop!, '--next-hop'), hostname());
    const quarantine = new QuarantineDir(
      quarantineDirOf(flags.quarantine, io.env),
      store?.quarantine,
      (message) => void write(io.stderr, `emoguard filter: ${safeText(message)}\n`),
    );
    const server = createFilterServer({
      scanner,
      policy,
      relay,
      quarantine,
      maxSize: flags.maxSize,
      timeoutMs: flags.timeout * 1000,
      hostname: hostname(),
      limits,
      onMessage,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port, listen.host, () => resolve());
    });
    servers.push(server);
    await write(
      io.stderr,
      `emoguard filter: SMTP on ${flags.listen}, re-injecting to ${flags.nextHop}, quarantine ${quarantine.dir}\n`,
    );
  }
  if (flags.clamdListen) {
    const address = parseHostPort(flags.clamdListen, '--clamd-listen');
    const clamd = createClamdServer({
      scanner,
      maxStreamBytes: flags.maxSize,
      version: emoguardVersion(),
      reportSuspicious: flags.clamdReportSuspicious === true,
    });
    await new Promise<void>((resolve, reject) => {
      clamd.once('error', reject);
      clamd.listen(address.port, address.host, () => resolve());
    });
    servers.push(clamd);
    await write(io.stderr, `emoguard filter: clamd protocol on ${flags.clamdListen}\n`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  relay?.close();
  await scanner.close();
  if (store && scanId !== undefined) await store.finishScan(scanId, counts);
  await store?.close();
  return EXIT_OK;
}
