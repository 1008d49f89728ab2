import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildMime } from '../../../test/builders/mime.js';
import {
  startFilterChain,
  submitRaw,
  type FilterChain,
  type SinkMessage,
} from '../../../test/support/smtp-loopback.js';
import { buildOleWordDocument } from '../../formats/ovba/index.js';
import { DEFAULT_POLICY } from '../../pipeline/index.js';
import { openSqliteStore, type Store } from '../../store/index.js';
import { demoMacroModules } from '../demo/index.js';
import { createClamdServer, QuarantineDir, type FilterEvent } from './index.js';

describe('smtp filter (loopback)', () => {
  const delivered: SinkMessage<string>[] = [];
  const events: FilterEvent[] = [];
  let chain: FilterChain;
  let quarantine: QuarantineDir;
  let store: Store;

  before(async () => {
    const qdir = mkdtempSync(join(tmpdir(), 'emoguard-q-'));
    store = openSqliteStore(join(qdir, 'store.db'));
    await store.migrate();
    quarantine = new QuarantineDir(join(qdir, 'quarantine'), store.quarantine);
    chain = await startFilterChain(delivered, (raw) => raw.toString('latin1'), {
      policy: DEFAULT_POLICY,
      quarantine,
      maxSize: 2 * 1024 * 1024,
      onMessage: (e) => void events.push(e),
    });
  });

  after(async () => {
    await chain.close();
    await store.close();
  });

  const send = async (raw: Uint8Array, to = ['tanaka@victim.example.co.jp']) => {
    try {
      return { ok: true as const, response: await submitRaw(chain.port, raw, to) };
    } catch (error) {
      return {
        ok: false as const,
        code: (error as { responseCode?: number }).responseCode,
        response: (error as Error).message,
      };
    }
  };

  test('a clean mail is re-injected unchanged with its envelope, and 250 follows the next hop', async () => {
    const raw = await buildMime({ subject: 'lunch', text: 'noon?' });
    const r = await send(raw, ['a@victim.example.co.jp', 'b@victim.example.co.jp']);
    assert.ok(r.ok, r.response);
    assert.match(r.response, /scanned clean, delivered/);
    const got = delivered.at(-1)!;
    assert.deepEqual(
      [got.from, got.to],
      ['sender@example.net', ['a@victim.example.co.jp', 'b@victim.example.co.jp']],
    );
    assert.equal(
      got.raw.replace(/\r\n$/, ''),
      new TextDecoder('latin1').decode(raw).replace(/\r\n$/, ''),
    );
  });

  test('a suspicious mail is delivered tagged: verdict header and subject prefix', async () => {
    const raw = await buildMime({
      subject: 'invoice',
      text: 'see attached',
      headers: [
        {
          key: 'Authentication-Results',
          value: 'mx.example.co.jp; spf=fail smtp.mailfrom=example.net',
        },
        { key: 'X-Emoguard-Verdict', value: 'clean (forged by the sender)' },
      ],
    });
    const r = await send(raw);
    assert.ok(r.ok, r.response);
    const got = delivered.at(-1)!.raw;
    assert.match(got, /^X-Emoguard-Verdict: suspicious \(mail\.auth-fail\)\r\n/);
    assert.doesNotMatch(got, /forged by the sender/);
    assert.match(got, /\r\nSubject: \[SUSPICIOUS\] invoice\r\n/);
  });

  test('a malicious mail is quarantined durably, not delivered; the record says why', async () => {
    const before = delivered.length;
    const doc = buildOleWordDocument({ text: 'invoice', modules: demoMacroModules() });
    const r = await send(
      await buildMime({
        subject: '請求書',
        text: 'ご確認ください',
        attachments: [{ filename: 'inv.doc', content: doc }],
      }),
    );
    assert.ok(r.ok, JSON.stringify(r));
    assert.match(r.response, /quarantined as \d{14}-[0-9a-f]{8}/);
    assert.equal(delivered.length, before);
    const [record] = await quarantine.list();
    assert.equal(record!.verdict, 'malicious');
    assert.equal(record!.subject, '請求書');
    assert.ok(record!.findings.includes('vba.autoexec-execution-chain'));
    assert.deepEqual(record!.envelope.to, ['tanaka@victim.example.co.jp']);
    assert.ok((await quarantine.message(record!)).length > 1000);
    const row = await store.quarantine.get(record!.id);
    assert.equal(row?.status, 'held', 'a store row beside the folder record');
    assert.equal(row?.sha256, record!.sha256);
    assert.equal(row?.sender, 'sender@example.net');
  });

  test('next hop down → 451, so the sending MTA keeps the mail and retries', async () => {
    chain.sink.down = true;
    try {
      const r = await send(await buildMime({ subject: 'hello', text: 'x' }));
      assert.equal(r.ok, false);
      assert.equal(r.code, 451);
      assert.equal(events.at(-1)!.reply, '4.7.1 Temporary content filter failure, try again later');
    } finally {
      chain.sink.down = false;
    }
  });

  test('a message over --max-size is refused with 552 before it is scanned', async () => {
    const big = new Uint8Array(3 * 1024 * 1024).fill(0x41);
    const raw = new Uint8Array([...new TextEncoder().encode('Subject: big\r\n\r\n'), ...big]);
    const r = await send(raw);
    assert.equal(r.ok, false);
    assert.equal(r.code, 552);
  });

  test('clamd protocol: PING, VERSION, INSTREAM clean and FOUND', async () => {
    const clamd = createClamdServer({
      scanner: chain.scanner,
      maxStreamBytes: 1024 * 1024,
      version: 'test',
      reportSuspicious: false,
    });
    const port = await new Promise<number>((resolve) =>
      clamd.listen(0, '127.0.0.1', () => resolve((clamd.address() as AddressInfo).port)),
    );
    const ask = (payload: Uint8Array) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        let out = '';
        socket.on('data', (c) => (out += c.toString()));
        socket.on('end', () => resolve(out));
        socket.on('error', reject);
        socket.end(payload);
      });
    const instream = (data: Uint8Array) => {
      const len = new Uint8Array(4);
      new DataView(len.buffer).setUint32(0, data.length, false);
      return new Uint8Array([
        ...new TextEncoder().encode('zINSTREAM\0'),
        ...len,
        ...data,
        0,
        0,
        0,
        0,
      ]);
    };
    try {
      assert.equal(await ask(new TextEncoder().encode('nPING\n')), 'PONG\n');
      assert.equal(await ask(new TextEncoder().encode('zVERSION\0')), 'emoguard test\0');
      assert.equal(await ask(instream(new TextEncoder().encode('hello world'))), 'stream: OK\0');
      const macro = new TextEncoder().encode(
        'Sub AutoOpen()\n Shell "powershell -nop -c iex x"\nEnd Sub\n',
      );
      assert.equal(
        await ask(instream(macro)),
        'stream: Emoguard.Malicious.vba.autoexec-execution-chain FOUND\0',
      );
    } finally {
      clamd.close();
    }
  });
});
