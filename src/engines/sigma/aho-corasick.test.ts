import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AhoCorasick, isFoldable } from './aho-corasick.js';

function naive(patterns: readonly string[], texts: readonly string[]): number[] {
  return patterns.flatMap((p, i) => (texts.some((t) => t.includes(p)) ? [i] : []));
}

test('aho-corasick: finds exactly the patterns a naive search finds, short and windowed long ones', () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const alphabet = 'abc\\.-é';
  const word = (n: number) =>
    Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
  const patterns = [
    ...new Set(Array.from({ length: 300 }, () => word(1 + Math.floor(rand() * 14)))),
  ];
  const ac = new AhoCorasick(patterns, 4);
  for (let round = 0; round < 200; round++) {
    const texts = Array.from({ length: 3 }, () => word(Math.floor(rand() * 60)));
    const stamp = ac.scan(texts);
    const found = patterns.flatMap((_, i) => (ac.has(i, stamp) ? [i] : []));
    assert.deepEqual(found, naive(patterns, texts), `round ${round}`);
  }
});

test('aho-corasick: a match never spans two texts; stamps separate scans', () => {
  const ac = new AhoCorasick(['abcd', 'powershell.exe'], 4);
  const s1 = ac.scan(['ab', 'cd']);
  assert.equal(ac.has(0, s1), false);
  const s2 = ac.scan(['c:\\windows\\powershell.exe']);
  assert.equal(ac.has(1, s2), true);
  assert.equal(ac.has(1, s1), false);
});

test('aho-corasick: the window keys each long pattern by its rarest slice', () => {
  const common = 'c:\\windows\\system32\\';
  const patterns = [`${common}a.exe`, `${common}b.exe`, `${common}c.exe`];
  const ac = new AhoCorasick(patterns, 6);
  const stamp = ac.scan([`${common}b.exe`]);
  assert.deepEqual(
    patterns.map((_, i) => ac.has(i, stamp)),
    [false, true, false],
  );
  assert.ok(ac.stateCount < 3 * 6 + 1);
});

test('aho-corasick: case is folded per UTF-16 unit (İ → i, K Kelvin sign → k); patterns are lower-case', () => {
  const ac = new AhoCorasick(['powershell.exe', 'kit', 'istanbul'], 4);
  const stamp = ac.scan(['C:\\WINDOWS\\PowerShell.EXE', '\u212AIT', 'İSTANBUL']);
  assert.deepEqual(
    [0, 1, 2].map((i) => ac.has(i, stamp)),
    [true, true, true],
  );
});

test('isFoldable: refuses patterns with σ/ς, the combining dot of İ, or surrogates', () => {
  assert.ok(isFoldable('c:\\windows\\system32\\'));
  assert.ok(!isFoldable('οδος'));
  assert.ok(!isFoldable('i\u0307stanbul'));
  assert.ok(!isFoldable('\ud801\udc28'));
});
