import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { serialize } from 'node:v8';
import { sysmonProcess } from '../../../test/builders/winevent.js';
import { loadRuleTexts } from '../../../test/support/sigma.js';
import { createSigmaEngine, type LoadedRuleSet } from '../../engines/sigma/index.js';
import {
  loadRulesCached,
  MAX_CACHE_ENTRIES,
  ruleCacheKey,
  sigmaCacheDir,
  type RuleCacheInput,
} from './rule-cache.js';

const root = mkdtempSync(join(tmpdir(), 'emoguard-rule-cache-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `c${dirs++}`);

const RULE = (i: number) =>
  `title: r${i}\nid: r${i}\nlevel: high\nlogsource: {product: windows, category: process_creation}\ndetection:\n  selection:\n    CommandLine|contains: 'evil-${i}'\n  condition: selection`;
const BROKEN = 'title: broken\nid: broken\nlogsource: {product: windows}\ndetection: {}';

function input(texts: string[]): RuleCacheInput {
  return {
    mappingText: 'mapping',
    sources: texts.map((text, i) => ({ path: `rule-${i + 1}.yml`, text })),
    extra: {},
  };
}

function counted(texts: string[]): { load: () => LoadedRuleSet; calls: () => number } {
  let calls = 0;
  return { load: () => (calls++, loadRuleTexts(texts)), calls: () => calls };
}

const event = sysmonProcess({ Image: 'C:\\x.exe', CommandLine: 'run evil-1 now' });
const fired = (set: LoadedRuleSet) =>
  createSigmaEngine(set)
    .match(event)
    .map((d) => d.rule.id);

describe('compiled Sigma rule cache (hunt)', () => {
  test('a miss loads and stores; the next run is a hit with the same rules, errors and detections', () => {
    const dir = freshDir();
    const texts = [RULE(1), RULE(2), BROKEN];
    const a = counted(texts);
    const first = loadRulesCached(dir, input(texts), a.load);
    assert.equal(first.outcome, 'miss');
    const file = readdirSync(dir)[0] ?? '';
    assert.ok(file.endsWith('.v8'), `one entry written (${file})`);
    assert.equal(statSync(join(dir, file)).mode & 0o777, 0o600, 'private file');
    const b = counted(texts);
    const second = loadRulesCached(dir, input(texts), b.load);
    assert.equal(second.outcome, 'hit');
    assert.equal(b.calls(), 0, 'no YAML loaded on a hit');
    assert.deepEqual(
      second.set.errors.map((e) => e.render()),
      first.set.errors.map((e) => e.render()),
    );
    assert.ok(first.set.errors.length > 0, 'the broken rule is reported both times');
    assert.deepEqual(fired(second.set), ['r1']);
    assert.deepEqual(fired(second.set), fired(first.set));
  });

  test('any change of a rule file, the mapping or the options is a miss', () => {
    const base = input([RULE(1)]);
    const key = ruleCacheKey(base);
    assert.notEqual(ruleCacheKey(input([RULE(3)])), key);
    assert.notEqual(ruleCacheKey({ ...base, mappingText: 'other' }), key);
    assert.notEqual(ruleCacheKey({ ...base, extra: { limits: 1 } }), key);
    const renamed = { ...base, sources: [{ path: 'other.yml', text: RULE(1) }] };
    assert.notEqual(ruleCacheKey(renamed), key);
    assert.equal(ruleCacheKey(input([RULE(1)])), key, 'the same input, the same key');
  });

  test('a corrupt or foreign entry is ignored and rebuilt, never used', () => {
    const texts = [RULE(1)];
    for (const bytes of [
      new Uint8Array([1, 2, 3, 4]),
      serialize({ magic: 'emoguard-sigma-cache', version: -1 }),
      serialize({ hello: 'world' }),
    ]) {
      const dir = freshDir();
      loadRulesCached(dir, input(texts), counted(texts).load);
      const path = join(dir, readdirSync(dir)[0]!);
      writeFileSync(path, bytes);
      const c = counted(texts);
      const again = loadRulesCached(dir, input(texts), c.load);
      assert.equal(again.outcome, 'miss', 'not trusted');
      assert.equal(c.calls(), 1, 'rebuilt from the YAML');
      assert.deepEqual(fired(again.set), ['r1']);
      assert.equal(loadRulesCached(dir, input(texts), counted(texts).load).outcome, 'hit');
    }
  });

  test('an entry that others may write is not read (a planted cache could hide detections)', () => {
    const dir = freshDir();
    const texts = [RULE(1)];
    loadRulesCached(dir, input(texts), counted(texts).load);
    chmodSync(join(dir, readdirSync(dir)[0]!), 0o666);
    assert.equal(loadRulesCached(dir, input(texts), counted(texts).load).outcome, 'miss');
    chmodSync(dir, 0o777);
    assert.equal(loadRulesCached(dir, input(texts), counted(texts).load).outcome, 'miss');
  });

  test('keeps at most MAX_CACHE_ENTRIES entries: the oldest go', () => {
    const dir = freshDir();
    for (let i = 0; i < MAX_CACHE_ENTRIES; i++)
      loadRulesCached(dir, input([RULE(i)]), counted([RULE(i)]).load);
    assert.equal(readdirSync(dir).length, MAX_CACHE_ENTRIES, 'at the limit: all kept');
    loadRulesCached(dir, input([RULE(99)]), counted([RULE(99)]).load);
    assert.equal(readdirSync(dir).length, MAX_CACHE_ENTRIES, 'over it: one removed');
  });

  test('off: --no-rule-cache / EMOGUARD_SIGMA_CACHE=off, or no HOME; else XDG or ~/.cache', () => {
    const c = counted([RULE(1)]);
    assert.equal(loadRulesCached(undefined, input([RULE(1)]), c.load).outcome, 'off');
    assert.equal(c.calls(), 1);
    assert.equal(sigmaCacheDir({ EMOGUARD_SIGMA_CACHE: 'off', HOME: '/h' }), undefined);
    assert.equal(sigmaCacheDir({ EMOGUARD_SIGMA_CACHE: '/d' }), '/d');
    assert.equal(sigmaCacheDir({ XDG_CACHE_HOME: '/x', HOME: '/h' }), '/x/emoguard/sigma');
    assert.equal(sigmaCacheDir({ HOME: '/h' }), '/h/.cache/emoguard/sigma');
    assert.equal(sigmaCacheDir({}), undefined);
  });
});
