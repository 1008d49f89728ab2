import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  findEncryptedConfig,
  keyAt,
  peArch,
  xorDwords,
} from '../../src/engines/emotet-config/index.js';
import { sniffType } from '../../src/formats/sniff/index.js';
import {
  buildC2ListBigEndian,
  buildEncryptedC2List,
  buildPe,
  buildRsaPkcs1,
  buildXorBlob,
  testNetC2,
} from './emotet-config.js';

test('builders/emotet-config: xor blob round trip — the header gives the length, the data decrypts to the plaintext', () => {
  for (const length of [40, 41, 42, 43, 106]) {
    const plain = Uint8Array.from({ length }, (_, i) => (i * 37) & 0xff);
    const key = 0x9e3779b9;
    const blob = buildXorBlob(plain, key);
    const v = new DataView(blob.buffer);
    assert.equal(v.getUint32(0, true), key);
    assert.equal((v.getUint32(4, true) ^ key) >>> 0, length);
    assert.deepEqual(xorDwords(blob, 8, length, key), plain, `length ${length}`);
  }
});

test('builders/emotet-config: encrypted C2 list round trip through the decoder', () => {
  const c2 = testNetC2(7);
  const { tables } = findEncryptedConfig(buildEncryptedC2List(c2, 0x1badb002), {
    allowDocumentationRanges: true,
  });
  assert.deepEqual(
    tables[0]?.entries.map((e) => ({ ip: e.ip, port: e.port })),
    c2,
  );
  assert.equal(buildC2ListBigEndian(c2).length, 56);
});

test('builders/emotet-config: PKCS#1 RSA-768 is 106 bytes and parses back as a 768-bit key', () => {
  const der = buildRsaPkcs1(768, 4);
  assert.equal(der.length, 106);
  assert.deepEqual([keyAt(der, 0)?.format, keyAt(der, 0)?.bits], ['pkcs1-der', 768]);
});

test('builders/emotet-config: PE32 and PE32+ builds sniff as pe with their machine', () => {
  const sections = [{ name: '.data', data: new Uint8Array(64) }];
  assert.equal(peArch(buildPe(sections)), 'x86');
  assert.equal(peArch(buildPe(sections, 'x64')), 'x64');
  assert.equal(sniffType(buildPe(sections, 'x64')), 'pe');
});
