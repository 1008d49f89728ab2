import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineFinding } from './finding.js';
import { verdictOf } from './verdict.js';
import type { Severity } from './severity.js';

const make = (severity: Severity) =>
  defineFinding({
    id: `t.${severity}`,
    title: severity,
    severity,
    step: '3',
    attack: [],
    description: '',
  })();

test('verdict: no findings → clean', () => assert.equal(verdictOf([]), 'clean'));
test('verdict: info and low only → clean', () =>
  assert.equal(verdictOf([make('info'), make('low')]), 'clean'));
test('verdict: one medium → suspicious', () =>
  assert.equal(verdictOf([make('medium')]), 'suspicious'));
test('verdict: high → suspicious, not malicious', () =>
  assert.equal(verdictOf([make('high'), make('high')]), 'suspicious'));
test('verdict: one critical → malicious', () =>
  assert.equal(verdictOf([make('low'), make('critical')]), 'malicious'));
test('verdict: a container takes its worst child', () => {
  assert.equal(verdictOf([], ['clean', 'malicious']), 'malicious');
  assert.equal(verdictOf([make('info')], ['suspicious']), 'suspicious');
});
