/**
 * Self-tests of emoguard's own YARA rules (rules/yara/): every rule has the meta the engine maps to a
 * finding, compiles without errors or warnings, and matches its positive examples but not its near misses
 * (test/builders/yara-samples.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { isKnownTechnique, isSeverity, isStep } from '../../core/index.js';
import { bundledRuleSamples } from '../../../test/builders/yara-samples.js';
import { loadYaraRules, readRuleFiles, loadYaraX } from './index.js';
import { YARA_EXTERNALS } from '../../engines/yara/index.js';

const files = readRuleFiles([], true);
const { scanner, errors } = loadYaraRules({ cacheDir: null });
const ruleNames = files.flatMap((f) => [...f.source.matchAll(/^rule\s+(\w+)/gm)].map((m) => m[1]!));

describe('bundled YARA rules', () => {
  test('compile without errors or warnings', () => {
    assert.deepEqual(errors, []);
    for (const f of files) {
      const result = loadYaraX().validate(f.source, { defineVariables: { ...YARA_EXTERNALS } });
      assert.deepEqual([...result.errors, ...result.warnings], [], f.path);
    }
  });

  test('every rule carries author, description, severity, step and known ATT&CK ids', () => {
    for (const f of files) {
      for (const m of f.source.matchAll(/^rule\s+(\w+)[\s\S]*?meta:([\s\S]*?)strings:/gm)) {
        const meta = Object.fromEntries(
          [...m[2]!.matchAll(/^\s*(\w+)\s*=\s*"(.*)"\s*$/gm)].map((x) => [x[1]!, x[2]!]),
        );
        assert.equal(meta.author, 'emoguard', m[1]);
        assert.ok((meta.description ?? '').length > 20, `${m[1]}: description`);
        assert.ok(isSeverity(meta.severity), `${m[1]}: severity`);
        assert.ok(isStep(meta.step), `${m[1]}: step`);
        const attack = (meta.attack ?? '').split(/\s+/).filter(Boolean);
        assert.ok(
          attack.length > 0 && attack.every(isKnownTechnique),
          `${m[1]}: attack ${meta.attack}`,
        );
      }
    }
  });

  test('every rule has examples', () => {
    assert.deepEqual(
      bundledRuleSamples()
        .map((s) => s.rule)
        .sort(),
      [...ruleNames].sort(),
    );
  });

  for (const { rule, match, nomatch } of bundledRuleSamples()) {
    const hits = (bytes: Uint8Array, filetype: string) =>
      scanner.scan(bytes, { ...YARA_EXTERNALS, filetype }).map((m) => m.rule);
    for (const s of match) {
      test(`${rule} matches ${s.name}`, () => assert.ok(hits(s.bytes, s.filetype).includes(rule)));
    }
    for (const s of nomatch) {
      test(`${rule} does not match ${s.name}`, () =>
        assert.ok(!hits(s.bytes, s.filetype).includes(rule)));
    }
  }
});

test('bundled rules: the rule files hold no tests of their own to drift from (samples live in test/builders)', () => {
  for (const f of files) assert.match(readFileSync(f.path, 'utf8'), /bundled-rules\.test\.ts/);
});
