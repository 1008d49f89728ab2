import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { assertGolden } from '../../../test/support/golden.js';
import { loadRuleTexts, processRule } from '../../../test/support/sigma.js';
import { EventDocument } from './document.js';
import { parseSigmaMapping } from './mapping.js';
import { FALSE, TRUE } from './types.js';

const ERRORS = new URL('./testdata/errors/', import.meta.url);

describe('loader: golden error cases (testdata/errors/*.in.yml → *.out.json)', () => {
  for (const name of readdirSync(ERRORS)
    .filter((f) => f.endsWith('.in.yml'))
    .sort()) {
    test(name, () => {
      const path = `testdata/errors/${name}`;
      const set = loadRuleTexts([{ path, text: readFileSync(new URL(name, ERRORS), 'utf8') }]);
      assertGolden(
        {
          loaded: set.rules.map((r) => r.title),
          correlations: set.correlations.map((c) => c.title),
          errors: set.errors.map((e) => e.render()),
        },
        new URL(name.replace('.in.yml', '.out.json'), ERRORS),
      );
    });
  }
});

describe('loader', () => {
  test('one bad rule is reported and the others load (collect errors)', () => {
    const good = processRule("  selection:\n    Image|endswith: '\\a.exe'\n  condition: selection");
    const bad = processRule("  selection:\n    Image|nope: 'x'\n  condition: selection").replace(
      '000000000001',
      '000000000002',
    );
    const set = loadRuleTexts([good, bad, good.replace('000000000001', '000000000003')]);
    assert.equal(set.rules.length, 2);
    assert.equal(set.errors.length, 1);
    assert.equal(set.errors[0]!.code, 'E_SIGMA_UNSUPPORTED_MODIFIER');
    assert.deepEqual(set.errors[0]!.span, { file: 'rule-2.yml', line: 10, col: 5 });
  });

  test('mutated rule text never throws out of the loader (deterministic fuzz)', () => {
    const base = processRule(
      "  selection:\n    CommandLine|contains|all: ['a', 'b']\n    Image|re: '(?i)x.*y'\n  condition: selection and not 1 of filter*\n  filter_a:\n    User: null",
      'tests:\n  match: [{Event: {System: {Channel: x}}}]\n',
    );
    let seed = 3;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const junk = [
      ':',
      '-',
      '|',
      '*',
      '&a',
      '*a',
      '[',
      '{',
      '\n',
      ' ',
      "'",
      '"',
      '%',
      '\\',
      '(',
      ')',
      '|re',
      '|base64offset',
    ];
    for (let i = 0; i < 150; i++) {
      const chars = [...base];
      for (let k = 0; k < 1 + rand(4); k++)
        chars.splice(rand(chars.length), rand(3), junk[rand(junk.length)]!);
      const set = loadRuleTexts([chars.join('')]);
      assert.equal(set.rules.length + set.errors.length >= 1, true);
      for (const e of set.errors) assert.match(e.code, /^E_SIGMA_(?!INTERNAL)/, e.render());
    }
  });

  test('a rule without id gets a stable id from its file and document index', () => {
    const set = loadRuleTexts([
      {
        path: 'x.yml',
        text: 'title: t\nlogsource: {product: windows}\ndetection:\n  s:\n    EventID: 1\n  condition: s',
      },
    ]);
    assert.equal(set.rules[0]!.id, 'x.yml#1');
  });

  test('plain numbers keep their source text: 0x10 is matched as 0x10, not 16', () => {
    const set = loadRuleTexts([
      'title: t\nlogsource: {product: windows, service: security}\ndetection:\n  s:\n    AccessMask: 0x10\n  condition: s',
    ]);
    const rule = set.rules[0]!;
    const doc = (mask: string) => ({
      Event: { System: { Channel: 'Security', EventID: 4663 }, EventData: { AccessMask: mask } },
    });
    assert.equal(rule.variants[0]!.node.evaluate(new EventDocument(doc('0x10'))), TRUE);
    assert.equal(rule.variants[0]!.node.evaluate(new EventDocument(doc('16'))), FALSE);
  });

  test('rule files over maxRuleFileBytes are refused; at the limit they load', () => {
    const text = processRule("  selection:\n    Image|endswith: '\\a.exe'\n  condition: selection");
    assert.equal(
      loadRuleTexts([text], { limits: { maxRuleFileBytes: text.length } }).rules.length,
      1,
    );
    const set = loadRuleTexts([text], { limits: { maxRuleFileBytes: text.length - 1 } });
    assert.equal(set.rules.length, 0);
    assert.equal(set.errors[0]!.code, 'E_SIGMA_TOO_LARGE');
  });

  test('an alias bomb stops at maxNodesPerRule', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 6; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    const text = `${bomb.join('\n')}\ntitle: t\nlogsource: {product: windows}\ntests:\n  match:\n    - {Event: *f}\ndetection:\n  s:\n    EventID: 1\n  condition: s`;
    const set = loadRuleTexts([text], { limits: { maxNodesPerRule: 5000 } });
    assert.equal(set.errors[0]?.code, 'E_SIGMA_TOO_LARGE');
    assert.match(set.errors[0]!.message, /maxNodesPerRule/);
  });

  test('maxNodesPerRule: a plain rule under the cap loads, over it is refused', () => {
    const text = processRule("  selection:\n    Image|endswith: '\\a.exe'\n  condition: selection");
    assert.equal(loadRuleTexts([text], { limits: { maxNodesPerRule: 200 } }).rules.length, 1);
    assert.equal(
      loadRuleTexts([text], { limits: { maxNodesPerRule: 5 } }).errors[0]?.code,
      'E_SIGMA_TOO_LARGE',
    );
  });

  test('a mapping file larger than its node cap is refused; under it, it is read', () => {
    const text = `services:\n${Array.from({ length: 100 }, (_, i) => `  s${i}: [Channel-${i}]`).join('\n')}\n`;
    assert.equal(parseSigmaMapping(text, 'm.yml', 1000).services.size, 100);
    assert.throws(() => parseSigmaMapping(text, 'm.yml', 100), { code: 'E_SIGMA_TOO_LARGE' });
  });

  test('a condition longer than maxConditionChars is refused; at the limit it loads', () => {
    const cond = 'selection and selection';
    const text = processRule(`  selection:\n    Image: x\n  condition: ${cond}`);
    assert.equal(
      loadRuleTexts([text], { limits: { maxConditionChars: cond.length } }).rules.length,
      1,
    );
    assert.equal(
      loadRuleTexts([text], { limits: { maxConditionChars: cond.length - 1 } }).errors[0]?.code,
      'E_SIGMA_TOO_LARGE',
    );
  });

  test('a condition list is an OR of its conditions', () => {
    const set = loadRuleTexts([
      processRule('  a:\n    Image: x\n  b:\n    Image: y\n  condition:\n    - a\n    - b'),
    ]);
    assert.deepEqual(set.errors, []);
    assert.equal(set.rules.length, 1);
  });

  test("tests: events are kept with their positions for 'rules check'", () => {
    const set = loadRuleTexts([
      processRule(
        "  selection:\n    Image|endswith: '\\a.exe'\n  condition: selection",
        'tests:\n  match:\n    - Event: {System: {Channel: x}}\n  nomatch: []\n',
      ),
    ]);
    assert.equal(set.rules[0]!.tests?.match.length, 1);
    assert.equal(set.rules[0]!.tests?.match[0]!.span.line, 14);
  });
});
