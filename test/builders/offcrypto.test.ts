import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCfb } from '../../src/formats/cfb/index.js';
import { decryptOffice } from '../../src/formats/offcrypto/index.js';
import {
  buildEncryptedDoc,
  buildEncryptedXls,
  encryptAgile,
  encryptStandard,
  seededBytes,
} from './offcrypto.js';

const plain = seededBytes('plain', 10_000); // more than two agile segments, not a multiple of 16

test('encryptAgile: decryptOffice(encryptAgile(x)) === x (SHA-512, AES-256, 100,000 spins)', () => {
  const result = decryptOffice(parseCfb(encryptAgile(plain)));
  assert.equal(result?.status, 'decrypted');
  assert.equal(result.password, 'VelvetSweatshop');
  assert.deepEqual(result.bytes, plain);
  assert.deepEqual(result.anomalies, []);
});

test('encryptAgile: other hashes and key sizes round-trip too', () => {
  for (const [hashAlgorithm, keyBits] of [
    ['SHA1', 128],
    ['SHA256', 192],
    ['SHA384', 256],
  ] as const) {
    const bytes = encryptAgile(plain, { hashAlgorithm, keyBits, spinCount: 10 });
    const result = decryptOffice(parseCfb(bytes));
    assert.equal(result?.status, 'decrypted', `${hashAlgorithm}/${keyBits}`);
    assert.deepEqual(result.bytes, plain);
    assert.deepEqual(result.anomalies, [], 'the dataIntegrity HMAC verifies');
  }
});

test('encryptStandard: decryptOffice(encryptStandard(x)) === x for AES-128 and AES-256', () => {
  for (const keyBits of [128, 256] as const) {
    const result = decryptOffice(parseCfb(encryptStandard(plain, { keyBits })));
    assert.equal(result?.status, 'decrypted');
    assert.deepEqual(result.bytes, plain);
  }
});

test('buildEncryptedXls: RC4 CryptoAPI and RC4 workbooks decrypt to the plaintext stream', () => {
  for (const spec of [{ keyBits: 128 }, { keyBits: 40 }, { method: 'rc4' as const }]) {
    const built = buildEncryptedXls('=EXEC("calc.exe")'.padEnd(3000, '.'), spec);
    const result = decryptOffice(parseCfb(built.bytes));
    assert.equal(result?.status, 'decrypted', JSON.stringify(spec));
    const workbook = parseCfb(result.bytes!).readStream('Workbook');
    assert.deepEqual(workbook, built.expectedWorkbook);
  }
});

test('buildEncryptedDoc: WordDocument decrypts with fEncrypted cleared', () => {
  const built = buildEncryptedDoc('inert body text of the document');
  const result = decryptOffice(parseCfb(built.bytes));
  assert.equal(result?.status, 'decrypted');
  const word = parseCfb(result.bytes!).readStream('WordDocument')!;
  assert.equal(word[0x0b]! & 0x01, 0);
  assert.equal(new TextDecoder('latin1').decode(word.subarray(0x200)), built.expectedText);
});
