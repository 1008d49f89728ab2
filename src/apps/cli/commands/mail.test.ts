import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { maildirName, writeMaildir } from '../../../../test/builders/maildir.js';
import { runCli } from '../../../../test/support/cli-io.js';

const dir = mkdtempSync(join(tmpdir(), 'emoguard-mail-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const mail = (h: { from: string; to: string; id: string; subject: string; reply?: string }) =>
  `From: ${h.from}\r\nTo: ${h.to}\r\nSubject: ${h.subject}\r\nMessage-ID: <${h.id}>\r\n` +
  (h.reply ? `In-Reply-To: <${h.reply}>\r\nReferences: <${h.reply}>\r\n` : '') +
  `Date: Tue, 1 Nov 2022 10:00:00 +0900\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nご確認ください。\r\n`;

const ORG = 'tanaka@victim.example.co.jp';
const PARTNER = 'sato@partner.example.jp';

// The organisation's sent mail: a Maildir ("Sent" folder) and an mbox export.
const sent = writeMaildir(join(dir, 'Maildir'), {
  folders: {
    Sent: {
      cur: {
        [maildirName(1, 'S')]: mail({
          from: ORG,
          to: PARTNER,
          id: 'quote-1@mx.victim.example.co.jp',
          subject: '見積書',
        }),
      },
    },
  },
  new: {
    [maildirName(2)]: mail({
      from: PARTNER,
      to: ORG,
      id: 'in-1@partner.example.jp',
      subject: 'hello',
    }),
  },
});
const mbox = join(dir, 'sent.mbox');
writeFileSync(
  mbox,
  ['quote-2', 'quote-3']
    .map(
      (id) =>
        `From ${ORG} Tue Nov  1 10:00:00 2022\n${mail({ from: ORG, to: PARTNER, id: `${id}@mx.victim.example.co.jp`, subject: 'x' }).replace(/\r\n/g, '\n')}\n`,
    )
    .join(''),
);
const db = join(dir, 'msgids.db');

// Incoming replies to scan.
const incoming = join(dir, 'incoming');
mkdirSync(incoming);
const reply = (name: string, from: string, ref: string) =>
  writeFileSync(
    join(incoming, name),
    mail({ from, to: ORG, id: `${name}@example.net`, subject: 'RE: 見積書', reply: ref }),
  );
reply('a-forged.eml', PARTNER, 'never-sent@mx.victim.example.co.jp');
reply('b-outsider.eml', 'x@compromised.example.net', 'quote-2@mx.victim.example.co.jp');
reply('c-partner.eml', PARTNER, 'quote-1@mx.victim.example.co.jp');

describe('cli: mail learn-msgids and scan --msgid-db', () => {
  test('learn-msgids records only mail From the --domain, from a Maildir and an mbox', async () => {
    const r = await runCli([
      'mail',
      'learn-msgids',
      sent,
      mbox,
      '--db',
      db,
      '--domain',
      'victim.example.co.jp',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /Read 4 mail\(s\) in 3 file\(s\): 3 sent by example\.co\.jp, 3 new Message-ID\(s\); 3 in /,
    );
  });

  test('learning the same mail again adds nothing', async () => {
    const r = await runCli([
      'mail',
      'learn-msgids',
      mbox,
      '--db',
      db,
      '--domain',
      'victim.example.co.jp',
    ]);
    assert.match(r.stdout, /2 sent by example\.co\.jp, 0 new Message-ID\(s\); 3 in /);
  });

  /** `emoguard scan --json --no-store --workers 1 …args`: one result per line, in input order. */
  const scanJson = (...args: string[]) =>
    runCli(['scan', '--json', '--no-store', '--workers', '1', ...args]);

  test('scan --msgid-db: forged reference and outsider in a real thread flagged, the partner clean', async () => {
    const r = await scanJson('--msgid-db', db, incoming);
    assert.equal(r.code, 0, r.stderr);
    const results = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { path: string; verdict: string; findings: { id: string }[] });
    const ids = (name: string) =>
      results
        .find((x) => x.path.endsWith(name))!
        .findings.map((f) => f.id)
        .filter((id) => id.includes('thread'));
    assert.deepEqual(ids('a-forged.eml'), ['mail.unknown-thread-reference']);
    assert.deepEqual(ids('b-outsider.eml'), ['mail.thread-hijack-known-thread']);
    assert.deepEqual(ids('c-partner.eml'), []);
    assert.equal(results.find((x) => x.path.endsWith('b-outsider.eml'))!.verdict, 'suspicious');
  });

  test('scan without --msgid-db does not look at Message-IDs', async () => {
    const r = await scanJson(join(incoming, 'a-forged.eml'));
    assert.doesNotMatch(r.stdout, /unknown-thread-reference/);
  });

  test('learn-msgids without --domain takes every sender as the organisation', async () => {
    const all = join(dir, 'all.db');
    const r = await runCli(['mail', 'learn-msgids', sent, '--db', all]);
    assert.match(
      r.stdout,
      /Read 2 mail\(s\) in 2 file\(s\): 2 sent by example\.co\.jp, example\.jp, 2 new/,
    );
  });

  test('scan --msgid-db with a missing file fails before scanning (exit 2)', async () => {
    const r = await runCli(['scan', '--no-store', '--msgid-db', join(dir, 'missing.db'), incoming]);
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /E_MSGID_DB_OPEN|cannot open the Message-ID database/);
  });
});
