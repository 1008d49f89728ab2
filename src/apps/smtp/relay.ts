import nodemailer from 'nodemailer';

export interface NextHop {
  host: string;
  port: number;
}

export interface Envelope {
  from: string;
  to: string[];
}

/**
 * Re-injects a message to the next hop (Postfix's reinjection smtpd, amavisd-new style) with the original
 * envelope. Resolves only once the next hop answered 250: the filter answers its client after that, so a
 * failure here becomes a temporary error and Postfix retries — no mail is lost or duplicated.
 */
export function createRelay(nextHop: NextHop, name = 'emoguard') {
  const transport = nodemailer.createTransport({
    host: nextHop.host,
    port: nextHop.port,
    secure: false,
    ignoreTLS: true,
    name,
    pool: true,
    maxConnections: 4,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 120_000,
  });
  return {
    async send(envelope: Envelope, raw: Uint8Array): Promise<string> {
      const info = await transport.sendMail({
        envelope,
        raw: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength),
      });
      return String(info.response ?? '');
    },
    close(): void {
      transport.close();
    },
  };
}

/** `host:port` → NextHop, with IPv6 in brackets. */
export function parseHostPort(value: string, what: string): NextHop {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535)
    throw new Error(`${what}: expected HOST:PORT, got "${value}"`);
  return { host: (m[1] ?? m[2])!, port };
}
