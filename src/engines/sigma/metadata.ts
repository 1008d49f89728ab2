/** Rule metadata shared by detection and correlation rules: title, id, name, level, tags. */
import type { RuleSpan, Severity, Step } from '../../core/index.js';
import { attackIds, stepForTags } from './attack-steps.js';
import { isMap, isScalar, isSeq, type Node, type YamlDoc, type YAMLMap } from './yaml-node.js';

export interface RuleMeta {
  id: string;
  hasId: boolean;
  name?: string;
  title: string;
  level: Severity;
  status?: string;
  tags: string[];
  attack: string[];
  step: Step;
  span: RuleSpan;
}

const LEVELS: Readonly<Record<string, Severity>> = {
  informational: 'info',
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'critical',
};

/** Sigma leaves `level` optional; a rule without one is reviewed like a medium one. */
export const DEFAULT_LEVEL: Severity = 'medium';

export function text(y: YamlDoc, node: Node | null | undefined, what: string): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (!isScalar(node) || node.value === null || typeof node.value === 'object')
    throw y.error('E_SIGMA_METADATA', `'${what}' must be text`, node);
  return y.scalarText(node);
}

export function textList(y: YamlDoc, node: Node | null | undefined, what: string): string[] {
  if (node === undefined || node === null) return [];
  if (!isSeq(node)) return [text(y, node, what)!];
  return node.items.map((x) => text(y, y.resolve(x), what) ?? '');
}

export function parseMeta(y: YamlDoc, root: YAMLMap, fallbackId: string): RuleMeta {
  const title = text(y, y.get(root, 'title'), 'title');
  if (title === undefined || title.trim() === '')
    throw y.error('E_SIGMA_METADATA', "rule has no 'title'", root);
  const id = text(y, y.get(root, 'id'), 'id');
  const name = text(y, y.get(root, 'name'), 'name');
  const levelNode = y.get(root, 'level');
  const levelText = text(y, levelNode, 'level');
  const level = levelText === undefined ? DEFAULT_LEVEL : LEVELS[levelText.toLowerCase()];
  if (level === undefined)
    throw y.error(
      'E_SIGMA_METADATA',
      `level '${levelText}' is not one of ${Object.keys(LEVELS).join(', ')}`,
      levelNode,
    );
  const status = text(y, y.get(root, 'status'), 'status');
  const tags = textList(y, y.get(root, 'tags'), 'tags');
  return {
    id: id ?? name ?? fallbackId,
    hasId: id !== undefined,
    ...(name !== undefined ? { name } : {}),
    title,
    level,
    ...(status !== undefined ? { status } : {}),
    tags,
    attack: attackIds(tags),
    step: stepForTags(tags),
    span: y.span(root),
  };
}

export function isMapNode(node: Node | null | undefined): node is YAMLMap {
  return !!node && isMap(node);
}
