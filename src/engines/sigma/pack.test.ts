import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildLogEvent, sysmonProcess } from '../../../test/builders/winevent.js';
import { loadRuleTexts, randomProcessRules } from '../../../test/support/sigma.js';
import { RuleError } from '../../core/index.js';
import { createSigmaEngine } from './engine.js';
import { packSigmaRules, unpackSigmaRules } from './pack.js';

const words = ['powershell', 'cmd.exe', '\\temp\\', 'rundll32', '-enc', 'winword', 'a.dll', 'x'];

/** Rules of every kind the packed form must carry: modifiers, a Sigma filter, expand, where, a correlation. */
function ruleTexts(): string[] {
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const modifiers = [
    '|contains',
    '|endswith',
    '|startswith',
    '|contains|all',
    '|re',
    '|contains|windash',
  ];
  const rules = randomProcessRules({ rand, words, modifiers, count: 60, level: 'high' });
  return [
    ...rules,
    "title: admins\nid: admins\nlogsource: {product: windows, category: process_creation}\ndetection:\n  selection:\n    User|expand: '%Admins%'\n  condition: selection",
    "title: run key\nid: runkey\nlogsource: {product: windows, category: registry_add}\ndetection:\n  selection:\n    TargetObject|contains: '\\CurrentVersion\\Run'\n  condition: selection",
    "title: not for alice\nid: f1\nlogsource: {product: windows, category: process_creation}\nfilter:\n  rules: [r0, r1, r2]\n  selection:\n    User: 'EXAMPLE\\alice'\n  condition: not selection",
    'title: twice\nid: c1\nlevel: high\ncorrelation:\n  type: event_count\n  rules: [r3]\n  group-by: [Computer]\n  timespan: 1h\n  condition: {gte: 2}',
  ];
}

function events(): ReturnType<typeof sysmonProcess>[] {
  let seed = 11;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const text = () =>
    Array.from({ length: 1 + rand(4) }, () => words[rand(words.length)]).join(rand(2) ? ' ' : '\\');
  const out = Array.from({ length: 300 }, () =>
    sysmonProcess({
      CommandLine: text(),
      Image: text(),
      ParentImage: text(),
      User: rand(2) ? 'EXAMPLE\\alice' : 'EXAMPLE\\bob',
    }),
  );
  out.push(
    buildLogEvent({
      channel: 'Microsoft-Windows-Sysmon/Operational',
      eventId: 12,
      data: { EventType: 'CreateKey', TargetObject: 'HKU\\x\\CurrentVersion\\Run' },
    }),
  );
  return out;
}

describe('packed rule sets (the form hunt workers get)', () => {
  test('pack → structured clone → unpack matches what the loaded set matches, in the same order', () => {
    const set = loadRuleTexts(ruleTexts(), { placeholders: { Admins: ['EXAMPLE\\bob'] } });
    assert.deepEqual(
      set.errors.map((e) => e.render()),
      [],
    );
    const pack = structuredClone(packSigmaRules(set));
    const original = createSigmaEngine(set);
    const unpacked = createSigmaEngine(unpackSigmaRules(pack), { prefilter: pack.prefilter });
    let fired = 0;
    for (const [i, event] of events().entries()) {
      const a = original.match(event);
      fired += a.length;
      assert.deepEqual(unpacked.match(event), a, `event ${i}`);
    }
    assert.ok(fired > 50, `the events fire rules (${fired})`);
    const correlated = original.finish?.() ?? [];
    assert.ok(correlated.length > 0, 'the correlation fires');
    assert.deepEqual(unpacked.finish?.(), correlated);
    assert.equal(unpacked.stats.literals, original.stats.literals);
  });

  test('a prefilter built for other literals is not used: the automaton is rebuilt', () => {
    const set = loadRuleTexts(ruleTexts(), { placeholders: { Admins: ['EXAMPLE\\bob'] } });
    const other = packSigmaRules(loadRuleTexts([ruleTexts()[5]!]));
    const engine = createSigmaEngine(set, { prefilter: other.prefilter });
    const reference = createSigmaEngine(set);
    for (const event of events()) assert.deepEqual(engine.match(event), reference.match(event));
  });

  test('an unpacked set packs again (hunt workers from the compiled-rule cache) and matches the same', () => {
    const set = loadRuleTexts(ruleTexts(), { placeholders: { Admins: ['EXAMPLE\\bob'] } });
    const once = unpackSigmaRules(structuredClone(packSigmaRules(set)));
    const twice = structuredClone(packSigmaRules({ ...once, rules: once.rules.slice(1) }));
    const original = createSigmaEngine({ ...set, rules: set.rules.slice(1) });
    const again = createSigmaEngine(unpackSigmaRules(twice), { prefilter: twice.prefilter });
    for (const [i, event] of events().entries())
      assert.deepEqual(again.match(event), original.match(event), `event ${i}`);
  });

  test('other necessary literals are checked before a rule is evaluated; detections are the same', () => {
    const rule =
      "title: both\nid: both\nlogsource: {product: windows, category: process_creation}\ndetection:\n  selection:\n    Image|endswith: '\\rundll32.exe'\n    CommandLine|contains: 'zzqqx'\n  condition: selection";
    const set = loadRuleTexts([rule]);
    const engine = createSigmaEngine(set);
    const unchecked = createSigmaEngine(set, { noPrefilter: true });
    const miss = sysmonProcess({
      Image: 'C:\\Windows\\rundll32.exe',
      CommandLine: 'rundll32 a.dll',
    });
    const hit = sysmonProcess({
      Image: 'C:\\Windows\\rundll32.exe',
      CommandLine: 'rundll32 a.dll,ZZQQX',
    });
    assert.deepEqual(engine.match(miss), unchecked.match(miss));
    assert.equal(engine.stats.evaluations, 0, 'the event lacks the second literal: not evaluated');
    assert.equal(engine.stats.checkedOut, 1, 'counted as checked out');
    assert.equal(engine.match(hit).length, 1, 'both literals: evaluated and fired');
    assert.equal(unchecked.match(hit).length, 1, 'the same without the prefilter');
  });

  test('rules not loaded from text cannot be packed (E_SIGMA_INTERNAL)', () => {
    const set = loadRuleTexts([ruleTexts()[0]!]);
    const copy = { ...set, rules: set.rules.map((r) => ({ ...r })) };
    assert.throws(
      () => packSigmaRules(copy),
      (e: unknown) => e instanceof RuleError && e.code === 'E_SIGMA_INTERNAL',
    );
  });
});
