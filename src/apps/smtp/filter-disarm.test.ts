import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { buildMime } from '../../../test/builders/mime.js';
import { runCli } from '../../../test/support/cli-io.js';
import {
  startFilterChain,
  submitRaw,
  type FilterChain,
  type SinkMessage,
} from '../../../test/support/smtp-loopback.js';
import { cleanDocx, FAKE_DISARMERS, macroDocm } from '../../../test/support/disarm-fakes.js';
import { parseMail } from '../../formats/mime/index.js';
import { buildOleWordDocument } from '../../formats/ovba/index.js';
import { resolvePolicy, scanInput, type Policy } from '../../pipeline/index.js';
import { QuarantineDir, type FilterEvent } from './index.js';

describe('smtp filter: the disarm action (loopback, end to end)', () => {
  const delivered: SinkMessage<Buffer>[] = [];
  const events: FilterEvent[] = [];
  const policy: Policy = resolvePolicy(
    parse(readFileSync(new URL('../../../rules/policy/disarm.yml', import.meta.url), 'utf8')),
  );
  let chain: FilterChain;
  let quarantine: QuarantineDir;

  before(async () => {
    quarantine = new QuarantineDir(mkdtempSync(join(tmpdir(), 'emoguard-qd-')));
    chain = await startFilterChain(delivered, (raw) => raw, {
      policy,
      quarantine,
      maxSize: 4 * 1024 * 1024,
      disarmers: FAKE_DISARMERS,
      onMessage: (e) => void events.push(e),
    });
  });
  after(() => chain.close());

  const send = (raw: Uint8Array) => submitRaw(chain.port, raw);

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
      `127.0.0.1:${chain.sink.port}`,
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
    chain.sink.down = true;
    try {
      await assert.rejects(send(raw), (e: { responseCode?: number }) => e.responseCode === 451);
    } finally {
      chain.sink.down = false;
    }
    const open = (await quarantine.list()).filter((r) => r.subject === 'retry me' && !r.releasedAt);
    assert.deepEqual(open, []);
    const closed = (await quarantine.list()).find((r) => r.subject === 'retry me');
    assert.match(closed!.releasedBy!, /disarmed delivery failed/);
  });
});
