/**
 * Loads Sigma rule files: single and multi-document YAML (rules, Sigma v2 correlations and filters),
 * collecting one error per refused document and loading the rest (STYLE.md: collect errors, one bad
 * rule is reported, not fatal). Legacy `action: global/reset/repeat` collections are refused. Rules
 * are compiled here, per source variant of their logsource, so that every problem a rule can have is
 * found at load time and reported with its position.
 */
import { RuleError, type RuleSpan } from '../../core/index.js';
import { andNodes, compileDetection, referencedFields, type DetectionSpec } from './compile.js';
import { parseCorrelation } from './correlation-parse.js';
import { parseDetection, type DetectionContext } from './detection-parse.js';
import { resolveSigmaLimits, type SigmaLimits } from './limits.js';
import { resolveLogsource, type SigmaMapping } from './mapping.js';
import { isMapNode, parseMeta, text, textList } from './metadata.js';
import { buildItem, type ItemSpec } from './modifiers.js';
import { keepRecipe, recipeOf } from './recipe.js';
import type { Logsource, RuleTests, SigmaCorrelation, SigmaRule, SourceVariant } from './types.js';
import {
  isMap,
  isSeq,
  parseYamlDocuments,
  type Node,
  type YamlDoc,
  type YAMLMap,
} from './yaml-node.js';

export interface RuleSource {
  /** Shown in errors and detections (`rule.path`). */
  path: string;
  text: string;
}

export interface SigmaLoadOptions {
  /** The parsed logsource mapping (rules/mappings/sigma-windows.yml through parseSigmaMapping). */
  mapping: SigmaMapping;
  /** Values of `expand` placeholders (`%Admins%` → names); a rule using an unknown one is refused. */
  placeholders?: Readonly<Record<string, readonly string[]>>;
  limits?: Partial<SigmaLimits>;
}

export interface LoadedRuleSet {
  rules: SigmaRule[];
  correlations: SigmaCorrelation[];
  /** One per refused document or failed check, in file order. */
  errors: RuleError[];
  files: number;
  documents: number;
  limits: SigmaLimits;
}

interface SigmaFilter {
  id: string;
  logsource: Logsource;
  rules: readonly string[] | 'any';
  spec: DetectionSpec;
  span: RuleSpan;
  y: YamlDoc;
  node: Node;
}

const LEGACY_ACTIONS = new Set(['global', 'reset', 'repeat']);

function parseLogsource(y: YamlDoc, root: YAMLMap): Logsource {
  const node = y.get(root, 'logsource');
  if (!isMapNode(node))
    throw y.error('E_SIGMA_LOGSOURCE', "rule has no 'logsource' map", node ?? root);
  const ls: Logsource = {};
  for (const key of ['product', 'category', 'service'] as const) {
    const v = text(y, y.get(node, key), `logsource.${key}`);
    if (v !== undefined) ls[key] = v.toLowerCase();
  }
  return ls;
}

function parseTests(y: YamlDoc, root: YAMLMap): RuleTests | undefined {
  const node = y.get(root, 'tests');
  if (node === undefined || node === null) return undefined;
  if (!isMap(node))
    throw y.error(
      'E_SIGMA_TESTS',
      "'tests' must be a map with 'match' and 'nomatch' lists of events",
      node,
    );
  const list = (key: 'match' | 'nomatch') => {
    const l = y.get(node, key);
    if (l === undefined || l === null) return [];
    if (!isSeq(l)) throw y.error('E_SIGMA_TESTS', `tests.${key} must be a list of events`, l);
    return l.items.map((item) => {
      const n = y.resolve(item);
      if (!isMapNode(n))
        throw y.error(
          'E_SIGMA_TESTS',
          `tests.${key}: each event is a map in the evtx-rs layout {Event: {System, EventData}}`,
          n,
        );
      return { event: y.toJS(n) as Record<string, unknown>, span: y.span(n) };
    });
  };
  return { match: list('match'), nomatch: list('nomatch') };
}

function detectionContext(
  y: YamlDoc,
  options: SigmaLoadOptions,
  limits: SigmaLimits,
): DetectionContext {
  return { y, limits, placeholders: options.placeholders, values: 0 };
}

function parseRule(
  y: YamlDoc,
  root: YAMLMap,
  path: string,
  fallbackId: string,
  options: SigmaLoadOptions,
  limits: SigmaLimits,
): SigmaRule {
  const meta = parseMeta(y, root, fallbackId);
  if (meta.status === 'unsupported')
    throw y.error(
      'E_SIGMA_UNSUPPORTED_STATUS',
      "status 'unsupported': the rule says it cannot be used as written",
      y.get(root, 'status'),
    );
  const logsource = parseLogsource(y, root);
  const spec = parseDetection(
    detectionContext(y, options, limits),
    y.get(root, 'detection') ?? null,
  );
  const resolved = resolveLogsource(logsource, options.mapping);
  if (typeof resolved === 'string')
    throw y.error('E_SIGMA_UNSUPPORTED_LOGSOURCE', resolved, y.get(root, 'logsource'));
  const variants = resolved.map((variant) => {
    const where = variantWhere(variant, limits, (code, message) => y.error(code, message));
    return {
      variant,
      node: compileDetection(spec, variant, where),
      fields: referencedFields(spec, variant),
    };
  });
  const tests = parseTests(y, root);
  const rule: SigmaRule = {
    id: meta.id,
    ...(meta.name !== undefined ? { name: meta.name } : {}),
    title: meta.title,
    level: meta.level,
    ...(meta.status !== undefined ? { status: meta.status } : {}),
    path,
    span: meta.span,
    tags: meta.tags,
    attack: meta.attack,
    step: meta.step,
    logsource,
    variants,
    ...(tests ? { tests } : {}),
  };
  keepRecipe(rule, { detection: spec, filters: [], placeholders: options.placeholders });
  return rule;
}

/** The source's own conditions (mapping `where`, e.g. Sysmon 12 `EventType: CreateKey`) as items. */
export function variantWhere(
  variant: SourceVariant,
  limits: SigmaLimits,
  fail: (code: `E_${string}`, message: string) => RuleError,
): ItemSpec[] {
  return Object.entries(variant.where).map(([field, values]) =>
    buildItem(
      field,
      [],
      values.map((v) => ({ kind: 'string' as const, text: v })),
      {
        fail: (code, message) => fail(code, `mapping where ${field}: ${message}`),
        placeholders: undefined,
        maxValues: limits.maxValuesPerRule,
        maxRegexInput: limits.maxRegexInputChars,
      },
    ),
  );
}

function parseFilter(
  y: YamlDoc,
  root: YAMLMap,
  fallbackId: string,
  options: SigmaLoadOptions,
  limits: SigmaLimits,
): SigmaFilter {
  const meta = parseMeta(y, root, fallbackId);
  const logsource = parseLogsource(y, root);
  const node = y.get(root, 'filter');
  if (!isMapNode(node))
    throw y.error(
      'E_SIGMA_FILTER',
      "'filter' must be a map with rules, search identifiers and a condition",
      node,
    );
  const rulesNode = y.get(node, 'rules');
  if (rulesNode === undefined)
    throw y.error(
      'E_SIGMA_FILTER',
      "filter has no 'rules' (list rule ids or names, or write 'any')",
      node,
    );
  const listed = textList(y, rulesNode, 'rules');
  const rules =
    listed.length === 0 || (listed.length === 1 && /^(any|all)$/i.test(listed[0]!))
      ? 'any'
      : listed;
  // The filter's own map reads as a detection section whose `rules` key is not a search identifier.
  const detection = node.clone() as YAMLMap;
  detection.delete('rules');
  const spec = parseDetection(detectionContext(y, options, limits), detection);
  return { id: meta.id, logsource, rules, spec, span: meta.span, y, node };
}

type Parsed =
  | { kind: 'rule'; rule: SigmaRule }
  | { kind: 'correlation'; correlation: SigmaCorrelation }
  | { kind: 'filter'; filter: SigmaFilter };

function parseDocument(
  y: YamlDoc,
  path: string,
  index: number,
  options: SigmaLoadOptions,
  limits: SigmaLimits,
): Parsed {
  const root = y.resolve(y.doc.contents);
  if (!isMapNode(root)) throw y.error('E_SIGMA_NOT_A_RULE', 'a Sigma document is a YAML map', root);
  const fallbackId = `${path}#${index + 1}`;
  if (y.get(root, 'correlation') !== undefined)
    return { kind: 'correlation', correlation: parseCorrelation(y, root, path, fallbackId) };
  if (y.get(root, 'filter') !== undefined && y.get(root, 'detection') === undefined)
    return { kind: 'filter', filter: parseFilter(y, root, fallbackId, options, limits) };
  if (y.get(root, 'detection') === undefined)
    throw y.error(
      'E_SIGMA_NOT_A_RULE',
      "document has no 'detection', 'correlation' or 'filter' section",
      root,
    );
  return { kind: 'rule', rule: parseRule(y, root, path, fallbackId, options, limits) };
}

function asRuleError(error: unknown, path: string): RuleError {
  if (error instanceof RuleError) return error;
  return new RuleError(
    'E_SIGMA_INTERNAL',
    `unexpected error: ${(error as Error)?.message ?? String(error)}`,
    { span: { file: path, line: 1, col: 1 }, cause: error },
  );
}

/**
 * Loads rules from their text. Never throws for a bad rule: problems are in `errors`, with positions.
 *
 * @example
 * const mapping = parseSigmaMapping(readFileSync('rules/mappings/sigma-windows.yml', 'utf8'), 'sigma-windows.yml');
 * const set = loadSigmaRules([{ path: 'r.yml', text }], { mapping });
 * for (const e of set.errors) console.error(e.render());
 */
export function loadSigmaRules(
  sources: Iterable<RuleSource>,
  options: SigmaLoadOptions,
): LoadedRuleSet {
  const limits = resolveSigmaLimits(options.limits);
  const set: LoadedRuleSet = {
    rules: [],
    correlations: [],
    errors: [],
    files: 0,
    documents: 0,
    limits,
  };
  const filters: SigmaFilter[] = [];
  for (const source of sources) {
    set.files++;
    if (source.text.length > limits.maxRuleFileBytes) {
      set.errors.push(
        new RuleError(
          'E_SIGMA_TOO_LARGE',
          `rule file larger than ${limits.maxRuleFileBytes} bytes (limit maxRuleFileBytes)`,
          { span: { file: source.path, line: 1, col: 1 } },
        ),
      );
      continue;
    }
    const { docs, errors } = parseYamlDocuments(source.path, source.text, limits.maxNodesPerRule);
    set.errors.push(...errors);
    set.documents += docs.length + errors.length;
    // SECURITY: everything that walks YAML nodes can hit maxNodesPerRule; never let it escape.
    let legacy: YamlDoc | undefined;
    for (const y of docs) {
      try {
        const root = y.resolve(y.doc.contents);
        const action = isMapNode(root) ? y.get(root, 'action') : undefined;
        if (action !== undefined && action !== null && LEGACY_ACTIONS.has(String(y.toJS(action))))
          legacy ??= y;
      } catch (error) {
        set.errors.push(asRuleError(error, source.path));
        legacy = undefined;
        docs.length = 0;
        break;
      }
    }
    if (legacy) {
      const root = legacy.doc.contents as YAMLMap;
      const action = legacy.get(root, 'action');
      set.errors.push(
        legacy.error(
          'E_SIGMA_UNSUPPORTED_ACTION',
          `legacy rule collection 'action: ${String(legacy.toJS(action))}' (Sigma 1.0) is not supported: split the file into standalone rules`,
          action,
        ),
      );
      continue;
    }
    docs.forEach((y, index) => {
      try {
        const parsed = parseDocument(y, source.path, index, options, limits);
        if (parsed.kind === 'rule') set.rules.push(parsed.rule);
        else if (parsed.kind === 'correlation') set.correlations.push(parsed.correlation);
        else filters.push(parsed.filter);
      } catch (error) {
        set.errors.push(asRuleError(error, source.path));
      }
    });
  }
  dropDuplicates(set);
  applyFilters(set, filters);
  resolveCorrelations(set);
  return set;
}

function dropDuplicates(set: LoadedRuleSet): void {
  const seen = new Map<string, RuleSpan>();
  const keep = <T extends { id: string; span: RuleSpan }>(list: T[]): T[] =>
    list.filter((r) => {
      const first = seen.get(r.id);
      if (first) {
        set.errors.push(
          new RuleError(
            'E_SIGMA_DUPLICATE_ID',
            `id '${r.id}' is already used at ${first.file}:${first.line}:${first.col}; this rule is not loaded`,
            { span: r.span },
          ),
        );
        return false;
      }
      seen.set(r.id, r.span);
      return true;
    });
  set.rules = keep(set.rules);
  set.correlations = keep(set.correlations);
}

function logsourceCovers(filter: Logsource, rule: Logsource): boolean {
  return (['product', 'category', 'service'] as const).every(
    (k) => filter[k] === undefined || filter[k] === rule[k],
  );
}

/** Sigma filters (filters specification 2.0): `(rule condition) and (filter condition)`, as pySigma does. */
function applyFilters(set: LoadedRuleSet, filters: readonly SigmaFilter[]): void {
  for (const f of filters) {
    const targets = set.rules.filter(
      (r) =>
        logsourceCovers(f.logsource, r.logsource) &&
        (f.rules === 'any' ||
          f.rules.includes(r.id) ||
          (r.name !== undefined && f.rules.includes(r.name))),
    );
    if (f.rules !== 'any') {
      for (const ref of f.rules) {
        if (!set.rules.some((r) => r.id === ref || r.name === ref))
          set.errors.push(
            new RuleError(
              'E_SIGMA_FILTER_REFERENCE',
              `filter '${f.id}' names rule '${ref}', which is not loaded`,
              { span: f.span },
            ),
          );
      }
    }
    for (const rule of targets) {
      recipeOf(rule)?.filters.push(f.spec);
      rule.variants = rule.variants.map((v) => ({
        variant: v.variant,
        node: andNodes([v.node, compileDetection(f.spec, v.variant, [])]),
        fields: [...new Set([...v.fields, ...referencedFields(f.spec, v.variant)])],
      }));
    }
  }
}

/** Binds correlation references (rule id or name) across files; a broken correlation is refused. */
function resolveCorrelations(set: LoadedRuleSet): void {
  const byRef = new Map<string, SigmaRule>();
  for (const r of set.rules) {
    byRef.set(r.id, r);
    if (r.name !== undefined) byRef.set(r.name, r);
  }
  const correlationRefs = new Set(
    set.correlations.flatMap((c) => (c.name !== undefined ? [c.id, c.name] : [c.id])),
  );
  set.correlations = set.correlations.filter((c) => {
    const ids: string[] = [];
    for (const ref of c.rules) {
      const rule = byRef.get(ref);
      if (rule) {
        ids.push(rule.id);
        continue;
      }
      const chained = correlationRefs.has(ref);
      set.errors.push(
        new RuleError(
          chained ? 'E_SIGMA_UNSUPPORTED_CORRELATION' : 'E_SIGMA_CORRELATION_REFERENCE',
          chained
            ? `correlation '${c.id}' refers to correlation '${ref}': chained correlations are not supported`
            : `correlation '${c.id}' refers to '${ref}', which is no loaded rule id or name`,
          { span: c.span },
        ),
      );
      return false;
    }
    const aliases: Record<string, Record<string, string>> = {};
    for (const [alias, perRule] of Object.entries(c.aliases)) {
      aliases[alias] = Object.fromEntries(
        Object.entries(perRule).map(([ref, field]) => [byRef.get(ref)?.id ?? ref, field]),
      );
    }
    Object.assign(c, { rules: ids, aliases });
    return true;
  });
}
