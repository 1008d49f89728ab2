/**
 * Issue 4's promise at the edges of the per-message timeout: 250 only after the next hop's 250 or a
 * durable quarantine write, 451 otherwise — and after a 451 nothing relays or quarantines the message any
 * more (Postfix's retry is then the only copy). Loopback only; addresses are example.*.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildMime } from '../../../test/builders/mime.js';
import {
  listenLoopback,
  startSink,
  submitRaw,
  type SinkMessage,
} from '../../../test/support/smtp-loopback.js';
import { resolveLimits } from '../../core/index.js';
import { buildOleWordDocument } from '../../formats/ovba/index.js';
import { DEFAULT_POLICY } from '../../pipeline/index.js';
import { demoMacroModules } from '../demo/index.js';
import { Scanner } from '../scan-runner/index.js';
import { createFilterServer, createRelay, QuarantineDir, type FilterEvent } from './index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A next hop that accepts every message, answering its 250 only after `delayMs`. */
const slowSink = (received: SinkMessage<string>[], delayMs: () => number) =>
  startSink(received, (raw) => raw.toString('latin1'), { replyDelayMs: delayMs });

/** A next hop that reads the whole message after DATA, then drops the connection without a reply. */
async function droppingSink(received: string[]): Promise<{ port: number; server: Server }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let data: string | undefined;
    let buffered = '';
    socket.write('220 drop.example ESMTP\r\n');
    socket.on('data', (c: Buffer) => {
      buffered += c.toString('latin1');
      if (data !== undefined) {
        data += buffered;
        buffered = '';
        if (data.includes('\r\n.\r\n')) {
          received.push(data);
          socket.destroy();
        }
        return;
      }
      for (let i = buffered.indexOf('\r\n'); i >= 0; i = buffered.indexOf('\r\n')) {
        const line = buffered.slice(0, i);
        buffered = buffered.slice(i + 2);
        if (/^EHLO/i.test(line)) socket.write('250-drop.example\r\n250 PIPELINING\r\n');
        else if (/^DATA/i.test(line)) {
          socket.write('354 go ahead\r\n');
          data = buffered;
          buffered = '';
          if (data.includes('\r\n.\r\n')) (received.push(data), socket.destroy());
          return;
        } else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, server };
}

describe('smtp filter: no loss, no duplicate at the timeout', () => {
  let scanner: Scanner;
  const scanDelay = { ms: 0 };
  /** The real scanner behind a delay: a loaded machine, as the Postfix bench saw it. */
  let lastScan: Promise<unknown> = Promise.resolve();
  const slowScanner = () =>
    ({
      scan: (id: string, raw: Uint8Array) =>
        (lastScan = sleep(scanDelay.ms).then(() => scanner.scan(id, raw))),
    }) as unknown as Scanner;
  /** The filter's work after its 451: the scan's end, and time enough to relay or quarantine. */
  const afterLateScan = async () => {
    await lastScan;
    await sleep(500);
  };

  before(() => {
    scanner = new Scanner(resolveLimits({ maxTimePerInputMs: 20_000 }), 1);
  });
  after(async () => {
    await scanner.close();
  });

  /** Answers at once with a result scanned beforehand: only the next hop is slow. */
  const instantScanner = async (raw: Uint8Array) => {
    const result = await scanner.scan('beforehand', raw);
    return { scan: async () => structuredClone(result) } as unknown as Scanner;
  };

  const chain = async (nextHopPort: number, timeoutMs: number, scan = slowScanner()) => {
    const dir = join(mkdtempSync(join(tmpdir(), 'emoguard-noloss-')), 'q');
    const events: FilterEvent[] = [];
    const relay = createRelay({ host: '127.0.0.1', port: nextHopPort });
    const filter = createFilterServer({
      scanner: scan,
      policy: DEFAULT_POLICY,
      relay,
      quarantine: new QuarantineDir(dir),
      maxSize: 4 * 1024 * 1024,
      timeoutMs,
      hostname: 'filter.test',
      onMessage: (e) => void events.push(e),
    });
    const port = await listenLoopback(filter);
    return {
      port,
      dir,
      events,
      async close() {
        relay.close();
        await new Promise<void>((r) => filter.close(() => r()));
      },
    };
  };

  const send = async (port: number, raw: Uint8Array) => {
    try {
      return { code: 250, response: await submitRaw(port, raw) };
    } catch (error) {
      return { code: (error as { responseCode?: number }).responseCode, response: String(error) };
    }
  };

  const quarantined = (dir: string) => {
    try {
      return readdirSync(dir).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
  };

  test('a scan slower than the timeout → 451, and the message is not relayed after it', async () => {
    const received: SinkMessage<string>[] = [];
    const sink = await slowSink(received, () => 0);
    const c = await chain(sink.port, 200);
    scanDelay.ms = 500;
    try {
      const r = await send(c.port, await buildMime({ subject: 'late scan', text: 'hello' }));
      assert.equal(r.code, 451, `451 expected, got ${r.response}`);
      await afterLateScan();
      assert.equal(received.length, 0, 'relayed after the 451: the retry would be a duplicate');
    } finally {
      scanDelay.ms = 0;
      await c.close();
      await sink.close();
    }
  });

  test('a malicious mail scanned past the timeout → 451, and no quarantine record is written after it', async () => {
    const sink = await slowSink([], () => 0);
    const c = await chain(sink.port, 200);
    scanDelay.ms = 500;
    try {
      const doc = buildOleWordDocument({ text: 'invoice', modules: demoMacroModules() });
      const raw = await buildMime({
        subject: 'late quarantine',
        text: 'see attached',
        attachments: [{ filename: 'inv.doc', content: doc }],
      });
      const r = await send(c.port, raw);
      assert.equal(r.code, 451, `451 expected, got ${r.response}`);
      await afterLateScan();
      assert.deepEqual(
        quarantined(c.dir),
        [],
        'quarantined after the 451: the retry would be a duplicate',
      );
    } finally {
      scanDelay.ms = 0;
      await c.close();
      await sink.close();
    }
  });

  test('a next hop slower than the timeout: the filter waits for its 250 and answers 250, once', async () => {
    const received: SinkMessage<string>[] = [];
    const sink = await slowSink(received, () => 1000);
    const raw = await buildMime({ subject: 'slow hop', text: 'hello' });
    const c = await chain(sink.port, 400, await instantScanner(raw));
    try {
      const r = await send(c.port, raw);
      assert.equal(r.code, 250, `250 expected once the next hop accepted, got ${r.response}`);
      assert.equal(received.length, 1, 'delivered exactly once');
      assert.match(c.events.at(-1)!.reply, /^2\.0\.0 Ok: scanned clean, delivered/);
    } finally {
      await c.close();
      await sink.close();
    }
  });

  test('a next hop that takes the data and drops the connection without a reply → 451, never 250', async () => {
    const received: string[] = [];
    const sink = await droppingSink(received);
    const raw = await buildMime({ subject: 'dropped', text: 'hello' });
    const c = await chain(sink.port, 5000, await instantScanner(raw));
    try {
      const r = await send(c.port, raw);
      assert.equal(r.code, 451, `451 expected, got ${r.response}`);
      // RFC 1047: the next hop may have kept it; a possible duplicate after the retry, never a loss.
      assert.equal(received.length, 1, 'the next hop had the whole message');
    } finally {
      await c.close();
      await new Promise<void>((r) => sink.server.close(() => r()));
    }
  });
});
