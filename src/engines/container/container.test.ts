import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isKnownTechnique, type EngineOutput } from '../../core/index.js';
import { buildFatImage, buildIso, buildLureIso } from '../../../test/builders/iso.js';
import { buildOneNote, buildLureOneNote } from '../../../test/builders/onenote.js';
import { buildRar4, buildRar5 } from '../../../test/builders/rar.js';
import { buildEncryptedHeaderSevenZip, buildSevenZip } from '../../../test/builders/sevenzip.js';
import { makeContext, type TestContextOptions } from '../../../test/support/engine-context.js';
import { CONTAINER_FINDINGS, containerEngine, ONENOTE_FINDINGS, onenoteEngine } from './index.js';

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

test('container: RAR4/RAR5 → stored members extracted, compressed listed as unsupported, encrypted reported', async () => {
  const files = [
    { name: 'a.lnk', data: 'stored' },
    { name: 'b.dll', data: 'packed', compressed: true },
    { name: 'c.hta', data: 'locked', encrypted: true },
  ];
  for (const build of [buildRar4, buildRar5]) {
    const out = await run(build(files));
    assert.deepEqual(ids(out), ['container.encrypted-archive', 'container.unsupported-archive']);
    assert.deepEqual(names(out), ['a.lnk']);
    const locked = await run(build([], { encryptHeaders: true }));
    assert.deepEqual(ids(locked), ['container.encrypted-archive']);
  }
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
