import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { maildirName, writeMaildir } from '../../../test/builders/maildir.js';
import { resolveLimits } from '../../core/index.js';
import { scanPaths, walkInputs, type RunItem } from './index.js';

const mail = (subject: string) =>
  `From: a@example.com\r\nTo: b@example.org\r\nSubject: ${subject}\r\nMessage-ID: <${subject}@example.com>\r\n` +
  `Date: Tue, 1 Nov 2022 10:00:00 +0900\r\nContent-Type: text/plain\r\n\r\nhello\r\n`;

function maildir(): string {
  return writeMaildir(mkdtempSync(join(tmpdir(), 'emoguard-maildir-')), {
    new: { [maildirName(3)]: mail('unseen') },
    cur: { [maildirName(1, 'S')]: mail('seen'), [maildirName(2, 'RS')]: mail('answered') },
    tmp: { [maildirName(4)]: 'From: half-deliver' },
    root: { 'dovecot.index': 'index', 'dovecot-uidlist': '3 V1', subscriptions: 'Sent' },
    folders: { Sent: { cur: { [maildirName(5, 'S')]: mail('sent') } } },
  });
}

test('walk: a Maildir yields new/ then cur/ messages and its Maildir++ folders, never tmp/ nor index files', async () => {
  const dir = maildir();
  const seen: string[] = [];
  for await (const e of walkInputs([dir])) seen.push(`${e.kind} ${e.path.slice(dir.length)}`);
  assert.deepEqual(seen, [
    `file /new/${maildirName(3)}`,
    `file /cur/${maildirName(1, 'S')}`,
    `file /cur/${maildirName(2, 'RS')}`,
    `file /.Sent/cur/${maildirName(5, 'S')}`,
  ]);
});

test('walk: a folder with cur/ but no new/ is not a Maildir and is walked whole', async () => {
  const dir = maildir();
  const seen: string[] = [];
  for await (const e of walkInputs([join(dir, '.Sent', 'cur')])) seen.push(e.path);
  assert.equal(seen.length, 1, 'the one message');
  const all: string[] = [];
  for await (const e of walkInputs([join(dir, 'tmp')])) all.push(e.path);
  assert.equal(all.length, 1, 'tmp/ given directly is scanned: the user asked for it');
});

test('scanPaths: each Maildir message (names with :2,S flags) is scanned as a mail', async () => {
  const items: RunItem[] = [];
  for await (const item of scanPaths([maildir()], { limits: resolveLimits(), workers: 1 }))
    items.push(item);
  assert.equal(items.length, 4, 'four messages');
  for (const item of items) {
    assert.ok('result' in item, `scanned: ${item.path}`);
    assert.equal(item.result.type, 'eml', item.path);
    assert.equal(item.result.verdict, 'clean', item.path);
  }
});
