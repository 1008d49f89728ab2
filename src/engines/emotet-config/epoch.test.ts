import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concatBytes } from '../../core/index.js';
import {
  buildC2Table,
  buildEccKeyBlob,
  buildPe,
  buildRsaSpki,
  seededBytes,
  testNetC2,
} from '../../../test/builders/emotet-config.js';
import { makeContext } from '../../../test/support/engine-context.js';
import { createEmotetConfigEngine, findKeys, guessEpoch, type EmotetConfig } from './index.js';

const noise = (n: number, seed = 1) => seededBytes(n, seed);

test('epoch: a key on the known-key list names one epoch with high confidence', () => {
  const [eck] = findKeys(buildEccKeyBlob('ECK1', 21));
  const guess = guessEpoch({ keys: [eck!], tables: [], arch: null }, [
    { epoch: 5, fingerprint: eck!.fingerprint, source: 'test list' },
  ]);
  assert.deepEqual(guess, {
    epoch: 5,
    epochConfidence: 'high',
    epochBasis: 'a key of epoch 5 (known key list: test list)',
  });
});

test('epoch: the fingerprint is of the public numbers, the same for a key as SPKI or PKCS#1', () => {
  const spki = findKeys(buildRsaSpki(768, 9))[0]!;
  assert.equal(spki.format, 'spki-der');
  assert.equal(
    findKeys(buildRsaSpki(768, 9)).length,
    1,
    'the PKCS#1 inside the SPKI is not a second key',
  );
  assert.match(spki.fingerprint, /^[0-9a-f]{64}$/);
});

test('epoch: key type gives 1-3 or 4-5 (medium); a 64-bit build alone gives 4-5 (low); nothing gives null', () => {
  const [ecc] = findKeys(buildEccKeyBlob('ECS1', 3));
  const [rsa] = findKeys(buildRsaSpki(768, 3));
  assert.deepEqual(
    [
      guessEpoch({ keys: [ecc!], tables: [], arch: 'x64' }).epoch,
      guessEpoch({ keys: [ecc!], tables: [], arch: null }).epochConfidence,
    ],
    ['4-5', 'medium'],
  );
  assert.deepEqual(
    [
      guessEpoch({ keys: [rsa!], tables: [], arch: null }).epoch,
      guessEpoch({ keys: [rsa!], tables: [], arch: null }).epochConfidence,
    ],
    ['1-3', 'medium'],
  );
  const x64 = guessEpoch({ keys: [], tables: [], arch: 'x64' });
  assert.deepEqual([x64.epoch, x64.epochConfidence], ['4-5', 'low']);
  const none = guessEpoch({ keys: [], tables: [], arch: 'x86' });
  assert.deepEqual([none.epoch, none.epochConfidence], [null, 'none']);
});

test('epoch: a 64-bit loader with a plain table and no key → epoch 4-5 (low), arch x64; epochKeys option is used', async () => {
  const data = concatBytes([noise(64), buildC2Table(testNetC2(6)), noise(40, 2)]);
  const pe = buildPe([{ name: '.data', data }], 'x64');
  const out = await createEmotetConfigEngine({ allowDocumentationRanges: true }).analyze(
    makeContext(pe),
  );
  const config = out.extracted?.config?.[0] as EmotetConfig;
  assert.deepEqual([config.arch, config.epoch, config.epochConfidence], ['x64', '4-5', 'low']);
  const withKey = concatBytes([data, buildEccKeyBlob('ECK1', 30)]);
  const [eck] = findKeys(buildEccKeyBlob('ECK1', 30));
  const named = await createEmotetConfigEngine({
    allowDocumentationRanges: true,
    epochKeys: [{ epoch: 4, fingerprint: eck!.fingerprint }],
  }).analyze(makeContext(buildPe([{ name: '.data', data: withKey }], 'x64')));
  const c = named.extracted?.config?.[0] as EmotetConfig;
  assert.deepEqual([c.epoch, c.epochConfidence], [4, 'high']);
});
