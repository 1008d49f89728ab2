import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ATTACK_TECHNIQUES, parentTechnique, TACTICS, tacticsOf } from './attack.js';

test('every ATT&CK technique emoguard cites has a tactic (so no finding falls to general by omission)', () => {
  for (const id of Object.keys(ATTACK_TECHNIQUES)) assert.ok(tacticsOf(id).length > 0, id);
});

test('a sub-technique has its parent’s tactics; an unknown id has none', () => {
  assert.equal(parentTechnique('T1059.001'), 'T1059');
  assert.equal(parentTechnique('T1059'), 'T1059');
  assert.deepEqual(tacticsOf('T1059.001'), [TACTICS.execution]);
  assert.deepEqual(
    tacticsOf('T1547.001').map((t) => t.uid),
    ['TA0003', 'TA0004'],
  );
  assert.deepEqual(tacticsOf('T9999'), []);
  assert.deepEqual(tacticsOf('constructor'), []);
});
