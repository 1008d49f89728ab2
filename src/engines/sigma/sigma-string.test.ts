import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compileSigmaString,
  formatSigmaString,
  parseSigmaString,
  plainText,
} from './sigma-string.js';

const matches = (pattern: string, value: string, cased = false) =>
  compileSigmaString(parseSigmaString(pattern), cased)(cased ? value : value.toLowerCase());

describe('sigma strings (rules specification: wildcards and escaping)', () => {
  test('a plain backslash stays, single or doubled: C:\\Windows == C:\\\\Windows', () => {
    assert.equal(plainText(parseSigmaString('C:\\Windows')), 'C:\\Windows');
    assert.equal(plainText(parseSigmaString('C:\\\\Windows')), 'C:\\Windows');
  });

  test('\\* and \\? are literal; \\\\* is a backslash then a wildcard; \\\\\\* is both literal', () => {
    assert.equal(plainText(parseSigmaString('a\\*b\\?')), 'a*b?');
    assert.deepEqual(parseSigmaString('a\\\\*'), [{ kind: 'text', text: 'a\\' }, { kind: 'any' }]);
    assert.equal(plainText(parseSigmaString('a\\\\\\*')), 'a\\*');
    assert.equal(plainText(parseSigmaString('\\\\\\\\')), '\\\\');
  });

  test('%name% is a placeholder only under expand; \\% escapes it', () => {
    assert.equal(plainText(parseSigmaString('%Admins%')), '%Admins%');
    assert.deepEqual(parseSigmaString('x%Admins%', true), [
      { kind: 'text', text: 'x' },
      { kind: 'placeholder', name: 'Admins' },
    ]);
    assert.deepEqual(parseSigmaString('\\%plain%name%', true), [
      { kind: 'text', text: '%plain' },
      { kind: 'placeholder', name: 'name' },
    ]);
  });

  test('matching is case-insensitive unless cased', () => {
    assert.ok(matches('C:\\WINDOWS\\cmd.exe', 'c:\\windows\\CMD.EXE'));
    assert.ok(!matches('CMD.exe', 'cmd.exe', true));
    assert.ok(matches('cmd.exe', 'cmd.exe', true));
  });

  test('* and ? anywhere; ? is exactly one character', () => {
    assert.ok(matches('prog?.exe', 'progA.exe'));
    assert.ok(!matches('prog?.exe', 'prog.exe'));
    assert.ok(matches('antivirus_V*.exe', 'antivirus_V21.2.1.exe'));
    assert.ok(matches('*\\cmd.exe', 'C:\\Windows\\cmd.exe'));
    assert.ok(matches('a*b*c', 'a--b--c'));
    assert.ok(!matches('a*b*c', 'a--c--b'));
    assert.ok(matches('*a*b?c*', 'xxa123bxcyy'));
    assert.ok(!matches('a*b', 'ab-'));
    assert.ok(matches('', ''));
    assert.ok(!matches('', 'x'));
  });

  test('a pattern of many * does not backtrack: linear on a long value', () => {
    const pattern = `${'*a'.repeat(30)}*?b`;
    const value = 'a'.repeat(20_000);
    const started = Date.now();
    assert.equal(matches(pattern, value), false);
    assert.ok(Date.now() - started < 2000);
  });

  test('formatSigmaString writes the value back with escapes', () => {
    assert.equal(formatSigmaString(parseSigmaString('a\\*b*c?')), 'a\\*b*c?');
  });
});
