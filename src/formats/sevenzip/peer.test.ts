/**
 * Cross-checks with 7-Zip (Debian package 7zip, command 7zz) when installed (.ci/run installs it): archives
 * it writes with every method emoguard decodes, AES-256 ones included (-p, -p -mhe=on), are read back byte
 * for byte, and what emoguard's builders write (plain and AES) passes `7zz t`. Skipped with the reason
 * otherwise.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LimitError } from '../../core/index.js';
import { buildEncryptedSevenZip, buildSevenZip } from '../../../test/builders/sevenzip.js';
import { parseSevenZip, readSevenZipFolder } from './index.js';

const skip =
  spawnSync('sh', ['-c', 'command -v 7zz']).status === 0
    ? false
    : '7zz not installed (apt-get install 7zip)';
const dir = mkdtempSync(join(tmpdir(), 'emoguard-7z-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Text, incompressible bytes, and x86-like bytes full of E8/E9 (what the BCJ filter rewrites).
const FILES: Record<string, Uint8Array> = {
  'a.txt': new TextEncoder().encode('hello world '.repeat(2000)),
  'd/b.bin': Uint8Array.from({ length: 50_000 }, (_, i) => (i * 2654435761) >>> 24),
  'd/c.dll': Uint8Array.from(
    { length: 60_000 },
    (_, i) => [0xe8, 0xe9, 0x90, 0x00, 0xff, 0x55, 0x8b][(i * 7919) % 7]!,
  ),
};

function archive(name: string, args: string[]): Uint8Array {
  const src = join(dir, 'src');
  mkdirSync(join(src, 'd'), { recursive: true });
  for (const [path, data] of Object.entries(FILES)) writeFileSync(join(src, path), data);
  const out = join(dir, `${name}.7z`);
  rmSync(out, { force: true });
  execFileSync('7zz', ['a', '-bd', '-y', out, 'a.txt', 'd', ...args], {
    cwd: src,
    stdio: 'ignore',
  });
  return new Uint8Array(readFileSync(out));
}

function contents(bytes: Uint8Array): Record<string, string> {
  const a = parseSevenZip(bytes);
  assert.deepEqual(a.anomalies, []);
  const folders = new Map<number, Uint8Array>();
  const out: Record<string, string> = {};
  for (const e of a.entries) {
    if (e.folder === undefined) continue;
    if (!folders.has(e.folder)) folders.set(e.folder, readSevenZipFolder(bytes, a, e.folder));
    out[e.name] = Buffer.from(
      folders.get(e.folder)!.subarray(e.offsetInFolder, e.offsetInFolder + e.size),
    ).toString('base64');
  }
  return out;
}

const expected = Object.fromEntries(
  Object.entries(FILES).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
);

for (const [label, args] of [
  ['LZMA2 (default)', []],
  ['LZMA', ['-m0=lzma']],
  ['LZMA + BCJ x86', ['-mf=BCJ', '-m0=lzma']],
  ['Deflate', ['-m0=deflate']],
  ['Copy', ['-mx0']],
  ['LZMA2, solid blocks of 1 file', ['-ms=1f']],
] as const) {
  test(`7z peer: ${label} archive from 7zz → every file byte for byte`, { skip }, () => {
    assert.deepEqual(contents(archive(label.replace(/\W+/g, '-'), [...args])), expected);
  });
}

test(
  '7z peer: -p -mhe=on → header encrypted, no names; -p alone → names, folders encrypted',
  { skip },
  () => {
    const hidden = parseSevenZip(archive('mhe', ['-pSecret1', '-mhe=on']));
    assert.equal(hidden.isHeaderEncrypted, true);
    assert.deepEqual(hidden.entries, []);
    const named = parseSevenZip(archive('p', ['-pSecret1']));
    assert.equal(named.isHeaderEncrypted, false);
    assert.deepEqual(
      named.entries
        .filter((e) => !e.isDirectory)
        .map((e) => e.name)
        .sort(),
      Object.keys(FILES).sort(),
    );
    assert.ok(named.folders.every((f) => f.isEncrypted));
  },
);

test(
  '7z peer: PPMd and BCJ2 archives are listed; their folders are unsupported, not misread',
  { skip },
  () => {
    for (const args of [['-m0=ppmd'], ['-mf=BCJ2']]) {
      const bytes = archive(args[0]!.replace(/\W+/g, ''), args);
      const a = parseSevenZip(bytes);
      assert.deepEqual(
        a.entries
          .filter((e) => !e.isDirectory)
          .map((e) => e.name)
          .sort(),
        Object.keys(FILES).sort(),
      );
      assert.throws(() => readSevenZipFolder(bytes, a, 0), /not supported/);
    }
  },
);

test(
  '7z peer: an LZMA2 bomb (8 MB of zeros) stops at maxOutput with a LimitError',
  { skip },
  () => {
    const src = join(dir, 'bomb');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'zeros.bin'), new Uint8Array(8 * 1024 * 1024));
    const out = join(dir, 'bomb.7z');
    execFileSync('7zz', ['a', '-bd', '-y', out, 'zeros.bin'], { cwd: src, stdio: 'ignore' });
    const bytes = new Uint8Array(readFileSync(out));
    const a = parseSevenZip(bytes);
    assert.throws(
      () => readSevenZipFolder(bytes, a, 0, { maxOutput: 1024 * 1024 }),
      (e) => e instanceof LimitError,
    );
    assert.equal(
      readSevenZipFolder(bytes, a, 0, { maxOutput: 8 * 1024 * 1024 }).length,
      8 * 1024 * 1024,
    );
  },
);

test('7z peer: what the builder writes passes `7zz t`', { skip }, () => {
  for (const encodeHeader of [false, true]) {
    const path = join(dir, `ours-${encodeHeader}.7z`);
    writeFileSync(
      path,
      buildSevenZip({
        files: [
          { name: 'invoice.lnk', data: 'x' },
          { name: 'd/y.txt', data: 'yy' },
        ],
        encodeHeader,
      }),
    );
    execFileSync('7zz', ['t', path], { stdio: 'ignore' });
  }
});

test(
  '7z peer: AES archives from 7zz (-p, -p -mhe=on; LZMA2) open with the right candidate after wrong ones',
  { skip },
  () => {
    for (const args of [['-pS3cret!'], ['-pS3cret!', '-mhe=on']]) {
      const bytes = archive(args.join('').replace(/\W+/g, ''), args);
      const passwords = ['wrong', 'S3cret', 'S3cret!'];
      const a = parseSevenZip(bytes, { passwords });
      assert.deepEqual(a.anomalies, []);
      const out: Record<string, string> = {};
      for (const e of a.entries) {
        if (e.folder === undefined) continue;
        const data = readSevenZipFolder(bytes, a, e.folder, { passwords });
        out[e.name] = Buffer.from(
          data.subarray(e.offsetInFolder, e.offsetInFolder + e.size),
        ).toString('base64');
      }
      assert.deepEqual(out, expected);
      assert.equal(a.password, 'S3cret!');
      assert.throws(
        () => readSevenZipFolder(bytes, parseSevenZip(bytes), 0, { passwords: ['no'] }),
        /E_7Z_BAD_PASSWORD|none of 1/,
      );
    }
  },
);

test('7z peer: what the AES builder writes passes `7zz t -p`', { skip }, () => {
  for (const encryptHeader of [false, true]) {
    const path = join(dir, `ours-aes-${encryptHeader}.7z`);
    writeFileSync(
      path,
      buildEncryptedSevenZip({
        files: [
          { name: 'invoice.lnk', data: 'x'.repeat(40) },
          { name: 'd/y.txt', data: 'yy' },
        ],
        password: 'pw',
        encryptHeader,
        salt: Uint8Array.of(9, 8, 7),
      }),
    );
    execFileSync('7zz', ['t', '-ppw', path], { stdio: 'ignore' });
    assert.notEqual(spawnSync('7zz', ['t', '-pbad', path]).status, 0, 'wrong password fails');
  }
});
