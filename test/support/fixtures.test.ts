import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { loadSample, repoRoot, sharedDataDir, sharedDataSkip } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'emoguard-fixtures-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const SAMPLE = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0x00, 0xff]);

describe('fixture locations', () => {
  test('repoRoot is the folder holding package.json and scripts/test.mjs', () => {
    assert.ok(existsSync(join(repoRoot(), 'package.json')));
    assert.ok(existsSync(join(repoRoot(), 'scripts', 'test.mjs')));
  });

  test('sharedDataDir is ../shared/data beside the repository', () => {
    assert.equal(sharedDataDir(), join(repoRoot(), '..', 'shared', 'data'));
  });

  test('sharedDataSkip: a missing file → a skip reason naming its path', () => {
    const reason = sharedDataSkip('no-such-dir', 'none.evtx');
    assert.equal(typeof reason, 'string');
    assert.match(String(reason), /no-such-dir/);
  });

  test('sharedDataSkip: present shared data → false', { skip: sharedDataSkip('README.md') }, () => {
    assert.equal(sharedDataSkip('README.md'), false);
  });
});

describe('loadSample', () => {
  const write = (name: string, content: string | Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  test('hex text, with whitespace and line breaks ignored', () => {
    assert.deepEqual(loadSample(write('a.in.hex', 'd0cf 11e0\n00FF\n')), SAMPLE);
  });

  test('base64 text', () => {
    assert.deepEqual(loadSample(write('a.in.b64', Buffer.from(SAMPLE).toString('base64'))), SAMPLE);
  });

  test('gzip-compressed hex (.hex.gz) and base64 of gzip (.gz.b64)', () => {
    const hex = Buffer.from(SAMPLE).toString('hex');
    assert.deepEqual(loadSample(write('b.in.hex.gz', gzipSync(hex))), SAMPLE);
    const b64 = gzipSync(SAMPLE).toString('base64');
    assert.deepEqual(loadSample(write('b.in.gz.b64', b64)), SAMPLE);
  });

  test('a raw binary name (.bin, .gz alone) is refused', () => {
    assert.throws(() => loadSample(write('c.bin', SAMPLE)), /stored as text/);
    assert.throws(() => loadSample(write('c.bin.gz', gzipSync(SAMPLE))), /stored as text/);
  });

  test('malformed hex → error naming the file', () => {
    assert.throws(() => loadSample(write('d.hex', 'abc')), /d\.hex: not valid hex/);
  });
});
