import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { ConfigError } from '../../../core/index.js';
import { createApp, listen } from '../../api/index.js';
import { createRelay, parseHostPort, QuarantineDir } from '../../smtp/index.js';
import { EXIT_OK, write, type CliIO } from '../io.js';
import { parsePositiveInt, resolveDbPath } from '../options.js';
import { simulateCoverage } from './coverage.js';
import { quarantineDirOf } from './filter.js';
import { openStore } from './scan.js';

interface ServeFlags {
  listen: string;
  db?: string;
  quarantine?: string;
  nextHop?: string;
  secureCookie?: boolean;
  idleMinutes: number;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export function registerServe(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('serve')
    .description(
      'the web dashboard and HTTP API over the findings store (log in with `emoguard user add`)',
    )
    .option('--listen <host:port>', 'address to listen on', '127.0.0.1:8080')
    .option('--db <path>', 'findings store (default: $EMOGUARD_DB or ./emoguard.db)')
    .option(
      '--quarantine <dir>',
      'quarantine folder of `emoguard filter` (default: $EMOGUARD_QUARANTINE or ./quarantine)',
    )
    .option(
      '--next-hop <host:port>',
      'SMTP server that released mail is re-injected to (release is off without it)',
    )
    .option('--secure-cookie', 'mark cookies Secure (when a TLS proxy is in front)')
    .option('--idle-minutes <n>', 'end a session after this long without use', parsePositiveInt, 30)
    .action(async (flags: ServeFlags) => setExit(await runServe(flags, io)));
}

/** Runs until SIGINT/SIGTERM, or until `stop` resolves (tests). */
export async function runServe(
  flags: ServeFlags,
  io: CliIO,
  stop?: Promise<void>,
): Promise<number> {
  const dbPath = resolveDbPath(flags.db, io.env);
  if (!existsSync(dbPath)) {
    throw new ConfigError(
      'E_STORE_MISSING',
      `no findings store at ${dbPath}: run \`emoguard scan\` or \`emoguard demo\` first, or pass --db`,
    );
  }
  const { host, port } = parseListen(flags.listen);
  const store = await openStore(dbPath);
  try {
    // SECURITY: there is no anonymous mode. Without a user nobody could log in, and an open dashboard
    // would show attack mail and release quarantined malware to anyone who can reach the port.
    if ((await store.auth.countUsers()) === 0) {
      throw new ConfigError(
        'E_SERVE_NO_USERS',
        `no dashboard users in ${dbPath}. Create the first admin, then start again:\n` +
          `  emoguard user add NAME --role admin${flags.db ? ` --db ${flags.db}` : ''}`,
      );
    }
    const quarantinePath = quarantineDirOf(flags.quarantine, io.env);
    const nextHop = flags.nextHop ? parseHostPort(flags.nextHop, '--next-hop') : undefined;
    const app = createApp({
      store,
      auth: { idleMs: flags.idleMinutes * 60_000, secureCookies: flags.secureCookie ?? false },
      ...(existsSync(quarantinePath) || flags.quarantine
        ? {
            quarantine: {
              dir: new QuarantineDir(quarantinePath, store.quarantine),
              ...(nextHop
                ? {
                    release: async (record, message) => {
                      const relay = createRelay(nextHop, hostname());
                      try {
                        return await relay.send(
                          { from: record.envelope.from, to: record.envelope.to },
                          message,
                        );
                      } finally {
                        relay.close();
                      }
                    },
                  }
                : {}),
            },
          }
        : {}),
      // The inert simulation runs once, when someone first opens the coverage page.
      coverage: async () => (await simulateCoverage(io)).run.matrix,
      onError: (error) =>
        void write(io.stderr, `emoguard serve: ${(error as Error).stack ?? String(error)}\n`),
    });
    const server = await listen(app, host, port);
    const address = server.address();
    const shown =
      typeof address === 'object' && address
        ? `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`
        : flags.listen;
    await write(io.stdout, `emoguard dashboard on http://${shown}/ (store ${dbPath})\n`);
    if (!LOOPBACK.test(host)) {
      await write(
        io.stderr,
        'warning: plain HTTP on a non-loopback address; put a TLS proxy in front and use --secure-cookie\n',
      );
    }
    await (stop ??
      new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      }));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  } finally {
    await store.close();
  }
  return EXIT_OK;
}

function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535)
    throw new ConfigError('E_SERVE_LISTEN', `--listen: expected HOST:PORT, got "${value}"`);
  return { host: (m[1] ?? m[2])!, port };
}
