import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { HINT_ARCHIVE_PASSWORDS, isKnownTechnique, type EngineOutput } from '../../core/index.js';
import { MAX_7Z_AES_CYCLES_POWER } from '../../formats/sevenzip/index.js';
import { buildFatImage, buildIso, buildLureIso } from '../../../test/builders/iso.js';
import { buildOneNote, buildLureOneNote } from '../../../test/builders/onenote.js';
import { buildRar4, buildRar5 } from '../../../test/builders/rar.js';
import {
  buildEncryptedHeaderSevenZip,
  buildEncryptedSevenZip,
  buildSevenZip,
} from '../../../test/builders/sevenzip.js';
import { makeContext, type TestContextOptions } from '../../../test/support/engine-context.js';
import { CONTAINER_FINDINGS, containerEngine, ONENOTE_FINDINGS, onenoteEngine } from './index.js';
import { MAX_RAR4_PASSWORD_TRIES, MAX_RAR_DICTIONARY } from './rar.js';

const run = async (bytes: Uint8Array, options: TestContextOptions = {}) =>
  containerEngine.analyze(makeContext(bytes, options));
const ids = (out: EngineOutput) => (out.findings ?? []).map((f) => f.id).sort();
const names = (out: EngineOutput) => (out.children ?? []).map((c) => c.name);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

test('container/onenote: finding ids name their engine and cite known ATT&CK techniques', () => {
  for (const [prefix, list] of [
    ['container', CONTAINER_FINDINGS],
    ['onenote', ONENOTE_FINDINGS],
  ] as const) {
    for (const f of list) {
      assert.match(f.def.id, new RegExp(`^${prefix}\\.[a-z0-9-]+$`));
      for (const t of f.def.attack) assert.ok(isKnownTechnique(t), `${f.def.id}: ${t}`);
    }
  }
});

test('container: ISO with a shortcut and a hidden DLL → disk-image, hidden-member, both files as members', async () => {
  const out = await run(buildLureIso(new TextEncoder().encode('lnk bytes')));
  assert.deepEqual(ids(out), ['container.disk-image', 'container.hidden-member']);
  assert.deepEqual(names(out), ['Invoice_2022-04-25.lnk', 'data/cQE8hO1.dll']);
  assert.equal(out.children?.[0]?.relation, 'member');
  const image = out.findings!.find((f) => f.id === 'container.disk-image')!;
  assert.equal(image.evidence[0]!.text, 'iso9660 + joliet');
  assert.deepEqual(out.extracted?.iocs?.files, ['Invoice_2022-04-25.lnk', 'cQE8hO1.dll']);
});

test('container: FAT .img → disk-image and its files', async () => {
  const out = await run(buildFatImage({ files: [{ path: 'Invoice.pdf.lnk', data: 'x' }] }));
  assert.deepEqual(ids(out), ['container.disk-image']);
  assert.deepEqual(names(out), ['Invoice.pdf.lnk']);
});

test('container: maxMembers 1 on a 2-file image → one member and scan.limit-exceeded; 2 → both', async () => {
  const iso = buildIso({
    files: [
      { path: 'a.txt', data: 'a' },
      { path: 'b.txt', data: 'b' },
    ],
  });
  const one = await run(iso, { limits: { maxMembers: 1 } });
  assert.deepEqual(names(one), ['a.txt']);
  assert.ok(ids(one).includes('scan.limit-exceeded'));
  assert.deepEqual(names(await run(iso, { limits: { maxMembers: 2 } })), ['a.txt', 'b.txt']);
});

test('container: a member larger than maxFileSize is cut at the cap and reported', async () => {
  const iso = buildIso({ files: [{ path: 'big.bin', data: 'x'.repeat(5000) }] });
  const out = await run(iso, { limits: { maxFileSize: 4096 } });
  assert.equal(out.children?.[0]?.bytes.length, 4096);
  assert.ok(ids(out).includes('scan.limit-exceeded'));
});

test('container: 7z with a plain or encoded header → members; encrypted header → encrypted-archive, nothing else', async () => {
  for (const encodeHeader of [false, true]) {
    const out = await run(
      buildSevenZip({
        files: [
          { name: 'a.lnk', data: 'lnk' },
          { name: 'd/b.hta', data: '<hta:application>' },
        ],
        encodeHeader,
      }),
    );
    assert.deepEqual(ids(out), []);
    assert.deepEqual(names(out), ['a.lnk', 'd/b.hta']);
    assert.equal(text(out.children![1]!.bytes), '<hta:application>');
  }
  const locked = await run(buildEncryptedHeaderSevenZip());
  assert.deepEqual(ids(locked), ['container.encrypted-archive']);
  assert.equal(locked.findings![0]!.severity, 'medium');
  assert.deepEqual(names(locked), []);
});

test('onenote: the 2023 lure → embedded files (named, typed), embedded-script, lure text', async () => {
  const out = await onenoteEngine.analyze(
    makeContext(buildLureOneNote('<html><hta:application/></html>', '@echo off\r\n'), {
      name: 'invoice.one',
    }),
  );
  assert.deepEqual(ids(out), [
    'onenote.embedded-file',
    'onenote.embedded-script',
    'onenote.lure-text',
  ]);
  assert.deepEqual(
    out.children?.map((c) => [c.name, c.relation, c.typeHint]),
    [
      ['Open.hta', 'embedded', 'html'],
      ['invoice.bat', 'embedded', 'script'],
    ],
  );
  const script = out.findings!.find((f) => f.id === 'onenote.embedded-script')!;
  assert.equal(script.severity, 'high');
  assert.match(script.evidence[1]!.note ?? '', /inserted from Z:\\build\\invoice\.bat/);
  assert.deepEqual(
    out.findings!.find((f) => f.id === 'onenote.lure-text')!.evidence.map((e) => e.text),
    ['This document is protected', 'Double click to view file'],
  );
});

test('onenote: a section with only a picture → embedded-file (info), clean', async () => {
  const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d);
  const out = await onenoteEngine.analyze(
    makeContext(
      buildOneNote({ files: [{ name: 'photo.png', data: png }], texts: ['Meeting notes'] }),
    ),
  );
  assert.deepEqual(ids(out), ['onenote.embedded-file']);
});

test('onenote: unnamed embedded files get embedded-N with the sniffed extension', async () => {
  const out = await onenoteEngine.analyze(
    makeContext(
      buildOneNote({
        files: [{ name: 'x', data: 'Set s = CreateObject("WScript.Shell")' }],
        omitNodes: true,
      }),
    ),
  );
  assert.deepEqual(names(out), ['embedded-1.txt']);
  assert.ok(ids(out).includes('onenote.embedded-script'), 'sniffed as script');
});

const AES_FILES = [
  { name: 'invoice.lnk', data: 'lnk bytes' },
  { name: 'd/run.hta', data: '<hta:application>' },
];
const withPasswords = (
  bytes: Uint8Array,
  passwords: string[],
  options: TestContextOptions = {},
) => {
  const ctx = makeContext(bytes, options);
  ctx.memo(HINT_ARCHIVE_PASSWORDS, () => passwords);
  return containerEngine.analyze(ctx);
};

test('container: 7z AES (files, then -mhe=on header too) + the mail password among wrong ones → members, no finding', async () => {
  for (const encryptHeader of [false, true]) {
    const bytes = buildEncryptedSevenZip({ files: AES_FILES, password: 'Kx82', encryptHeader });
    const out = await withPasswords(bytes, ['12345', 'kx82', 'Kx82']);
    assert.deepEqual(ids(out), []);
    assert.deepEqual(names(out), ['invoice.lnk', 'd/run.hta']);
    assert.equal(text(out.children![1]!.bytes), '<hta:application>');
  }
});

test('container: 7z AES with no candidate or only wrong ones → encrypted-archive (medium), nothing extracted', async () => {
  for (const encryptHeader of [false, true]) {
    const bytes = buildEncryptedSevenZip({ files: AES_FILES, password: 'Kx82', encryptHeader });
    for (const passwords of [[], ['wrong', 'kx82']]) {
      const out = await withPasswords(bytes, passwords);
      assert.deepEqual(ids(out), ['container.encrypted-archive']);
      assert.equal(out.findings![0]!.severity, 'medium');
      assert.deepEqual(names(out), []);
      if (passwords.length > 0)
        assert.match(out.findings![0]!.evidence[0]!.note ?? '', /none of 2 candidate/);
    }
  }
});

test('container: 7z AES key rounds: 2^24 is the cap; 2^25 (patched) → limit-exceeded + encrypted-archive, no work', async () => {
  const bytes = buildEncryptedSevenZip({ files: AES_FILES, password: 'pw', encryptHeader: true });
  const at = indexOf(bytes, Uint8Array.of(0x06, 0xf1, 0x07, 0x01)) + 5;
  bytes[at] = (bytes[at]! & 0xc0) | 25;
  const started = Date.now();
  const out = await withPasswords(bytes, ['pw']);
  assert.deepEqual(ids(out), ['container.encrypted-archive', 'scan.limit-exceeded']);
  assert.ok(Date.now() - started < 1000, 'refused before hashing');
  assert.equal(MAX_7Z_AES_CYCLES_POWER, 24);
});

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

test('container: RAR4/RAR5 stored members → children through unrar; encrypted fakes listed as encrypted', async () => {
  const files = [
    { name: 'a.lnk', data: 'stored' },
    { name: 'd/c.hta', data: 'locked', encrypted: true },
  ];
  for (const build of [buildRar4, buildRar5]) {
    const out = await run(build(files));
    assert.deepEqual(names(out), ['a.lnk']);
    assert.equal(text(out.children![0]!.bytes), 'stored');
    assert.deepEqual(ids(out), ['container.encrypted-archive']);
    const locked = await run(build([], { encryptHeaders: true }));
    assert.deepEqual(ids(locked), ['container.encrypted-archive']);
  }
});

test('container: RAR5 AES member + the mail password among wrong ones → decrypted child; without → encrypted-archive', async () => {
  const bytes = buildRar5([
    { name: 'invoice.lnk', data: 'lnk bytes', password: 'Kx82' },
    { name: 'readme.txt', data: 'plain' },
  ]);
  const open = await withPasswords(bytes, ['1234', 'kx82', 'Kx82']);
  assert.deepEqual(ids(open), []);
  assert.deepEqual(
    open.children!.map((c) => [c.name, text(c.bytes)]),
    [
      ['invoice.lnk', 'lnk bytes'],
      ['readme.txt', 'plain'],
    ],
  );
  for (const passwords of [[], ['wrong']]) {
    const shut = await withPasswords(bytes, passwords);
    assert.deepEqual(ids(shut), ['container.encrypted-archive']);
    assert.deepEqual(names(shut), ['readme.txt']);
  }
});

test('container: RAR5 -hp (headers encrypted) opens with the mail password: names and contents; else encrypted-archive', async () => {
  const bytes = buildRar5([{ name: 'x/請求書.lnk', data: 'lnk', password: 'pw' }], {
    headerPassword: 'pw',
  });
  const open = await withPasswords(bytes, ['no', 'pw']);
  assert.deepEqual(ids(open), []);
  assert.deepEqual(
    open.children!.map((c) => [c.name, text(c.bytes)]),
    [['x/請求書.lnk', 'lnk']],
  );
  const shut = await withPasswords(bytes, ['no']);
  assert.deepEqual(ids(shut), ['container.encrypted-archive']);
  assert.match(shut.findings![0]!.evidence[0]!.note ?? '', /none of 1 candidate/);
});

test('container: RAR5 dictionary: 64 MiB (the cap) goes to unrar; 128 MiB → limit-exceeded, never allocated', async () => {
  const member = (dictionaryPower: number) =>
    buildRar5([
      { name: 'x.bin', data: 'not really compressed', compressed: true, dictionaryPower },
    ]);
  const at = await run(member(9));
  // At the cap unrar runs (and rejects the fake data: medium, the member was not scanned).
  assert.deepEqual(ids(at), ['container.unreadable-member']);
  const past = await run(member(10));
  assert.deepEqual(ids(past), ['scan.limit-exceeded']);
  assert.equal(MAX_RAR_DICTIONARY, 64 * 1024 * 1024);
});

test('container: RAR members: maxFileSize cuts as written; maxMembers stops; ratio refuses before unrar', async () => {
  const files = [
    { name: 'a.bin', data: 'x'.repeat(5000) },
    { name: 'b.txt', data: 'b' },
  ];
  const cut = await run(buildRar5(files), { limits: { maxFileSize: 4096 } });
  assert.deepEqual(
    cut.children!.map((c) => c.bytes.length),
    [4096, 1],
  );
  assert.deepEqual(ids(cut), ['scan.limit-exceeded']);
  const whole = await run(buildRar5(files), { limits: { maxFileSize: 5000 } });
  assert.deepEqual(ids(whole), []);
  const one = await run(buildRar4(files), { limits: { maxMembers: 1 } });
  assert.deepEqual(names(one), ['a.bin']);
  assert.deepEqual(ids(one), ['scan.limit-exceeded']);
  const bomb = buildRar5([
    { name: 'bomb.bin', data: 'x'.repeat(100), compressed: true, declaredSize: 100 * 201 },
  ]);
  const refused = await run(bomb, { limits: { maxRatio: 200 } });
  assert.deepEqual(ids(refused), ['scan.limit-exceeded']);
  assert.deepEqual(names(refused), []);
});

test('container: RAR4 encrypted member: at most 8 candidates are tried; the plain members still come out', async () => {
  const bytes = buildRar4([
    { name: 'a.lnk', data: 'x'.repeat(64), encrypted: true },
    { name: 'b.txt', data: 'plain' },
  ]);
  for (const [given, tried] of [
    [MAX_RAR4_PASSWORD_TRIES, MAX_RAR4_PASSWORD_TRIES],
    [MAX_RAR4_PASSWORD_TRIES + 1, MAX_RAR4_PASSWORD_TRIES],
  ] as const) {
    const out = await withPasswords(
      bytes,
      Array.from({ length: given }, (_, i) => `p${i}`),
    );
    assert.deepEqual(ids(out), ['container.encrypted-archive']);
    assert.deepEqual(names(out), ['b.txt']);
    const notes = out.findings![0]!.evidence.map((e) => e.note ?? '');
    assert.ok(
      notes.some((n) => n.includes(`none of ${tried} candidate`)),
      notes.join(' | '),
    );
  }
});

test(
  'container: a 7z folder whose LZMA data is damaged → unreadable-member (medium), never clean',
  {
    skip:
      spawnSync('sh', ['-c', 'command -v 7zz']).status === 0
        ? false
        : '7zz not installed (apt-get install 7zip)',
  },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emoguard-7z-bad-'));
    try {
      writeFileSync(join(dir, 'a.txt'), 'invoice text '.repeat(500));
      execFileSync('7zz', ['a', '-bd', '-y', '-m0=lzma', 'a.7z', 'a.txt'], {
        cwd: dir,
        stdio: 'ignore',
      });
      const bytes = new Uint8Array(readFileSync(join(dir, 'a.7z')));
      for (let i = 40; i < 60; i++) bytes[i] = 0xff;
      const out = await run(bytes);
      assert.deepEqual(ids(out), ['container.unreadable-member']);
      assert.equal(out.findings![0]!.severity, 'medium');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
