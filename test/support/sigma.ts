/**
 * Sigma engine test helpers: the bundled logsource mapping, and rules loaded from inline YAML text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createSigmaEngine,
  loadSigmaRules,
  parseSigmaMapping,
  type LoadedRuleSet,
  type SigmaEngine,
  type SigmaLoadOptions,
  type SigmaMapping,
} from '../../src/engines/sigma/index.js';
import { repoRoot } from './fixtures.js';

let mapping: SigmaMapping | undefined;

/** rules/mappings/sigma-windows.yml, parsed once. */
export function sigmaMapping(): SigmaMapping {
  const path = join(repoRoot(), 'rules', 'mappings', 'sigma-windows.yml');
  return (mapping ??= parseSigmaMapping(
    readFileSync(path, 'utf8'),
    'rules/mappings/sigma-windows.yml',
  ));
}

/** Loads rule texts (`rule-1.yml`, `rule-2.yml`, … unless named). */
export function loadRuleTexts(
  texts: readonly (string | { path: string; text: string })[],
  options: Partial<SigmaLoadOptions> = {},
): LoadedRuleSet {
  const sources = texts.map((t, i) =>
    typeof t === 'string' ? { path: `rule-${i + 1}.yml`, text: t } : t,
  );
  return loadSigmaRules(sources, { mapping: sigmaMapping(), ...options });
}

/** Loads rules that must all load, and builds an engine. */
export function engineFor(
  texts: readonly (string | { path: string; text: string })[],
  options: Partial<SigmaLoadOptions> = {},
): SigmaEngine {
  const set = loadRuleTexts(texts, options);
  if (set.errors.length > 0) throw new Error(set.errors.map((e) => e.render()).join('\n'));
  return createSigmaEngine(set);
}

/** A process_creation rule with the given detection body (indented YAML under `detection:`). */
export function processRule(detection: string, extra = ''): string {
  return `title: Test rule\nid: 00000000-0000-4000-8000-000000000001\nlevel: high\ntags: [attack.execution, attack.t1059.001]\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n${detection}\n${extra}`;
}

/**
 * `count` process_creation rules (`r0`, `r1`, …): random `words` under a random one of `modifiers` on
 * CommandLine, Image or ParentImage, about half with a Sigma filter. For tests that compare two paths
 * over the same rules (packed and unpacked, prefilter on and off); `rand(n)` is the test's seeded PRNG.
 */
export function randomProcessRules(options: {
  rand: (n: number) => number;
  words: readonly string[];
  modifiers: readonly string[];
  count: number;
  level?: string;
}): string[] {
  const { rand, words, modifiers } = options;
  const fields = ['CommandLine', 'Image', 'ParentImage'];
  const pick = () => words[rand(words.length)]!.replace(/\\/g, '\\\\');
  const level = options.level === undefined ? '' : `level: ${options.level}\n`;
  return Array.from({ length: options.count }, (_, i) => {
    const m = modifiers[rand(modifiers.length)]!;
    const value =
      m === '|re' ? `'(?i)${pick().replace(/[.#]/g, '.')}'` : `['${pick()}', '${pick()}']`;
    const filter = rand(2)
      ? `\n  filter:\n    ${fields[rand(3)]}|contains: '${pick()}'\n  condition: selection and not filter`
      : '\n  condition: selection';
    return `title: r${i}\nid: r${i}\n${level}logsource: {product: windows, category: process_creation}\ndetection:\n  selection:\n    ${fields[rand(3)]}${m}: ${value}${filter}`;
  });
}
