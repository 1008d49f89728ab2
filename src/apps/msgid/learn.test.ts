import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { resolveLimits } from '../../core/index.js';
import { MAX_MAIL_HEADER_BYTES } from '../../formats/mime/index.js';
import { openMessageIdDb } from '../../store/index.js';
import { Scanner } from '../scan-runner/index.js';
import { learnMessageIds, MAX_LEARNED_ORG_DOMAINS } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'emoguard-msgid-learn-'));
const head = (from: string, id: string, to = 'sato@partner.example.jp') =>
  `From: ${from}\nTo: ${to}\nMessage-ID: <${id}>\nSubject: x\n`;

test('learn: mbox messages are split on "From " after an empty line; bodies never read as headers', async () => {
  const mbox = join(dir, 'a.mbox');
  writeFileSync(
    mbox,
    `From x Tue Nov  1 10:00:00 2022\n${head('a@example.co.jp', 'one@example.co.jp')}\n` +
      `Message-ID: <in-body@example.co.jp>\nFrom the body, not a separator\n\n` +
      `From x Tue Nov  1 10:00:00 2022\n${head('a@example.co.jp', 'two@example.co.jp')}\nbody\n`,
  );
  const db = openMessageIdDb(join(dir, 'a.db'));
  const s = await learnMessageIds([mbox], db, { domains: ['example.co.jp'] });
  assert.deepEqual([s.mails, s.learned, s.added], [2, 2, 2]);
  assert.equal(db.lookup('in-body@example.co.jp'), undefined, 'a Message-ID line of a body');
  assert.deepEqual(db.lookup('two@example.co.jp'), ['example.jp']);
  db.close();
});

test(`learn: a header block past ${MAX_MAIL_HEADER_BYTES} bytes is cut, the fields before it kept`, async () => {
  const mbox = join(dir, 'b.mbox');
  const pad = `X-Pad: ${'a'.repeat(998)}\n`.repeat(Math.ceil(MAX_MAIL_HEADER_BYTES / 1000) + 10);
  writeFileSync(
    mbox,
    `From x Tue Nov  1 10:00:00 2022\n${head('a@example.co.jp', 'big@example.co.jp')}${pad}Message-ID: <late@example.co.jp>\n\nbody\n`,
  );
  const db = openMessageIdDb(join(dir, 'b.db'));
  const s = await learnMessageIds([mbox], db, { domains: ['example.co.jp'] });
  assert.equal(s.learned, 1);
  assert.ok(db.lookup('big@example.co.jp'), 'the id before the padding');
  db.close();
});

test(`learn: without --domain, more than ${MAX_LEARNED_ORG_DOMAINS} sender domains is refused (received mail)`, async () => {
  const at = (n: number) =>
    Array.from(
      { length: n },
      (_, i) => `From x Tue\n${head(`a@d${i}.example`, `${i}@d${i}.example`)}\nx\n\n`,
    ).join('');
  writeFileSync(join(dir, 'ok.mbox'), at(MAX_LEARNED_ORG_DOMAINS));
  writeFileSync(join(dir, 'many.mbox'), at(MAX_LEARNED_ORG_DOMAINS + 1));
  const ok = openMessageIdDb(join(dir, 'ok.db'));
  assert.equal(
    (await learnMessageIds([join(dir, 'ok.mbox')], ok, { domains: [] })).learned,
    MAX_LEARNED_ORG_DOMAINS,
  );
  ok.close();
  const many = openMessageIdDb(join(dir, 'many.db'));
  await assert.rejects(
    learnMessageIds([join(dir, 'many.mbox')], many, { domains: [] }),
    /E_MSGID_TOO_MANY_SENDERS|give --domain/,
  );
  many.close();
});

test('Scanner with msgidDb (the filter): a forged reply is flagged in the worker', async () => {
  const db = openMessageIdDb(join(dir, 'f.db'));
  db.addOrgDomains(['example.co.jp']);
  db.close();
  const scanner = new Scanner(resolveLimits(), 1, { msgidDb: join(dir, 'f.db') });
  after(() => scanner.close());
  const mail = `${head('sato@partner.example.jp', 'r@partner.example.jp', 'a@example.co.jp')}In-Reply-To: <forged@mx.example.co.jp>\nContent-Type: text/plain\n\nok\n`;
  const result = await scanner.scan('smtp:1', new TextEncoder().encode(mail));
  assert.ok(
    result.findings.some((f) => f.id === 'mail.unknown-thread-reference'),
    JSON.stringify(result.findings.map((f) => f.id)),
  );
});
