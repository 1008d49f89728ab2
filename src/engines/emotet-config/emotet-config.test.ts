import assert from 'node:assert/strict';
import { randomFillSync } from 'node:crypto';
import { test } from 'node:test';
import { concatBytes } from '../../core/index.js';
import {
  buildC2Table,
  buildEccKeyBlob,
  buildPe,
  buildRsaPublicKeyBlob,
  buildRsaSpki,
  seededBytes,
  testNetC2,
} from '../../../test/builders/emotet-config.js';
import { buildMinidump, PAGE_READWRITE } from '../../../test/builders/minidump.js';
import { makeContext } from '../../../test/support/engine-context.js';
import { systemBinaries, systemBinariesSkip } from '../../../test/support/system-binaries.js';
import {
  createEmotetConfigEngine,
  emotetConfigEngine,
  findC2Tables,
  findKeys,
  isPublicUnicast,
  type EmotetConfig,
} from './index.js';

const MiB = 1024 * 1024;

// TEST-NET addresses are not public unicast, so tests enable the documentation ranges explicitly.
const engine = createEmotetConfigEngine({ allowDocumentationRanges: true });
const TESTNET = { allowDocumentationRanges: true };
const noise = (n: number, seed = 1) => seededBytes(n, seed);

function loader(...data: Uint8Array[]): Uint8Array {
  return buildPe([
    { name: '.text', data: noise(3000) },
    { name: '.data', data: concatBytes([noise(333, 2), ...data, noise(200, 3)]) },
  ]);
}

test('emotet-config: a PE carrying a C2 table and ECK1/ECS1 keys → critical finding, config, IOC ips, epoch 4-5', async () => {
  const c2 = testNetC2(12);
  const pe = loader(
    buildC2Table(c2),
    noise(40, 4),
    buildEccKeyBlob('ECK1', 10),
    buildEccKeyBlob('ECS1', 11),
  );
  const out = await engine.analyze(makeContext(pe, { name: 'unpacked.dll' }));
  assert.equal(makeContext(pe).artifact.type, 'pe');
  const [finding] = out.findings ?? [];
  assert.equal(finding?.id, 'emotet-config.c2-table');
  assert.equal(finding.severity, 'critical');
  assert.equal(finding.step, '6');
  assert.deepEqual(finding.attack, ['T1071.001', 'T1573']);
  assert.deepEqual(
    finding.evidence.slice(0, 12).map((e) => e.text),
    c2.map((e) => `${e.ip}:${e.port}`),
  );
  const config = out.extracted?.config?.[0] as EmotetConfig;
  assert.equal(config.family, 'emotet');
  assert.deepEqual(
    config.c2,
    c2.map((e) => `${e.ip}:${e.port}`),
  );
  assert.equal(config.epoch, '4-5');
  assert.deepEqual(
    config.keys.map((k) => [k.type, k.format, k.bits]),
    [
      ['ecdh-p256', 'bcrypt-ecckey-blob', 256],
      ['ecdsa-p256', 'bcrypt-ecckey-blob', 256],
    ],
  );
  assert.deepEqual(
    out.extracted?.iocs?.ips,
    c2.map((e) => e.ip),
  );
  assert.equal(config.tables.length, 1);
});

test('emotet-config: RSA-768 as DER SPKI or PUBLICKEYBLOB beside the table → epoch 1-3', async () => {
  for (const key of [buildRsaSpki(768, 5), buildRsaPublicKeyBlob(768, 6)]) {
    const out = await engine.analyze(makeContext(loader(key, buildC2Table(testNetC2(8)))));
    const config = out.extracted?.config?.[0] as EmotetConfig;
    assert.equal(config.epoch, '1-3');
    assert.equal(config.keys.length, 1);
    assert.equal(config.keys[0]!.bits, 768);
    assert.equal(Buffer.from(config.keys[0]!.base64, 'base64').length, key.length);
  }
});

test('emotet-config: the production engine rejects documentation addresses (they are not Emotet servers)', async () => {
  const out = await emotetConfigEngine.analyze(makeContext(loader(buildC2Table(testNetC2(12)))));
  assert.deepEqual(out, {});
});

test('emotet-config: minEntries: 4 entries are not a table, 5 are', () => {
  const at = (n: number) => concatBytes([noise(13), buildC2Table(testNetC2(n)), noise(20, 9)]);
  assert.equal(findC2Tables(at(4), TESTNET).length, 0);
  assert.equal(findC2Tables(at(5), TESTNET).length, 1);
  assert.equal(findC2Tables(at(4), { ...TESTNET, minEntries: 4 }).length, 1);
});

test('emotet-config: every byte alignment is found, with the offset of the first entry', () => {
  for (let pad = 0; pad < 16; pad++) {
    const bytes = concatBytes([
      new Uint8Array(pad).fill(0xff),
      buildC2Table(testNetC2(6)),
      noise(9),
    ]);
    const tables = findC2Tables(bytes, TESTNET);
    assert.deepEqual(
      tables.map((t) => [t.offset, t.entries.length]),
      [[pad, 6]],
      `pad ${pad}`,
    );
  }
});

test('emotet-config: no zero terminator, a flag ≥ 256, an unknown port or one repeated address → no table', () => {
  const c2 = testNetC2(8);
  const cases = {
    unterminated: concatBytes([buildC2Table(c2, false), new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])]),
    bigFlag: buildC2Table(c2.map((e) => ({ ...e, flag: 0x100 }))),
    oddPort: buildC2Table(c2.map((e, i) => (i === 4 ? { ...e, port: 31337 } : e)).slice(0, 6)),
    sameAddress: buildC2Table(c2.map((e) => ({ ...e, ip: '192.0.2.7' }))),
  };
  for (const [name, bytes] of Object.entries(cases)) {
    assert.deepEqual(findC2Tables(concatBytes([noise(5), bytes, noise(7)]), TESTNET), [], name);
  }
});

test('emotet-config: public unicast means no private, loopback, link-local, CGN, multicast, reserved or doc range', () => {
  assert.equal(isPublicUnicast(93, 184, 216), true); // example.com's address block
  for (const [a, b, c] of [
    [10, 1, 1],
    [127, 0, 0],
    [169, 254, 1],
    [172, 20, 0],
    [192, 168, 1],
    [100, 100, 0],
    [224, 0, 0],
    [255, 255, 255],
    [0, 1, 2],
    [198, 18, 0],
  ] as const) {
    assert.equal(isPublicUnicast(a, b, c), false, `${a}.${b}.${c}`);
  }
  assert.equal(isPublicUnicast(203, 0, 113), false);
  assert.equal(isPublicUnicast(203, 0, 113, true), true);
});

test('emotet-config: keys are validated: an off-curve P-256 point and a 2048-bit certificate key are not reported', () => {
  const bytes = concatBytes([
    buildEccKeyBlob('ECK1', 1, false),
    noise(17),
    buildRsaSpki(2048, 2),
    noise(9),
    buildEccKeyBlob('ECS1', 3),
  ]);
  assert.deepEqual(
    findKeys(bytes).map((k) => k.type),
    ['ecdsa-p256'],
  );
});

test('emotet-config: in a minidump the table gets its virtual address', async () => {
  const heap = concatBytes([noise(0x100), buildC2Table(testNetC2(6)), noise(0x100, 5)]);
  const built = buildMinidump({
    regions: [
      { va: 0x40_0000n, data: noise(0x800, 8) },
      { va: 0x2a_0000n, data: heap, protect: PAGE_READWRITE },
    ],
  });
  const out = await engine.analyze(makeContext(built.bytes));
  const config = out.extracted?.config?.[0] as EmotetConfig;
  assert.equal(config.tables[0]?.va, '0x2a0100');
  assert.equal(out.findings?.[0]?.evidence[0]?.note, 'va 0x2a0100');
});

test('emotet-config: maxTables bounds the output of a buffer full of tables', () => {
  const one = concatBytes([buildC2Table(testNetC2(5)), noise(3)]);
  const many = concatBytes(Array.from({ length: 40 }, () => one));
  assert.equal(findC2Tables(many, { ...TESTNET, maxTables: 16 }).length, 16);
  assert.equal(findC2Tables(many, { ...TESTNET, maxTables: 100 }).length, 40);
});

test('emotet-config: a run of millions of valid entries without a terminator is walked once (linear)', () => {
  const entry = buildC2Table(testNetC2(1), false);
  const run = new Uint8Array(4 * 1024 * 1024);
  for (let i = 0; i < run.length; i += 8) run.set(entry, i);
  const started = Date.now();
  assert.deepEqual(findC2Tables(run, TESTNET), []);
  assert.ok(Date.now() - started < 5000);
});

test('emotet-config: nothing fires on 50 MB of random bytes', () => {
  const bytes = new Uint8Array(50 * 1024 * 1024);
  for (let i = 0; i < bytes.length; i += 65536) randomFillSync(bytes, i, 65536);
  assert.deepEqual(findC2Tables(bytes), []);
  assert.deepEqual(
    findKeys(bytes).filter((k) => k.type !== 'rsa'),
    [],
  );
});

test(
  'emotet-config: nothing fires on the system binaries in /usr/bin (first 32 MB)',
  { skip: systemBinariesSkip },
  () => {
    let files = 0;
    const elf = systemBinaries({ budget: 32 * MiB, maxFile: 16 * MiB, isElfOnly: true });
    for (const { path, bytes } of elf) {
      assert.deepEqual(findC2Tables(bytes), [], path);
      files++;
    }
    assert.ok(files > 10, `${files} ELF binaries read`);
  },
);
