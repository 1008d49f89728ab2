import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { defineFinding, emptyExtracted, type ScanResult } from '../core/index.js';
import { decide, DEFAULT_POLICY, resolvePolicy } from './index.js';

const finding = (id: string) =>
  defineFinding({ id, title: id, severity: 'low', step: '1', attack: [], description: '' })();
const result = (
  verdict: ScanResult['verdict'],
  ids: string[] = [],
  childIds: string[] = [],
): ScanResult => ({
  path: 'm.eml',
  sha256: '0'.repeat(64),
  size: 1,
  type: 'eml',
  verdict,
  findings: ids.map(finding),
  extracted: emptyExtracted(),
  children: childIds.length ? [{ ...result('clean', childIds), path: 'm.eml!a' }] : [],
});

test('policy: the shipped default file is the built-in default', () => {
  const file = parse(
    readFileSync(new URL('../../rules/policy/default.yml', import.meta.url), 'utf8'),
  );
  assert.deepEqual(resolvePolicy(file), DEFAULT_POLICY);
});

test('policy: verdict actions, and the strictest finding rule wins (children included)', () => {
  assert.equal(decide(result('clean'), DEFAULT_POLICY).action, 'deliver');
  assert.equal(decide(result('suspicious'), DEFAULT_POLICY).action, 'tag');
  assert.equal(decide(result('malicious'), DEFAULT_POLICY).action, 'quarantine');
  const d = decide(result('suspicious', [], ['mail.dangerous-attachment-type']), DEFAULT_POLICY);
  assert.equal(d.action, 'quarantine');
  assert.deepEqual(d.reasons, [
    'verdict suspicious → tag',
    'finding mail.dangerous-attachment-type → quarantine',
  ]);
});

test('policy: prefixes with *, and a rule never lowers the verdict action', () => {
  const policy = resolvePolicy({
    verdicts: { malicious: 'reject' },
    findings: [{ id: 'vba.*', action: 'tag' }],
  });
  assert.equal(decide(result('malicious', ['vba.macro-present']), policy).action, 'reject');
  assert.equal(decide(result('clean', ['vba.macro-present']), policy).action, 'tag');
});

test('policy: invalid files are refused with E_POLICY_INVALID and where', () => {
  for (const bad of [
    { verdicts: { evil: 'tag' } },
    { verdicts: { clean: 'drop' } },
    { findings: {} },
    { extra: 1 },
    { tag: { header: 'X Bad' } },
    { tag: { subjectPrefix: { suspicious: 'a\r\nBcc: x' } } },
  ]) {
    assert.throws(
      () => resolvePolicy(bad, 'p.yml'),
      (e: Error & { code?: string }) =>
        e.code === 'E_POLICY_INVALID' && e.message.startsWith('p.yml: '),
    );
  }
});

test('policy: disarm.onRefusal defaults to quarantine; rules/policy/disarm.yml disarms macro documents', () => {
  assert.equal(DEFAULT_POLICY.disarm.onRefusal, 'quarantine');
  const file = parse(
    readFileSync(new URL('../../rules/policy/disarm.yml', import.meta.url), 'utf8'),
  );
  const policy = resolvePolicy(file, 'disarm.yml');
  assert.deepEqual(policy.verdicts, {
    clean: 'deliver',
    suspicious: 'disarm',
    malicious: 'disarm',
  });
  const d = decide(result('malicious', ['mail.dangerous-attachment-type']), policy);
  assert.equal(d.action, 'disarm');
  assert.equal(resolvePolicy({ disarm: { onRefusal: 'tag' } }).disarm.onRefusal, 'tag');
});

test('policy: disarm.onRefusal accepts only tag, quarantine, reject', () => {
  for (const bad of [
    { onRefusal: 'deliver' },
    { onRefusal: 'disarm' },
    { fallback: 'tag' },
    'tag',
  ]) {
    assert.throws(() => resolvePolicy({ disarm: bad }), /E_POLICY_INVALID|disarm/);
  }
});
