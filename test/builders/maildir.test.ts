import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { maildirName, writeMaildir } from './maildir.js';

test('maildir builder round trip: cur/new/tmp created, Dovecot-style names, Maildir++ subfolders', () => {
  const root = writeMaildir(mkdtempSync(join(tmpdir(), 'emoguard-maildir-')), {
    cur: { [maildirName(1, 'S')]: 'a' },
    folders: { Sent: { new: { [maildirName(2)]: 'b' } } },
  });
  assert.deepEqual(readdirSync(root).sort(), ['.Sent', 'cur', 'new', 'tmp']);
  assert.equal(readFileSync(join(root, 'cur', maildirName(1, 'S')), 'utf8'), 'a');
  assert.match(maildirName(1, 'S'), /^1700000001\.M101P4001\.mx\.example\.com,S=1001:2,S$/);
  assert.deepEqual(readdirSync(join(root, '.Sent')).sort(), ['cur', 'maildirfolder', 'new', 'tmp']);
  assert.equal(readFileSync(join(root, '.Sent', 'new', maildirName(2)), 'utf8'), 'b');
});
