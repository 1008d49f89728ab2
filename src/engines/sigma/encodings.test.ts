import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attackIds, stepForTags } from './attack-steps.js';
import { base64OffsetVariants, utf16Bytes, utf8Bytes, windashVariants } from './encodings.js';

test('base64offset: the three shifted forms, cut where neighbours change them (pySigma vector)', () => {
  assert.deepEqual(base64OffsetVariants(utf8Bytes('/bin/bash')), [
    'L2Jpbi9iYXNo',
    '9iaW4vYmFza',
    'vYmluL2Jhc2',
  ]);
});

test('utf16le, utf16be and utf16 with a byte order mark', () => {
  assert.deepEqual([...utf16Bytes('cmd', 'le')], [0x63, 0, 0x6d, 0, 0x64, 0]);
  assert.deepEqual([...utf16Bytes('cmd', 'be')], [0, 0x63, 0, 0x6d, 0, 0x64]);
  assert.deepEqual([...utf16Bytes('cmd', 'le', true)], [0xff, 0xfe, 0x63, 0, 0x6d, 0, 0x64, 0]);
});

test('windash: every dash that starts a flag, all permutations; dashes inside words stay', () => {
  assert.deepEqual(windashVariants(' -enc'), [
    ' -enc',
    ' /enc',
    ' \u2013enc',
    ' \u2014enc',
    ' \u2015enc',
  ]);
  assert.equal(windashVariants(' -a -b').length, 25);
  assert.deepEqual(windashVariants('x-y'), ['x-y']);
});

test('ATT&CK tags → technique ids (upper-case) and kill-chain step', () => {
  assert.deepEqual(
    attackIds(['attack.execution', 'attack.t1059.001', 'attack.T1047', 'cve.2021-1']),
    ['T1059.001', 'T1047'],
  );
  assert.equal(stepForTags(['attack.execution', 'attack.t1059.001']), '4');
  assert.equal(stepForTags(['attack.t1047', 'attack.t1204.002', 'attack.t1218.010']), '3');
  assert.equal(stepForTags(['attack.t1105']), '5');
  assert.equal(stepForTags(['attack.persistence', 'attack.t1547.001']), '6');
  assert.equal(stepForTags(['attack.t1566.001']), '1');
  assert.equal(stepForTags(['attack.impact', 'attack.t1486']), 'post');
  assert.equal(stepForTags(['attack.execution']), '4');
  assert.equal(stepForTags(['attack.lateral-movement']), '6');
  assert.equal(stepForTags([]), '6');
});
