/**
 * `mail.encrypted-archive-attachment` for ZIP, 7z and RAR alike: what is encrypted (members, or the
 * headers with the names), and whether a password found in the body opens it — the same three notes
 * for every format. All archives are built in code and hold inert text.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineOutput } from '../../core/index.js';
import { buildMailContext, buildMime } from '../../../test/builders/mime.js';
import { buildRar4, buildRar5 } from '../../../test/builders/rar.js';
import { buildEncryptedSevenZip, buildSevenZip } from '../../../test/builders/sevenzip.js';
import { buildEncryptedZip } from '../../../test/builders/zip.js';
import { mailEngine } from './index.js';
import { MAX_7Z_CANDIDATES_CHECKED } from './encrypted-archives.js';

const PASSWORD = 'Ab12cd34';
const WITH = `請求書を添付します。\nパスワード：${PASSWORD}\n`;
const WRONG = 'パスワード：Zz99yy88\n';
const NONE = 'ご確認ください。\n';

async function noteFor(text: string, filename: string, content: Uint8Array): Promise<string[]> {
  const bytes = await buildMime({ text, attachments: [{ filename, content }] });
  const out: EngineOutput = await mailEngine.analyze(buildMailContext(bytes));
  return (out.findings ?? [])
    .filter((f) => f.id === 'mail.encrypted-archive-attachment')
    .flatMap((f) => f.evidence.map((e) => e.note ?? ''));
}

const archives = async (): Promise<[string, Uint8Array, RegExp][]> => [
  [
    'invoice.zip',
    await buildEncryptedZip([{ name: 'invoice.doc', data: 'inert' }], {
      password: PASSWORD,
      encryption: 'aes',
    }),
    /^1 of 1 members encrypted \(aes\), first "invoice\.doc"/,
  ],
  [
    'invoice.7z',
    buildEncryptedSevenZip({ files: [{ name: 'invoice.doc', data: 'inert' }], password: PASSWORD }),
    /^1 of 1 members encrypted \(7zAES\), first "invoice\.doc"/,
  ],
  [
    'invoice-hdr.7z',
    buildEncryptedSevenZip({
      files: [{ name: 'invoice.doc', data: 'inert' }],
      password: PASSWORD,
      encryptHeader: true,
    }),
    /^7z header encrypted \(AES-256, -mhe=on\): member names and contents hidden/,
  ],
  [
    'invoice.rar',
    buildRar5([{ name: 'invoice.doc', data: 'inert', password: PASSWORD }], { kdfCount: 4 }),
    /^1 of 1 members encrypted \(RAR 5 AES-256\), first "invoice\.doc"/,
  ],
  [
    'invoice-hdr.rar',
    buildRar5([{ name: 'invoice.doc', data: 'inert' }], { headerPassword: PASSWORD, kdfCount: 4 }),
    /^RAR 5 headers encrypted \(AES-256, rar -hp\): member names and contents hidden/,
  ],
];

test('mail: ZIP, 7z (members or -mhe header) and RAR5 (members or -hp) with the password in the body → "a password from the body opens it"', async () => {
  for (const [name, bytes, what] of await archives()) {
    const [note] = await noteFor(WITH, name, bytes);
    assert.match(note ?? '', what, name);
    assert.match(
      note ?? '',
      /; a password from the body opens it \(1 candidate password from the body tried\)$/,
      name,
    );
  }
});

test('mail: the same archives with a wrong password in the body → "none of … opens it"; with none → no password part', async () => {
  for (const [name, bytes, what] of await archives()) {
    const [wrong] = await noteFor(WRONG, name, bytes);
    assert.match(wrong ?? '', what, name);
    assert.match(wrong ?? '', /; none of 1 candidate password from the body opens it$/, name);
    const [none] = await noteFor(NONE, name, bytes);
    assert.match(none ?? '', what, name);
    assert.doesNotMatch(none ?? '', /password/, `${name}: nothing said about a password`);
  }
});

test('mail: RAR 4 encryption has no password check → the candidates are left to the container engine', async () => {
  const members = buildRar4([{ name: 'invoice.doc', data: 'inert', encrypted: true }]);
  const [note] = await noteFor(WITH, 'old.rar', members);
  assert.match(
    note ?? '',
    /^1 of 1 members encrypted \(RAR 4 AES-128\).*not checked here \(the container engine tries them\)$/,
  );
  const headers = buildRar4([], { encryptHeaders: true });
  const [hidden] = await noteFor(NONE, 'old-hdr.rar', headers);
  assert.match(hidden ?? '', /^RAR 4 headers encrypted \(AES-128, rar -hp\)/);
});

test('mail: plain 7z and RAR attachments raise no encrypted-archive finding', async () => {
  const sevenZip = buildSevenZip({ files: [{ name: 'readme.txt', data: 'inert' }] });
  const rar = buildRar5([{ name: 'readme.txt', data: 'inert' }]);
  assert.deepEqual(await noteFor(WITH, 'a.7z', sevenZip), []);
  assert.deepEqual(await noteFor(WITH, 'a.rar', rar), []);
});

test(`mail: 7zAES candidates past the first ${MAX_7Z_CANDIDATES_CHECKED} are left to the container engine, on both sides of the cap`, async () => {
  const sevenZip = buildEncryptedSevenZip({
    files: [{ name: 'a.doc', data: 'inert' }],
    password: PASSWORD,
  });
  const wrong = (n: number) => Array.from({ length: n }, (_, i) => `pw: Wrong${i}x9\n`).join('');
  const [at] = await noteFor(wrong(MAX_7Z_CANDIDATES_CHECKED), 'a.7z', sevenZip);
  assert.match(at ?? '', new RegExp(`none of ${MAX_7Z_CANDIDATES_CHECKED} candidate passwords`));
  const [over] = await noteFor(wrong(MAX_7Z_CANDIDATES_CHECKED + 1), 'a.7z', sevenZip);
  assert.match(over ?? '', /not checked here \(the container engine tries them\)$/);
});

test('mail: a BIFF4 .xlm attachment is an Office attachment (macro-capable), named as such', async () => {
  const { buildLegacySheet, legacyXlmSpec } = await import('../../../test/builders/biff-legacy.js');
  const bytes = await buildMime({
    text: NONE,
    attachments: [{ filename: 'invoice.xlm', content: buildLegacySheet(4, legacyXlmSpec()) }],
  });
  const out = await mailEngine.analyze(buildMailContext(bytes));
  const office = out.findings?.find((f) => f.id === 'mail.office-attachment');
  assert.match(
    office?.evidence[0]?.note ?? '',
    /^content is Excel 2\.x–4\.0 file \(BIFF2–4, XLM macro sheets\); named \.xlm$/,
  );
});

test('mail: truncated 7z and RAR attachments never throw and raise no encrypted-archive finding (the container engines report them)', async () => {
  const sevenZip = buildEncryptedSevenZip({
    files: [{ name: 'a.doc', data: 'inert' }],
    password: PASSWORD,
  });
  const rar = buildRar5([{ name: 'a.doc', data: 'inert', password: PASSWORD }], { kdfCount: 4 });
  for (const [name, bytes] of [
    ['cut.7z', sevenZip.subarray(0, 40)],
    ['cut.rar', rar.subarray(0, 30)],
  ] as const) {
    assert.deepEqual(await noteFor(WITH, name, bytes), [], name);
  }
});
