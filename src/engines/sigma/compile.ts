/**
 * Detection → closures, once per rule and source variant. A node evaluates to TRUE, FALSE or UNKNOWN
 * (Kleene logic): an item on a field the source lacks (OriginalFileName in Security 4688) is UNKNOWN,
 * so `selection and not filter_on_missing_field` stays UNKNOWN and does not fire, instead of firing
 * because the filter could not match. Each node also carries what the prefilter may use: the literals
 * one of which must occur in the event, and the EventIDs it can be true for.
 */
import type { Condition } from './condition.js';
import { SYSTEM_FIELDS, type EventDocument, type FieldValues } from './document.js';
import type { ItemSpec, RawValue } from './modifiers.js';
import {
  FALSE,
  TRUE,
  UNKNOWN,
  type CompiledNode,
  type Requirement,
  type SourceVariant,
  type Tri,
} from './types.js';

export type SearchSpec =
  { op: 'and' | 'or'; items: SearchSpec[] } | { op: 'item'; item: ItemSpec; raw: RawItem };

/**
 * An item as written (`field|modifiers: values`), before the modifiers are built into a test: plain
 * data, so a rule can cross to a worker thread and be rebuilt there without its YAML (pack.ts).
 */
export interface RawItem {
  field: string | undefined;
  modifiers: readonly string[];
  values: readonly RawValue[];
}

export interface DetectionSpec {
  searches: ReadonlyMap<string, SearchSpec>;
  /** Conditions of the rule (a list is OR-ed), identifiers already checked to exist. */
  conditions: readonly Condition[];
  /** Identifiers each `x of pattern` selects, resolved at load. */
  selections: ReadonlyMap<string, readonly string[]>;
}

const NEVER: CompiledNode = { evaluate: () => UNKNOWN, requirement: [], eventIds: null };

/** Necessary literal sets kept per node: each costs one check per candidate event. */
export const MAX_CLAUSES = 8;

/** A node's necessary literal sets (its own `clauses`, else its requirement alone). */
export function clausesOf(node: CompiledNode): readonly (readonly string[])[] {
  return node.clauses ?? (node.requirement === null ? [] : [node.requirement]);
}

/** All children's clauses (an AND needs each), deduplicated, the narrowest first, at most MAX_CLAUSES. */
function conjunction(nodes: readonly CompiledNode[]): (readonly string[])[] {
  const seen = new Map<string, readonly string[]>();
  for (const n of nodes) for (const c of clausesOf(n)) seen.set(c.join('\u0000'), c);
  return [...seen.values()].sort((a, b) => a.length - b.length).slice(0, MAX_CLAUSES);
}

/** An OR, k-of-n: one clause, the union of each child's requirement. */
function disjunction(requirement: Requirement): (readonly string[])[] {
  return requirement === null ? [] : [requirement];
}

function isAvailable(field: string, variant: SourceVariant): boolean {
  return !variant.available || variant.available.has(field) || SYSTEM_FIELDS.has(field);
}

/** Reads a field through the variant's name and value maps. */
function reader(
  field: string,
  lower: boolean,
  variant: SourceVariant,
): (doc: EventDocument) => FieldValues {
  const name = variant.fields[field] ?? field;
  const table = variant.values[field];
  if (!table) return lower ? (doc) => doc.findLower(name) : (doc) => doc.find(name);
  return (doc) => {
    const raw = doc.find(name);
    if (!raw) return raw;
    const mapped = raw.map((v) => table[v.toLowerCase()] ?? v);
    return lower ? mapped.map((v) => v.toLowerCase()) : mapped;
  };
}

export function compileItem(item: ItemSpec, variant: SourceVariant): CompiledNode {
  const { field, refField, test } = item;
  if (field === undefined) {
    const cased = !item.lower;
    return {
      evaluate: (doc) => (test(doc.keywordValues(cased)) ? TRUE : FALSE),
      requirement: item.requirement,
      eventIds: null,
    };
  }
  if (!isAvailable(field, variant) || (refField !== undefined && !isAvailable(refField, variant)))
    return NEVER;
  const translated = variant.values[field] !== undefined;
  const requirement = translated ? null : item.requirement;
  const eventIds = item.eventIds && !variant.fields[field] ? new Set(item.eventIds) : null;
  if (refField === undefined && !translated) {
    // the common case, one closure: read the (cached, lower-cased) values and test them
    const name = variant.fields[field] ?? field;
    const evaluate: CompiledNode['evaluate'] = item.lower
      ? (doc) => (test(doc.findLower(name)) ? TRUE : FALSE)
      : (doc) => (test(doc.find(name)) ? TRUE : FALSE);
    return { evaluate, requirement, eventIds };
  }
  const read = reader(field, item.lower, variant);
  if (refField !== undefined) {
    const readRef = reader(refField, item.lower, variant);
    return {
      evaluate: (doc) => (test(read(doc), readRef(doc)) ? TRUE : FALSE),
      requirement,
      eventIds,
    };
  }
  return { evaluate: (doc) => (test(read(doc)) ? TRUE : FALSE), requirement, eventIds };
}

/**
 * The stronger of two requirements: the one whose weakest literal is longest (a long literal is rare
 * in events: `\software\microsoft\windows\currentversion\run` beats `setvalue`), then the shorter list.
 */
function stronger(a: Requirement, b: Requirement): Requirement {
  if (a === null) return b;
  if (b === null) return a;
  const score = (r: readonly string[]) =>
    r.length === 0 ? Infinity : Math.min(16, ...r.map((l) => l.length)) * 1000 - r.length;
  return score(b) > score(a) ? b : a;
}

function union(list: readonly Requirement[]): Requirement {
  if (list.some((r) => r === null)) return null;
  return [...new Set(list.flatMap((r) => r!))];
}

function intersectIds(list: readonly (ReadonlySet<number> | null)[]): ReadonlySet<number> | null {
  let out: number[] | null = null;
  for (const s of list) {
    if (!s) continue;
    out = out === null ? [...s] : out.filter((x) => s.has(x));
  }
  return out === null ? null : new Set(out);
}

function unionIds(list: readonly (ReadonlySet<number> | null)[]): ReadonlySet<number> | null {
  if (list.some((s) => s === null)) return null;
  return new Set(list.flatMap((s) => [...s!]));
}

export function andNodes(nodes: readonly CompiledNode[]): CompiledNode {
  if (nodes.length === 1) return nodes[0]!;
  const evals = nodes.map((n) => n.evaluate);
  const evaluate = (doc: EventDocument): Tri => {
    let result: Tri = TRUE;
    for (let i = 0; i < evals.length; i++) {
      const v = evals[i]!(doc);
      if (v === FALSE) return FALSE;
      if (v === UNKNOWN) result = UNKNOWN;
    }
    return result;
  };
  return {
    evaluate,
    requirement: nodes.map((n) => n.requirement).reduce(stronger, null),
    clauses: conjunction(nodes),
    eventIds: intersectIds(nodes.map((n) => n.eventIds)),
  };
}

export function orNodes(nodes: readonly CompiledNode[]): CompiledNode {
  if (nodes.length === 1) return nodes[0]!;
  const evals = nodes.map((n) => n.evaluate);
  const evaluate = (doc: EventDocument): Tri => {
    let result: Tri = FALSE;
    for (let i = 0; i < evals.length; i++) {
      const v = evals[i]!(doc);
      if (v === TRUE) return TRUE;
      if (v === UNKNOWN) result = UNKNOWN;
    }
    return result;
  };
  const requirement = union(nodes.map((n) => n.requirement));
  return {
    evaluate,
    requirement,
    clauses: disjunction(requirement),
    eventIds: unionIds(nodes.map((n) => n.eventIds)),
  };
}

function notNode(node: CompiledNode): CompiledNode {
  const inner = node.evaluate;
  return {
    evaluate: (doc) => {
      const v = inner(doc);
      return v === TRUE ? FALSE : v === FALSE ? TRUE : UNKNOWN;
    },
    requirement: null,
    clauses: [],
    eventIds: null,
  };
}

function atLeast(count: number, nodes: readonly CompiledNode[]): CompiledNode {
  const evals = nodes.map((n) => n.evaluate);
  const requirement = union(nodes.map((n) => n.requirement));
  return {
    evaluate: (doc) => {
      let yes = 0;
      let maybe = 0;
      for (const e of evals) {
        const v = e(doc);
        if (v === TRUE && ++yes >= count) return TRUE;
        if (v === UNKNOWN) maybe++;
      }
      return yes + maybe >= count ? UNKNOWN : FALSE;
    },
    requirement,
    clauses: disjunction(requirement),
    eventIds: unionIds(nodes.map((n) => n.eventIds)),
  };
}

function compileSearch(search: SearchSpec, variant: SourceVariant): CompiledNode {
  if (search.op === 'item') return compileItem(search.item, variant);
  const nodes = search.items.map((s) => compileSearch(s, variant));
  return search.op === 'and' ? andNodes(nodes) : orNodes(nodes);
}

function compileCondition(
  c: Condition,
  spec: DetectionSpec,
  searches: Map<string, CompiledNode>,
): CompiledNode {
  switch (c.op) {
    case 'id':
      return searches.get(c.name)!;
    case 'not':
      return notNode(compileCondition(c.item, spec, searches));
    case 'and':
    case 'or': {
      const nodes = c.items.map((x) => compileCondition(x, spec, searches));
      return c.op === 'and' ? andNodes(nodes) : orNodes(nodes);
    }
    case 'of': {
      const nodes = (spec.selections.get(c.pattern) ?? []).map((id) => searches.get(id)!);
      if (c.count === 'all') return andNodes(nodes);
      if (c.count === 1) return orNodes(nodes);
      return atLeast(c.count, nodes);
    }
  }
}

/** The rule for one source: detection AND the source's own `where` conditions. */
export function compileDetection(
  spec: DetectionSpec,
  variant: SourceVariant,
  where: readonly ItemSpec[],
): CompiledNode {
  const searches = new Map<string, CompiledNode>();
  for (const [id, s] of spec.searches) searches.set(id, compileSearch(s, variant));
  const rule = orNodes(spec.conditions.map((c) => compileCondition(c, spec, searches)));
  if (where.length === 0) return rule;
  const plain: SourceVariant = { ...variant, fields: {}, values: {}, available: undefined };
  // The source's own conditions hold for nearly every event of the source: no prefilter literal.
  return andNodes([
    rule,
    ...where.map((w) => ({ ...compileItem(w, plain), requirement: null, clauses: [] })),
  ]);
}

/** Fields (as named in the source) the rule reads; `''` stands for an unfielded keyword search. */
export function referencedFields(spec: DetectionSpec, variant: SourceVariant): string[] {
  const out = new Set<string>();
  const walk = (x: SearchSpec) => {
    if (x.op !== 'item') return x.items.forEach(walk);
    const { field, refField } = x.item;
    out.add(field === undefined ? '' : (variant.fields[field] ?? field));
    if (refField !== undefined) out.add(variant.fields[refField] ?? refField);
  };
  for (const search of spec.searches.values()) walk(search);
  return [...out];
}
