import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concatBytes } from '../../core/index.js';
import { buildEmotetFindstrLnk, buildLnk } from '../../../test/builders/lnk.js';
import { MAX_EXTRA_BLOCKS, parseLnk } from './index.js';

const block = (sig: number) =>
  Uint8Array.of(
    12,
    0,
    0,
    0,
    sig & 0xff,
    (sig >> 8) & 0xff,
    (sig >> 16) & 0xff,
    sig >>> 24,
    0,
    0,
    0,
    0,
  );

test('lnk: every truncation point parses without throwing; cuts inside structures are anomalies', () => {
  const bytes = buildEmotetFindstrLnk();
  for (let cut = 0x4c; cut < 1200; cut += 3) parseLnk(bytes.subarray(0, cut));
  assert.ok(parseLnk(bytes.subarray(0, 0x60)).anomalies.some((a) => a.code === 'E_LNK_TRUNCATED'));
});

test('lnk: ExtraData block limit: 64 blocks are read, 65 stop with E_LNK_TOO_MANY_BLOCKS', () => {
  const at = (n: number) =>
    buildLnk({ arguments: 'x', rawBlocks: Array.from({ length: n }, () => block(0xa0000099)) });
  assert.deepEqual(parseLnk(at(MAX_EXTRA_BLOCKS)).anomalies, []);
  assert.ok(
    parseLnk(at(MAX_EXTRA_BLOCKS + 1)).anomalies.some((a) => a.code === 'E_LNK_TOO_MANY_BLOCKS'),
  );
});

test('lnk: a block size past the end, or below 8, is an anomaly, not a read past the buffer', () => {
  const huge = Uint8Array.of(0xff, 0xff, 0xff, 0x7f, 1, 0, 0, 0xa0);
  const link = parseLnk(concatBytes([buildLnk({ arguments: 'x', omitTerminal: true }), huge]));
  assert.ok(link.anomalies.some((a) => a.code === 'E_LNK_BAD_BLOCK'));
});

test('lnk: a lying IDListSize and a LinkInfo offset outside the structure are survived', () => {
  const bytes = buildLnk({
    target: 'C:\\Windows\\System32\\cmd.exe',
    localBasePath: 'C:\\x.exe',
    arguments: '/c echo',
  });
  const broken = bytes.slice();
  broken[0x4c] = 0xff;
  broken[0x4d] = 0xff; // IDListSize 65535
  assert.ok(parseLnk(broken).anomalies.length > 0);
  const badInfo = bytes.slice();
  const infoAt = 0x4c + 2 + (bytes[0x4c]! | (bytes[0x4d]! << 8));
  badInfo.set([0xf0, 0xff, 0, 0], infoAt + 16); // LocalBasePathOffset far outside
  assert.equal(parseLnk(badInfo).linkInfo?.localBasePath, undefined);
});

test('lnk: 65,535-character arguments (the StringData maximum) are read whole', () => {
  const link = parseLnk(buildLnk({ arguments: `${' '.repeat(65_000)}/c calc` }));
  assert.equal(link.strings.arguments?.length, 65_007);
});
