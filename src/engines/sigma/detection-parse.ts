/**
 * The `detection` section of a rule (rules specification 2.0, "Detection"): search identifiers as maps
 * (AND of field items), lists of maps (OR of ANDs), lists of plain values (keywords, OR) and the
 * condition. Values keep their YAML position so a bad modifier or value points at its line.
 */
import { RuleError } from '../../core/index.js';
import { parseCondition, selectIdentifiers, type Condition } from './condition.js';
import type { DetectionSpec, SearchSpec } from './compile.js';
import type { SigmaLimits } from './limits.js';
import { buildItem, splitFieldKey, type RawValue } from './modifiers.js';
import { isMap, isScalar, isSeq, type Node, type YamlDoc, type YAMLMap } from './yaml-node.js';

export interface DetectionContext {
  y: YamlDoc;
  limits: SigmaLimits;
  placeholders: Readonly<Record<string, readonly string[]>> | undefined;
  /** Values built so far in this rule (maxValuesPerRule). */
  values: number;
}

function rawValue(ctx: DetectionContext, node: Node | null): RawValue {
  if (node === null) return { kind: 'null' };
  if (!isScalar(node))
    throw ctx.y.error(
      'E_SIGMA_DETECTION',
      'a value must be text, a number, a boolean or null (not a list or map)',
      node,
    );
  const v = node.value;
  if (v === null || v === undefined) return { kind: 'null' };
  if (typeof v === 'boolean') return { kind: 'boolean', value: v };
  if (typeof v === 'number' || typeof v === 'bigint')
    return { kind: 'number', value: Number(v), text: ctx.y.scalarText(node) ?? String(v) };
  return { kind: 'string', text: String(v) };
}

function rawValues(ctx: DetectionContext, node: Node | null): RawValue[] {
  if (node !== null && isSeq(node)) {
    if (node.items.length === 0)
      throw ctx.y.error('E_SIGMA_DETECTION', 'an empty list of values matches nothing', node);
    return node.items.map((x) => rawValue(ctx, ctx.y.resolve(x)));
  }
  if (node !== null && isMap(node))
    throw ctx.y.error('E_SIGMA_DETECTION', 'a field value cannot be a map', node);
  return [rawValue(ctx, node)];
}

function item(
  ctx: DetectionContext,
  key: string,
  valueNode: Node | null,
  at: Node | null,
): SearchSpec {
  const { field, modifiers } = splitFieldKey(key);
  const raws = rawValues(ctx, valueNode);
  ctx.values += raws.length;
  if (ctx.values > ctx.limits.maxValuesPerRule)
    throw ctx.y.error(
      'E_SIGMA_TOO_LARGE',
      `rule has more than ${ctx.limits.maxValuesPerRule} values (limit maxValuesPerRule)`,
      at,
    );
  const built = buildItem(field, modifiers, raws, {
    fail: (code, message) => ctx.y.error(code, `${key}: ${message}`, at),
    placeholders: ctx.placeholders,
    maxValues: ctx.limits.maxValuesPerRule,
    maxRegexInput: ctx.limits.maxRegexInputChars,
  });
  return { op: 'item', item: built, raw: { field, modifiers, values: raws } };
}

function mapSearch(ctx: DetectionContext, map: YAMLMap): SearchSpec {
  const entries = ctx.y.entries(map);
  if (entries.length === 0)
    throw ctx.y.error('E_SIGMA_DETECTION', 'an empty map matches nothing', map);
  const items: SearchSpec[] = entries.map(([key, value, pair]) =>
    item(ctx, key, value, (pair.key as Node) ?? value),
  );
  return items.length === 1 ? items[0]! : { op: 'and', items };
}

function search(
  ctx: DetectionContext,
  name: string,
  node: Node | null,
  at: Node | null,
): SearchSpec {
  if (node === null || (isScalar(node) && (node.value === null || node.value === undefined)))
    throw ctx.y.error('E_SIGMA_DETECTION', `search identifier '${name}' is empty`, at ?? node);
  if (isMap(node)) return mapSearch(ctx, node);
  if (isSeq(node)) {
    if (node.items.length === 0)
      throw ctx.y.error('E_SIGMA_DETECTION', `search identifier '${name}' is an empty list`, node);
    const keywords: Node[] = [];
    const out: SearchSpec[] = [];
    for (const x of node.items) {
      const n = ctx.y.resolve(x);
      if (n !== null && isMap(n)) out.push(mapSearch(ctx, n));
      else if (n !== null && isSeq(n))
        throw ctx.y.error('E_SIGMA_DETECTION', 'a list inside a list is not Sigma', n);
      else if (n !== null) keywords.push(n);
      else
        throw ctx.y.error(
          'E_SIGMA_DETECTION',
          `search identifier '${name}' has a null keyword`,
          node,
        );
    }
    if (keywords.length > 0) {
      ctx.values += keywords.length;
      const raws = keywords.map((k) => rawValue(ctx, k));
      out.unshift({
        op: 'item',
        item: buildItem(undefined, [], raws, {
          fail: (c, m) => ctx.y.error(c, m, keywords[0]!),
          placeholders: ctx.placeholders,
          maxValues: ctx.limits.maxValuesPerRule,
          maxRegexInput: ctx.limits.maxRegexInputChars,
        }),
        raw: { field: undefined, modifiers: [], values: raws },
      });
    }
    return out.length === 1 ? out[0]! : { op: 'or', items: out };
  }
  return item(ctx, '', node, node);
}

function conditionOffsetError(
  ctx: DetectionContext,
  node: Node,
  source: string,
): (code: `E_${string}`, message: string, offset: number) => RuleError {
  return (code, message, offset) => {
    const base = ctx.y.span(node);
    const quoted = isScalar(node) && node.type !== 'PLAIN' ? 1 : 0;
    const span = source.includes('\n') ? base : { ...base, col: base.col + quoted + offset };
    return new RuleError(code, `condition '${source}': ${message}`, { span });
  };
}

/** Parses `detection`; throws the first RuleError found in it. */
export function parseDetection(ctx: DetectionContext, detection: Node | null): DetectionSpec {
  const y = ctx.y;
  if (!detection || !isMap(detection))
    throw y.error(
      'E_SIGMA_DETECTION',
      "'detection' must be a map of search identifiers and a condition",
      detection,
    );
  const searches = new Map<string, SearchSpec>();
  let conditionNode: Node | null | undefined;
  for (const [key, value, pair] of y.entries(detection)) {
    if (key === 'condition') conditionNode = value;
    else if (key === 'timeframe')
      continue; // only meaningful with the legacy aggregations, refused in the condition
    else {
      try {
        searches.set(key, search(ctx, key, value, pair.key as Node));
      } catch (error) {
        if ((error as RuleError).span === undefined)
          throw y.error('E_SIGMA_DETECTION', String((error as Error).message), pair.key as Node);
        throw error;
      }
    }
  }
  if (conditionNode === undefined || conditionNode === null)
    throw y.error('E_SIGMA_DETECTION', "'detection' has no condition", detection);
  const conditionNodes = isSeq(conditionNode)
    ? conditionNode.items.map((x) => y.resolve(x))
    : [conditionNode];
  const conditions: Condition[] = [];
  const selections = new Map<string, string[]>();
  const ids = [...searches.keys()];
  for (const node of conditionNodes) {
    if (!node || !isScalar(node) || typeof node.value !== 'string')
      throw y.error('E_SIGMA_CONDITION', 'a condition must be text', node);
    const source = node.value;
    if (source.length > ctx.limits.maxConditionChars)
      throw y.error(
        'E_SIGMA_TOO_LARGE',
        `condition longer than ${ctx.limits.maxConditionChars} characters (limit maxConditionChars)`,
        node,
      );
    const fail = conditionOffsetError(ctx, node, source);
    const tree = parseCondition(source, ctx.limits.maxConditionDepth, fail);
    checkIdentifiers(tree, ids, selections, (message) => fail('E_SIGMA_CONDITION', message, 0));
    conditions.push(tree);
  }
  return { searches, conditions, selections };
}

function checkIdentifiers(
  c: Condition,
  ids: readonly string[],
  selections: Map<string, string[]>,
  fail: (m: string) => Error,
): void {
  switch (c.op) {
    case 'id':
      if (!ids.includes(c.name))
        throw fail(`unknown search identifier '${c.name}' (defined: ${ids.join(', ') || 'none'})`);
      return;
    case 'of': {
      const selected = selectIdentifiers(c.pattern, ids);
      if (selected.length === 0)
        throw fail(
          `'${c.pattern}' matches no search identifier (defined: ${ids.join(', ') || 'none'})`,
        );
      selections.set(c.pattern, selected);
      return;
    }
    case 'not':
      checkIdentifiers(c.item, ids, selections, fail);
      return;
    default:
      for (const x of c.items) checkIdentifiers(x, ids, selections, fail);
  }
}
