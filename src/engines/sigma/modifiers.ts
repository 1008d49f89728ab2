/**
 * Value modifiers (Sigma modifiers appendix 2.1) as an explicit allowlist, chainsaw-style: a modifier
 * that is not listed here fails its rule loudly (E_SIGMA_UNSUPPORTED_MODIFIER) instead of matching
 * something else. Modifiers apply left to right ("applied in the given order"). Text values take
 * transformations (`expand`, `windash`, `base64`, `base64offset`, `utf16*`, `wide`) and one of
 * `contains`/`startswith`/`endswith`; the encodings cannot encode wildcards, so they must come before
 * the position, while `windash` and `expand` may follow it (`contains|windash`, as SigmaHQ writes).
 * Other match types (`re` [`i` `m` `s`], `cidr`, `lt`…, `exists`, `fieldref`, `neq`, a time part) have
 * their own rules; `all` and `cased` go anywhere. A wrong order is an error that says the fix.
 */
import type { FieldValues } from './document.js';
import {
  base64,
  base64OffsetVariants,
  latin1,
  utf16Bytes,
  utf8Bytes,
  windashCount,
  windashVariants,
} from './encodings.js';
import {
  bestSingle,
  MIN_LITERAL,
  RE_FLAGS,
  TIME_PARTS,
  unique,
  type ItemContext,
  type ItemSpec,
  type RawValue,
} from './item-spec.js';
import { buildCidr, buildCompare, buildExists, buildFieldref, buildRegex } from './match-types.js';
import {
  classifySigmaString,
  expandPlaceholders,
  expandText,
  formatSigmaString,
  longestText,
  parseSigmaString,
  placeholderNames,
  plainText,
  withWildcards,
  type SigmaString,
  type StringPredicate,
} from './sigma-string.js';
import type { Requirement } from './types.js';

const TRANSFORMS = [
  'expand',
  'windash',
  'base64',
  'base64offset',
  'utf16le',
  'utf16be',
  'utf16',
  'wide',
] as const;
const MATCH_TYPES = [
  'contains',
  'startswith',
  'endswith',
  're',
  'cidr',
  'lt',
  'lte',
  'gt',
  'gte',
  'exists',
  'fieldref',
  'neq',
] as const;
const FLAGS = ['all', 'cased'] as const;

const POSITIONS: ReadonlySet<string> = new Set(['contains', 'startswith', 'endswith']);
/** Match types with their own value semantics (not text patterns). */
const SPECIAL_TYPES: ReadonlySet<string> = new Set([
  're',
  'cidr',
  'lt',
  'lte',
  'gt',
  'gte',
  'exists',
  'fieldref',
  ...TIME_PARTS,
]);

/** Every modifier this engine implements; anything else refuses the rule. */
export const SUPPORTED_MODIFIERS: ReadonlySet<string> = new Set([
  ...TRANSFORMS,
  ...MATCH_TYPES,
  ...TIME_PARTS,
  ...RE_FLAGS,
  ...FLAGS,
]);

type Val = { kind: 'str'; s: SigmaString } | { kind: 'bytes'; b: Uint8Array } | { kind: 'null' };
type Placed = Exclude<Val, { kind: 'bytes' }>;

/** `Image|endswith|cased` → field and modifiers; `|all` alone → keyword item with `all`. */
export function splitFieldKey(key: string): { field: string | undefined; modifiers: string[] } {
  const [field, ...modifiers] = key.split('|');
  return { field: field === '' ? undefined : field, modifiers };
}

export function buildItem(
  field: string | undefined,
  modifiers: readonly string[],
  raws: readonly RawValue[],
  ctx: ItemContext,
): ItemSpec {
  for (const m of modifiers) {
    if (!SUPPORTED_MODIFIERS.has(m))
      throw ctx.fail(
        'E_SIGMA_UNSUPPORTED_MODIFIER',
        `modifier '${m}' is not supported (supported: ${[...SUPPORTED_MODIFIERS].join(', ')})`,
      );
  }
  const all = modifiers.includes('all');
  const cased = modifiers.includes('cased');
  const chain = modifiers.filter((m) => m !== 'all' && m !== 'cased');
  const typeAt = chain.findIndex((m) => SPECIAL_TYPES.has(m));
  if (typeAt >= 0) {
    const transforms = chain.slice(0, typeAt);
    const matchers = chain.slice(typeAt);
    const kind = matchers[0]!;
    if (kind === 're') return buildRegex(field, matchers, transforms, raws, all, ctx);
    if (transforms.length > 0)
      throw ctx.fail('E_SIGMA_MODIFIER_ORDER', `'${transforms[0]}' cannot come before '${kind}'`);
    const flag = matchers.find((m) => (RE_FLAGS as readonly string[]).includes(m));
    if (flag)
      throw ctx.fail(
        'E_SIGMA_MODIFIER_ORDER',
        `'${flag}' is a sub-modifier of 're' and must follow it`,
      );
    if (kind === 'exists') return buildExists(field, matchers, raws, ctx);
    if (kind === 'cidr') return buildCidr(field, matchers, raws, all, ctx);
    if (kind === 'fieldref') return buildFieldref(field, matchers, raws, all, cased, ctx);
    return buildCompare(field, matchers, raws, all, ctx);
  }
  // Text patterns: transformations and one of contains/startswith/endswith, in the order written.
  // `windash` and `expand` rewrite text around wildcards, so they may follow `contains`; the
  // encodings cannot encode wildcards, so they must precede it (pySigma applies the same order).
  let values = raws.map((r) => rawToVal(r, chain.includes('expand')));
  let position: string | undefined;
  let negate = false;
  for (const m of chain) {
    if ((RE_FLAGS as readonly string[]).includes(m))
      throw ctx.fail(
        'E_SIGMA_MODIFIER_ORDER',
        `'${m}' is a sub-modifier of 're' and must follow it`,
      );
    if (m === 'neq') {
      if (negate || position)
        throw ctx.fail(
          'E_SIGMA_MODIFIER_ORDER',
          `'neq' must come before contains/startswith/endswith, once`,
        );
      negate = true;
    } else if (POSITIONS.has(m)) {
      if (position)
        throw ctx.fail(
          'E_SIGMA_MODIFIER_ORDER',
          `'${position}' and '${m}' cannot be combined: use one`,
        );
      position = m;
      values = values.map((v) => placeValue(v, m, ctx));
    } else {
      values = values.flatMap((v) => applyTransform(m, v, ctx));
      if (values.length > ctx.maxValues)
        throw ctx.fail(
          'E_SIGMA_TOO_LARGE',
          `'${m}' expands to more than ${ctx.maxValues} values (limit maxValuesPerRule)`,
        );
    }
  }
  // A keyword is searched anywhere in the event's values (full-text search, rules specification).
  if (field === undefined && !position) values = values.map((v) => placeValue(v, 'contains', ctx));
  const placed = values.map((v) => placeValue(v, undefined, ctx));
  return buildPatterns(
    field,
    placed,
    all,
    cased,
    negate,
    chain.some((m) => !POSITIONS.has(m) && m !== 'neq'),
  );
}

function rawToVal(raw: RawValue, placeholders: boolean): Val {
  if (raw.kind === 'null') return { kind: 'null' };
  const text = raw.kind === 'boolean' ? String(raw.value) : raw.text;
  return {
    kind: 'str',
    s: raw.kind === 'string' ? parseSigmaString(text, placeholders) : [{ kind: 'text', text }],
  };
}

function needPlain(t: string, v: Val, ctx: ItemContext): Uint8Array {
  if (v.kind === 'bytes') return v.b;
  if (v.kind === 'null') throw ctx.fail('E_SIGMA_MODIFIER_VALUE', `'${t}' cannot apply to null`);
  const text = plainText(v.s);
  if (text === undefined)
    throw ctx.fail(
      'E_SIGMA_MODIFIER_ORDER',
      `'${t}' cannot encode the wildcards of '${formatSigmaString(v.s)}': put contains/startswith/endswith after '${t}'`,
    );
  return utf8Bytes(text);
}

function applyTransform(t: string, v: Val, ctx: ItemContext): Val[] {
  switch (t) {
    case 'expand': {
      if (v.kind !== 'str') return [v];
      for (const name of placeholderNames(v.s)) {
        if (!ctx.placeholders?.[name])
          throw ctx.fail(
            'E_SIGMA_UNRESOLVED_PLACEHOLDER',
            `placeholder %${name}% has no values: give it in the placeholders configuration or leave the rule out`,
          );
      }
      return expandPlaceholders(v.s, (name) => ctx.placeholders![name]!).map((s) => ({
        kind: 'str',
        s,
      }));
    }
    case 'windash': {
      if (v.kind !== 'str')
        throw ctx.fail(
          'E_SIGMA_MODIFIER_ORDER',
          `'windash' applies to text, not to encoded bytes or null`,
        );
      const count = v.s.reduce((n, p) => n * (p.kind === 'text' ? windashCount(p.text) : 1), 1);
      if (count > ctx.maxValues)
        throw ctx.fail(
          'E_SIGMA_TOO_LARGE',
          `'windash' expands to ${count} values (limit maxValuesPerRule ${ctx.maxValues})`,
        );
      return expandText(v.s, windashVariants).map((s) => ({ kind: 'str', s }));
    }
    case 'base64':
      return [{ kind: 'str', s: [{ kind: 'text', text: base64(bytesFor(t, v, ctx)) }] }];
    case 'base64offset':
      return base64OffsetVariants(bytesFor(t, v, ctx)).map((text) => ({
        kind: 'str',
        s: [{ kind: 'text', text }],
      }));
    case 'utf16le':
    case 'wide':
      return [{ kind: 'bytes', b: utf16Bytes(textFor(t, v, ctx), 'le') }];
    case 'utf16be':
      return [{ kind: 'bytes', b: utf16Bytes(textFor(t, v, ctx), 'be') }];
    default: // utf16: with a byte order mark, little-endian as Windows writes it
      return [{ kind: 'bytes', b: utf16Bytes(textFor(t, v, ctx), 'le', true) }];
  }
}

function bytesFor(t: string, v: Val, ctx: ItemContext): Uint8Array {
  return needPlain(t, v, ctx);
}

function textFor(t: string, v: Val, ctx: ItemContext): string {
  if (v.kind === 'bytes')
    throw ctx.fail(
      'E_SIGMA_MODIFIER_ORDER',
      `'${t}' encodes text, but the value is already encoded bytes`,
    );
  if (v.kind === 'null') throw ctx.fail('E_SIGMA_MODIFIER_VALUE', `'${t}' cannot apply to null`);
  const text = plainText(v.s);
  if (text === undefined)
    throw ctx.fail(
      'E_SIGMA_MODIFIER_ORDER',
      `'${t}' cannot encode the wildcards of '${formatSigmaString(v.s)}': put contains/startswith/endswith after '${t}'`,
    );
  return text;
}

function placeValue(v: Val, position: string | undefined, ctx: ItemContext): Placed {
  if (position === undefined)
    return v.kind === 'bytes' ? { kind: 'str', s: [{ kind: 'text', text: latin1(v.b) }] } : v;
  if (v.kind === 'null')
    throw ctx.fail(
      'E_SIGMA_MODIFIER_VALUE',
      `'${position}' cannot apply to null (use 'Field: null' for an absent field)`,
    );
  const s: SigmaString = v.kind === 'bytes' ? [{ kind: 'text', text: latin1(v.b) }] : v.s;
  return { kind: 'str', s: withWildcards(s, position !== 'startswith', position !== 'endswith') };
}

type ValuePredicate = (values: FieldValues) => boolean;

const EXACT = 0;
const PREFIX = 1;
const SUFFIX = 2;
const CONTAINS = 3;
const ALWAYS = 4;
const OTHER = 5;
const NULL = 6;
const EMPTY = 7;
/** A value answered by containsIndex instead. */
const NEVER_MATCH = 8;

/**
 * One predicate for all the values of an item, over a table of (kind, text): no closure per value,
 * which keeps 3,000 rules small and the calls monomorphic.
 */
function valuesPredicate(values: readonly Placed[], all: boolean, cased: boolean): ValuePredicate {
  const kinds: number[] = [];
  const texts: string[] = [];
  const others: (StringPredicate | undefined)[] = [];
  for (const v of values) {
    if (v.kind === 'null') {
      kinds.push(NULL);
    } else if (plainText(v.s) === '') {
      kinds.push(EMPTY);
    } else {
      const c = classifySigmaString(v.s, cased);
      kinds.push(
        c.kind === 'exact'
          ? EXACT
          : c.kind === 'prefix'
            ? PREFIX
            : c.kind === 'suffix'
              ? SUFFIX
              : c.kind === 'contains'
                ? CONTAINS
                : c.kind === 'always'
                  ? ALWAYS
                  : OTHER,
      );
      texts[kinds.length - 1] = c.kind === 'always' || c.kind === 'other' ? '' : c.text;
      if (c.kind === 'other') others[kinds.length - 1] = c.test;
    }
    texts[kinds.length - 1] ??= '';
  }
  const many = all ? undefined : containsIndex(kinds, texts);
  if (many) for (const j of many.covered) kinds[j] = NEVER_MATCH;
  const n = kinds.length;
  const one = (vals: FieldValues, j: number): boolean => {
    const kind = kinds[j]!;
    if (kind === NULL) return vals === undefined || vals === null;
    if (kind === EMPTY) return vals === null || (vals !== undefined && vals.includes(''));
    if (!vals || kind === NEVER_MATCH) return false;
    const t = texts[j]!;
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i]!;
      if (
        kind === EXACT
          ? v === t
          : kind === CONTAINS
            ? v.includes(t)
            : kind === SUFFIX
              ? v.endsWith(t)
              : kind === PREFIX
                ? v.startsWith(t)
                : kind === ALWAYS || others[j]!(v)
      )
        return true;
    }
    return false;
  };
  if (all) {
    return (vals) => {
      for (let j = 0; j < n; j++) if (!one(vals, j)) return false;
      return true;
    };
  }
  if (many)
    return (vals) => {
      if (vals && many.test(vals)) return true;
      for (let j = 0; j < n; j++) if (one(vals, j)) return true;
      return false;
    };
  return (vals) => {
    for (let j = 0; j < n; j++) if (one(vals, j)) return true;
    return false;
  };
}

/** From this many `contains` values on, an item looks them up by first unit in one pass per value. */
export const MANY_CONTAINS = 32;

/**
 * `contains` over a long list (SigmaHQ's emoji and homoglyph rules: hundreds of values) as one pass
 * over each event value: values are bucketed by their first UTF-16 unit (a 256-entry filter on its
 * low byte first), and only the buckets of the units present are compared with startsWith. The same
 * answer as `includes` per value, at a cost that no longer grows with the list.
 */
function containsIndex(
  kinds: readonly number[],
  texts: readonly string[],
): { covered: number[]; test: (vals: readonly string[]) => boolean } | undefined {
  const covered = kinds.flatMap((k, j) => (k === CONTAINS && texts[j] !== '' ? [j] : []));
  if (covered.length < MANY_CONTAINS) return undefined;
  const filter = new Uint8Array(256);
  const byFirst = new Map<number, string[]>();
  for (const j of covered) {
    const t = texts[j]!;
    const c = t.charCodeAt(0);
    filter[c & 0xff] = 1;
    const list = byFirst.get(c);
    if (list) list.push(t);
    else byFirst.set(c, [t]);
  }
  const test = (vals: readonly string[]): boolean => {
    for (let v = 0; v < vals.length; v++) {
      const s = vals[v]!;
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (filter[c & 0xff] === 0) continue;
        const list = byFirst.get(c);
        if (list === undefined) continue;
        for (let k = 0; k < list.length; k++) if (s.startsWith(list[k]!, i)) return true;
      }
    }
    return false;
  };
  return { covered, test };
}

function buildPatterns(
  field: string | undefined,
  values: readonly Placed[],
  all: boolean,
  cased: boolean,
  negate: boolean,
  transformed: boolean,
): ItemSpec {
  const literals: string[] = [];
  let indexable = true;
  const ids: number[] = [];
  let numeric = true;
  for (const v of values) {
    const text = v.kind === 'null' ? undefined : plainText(v.s);
    if (v.kind === 'null' || text === '') {
      indexable = false;
      numeric = false;
      continue;
    }
    const lit = longestText(v.s).toLowerCase();
    if (lit.length >= MIN_LITERAL) literals.push(lit);
    else indexable = false;
    if (text !== undefined && /^\d+$/.test(text)) ids.push(Number(text));
    else numeric = false;
  }
  const combined = valuesPredicate(values, all, cased);
  const test: ItemSpec['test'] = negate ? (vals) => !combined(vals) : combined;
  let requirement: Requirement = null;
  if (!negate && literals.length > 0 && (all || indexable)) {
    requirement = all ? [bestSingle(literals)] : unique(literals);
  }
  const eventIds =
    field === 'EventID' &&
    !negate &&
    !all &&
    !transformed &&
    numeric &&
    ids.length === values.length
      ? ids
      : undefined;
  return { field, lower: !cased, test, requirement, ...(eventIds ? { eventIds } : {}) };
}

export { MIN_LITERAL, type ItemContext, type ItemSpec, type RawValue };
