import assert from 'node:assert/strict';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  ensurePrivateDir,
  isPrivateDir,
  pruneOldest,
  readPrivateFile,
  writeFileAtomic,
} from './index.js';

const root = mkdtempSync(join(tmpdir(), 'emoguard-private-cache-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `d${dirs++}`);
const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : new TextDecoder().decode(bytes);

describe('private-cache', () => {
  test('a file written atomically reads back, with no temp file left beside it', () => {
    const dir = freshDir();
    assert.equal(ensurePrivateDir(dir), true, 'created private');
    writeFileAtomic(join(dir, 'k.bin'), 'one');
    writeFileAtomic(join(dir, 'k.bin'), 'two');
    assert.equal(text(readPrivateFile(join(dir, 'k.bin'))), 'two');
    assert.deepEqual(readdirSync(dir), ['k.bin']);
  });

  test('a group-writable directory or file, a link and a file over maxBytes are not read', () => {
    const dir = freshDir();
    ensurePrivateDir(dir);
    writeFileAtomic(join(dir, 'k.bin'), '12345');
    assert.equal(text(readPrivateFile(join(dir, 'k.bin'), 5)), '12345', 'at maxBytes: read');
    assert.equal(readPrivateFile(join(dir, 'k.bin'), 4), undefined, 'over maxBytes: not read');
    symlinkSync(join(dir, 'k.bin'), join(dir, 'link.bin'));
    assert.equal(readPrivateFile(join(dir, 'link.bin')), undefined, 'link not followed');
    chmodSync(join(dir, 'k.bin'), 0o620);
    assert.equal(readPrivateFile(join(dir, 'k.bin')), undefined, 'group-writable file');
    const open = freshDir();
    mkdirSync(open);
    chmodSync(open, 0o777);
    assert.equal(isPrivateDir(open), false, 'world-writable directory');
    assert.equal(ensurePrivateDir(open), false, 'an existing open directory stays untrusted');
  });

  test('pruning keeps the newest entries and removes each old one with its companions', () => {
    const dir = freshDir();
    ensurePrivateDir(dir);
    for (let i = 0; i < 4; i++) {
      writeFileSync(join(dir, `k${i}.blob`), 'x');
      writeFileSync(join(dir, `k${i}.json`), '{}');
      utimesSync(join(dir, `k${i}.blob`), 1000 + i, 1000 + i);
    }
    pruneOldest(dir, '.blob', 4, ['.json']);
    assert.equal(readdirSync(dir).length, 8, 'at the limit: all kept');
    pruneOldest(dir, '.blob', 2, ['.json']);
    assert.deepEqual(readdirSync(dir).sort(), ['k2.blob', 'k2.json', 'k3.blob', 'k3.json']);
    pruneOldest(join(dir, 'absent'), '.blob', 0);
  });
});
