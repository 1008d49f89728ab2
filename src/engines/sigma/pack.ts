/**
 * A loaded rule set as plain data (structured-clone safe: objects, arrays, Sets, typed arrays, no
 * closures), so that a hunt's worker threads get the rules the main thread already read, checked and
 * indexed, instead of parsing 2,400 YAML files and rebuilding the prefilter each (1–2 s per worker with
 * SigmaHQ). A worker rebuilds nothing up front: each rule variant keeps the prefilter literals and
 * EventIDs the main thread computed, and its closures are built from the rule's items the first time
 * the prefilter lets an event through to it — most rules never meet an event they could match.
 */
import { RuleError } from '../../core/index.js';
import type { AhoCorasickTables } from './aho-corasick.js';
import type { Condition } from './condition.js';
import {
  andNodes,
  clausesOf,
  compileDetection,
  type DetectionSpec,
  type RawItem,
  type SearchSpec,
} from './compile.js';
import { rememberPrefilter, sigmaPrefilterTables, type SigmaEngineOptions } from './engine.js';
import type { SigmaLimits } from './limits.js';
import { variantWhere, type LoadedRuleSet } from './loader.js';
import { buildItem, type RawValue } from './modifiers.js';
import { recipeOf } from './recipe.js';
import type {
  CompiledNode,
  Evaluator,
  Requirement,
  SigmaCorrelation,
  SigmaRule,
  SourceVariant,
} from './types.js';

/** The packed form's version: a cache written by another version is rebuilt (apps/hunt-runner). */
export const SIGMA_PACK_VERSION = 2;

/** Rules that came from a pack, with what they were unpacked from: they pack again without a recipe. */
const unpacked = new WeakMap<SigmaRule, { p: PackedRule; table: readonly SourceVariant[] }>();

type RawSearch = { op: 'and' | 'or'; items: RawSearch[] } | ({ op: 'item' } & RawItem);

interface RawDetection {
  searches: [string, RawSearch][];
  conditions: readonly Condition[];
  selections: [string, readonly string[]][];
}

interface PackedVariant {
  /** Index into PackedRules.variants: a mapping's few source variants are shared by all rules. */
  variant: number;
  requirement: Requirement;
  clauses: (readonly string[])[];
  eventIds: number[] | null;
  fields: readonly string[];
}

interface PackedRule {
  rule: Omit<SigmaRule, 'variants' | 'tests'>;
  variants: PackedVariant[];
  detection: RawDetection;
  filters: RawDetection[];
  placeholders: Readonly<Record<string, readonly string[]>> | undefined;
}

type VariantData = Omit<SourceVariant, 'available'> & { available?: string[] };

interface PackedRules {
  variants: VariantData[];
  rules: PackedRule[];
}

/** A rule set packed by `packSigmaRules`; only `unpackSigmaRules` reads it. */
export interface PackedRuleSet {
  /**
   * The rules as JSON: one string crosses threads in a copy, and JSON.parse reads it several times
   * faster than structured clone rebuilds the same hundred thousand small objects.
   */
  rulesJson: string;
  correlations: SigmaCorrelation[];
  limits: SigmaLimits;
  /** The prefilter automaton of the packed rules, built once. */
  prefilter: AhoCorasickTables;
}

/** JSON has no Infinity or NaN (YAML `.inf`): such numbers travel as their text. */
function jsonValue(v: RawValue): RawValue {
  return v.kind === 'number' && !Number.isFinite(v.value)
    ? ({ ...v, value: String(v.value) } as unknown as RawValue)
    : v;
}

function fromJsonValue(v: RawValue): RawValue {
  const value: unknown = v.kind === 'number' ? v.value : undefined;
  return v.kind === 'number' && typeof value === 'string' ? { ...v, value: Number(value) } : v;
}

function rawSearch(s: SearchSpec): RawSearch {
  if (s.op === 'item') return { op: 'item', ...s.raw, values: s.raw.values.map(jsonValue) };
  return { op: s.op, items: s.items.map(rawSearch) };
}

function rawDetection(spec: DetectionSpec): RawDetection {
  return {
    searches: [...spec.searches].map(([id, s]) => [id, rawSearch(s)]),
    conditions: spec.conditions,
    selections: [...spec.selections],
  };
}

/**
 * The rules of `set` (with their prefilter) as data for another thread. Rules that were not loaded by
 * loadSigmaRules (no recipe) cannot be packed: RuleError E_SIGMA_INTERNAL.
 *
 * @example
 * const pack = packSigmaRules(set);           // main thread
 * worker.postMessage({ pack });
 * const engine = createSigmaEngine(unpackSigmaRules(pack), { prefilter: pack.prefilter }); // worker
 */
export function packSigmaRules(
  set: LoadedRuleSet,
  options: SigmaEngineOptions = {},
): PackedRuleSet {
  const variantIds = new Map<SourceVariant, number>();
  const variantTable: VariantData[] = [];
  const variantId = (v: SourceVariant): number => {
    let id = variantIds.get(v);
    if (id === undefined) {
      variantIds.set(v, (id = variantTable.length));
      const { available, ...rest } = v;
      variantTable.push(available ? { ...rest, available: [...available] } : rest);
    }
    return id;
  };
  const rules = set.rules.map((rule): PackedRule => {
    const again = unpacked.get(rule);
    if (again)
      return {
        ...again.p,
        variants: again.p.variants.map((v) => ({
          ...v,
          variant: variantId(again.table[v.variant]!),
        })),
      };
    const recipe = recipeOf(rule);
    if (!recipe)
      throw new RuleError('E_SIGMA_INTERNAL', `rule '${rule.id}' was not loaded from text`, {
        span: rule.span,
      });
    const { variants, tests: _tests, ...meta } = rule;
    return {
      rule: meta,
      variants: variants.map((v) => ({
        variant: variantId(v.variant),
        requirement: v.node.requirement,
        clauses: [...clausesOf(v.node)],
        eventIds: v.node.eventIds ? [...v.node.eventIds] : null,
        fields: v.fields,
      })),
      detection: rawDetection(recipe.detection),
      filters: recipe.filters.map(rawDetection),
      placeholders: recipe.placeholders,
    };
  });
  return {
    rulesJson: JSON.stringify({ variants: variantTable, rules } satisfies PackedRules),
    correlations: set.correlations,
    limits: set.limits,
    prefilter: sigmaPrefilterTables(set, options),
  };
}

/**
 * The rule set back from `packSigmaRules`, with lazily built closures: the same rules, in the same
 * order, matching the same events as the set that was packed.
 */
export function unpackSigmaRules(pack: PackedRuleSet): LoadedRuleSet {
  const data = JSON.parse(pack.rulesJson) as PackedRules;
  rememberPrefilter(pack.prefilter);
  const variants: SourceVariant[] = data.variants.map(({ available, ...rest }) =>
    available ? { ...rest, available: new Set(available) } : rest,
  );
  return {
    rules: data.rules.map((p) => lazyRule(p, variants, pack.limits)),
    correlations: pack.correlations,
    errors: [],
    files: 0,
    documents: 0,
    limits: pack.limits,
  };
}

function lazyRule(p: PackedRule, table: readonly SourceVariant[], limits: SigmaLimits): SigmaRule {
  const fail = (code: `E_${string}`, message: string) =>
    new RuleError(code, message, { span: p.rule.span });
  let specs: { detection: DetectionSpec; filters: DetectionSpec[] } | undefined;
  const build = () =>
    (specs ??= {
      detection: detectionSpec(p.detection, p.placeholders, limits, fail),
      filters: p.filters.map((f) => detectionSpec(f, p.placeholders, limits, fail)),
    });
  const variants = p.variants.map((v) => {
    const variant = table[v.variant]!;
    let compiled: Evaluator | undefined;
    const compile = (): Evaluator => {
      const { detection, filters } = build();
      let node = compileDetection(detection, variant, variantWhere(variant, limits, fail));
      for (const f of filters) node = andNodes([node, compileDetection(f, variant, [])]);
      return node.evaluate;
    };
    const node: CompiledNode = {
      evaluate: (doc) => (compiled ??= compile())(doc),
      requirement: v.requirement,
      clauses: v.clauses,
      eventIds: v.eventIds ? new Set(v.eventIds) : null,
    };
    return { variant, node, fields: v.fields };
  });
  const rule: SigmaRule = { ...p.rule, variants };
  unpacked.set(rule, { p, table });
  return rule;
}

function detectionSpec(
  raw: RawDetection,
  placeholders: PackedRule['placeholders'],
  limits: SigmaLimits,
  fail: (code: `E_${string}`, message: string) => RuleError,
): DetectionSpec {
  const ctx = {
    fail,
    placeholders,
    maxValues: limits.maxValuesPerRule,
    maxRegexInput: limits.maxRegexInputChars,
  };
  const search = (s: RawSearch): SearchSpec =>
    s.op === 'item'
      ? {
          op: 'item',
          item: buildItem(s.field, s.modifiers, s.values.map(fromJsonValue), ctx),
          raw: { field: s.field, modifiers: s.modifiers, values: s.values.map(fromJsonValue) },
        }
      : { op: s.op, items: s.items.map(search) };
  return {
    searches: new Map(raw.searches.map(([id, s]) => [id, search(s)])),
    conditions: raw.conditions,
    selections: new Map(raw.selections),
  };
}
