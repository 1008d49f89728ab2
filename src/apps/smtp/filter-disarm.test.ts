import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { parse } from 'yaml';
import { buildMime } from '../../../test/builders/mime.js';
import { runCli } from '../../../test/support/cli-io.js';
import { cleanDocx, FAKE_DISARMERS, macroDocm } from '../../../test/support/disarm-fakes.js';
import { resolveLimits } from '../../core/index.js';
import { parseMail } from '../../formats/mime/index.js';
import { buildOleWordDocument } from '../../formats/ovba/index.js';
import { resolvePolicy, scanInput, type Policy } from '../../pipeline/index.js';
import { Scanner } from '../scan-runner/index.js';
import { createFilterServer, createRelay, QuarantineDir, type FilterEvent } from './index.js';

describe('smtp filter: the disarm action (loopback, end to end)', () => {
  const delivered: { to: string[]; raw: Buffer }[] = [];
  const events: FilterEvent[] = [];
  const policy: Policy = resolvePolicy(
    parse(readFileSync(new URL('../../../rules/policy/disarm.yml', import.meta.url), 'utf8')),
  );
  let sink: SMTPServer;
  let filter: SMTPServer;
  let scanner: Scanner;
  let relay: ReturnType<typeof createRelay>;
  let quarantine: QuarantineDir;
  let sinkPort = 0;
  let sinkDown = false;
  let filterPort = 0;

  const listen = (server: SMTPServer) =>
    new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () =>
        resolve(
          (server as unknown as { server: { address(): AddressInfo } }).server.address().port,
        ),
      ),
    );

  before(async () => {
    sink = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (sinkDown)
            return callback(Object.assign(new Error('4.3.0 down'), { responseCode: 451 }));
          delivered.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks),
          });
          callback(null, 'queued as TEST');
        });
      },
    });
    sinkPort = await listen(sink);
    scanner = new Scanner(resolveLimits({ maxTimePerInputMs: 20_000 }), 1);
    relay = createRelay({ host: '127.0.0.1', port: sinkPort });
    quarantine = new QuarantineDir(mkdtempSync(join(tmpdir(), 'emoguard-qd-')));
    filter = createFilterServer({
      scanner,
      policy,
      relay,
      quarantine,
      maxSize: 4 * 1024 * 1024,
      timeoutMs: 30_000,
      hostname: 'filter.test',
      disarmers: FAKE_DISARMERS,
      onMessage: (e) => void events.push(e),
    });
    filterPort = await listen(filter);
  });

  after(async () => {
    relay.close();
    await new Promise<void>((r) => filter.close(() => r()));
    await new Promise<void>((r) => sink.close(() => r()));
    await scanner.close();
  });

  const send = async (raw: Uint8Array) => {
    const client = nodemailer.createTransport({
      host: '127.0.0.1',
      port: filterPort,
      secure: false,
      ignoreTLS: true,
    });
    try {
      const info = await client.sendMail({
        envelope: { from: 'sender@example.net', to: ['tanaka@victim.example.co.jp'] },
        raw: Buffer.from(raw),
      });
      return String(info.response);
    } finally {
      client.close();
    }
  };

  test('a macro .docm mail is delivered disarmed with the note; quarantine holds the original; release gives it back', async () => {
    const raw = await buildMime({
      subject: '請求書',
      text: 'ご確認ください',
      messageId: '<inv-42@example.com>',
      attachments: [{ filename: '請求書.docm', content: macroDocm() }],
    });
    const before = delivered.length;
    const response = await send(raw);
    assert.match(
      response,
      /scanned malicious, delivered disarmed \(1 removed\), original quarantined as (\d{14}-[0-9a-f]{8})/,
    );
    const id = /quarantined as (\S+)/.exec(response)![1]!;
    assert.equal(delivered.length, before + 1);
    const mail = await parseMail(new Uint8Array(delivered.at(-1)!.raw));
    assert.equal(mail.messageId, '<inv-42@example.com>');
    assert.match(mail.text!, new RegExp(`隔離 ID: ${id}`));
    assert.match(mail.text!, new RegExp(`quarantine ID: ${id}`));
    assert.deepEqual(
      mail.attachments.map((a) => a.filename),
      ['請求書.docx'],
    );
    assert.deepEqual(mail.attachments[0]!.bytes, cleanDocx());
    const rescan = await scanInput({
      path: 'delivered.eml',
      bytes: new Uint8Array(delivered.at(-1)!.raw),
    });
    assert.equal(rescan.verdict, 'clean');
    const event = events.at(-1)!;
    assert.equal(event.disarm!.status, 'disarmed');
    assert.equal(event.quarantineId, id);

    const record = await quarantine.get(id);
    assert.equal(record.action, 'disarm');
    assert.match(record.reasons.at(-1)!, /disarmed copy delivered: vba-project removed/);
    const original = await quarantine.message(record);
    assert.equal(
      Buffer.from(original).toString('latin1').replace(/\r\n$/, ''),
      Buffer.from(raw).toString('latin1').replace(/\r\n$/, ''),
    );

    const released = await runCli([
      'quarantine',
      'release',
      id,
      '--dir',
      quarantine.dir,
      '--next-hop',
      `127.0.0.1:${sinkPort}`,
    ]);
    assert.equal(released.code, 0, released.stderr);
    const back = await parseMail(new Uint8Array(delivered.at(-1)!.raw));
    assert.deepEqual(
      back.attachments.map((a) => a.filename),
      ['請求書.docm'],
    );
    assert.deepEqual(back.attachments[0]!.bytes, macroDocm());
  });

  test('a refusal falls back to disarm.onRefusal: quarantine by default, tag when the policy says so', async () => {
    const doc = buildOleWordDocument({ text: 'x', modules: [] });
    const raw = await buildMime({
      subject: 'locked',
      text: 'x',
      attachments: [
        { filename: 'a.docm', content: macroDocm() },
        { filename: 'locked.doc', content: doc },
      ],
    });
    const before = delivered.length;
    const r1 = await send(raw);
    assert.match(r1, /scanned malicious, quarantined as/);
    assert.equal(delivered.length, before);
    assert.equal(events.at(-1)!.disarm!.status, 'refused');
    assert.match(
      events.at(-1)!.decision!.reasons.at(-1)!,
      /^disarm refused \(locked\.doc: encrypted .*\) → quarantine$/,
    );
    const id = /quarantined as (\S+)/.exec(r1)![1]!;
    assert.equal((await quarantine.get(id)).action, 'quarantine');

    policy.disarm.onRefusal = 'tag';
    try {
      const r2 = await send(raw);
      assert.match(r2, /delivered with a warning/);
      assert.match(delivered.at(-1)!.raw.toString('latin1'), /^X-Emoguard-Verdict: malicious/);
    } finally {
      policy.disarm.onRefusal = 'quarantine';
    }
  });

  test('next hop down after the original was quarantined → 451, and the quarantine record is closed', async () => {
    const raw = await buildMime({
      subject: 'retry me',
      text: 'x',
      attachments: [{ filename: 'b.docm', content: macroDocm('retry') }],
    });
    sinkDown = true;
    try {
      await assert.rejects(send(raw), (e: { responseCode?: number }) => e.responseCode === 451);
    } finally {
      sinkDown = false;
    }
    const open = (await quarantine.list()).filter((r) => r.subject === 'retry me' && !r.releasedAt);
    assert.deepEqual(open, []);
    const closed = (await quarantine.list()).find((r) => r.subject === 'retry me');
    assert.match(closed!.releasedBy!, /disarmed delivery failed/);
  });
});
