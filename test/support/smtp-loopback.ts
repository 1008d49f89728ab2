/**
 * Loopback SMTP set-up shared by the content-filter tests: listening on an ephemeral 127.0.0.1 port, a
 * next-hop sink that records what reaches it (and can be switched to answer 451), the filter in front of
 * it, and one nodemailer submission. Addresses are example.* only.
 */
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { createFilterServer, createRelay, type FilterOptions } from '../../src/apps/smtp/index.js';
import { Scanner } from '../../src/apps/scan-runner/index.js';
import { resolveLimits } from '../../src/core/index.js';

/** Listens on 127.0.0.1, on `port` or one chosen by the system (0); resolves with the port. */
export function listenLoopback(server: SMTPServer, port = 0): Promise<number> {
  return new Promise<number>((resolve) =>
    server.listen(port, '127.0.0.1', () =>
      resolve((server as unknown as { server: { address(): AddressInfo } }).server.address().port),
    ),
  );
}

export interface SinkMessage<R> {
  from: string;
  to: string[];
  raw: R;
}

export interface Sink {
  server: SMTPServer;
  port: number;
  /** While true every message is answered 451, as a next hop that is down. */
  down: boolean;
  close(): Promise<void>;
}

/**
 * The next hop: pushes each message it accepts onto `delivered`, its bytes decoded by `decode`, on
 * `port` (default: ephemeral), answering 250 after `replyDelayMs()` (default: at once).
 */
export async function startSink<R>(
  delivered: SinkMessage<R>[],
  decode: (raw: Buffer) => R,
  options: { port?: number; replyDelayMs?: () => number } = {},
): Promise<Sink> {
  const sink = { down: false } as Sink;
  sink.server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (sink.down)
          return callback(
            Object.assign(new Error('4.3.0 next hop unavailable'), { responseCode: 451 }),
          );
        delivered.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: decode(Buffer.concat(chunks)),
        });
        const delay = options.replyDelayMs?.() ?? 0;
        if (delay > 0) setTimeout(() => callback(null, 'queued as TEST'), delay);
        else callback(null, 'queued as TEST');
      });
    },
  });
  sink.port = await listenLoopback(sink.server, options.port);
  sink.close = () => new Promise<void>((r) => sink.server.close(() => r()));
  return sink;
}

/**
 * Submits `raw` to 127.0.0.1:`port` from sender@example.net; resolves with the server's reply, rejects
 * with nodemailer's error (its `responseCode` is the SMTP code) when the message is refused.
 */
export async function submitRaw(
  port: number,
  raw: Uint8Array,
  to: string[] = ['tanaka@victim.example.co.jp'],
): Promise<string> {
  const client = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
  });
  try {
    const info = await client.sendMail({
      envelope: { from: 'sender@example.net', to },
      raw: Buffer.from(raw),
    });
    return String(info.response);
  } finally {
    client.close();
  }
}

export interface FilterChain {
  sink: Sink;
  filter: SMTPServer;
  /** The filter's scanner, for other front ends (clamd) in the same suite. */
  scanner: Scanner;
  /** Where the filter listens. */
  port: number;
  close(): Promise<void>;
}

/**
 * A sink, and the content filter relaying to it with a one-worker scanner (20 s per input); `options`
 * gives what differs between suites (policy, quarantine, maximum size, disarmers, onMessage).
 */
export async function startFilterChain<R>(
  delivered: SinkMessage<R>[],
  decode: (raw: Buffer) => R,
  options: Omit<FilterOptions, 'scanner' | 'relay' | 'timeoutMs' | 'hostname'>,
): Promise<FilterChain> {
  const sink = await startSink(delivered, decode);
  const scanner = new Scanner(resolveLimits({ maxTimePerInputMs: 20_000 }), 1);
  const relay = createRelay({ host: '127.0.0.1', port: sink.port });
  const filter = createFilterServer({
    scanner,
    relay,
    timeoutMs: 30_000,
    hostname: 'filter.test',
    ...options,
  });
  const port = await listenLoopback(filter);
  return {
    sink,
    filter,
    scanner,
    port,
    async close() {
      relay.close();
      await new Promise<void>((r) => filter.close(() => r()));
      await sink.close();
      await scanner.close();
    },
  };
}
