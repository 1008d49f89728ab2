import assert from 'node:assert/strict';
import { randomFillSync } from 'node:crypto';
import { test } from 'node:test';
import { concatBytes } from '../../core/index.js';
import {
  buildC2Table,
  buildEccKeyBlob,
  buildEncryptedC2List,
  buildPe,
  buildRsaPkcs1,
  buildXorBlob,
  seededBytes,
  testNetC2,
} from '../../../test/builders/emotet-config.js';
import { makeContext } from '../../../test/support/engine-context.js';
import { systemBinaries, systemBinariesSkip } from '../../../test/support/system-binaries.js';
import {
  createEmotetConfigEngine,
  emotetConfigEngine,
  ENCRYPTED_OVERLAP,
  findEncryptedConfig,
  MAX_ENCRYPTED_LIST_BYTES,
  type EmotetConfig,
} from './index.js';

const MiB = 1024 * 1024;

const TESTNET = { allowDocumentationRanges: true };
const engine = createEmotetConfigEngine(TESTNET);
const noise = (n: number, seed = 1) => seededBytes(n, seed);
const KEY = 0x5c3a91e7;

/** .data of an epoch 4/5 32-bit loader: the encrypted list and the encrypted ECK1/ECS1 blobs. */
function epoch45Data(c2 = testNetC2(10)): Uint8Array {
  return concatBytes([
    noise(332, 2), // 4-aligned, as section data is
    buildEncryptedC2List(c2, KEY),
    noise(24, 3),
    buildXorBlob(buildEccKeyBlob('ECK1', 10), 0x11223344),
    buildXorBlob(buildEccKeyBlob('ECS1', 11), 0x55667788),
    noise(200, 4),
  ]);
}

test('emotet-config: an XOR-encrypted C2 list and ECK1/ECS1 blobs in .data → decoded servers, keys, epoch 4-5', async () => {
  const c2 = testNetC2(10);
  const pe = buildPe([
    { name: '.text', data: noise(3000) },
    { name: '.data', data: epoch45Data(c2) },
  ]);
  const out = await engine.analyze(makeContext(pe));
  const config = out.extracted?.config?.[0] as EmotetConfig;
  assert.deepEqual(
    config.c2,
    c2.map((e) => `${e.ip}:${e.port}`),
  );
  assert.deepEqual(
    config.tables.map((t) => [t.encoding, t.entries]),
    [['xor', 10]],
  );
  assert.deepEqual(
    config.keys.map((k) => [k.type, k.encoding]),
    [
      ['ecdh-p256', 'xor'],
      ['ecdsa-p256', 'xor'],
    ],
  );
  assert.equal(config.epoch, '4-5');
  assert.equal(config.epochConfidence, 'medium');
  assert.equal(config.arch, 'x86');
  const finding = out.findings?.[0];
  assert.equal(finding?.id, 'emotet-config.c2-table');
  assert.match(finding.evidence[0]!.location!, /\(xor\)$/);
  assert.match(finding.evidence.at(-1)!.note!, /1 XOR-encrypted/);
  assert.deepEqual(
    out.extracted?.iocs?.ips,
    c2.map((e) => e.ip),
  );
});

test('emotet-config: epoch 1-3 layout — plain table beside the XOR-encrypted PKCS#1 RSA-768 key → epoch 1-3', async () => {
  const data = concatBytes([
    noise(100, 5),
    buildXorBlob(buildRsaPkcs1(768, 7), 0x0badf00d),
    noise(52, 6),
    buildC2Table(testNetC2(8)),
  ]);
  const out = await engine.analyze(makeContext(buildPe([{ name: '.data', data }])));
  const config = out.extracted?.config?.[0] as EmotetConfig;
  assert.deepEqual(
    config.keys.map((k) => [k.type, k.format, k.bits, k.encoding]),
    [['rsa', 'pkcs1-der', 768, 'xor']],
  );
  assert.equal(config.tables[0]?.encoding, 'plain');
  assert.deepEqual([config.epoch, config.epochConfidence], ['1-3', 'medium']);
});

test('emotet-config: the production engine ignores an encrypted list of documentation addresses', async () => {
  const out = await emotetConfigEngine.analyze(
    makeContext(buildPe([{ name: '.data', data: epoch45Data() }])),
  );
  assert.deepEqual(out, {});
});

test('emotet-config: encrypted list bounds — 4 entries are not a list, 5 are; MAX_ENCRYPTED_LIST_BYTES is the longest decoded', () => {
  const at = (n: number) =>
    concatBytes([noise(12), buildEncryptedC2List(testNetC2(n), KEY), noise(8)]);
  assert.equal(findEncryptedConfig(at(4), TESTNET).tables.length, 0);
  assert.equal(findEncryptedConfig(at(5), TESTNET).tables.length, 1);
  const max = MAX_ENCRYPTED_LIST_BYTES / 8;
  // testNetC2 cycles 3 networks × 256 addresses, so long lists reuse addresses: distinct enough.
  const many = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ ip: `203.0.113.${1 + (i % 250)}`, port: 443 })).map(
      (e, i) =>
        i % 3 === 0
          ? { ...e, ip: `192.0.2.${1 + (i % 250)}` }
          : i % 3 === 1
            ? { ...e, ip: `198.51.100.${1 + (i % 250)}` }
            : e,
    );
  assert.equal(findEncryptedConfig(buildEncryptedC2List(many(max), KEY), TESTNET).tables.length, 1);
  assert.equal(
    findEncryptedConfig(buildEncryptedC2List(many(max + 1), KEY), TESTNET).tables.length,
    0,
  );
  assert.ok(ENCRYPTED_OVERLAP >= 8 + MAX_ENCRYPTED_LIST_BYTES, 'overlap covers the longest blob');
});

test('emotet-config: one bad entry, an unknown port, a blob cut by the end of the buffer → no list', () => {
  const c2 = testNetC2(8);
  const cases = {
    privateAddress: buildEncryptedC2List(
      c2.map((e, i) => (i === 5 ? { ...e, ip: '10.0.0.1' } : e)),
      KEY,
    ),
    oddPort: buildEncryptedC2List(
      c2.map((e, i) => (i === 6 ? { ...e, port: 31337 } : e)),
      KEY,
    ),
    cut: buildEncryptedC2List(c2, KEY).subarray(0, 8 + 8 * 7),
  };
  for (const [name, blob] of Object.entries(cases)) {
    assert.deepEqual(findEncryptedConfig(concatBytes([noise(4), blob]), TESTNET).tables, [], name);
  }
});

test('emotet-config: maxTables bounds encrypted lists too', () => {
  const blob = concatBytes([buildEncryptedC2List(testNetC2(5), KEY), noise(4)]);
  const bytes = concatBytes(Array.from({ length: 30 }, () => blob));
  assert.equal(findEncryptedConfig(bytes, { ...TESTNET, maxTables: 16 }).tables.length, 16);
  assert.equal(findEncryptedConfig(bytes, { ...TESTNET, maxTables: 64 }).tables.length, 30);
});

test('emotet-config: no encrypted list or key decodes out of 32 MB of random bytes', () => {
  const bytes = new Uint8Array(32 * 1024 * 1024);
  for (let i = 0; i < bytes.length; i += 65536) randomFillSync(bytes, i, 65536);
  const found = findEncryptedConfig(bytes);
  assert.deepEqual(found.tables, []);
  assert.deepEqual(found.keys, []);
});

test(
  'emotet-config: no encrypted list decodes out of the system binaries in /usr/bin (first 16 MB)',
  { skip: systemBinariesSkip },
  () => {
    let files = 0;
    for (const { path, bytes } of systemBinaries({ budget: 16 * MiB, maxFile: 8 * MiB })) {
      assert.deepEqual(findEncryptedConfig(bytes).tables, [], path);
      files++;
    }
    assert.ok(files > 10, `${files} binaries read`);
  },
);
