import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildEncryptedDoc,
  buildEncryptedPptShell,
  buildEncryptedXls,
  encryptAgile,
  encryptStandard,
  seededBytes,
} from '../../../test/builders/offcrypto.js';
import { buildCfb } from '../../../test/builders/cfb.js';
import { parseCfb } from '../cfb/index.js';
import { decryptOffice, detectEncryption, type DecryptOptions } from './index.js';

const plain = seededBytes('plain', 5000);
const decrypt = (bytes: Uint8Array, options?: DecryptOptions) =>
  decryptOffice(parseCfb(bytes), options);
const codes = (r: { anomalies: { code: string }[] } | undefined) => r?.anomalies.map((a) => a.code);

describe('offcrypto: passwords', () => {
  test('agile with another password: the default fails, the given list decrypts', () => {
    const bytes = encryptAgile(plain, { password: 'Passw0rd!', spinCount: 100 });
    const failed = decrypt(bytes);
    assert.equal(failed?.status, 'wrong-password');
    assert.equal(failed.scheme.method, 'agile');
    assert.match(failed.scheme.detail, /AES-256\/SHA512, spinCount 100/);
    const ok = decrypt(bytes, { passwords: ['nope', 'Passw0rd!'] });
    assert.equal(ok?.status, 'decrypted');
    assert.equal(ok.password, 'Passw0rd!');
    assert.deepEqual(ok.bytes, plain);
  });

  test('standard with another password → wrong-password, scheme in the result', () => {
    const result = decrypt(encryptStandard(plain, { password: 'other' }));
    assert.equal(result?.status, 'wrong-password');
    assert.equal(result.scheme.detail, 'standard AES-128/SHA1');
  });

  test('an unencrypted compound file is not an encrypted document', () => {
    const cfb = buildCfb({ streams: [{ path: 'WordDocument', data: new Uint8Array(64) }] }).bytes;
    assert.equal(decrypt(cfb), undefined);
    assert.equal(detectEncryption(parseCfb(cfb)), undefined);
  });

  test('PowerPoint CryptSession10Container is detected, not decrypted', () => {
    const result = decrypt(buildEncryptedPptShell());
    assert.equal(result?.status, 'unsupported');
    assert.equal(result.scheme.container, 'ppt');
  });

  test('Excel XOR obfuscation is detected, not decrypted', () => {
    const workbook = new Uint8Array([
      ...[0x09, 0x08, 0x04, 0x00, 0x00, 0x06, 0x05, 0x00],
      ...[0x2f, 0x00, 0x06, 0x00, 0x00, 0x00, 0x34, 0x12, 0x78, 0x56],
    ]);
    const result = decrypt(buildCfb({ streams: [{ path: 'Workbook', data: workbook }] }).bytes);
    assert.equal(result?.status, 'unsupported');
    assert.equal(result.scheme.method, 'xor');
  });
});

describe('offcrypto: limits', () => {
  const spun = encryptAgile(plain, { spinCount: 1000 });
  test('maxSpinCount: a spin count equal to the cap is computed', () => {
    assert.equal(decrypt(spun, { maxSpinCount: 1000 })?.status, 'decrypted');
  });

  test('maxSpinCount: one above the cap stops with E_LIMIT_SPIN_COUNT, no hashing done', () => {
    const result = decrypt(spun, { maxSpinCount: 999 });
    assert.equal(result?.status, 'limit');
    assert.equal(result.limit?.code, 'E_LIMIT_SPIN_COUNT');
    assert.match(result.scheme.detail, /spinCount 1000/);
  });

  test('a spin count past the schema maximum (10,000,000) is a bad descriptor', () => {
    const bytes = encryptAgile(plain, {
      spinCount: 1,
      mutateXml: (x) => x.replace('spinCount="1"', 'spinCount="4000000000"'),
    });
    const result = decrypt(bytes);
    assert.equal(result?.status, 'unsupported');
    assert.ok(codes(result)?.includes('E_OFFCRYPTO_BAD_DESCRIPTOR'));
  });

  test('maxOutputBytes: the declared plaintext size is checked before decrypting', () => {
    const bytes = encryptStandard(plain);
    assert.equal(decrypt(bytes, { maxOutputBytes: plain.length })?.status, 'decrypted');
    const result = decrypt(bytes, { maxOutputBytes: plain.length - 1 });
    assert.equal(result?.status, 'limit');
    assert.equal(result.limit?.code, 'E_LIMIT_DECRYPTED_SIZE');
  });

  test('the deadline callback stops a long derivation', () => {
    let calls = 0;
    const result = decrypt(encryptAgile(plain, { spinCount: 20_000 }), {
      checkDeadline: () => {
        if (++calls > 1) throw new (class extends Error {})('not a limit');
      },
    });
    assert.equal(result?.status, 'unsupported');
    assert.ok(codes(result)?.includes('E_OFFCRYPTO_FAILED'));
  });
});

describe('offcrypto: hostile descriptors and streams', () => {
  const mutated = (mutateXml: (x: string) => string) =>
    decrypt(encryptAgile(plain, { spinCount: 10, mutateXml }));

  const cases: [string, (x: string) => string, string][] = [
    ['no keyData', (x) => x.replace(/<keyData [^>]*\/>/, ''), 'E_OFFCRYPTO_BAD_DESCRIPTOR'],
    [
      'absurd keyBits',
      (x) => x.replaceAll('keyBits="256"', 'keyBits="99999"'),
      'E_OFFCRYPTO_BAD_DESCRIPTOR',
    ],
    [
      'bad base64 salt',
      (x) => x.replace(/saltValue="[^"]*"/, 'saltValue="***"'),
      'E_OFFCRYPTO_BAD_DESCRIPTOR',
    ],
    ['unknown hash', (x) => x.replaceAll('SHA512', 'WHIRLPOOL'), 'E_OFFCRYPTO_BAD_DESCRIPTOR'],
    ['not XML at all', () => '\u0000\u0001garbage', 'E_OFFCRYPTO_BAD_DESCRIPTOR'],
  ];
  for (const [name, mutate, code] of cases) {
    test(`agile descriptor with ${name} → unsupported, ${code}`, () => {
      const result = mutated(mutate);
      assert.equal(result?.status, 'unsupported');
      assert.ok(codes(result)?.includes(code), JSON.stringify(result?.anomalies));
    });
  }

  test('agile RC2 or CFB chaining → unsupported, the cipher named', () => {
    const result = mutated((x) => x.replaceAll('cipherAlgorithm="AES"', 'cipherAlgorithm="RC2"'));
    assert.equal(result?.status, 'unsupported');
    assert.match(result.reason ?? '', /RC2/);
  });

  test('encryptedKeyValue that is not whole AES blocks → unsupported with an anomaly', () => {
    const result = mutated((x) =>
      x.replace(/encryptedKeyValue="[^"]*"/, 'encryptedKeyValue="AAAA"'),
    );
    assert.equal(result?.status, 'unsupported');
    assert.ok(codes(result)?.includes('E_OFFCRYPTO_BAD_DESCRIPTOR'));
  });

  test('certificate-only agile file → unsupported, method certificate', () => {
    const result = mutated((x) => x.replace(/<p:encryptedKey [^>]*\/>/, ''));
    assert.equal(result?.status, 'unsupported');
    assert.equal(result.scheme.method, 'certificate');
  });

  test('a broken dataIntegrity HMAC decrypts with E_OFFCRYPTO_INTEGRITY', () => {
    const result = decrypt(encryptAgile(plain, { spinCount: 10, hasBadHmac: true }));
    assert.equal(result?.status, 'decrypted');
    assert.deepEqual(codes(result), ['E_OFFCRYPTO_INTEGRITY']);
  });

  test('a truncated EncryptedPackage gives the readable part and E_OFFCRYPTO_TRUNCATED', () => {
    const cfb = parseCfb(encryptStandard(plain));
    const info = cfb.readStream('EncryptionInfo')!;
    const pkg = cfb.readStream('EncryptedPackage')!.subarray(0, 8 + 1000);
    const bytes = buildCfb({
      streams: [
        { path: 'EncryptionInfo', data: info },
        { path: 'EncryptedPackage', data: pkg },
      ],
    }).bytes;
    const result = decrypt(bytes);
    assert.equal(result?.status, 'decrypted');
    assert.deepEqual(result.bytes, plain.subarray(0, 992));
    assert.ok(codes(result)?.includes('E_OFFCRYPTO_TRUNCATED'));
  });

  test('EncryptionInfo truncated, of an unknown version, or with an absurd header size', () => {
    const pkg = new Uint8Array(24);
    const streams = (info: number[]) =>
      buildCfb({
        streams: [
          { path: 'EncryptionInfo', data: Uint8Array.from(info) },
          { path: 'EncryptedPackage', data: pkg },
        ],
      }).bytes;
    assert.equal(decrypt(streams([4]))?.status, 'unsupported');
    assert.equal(decrypt(streams([9, 0, 9, 0]))?.scheme.method, 'unknown');
    assert.equal(decrypt(streams([4, 0, 3, 0]))?.scheme.method, 'extensible');
    const huge = decrypt(streams([4, 0, 2, 0, 0x24, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f]));
    assert.equal(huge?.status, 'unsupported');
    assert.ok(codes(huge)?.includes('E_OFFCRYPTO_BAD_HEADER'));
  });

  test('fuzz: 300 byte mutations of encrypted files never throw', () => {
    // Standard encryption always costs 50,000 SHA-1 rounds per try: its header paths are covered above.
    const seeds = [
      encryptAgile(plain, { spinCount: 5 }),
      buildEncryptedXls('inert').bytes,
      buildEncryptedDoc('inert').bytes,
    ];
    const random = seededBytes('fuzz', 300 * 8);
    for (let i = 0; i < 300; i++) {
      const seed = seeds[i % seeds.length]!;
      const bytes = seed.slice();
      for (let k = 0; k < 4; k++) {
        const r = random[i * 8 + k * 2]! | (random[i * 8 + k * 2 + 1]! << 8);
        const at = 512 + ((r * 7919 + i * 31) % (bytes.length - 512));
        bytes[at] = random[(i * 8 + k + 3) % random.length]!;
      }
      let cfb;
      try {
        cfb = parseCfb(bytes);
      } catch {
        continue; // not a compound file any more: the CFB parser's own tests cover it
      }
      assert.doesNotThrow(() => decryptOffice(cfb, { maxSpinCount: 10 }));
    }
  });
});
