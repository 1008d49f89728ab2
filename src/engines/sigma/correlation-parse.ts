/**
 * Sigma v2 correlation rules (correlation rules specification 2.0): `event_count`, `value_count`,
 * `temporal`, `temporal_ordered`, with `group-by`, `timespan`, `condition`, `aliases` and `generate`.
 * References to rules are resolved after every file is loaded (rules may sit in other files).
 */
import type { CorrelationType, CountCondition, SigmaCorrelation } from './types.js';
import { isMapNode, parseMeta, text, textList } from './metadata.js';
import { isMap, type YamlDoc, type YAMLMap } from './yaml-node.js';

const TYPES: readonly CorrelationType[] = [
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
];
const UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const OPS = ['gt', 'gte', 'lt', 'lte', 'eq'] as const;

export function parseTimespan(value: string): number | undefined {
  const m = /^(\d+)([smhd])$/.exec(value.trim());
  return m ? Number(m[1]) * UNITS[m[2]!]! : undefined;
}

export function parseCorrelation(
  y: YamlDoc,
  root: YAMLMap,
  path: string,
  fallbackId: string,
): SigmaCorrelation {
  const meta = parseMeta(y, root, fallbackId);
  const node = y.get(root, 'correlation');
  if (!isMapNode(node)) throw y.error('E_SIGMA_CORRELATION', "'correlation' must be a map", node);
  const typeNode = y.get(node, 'type');
  const type = text(y, typeNode, 'type') as CorrelationType | undefined;
  if (type === undefined || !TYPES.includes(type))
    throw y.error(
      'E_SIGMA_UNSUPPORTED_CORRELATION',
      `correlation type '${type ?? ''}' is not supported (supported: ${TYPES.join(', ')})`,
      typeNode ?? node,
    );
  const rules = textList(y, y.get(node, 'rules'), 'rules');
  if (rules.length === 0) throw y.error('E_SIGMA_CORRELATION', "correlation has no 'rules'", node);
  const groupBy = textList(y, y.get(node, 'group-by'), 'group-by');
  const spanNode = y.get(node, 'timespan') ?? y.get(node, 'timeframe');
  const spanText = text(y, spanNode, 'timespan');
  const timespanMs = spanText === undefined ? undefined : parseTimespan(spanText);
  if (timespanMs === undefined || timespanMs <= 0)
    throw y.error(
      'E_SIGMA_TIMESPAN',
      `timespan '${spanText ?? ''}' must be a number and a unit s, m, h or d (like 90m)`,
      spanNode ?? node,
    );
  const condNode = y.get(node, 'condition');
  const condition: CountCondition = {};
  let field: string | undefined;
  if (condNode !== undefined && condNode !== null) {
    if (!isMap(condNode))
      throw y.error('E_SIGMA_CORRELATION', "'condition' must be a map like {gte: 10}", condNode);
    for (const [k, v] of y.entries(condNode)) {
      if (k === 'field') field = text(y, v, 'field');
      else if ((OPS as readonly string[]).includes(k)) {
        const n = Number(text(y, v, k));
        if (!Number.isFinite(n))
          throw y.error('E_SIGMA_CORRELATION', `condition '${k}' needs a number`, v);
        condition[k as (typeof OPS)[number]] = n;
      } else
        throw y.error(
          'E_SIGMA_CORRELATION',
          `unknown condition '${k}' (use ${OPS.join(', ')}, field)`,
          v,
        );
    }
  }
  const counting = type === 'event_count' || type === 'value_count';
  if (counting && Object.keys(condition).length === 0)
    throw y.error(
      'E_SIGMA_CORRELATION',
      `${type} needs a condition like {gte: 10}`,
      condNode ?? node,
    );
  if (type === 'value_count' && field === undefined)
    throw y.error(
      'E_SIGMA_CORRELATION',
      "value_count needs 'field' in its condition",
      condNode ?? node,
    );
  const aliases: Record<string, Record<string, string>> = {};
  const aliasNode = y.get(node, 'aliases');
  if (aliasNode !== undefined && aliasNode !== null) {
    if (!isMap(aliasNode))
      throw y.error('E_SIGMA_CORRELATION', "'aliases' must be a map", aliasNode);
    for (const [alias, perRule] of y.entries(aliasNode)) {
      if (!isMapNode(perRule))
        throw y.error(
          'E_SIGMA_CORRELATION',
          `alias '${alias}' must map rule names to fields`,
          perRule,
        );
      aliases[alias] = Object.fromEntries(
        y.entries(perRule).map(([rule, f]) => [rule, text(y, f, `aliases.${alias}.${rule}`) ?? '']),
      );
    }
  }
  const generateNode = y.get(node, 'generate') ?? y.get(root, 'generate');
  const generate =
    generateNode !== undefined && generateNode !== null && String(y.toJS(generateNode)) === 'true';
  return {
    id: meta.id,
    ...(meta.name !== undefined ? { name: meta.name } : {}),
    title: meta.title,
    level: meta.level,
    path,
    span: meta.span,
    tags: meta.tags,
    attack: meta.attack,
    step: meta.step,
    type,
    rules,
    groupBy,
    aliases,
    timespanMs,
    condition,
    ...(field !== undefined ? { field } : {}),
    generate,
  };
}
