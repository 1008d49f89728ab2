/**
 * Match types with their own value semantics (modifiers appendix 2.1): `re` with `i`/`m`/`s`, `exists`,
 * `cidr`, `fieldref` (with `neq`/`contains`/`startswith`/`endswith`), `lt`/`lte`/`gt`/`gte` and the time
 * parts `minute` … `year`.
 */
import { cidrContains, parseCidr, parseIp, type Cidr } from './cidr.js';
import type { FieldValues } from './document.js';
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
import { regexLiteral, translateRegex } from './regex.js';
import type { RuleError } from '../../core/index.js';
import type { Requirement } from './types.js';

function stringsOf(raws: readonly RawValue[], what: string, ctx: ItemContext): string[] {
  return raws.map((r) => {
    if (r.kind === 'string' || r.kind === 'number') return r.text;
    throw ctx.fail(
      'E_SIGMA_MODIFIER_VALUE',
      `'${what}' needs text values, not ${r.kind === 'null' ? 'null' : String(r.value)}`,
    );
  });
}

export function buildRegex(
  field: string | undefined,
  matchers: readonly string[],
  transforms: readonly string[],
  raws: readonly RawValue[],
  all: boolean,
  ctx: ItemContext,
): ItemSpec {
  if (transforms.length > 0)
    throw ctx.fail(
      'E_SIGMA_MODIFIER_ORDER',
      `'${transforms[0]}' cannot come before 're': a regex is matched as written`,
    );
  const sub = matchers.slice(1);
  const bad = sub.find((m) => !(RE_FLAGS as readonly string[]).includes(m));
  if (bad)
    throw ctx.fail(
      'E_SIGMA_MODIFIER_ORDER',
      `'${bad}' cannot follow 're' (only the flags i, m, s can)`,
    );
  const max = ctx.maxRegexInput;
  const regexes = stringsOf(raws, 're', ctx).map((pattern) => {
    let t;
    try {
      t = translateRegex(pattern, sub);
    } catch (error) {
      throw ctx.fail((error as RuleError).code, (error as RuleError).message);
    }
    return { re: new RegExp(t.source, t.flags), literal: regexLiteral(t.source) };
  });
  // SECURITY: a regex sees at most maxRegexInputChars of a value, bounding backtracking on huge values.
  const one = (re: RegExp) => (vals: FieldValues) =>
    !!vals && vals.some((v) => re.test(v.length > max ? v.slice(0, max) : v));
  const preds = regexes.map((r) => one(r.re));
  const test = all
    ? (vals: FieldValues) => preds.every((p) => p(vals))
    : (vals: FieldValues) => preds.some((p) => p(vals));
  const lits = regexes.map((r) => r.literal);
  const requirement: Requirement = all
    ? lits.some((l) => l.length >= MIN_LITERAL)
      ? [bestSingle(lits)]
      : null
    : lits.every((l) => l.length >= MIN_LITERAL)
      ? unique(lits)
      : null;
  return { field, lower: false, test, requirement };
}

export function buildExists(
  field: string | undefined,
  matchers: readonly string[],
  raws: readonly RawValue[],
  ctx: ItemContext,
): ItemSpec {
  if (matchers.length > 1)
    throw ctx.fail('E_SIGMA_MODIFIER_ORDER', `'exists' cannot be combined with '${matchers[1]}'`);
  if (field === undefined) throw ctx.fail('E_SIGMA_MODIFIER_VALUE', `'exists' needs a field name`);
  const raw = raws.length === 1 ? raws[0]! : undefined;
  const expect =
    raw?.kind === 'boolean'
      ? raw.value
      : raw?.kind === 'string' && /^(true|false)$/i.test(raw.text)
        ? raw.text.toLowerCase() === 'true'
        : undefined;
  if (expect === undefined)
    throw ctx.fail('E_SIGMA_MODIFIER_VALUE', `'exists' takes one value, true or false`);
  return {
    field,
    lower: false,
    test: (vals) => (vals !== undefined) === expect,
    requirement: null,
  };
}

export function buildCidr(
  field: string | undefined,
  matchers: readonly string[],
  raws: readonly RawValue[],
  all: boolean,
  ctx: ItemContext,
): ItemSpec {
  if (matchers.length > 1)
    throw ctx.fail(
      'E_SIGMA_MODIFIER_ORDER',
      `'cidr' takes no other match modifier or transformation`,
    );
  const nets: Cidr[] = stringsOf(raws, 'cidr', ctx).map((text) => {
    const c = parseCidr(text);
    if (!c)
      throw ctx.fail(
        'E_SIGMA_MODIFIER_VALUE',
        `'${text}' is not an IPv4 or IPv6 network (like 10.0.0.0/8 or fe80::/10)`,
      );
    return c;
  });
  const inNet = (net: Cidr) => (vals: FieldValues) =>
    !!vals &&
    vals.some((v) => {
      const ip = parseIp(v);
      return ip !== undefined && cidrContains(net, ip);
    });
  const preds = nets.map(inNet);
  const test = all
    ? (vals: FieldValues) => preds.every((p) => p(vals))
    : (vals: FieldValues) => preds.some((p) => p(vals));
  return { field, lower: false, test, requirement: null };
}

export function buildFieldref(
  field: string | undefined,
  matchers: readonly string[],
  raws: readonly RawValue[],
  all: boolean,
  cased: boolean,
  ctx: ItemContext,
): ItemSpec {
  if (field === undefined)
    throw ctx.fail('E_SIGMA_MODIFIER_VALUE', `'fieldref' needs a field name`);
  const rest = matchers.slice(1);
  const negate = rest[0] === 'neq';
  const position = negate ? rest.slice(1) : rest;
  if (
    position.length > 1 ||
    (position[0] !== undefined && !['contains', 'startswith', 'endswith'].includes(position[0]))
  )
    throw ctx.fail(
      'E_SIGMA_MODIFIER_ORDER',
      `'fieldref' can be followed by neq, contains, startswith or endswith only`,
    );
  const refs = stringsOf(raws, 'fieldref', ctx);
  if (refs.length !== 1 || all)
    throw ctx.fail('E_SIGMA_MODIFIER_VALUE', `'fieldref' takes exactly one field name`);
  const cmp =
    position[0] === 'contains'
      ? (a: string, b: string) => a.includes(b)
      : position[0] === 'startswith'
        ? (a: string, b: string) => a.startsWith(b)
        : position[0] === 'endswith'
          ? (a: string, b: string) => a.endsWith(b)
          : (a: string, b: string) => a === b;
  const equal = (vals: FieldValues, ref?: FieldValues) =>
    !!vals && !!ref && vals.some((a) => ref.some((b) => cmp(a, b)));
  return {
    field,
    refField: refs[0]!,
    lower: !cased,
    test: negate ? (v, r) => !equal(v, r) : equal,
    requirement: null,
  };
}

const TIME_EXTRACT: Record<string, (d: Date) => number> = {
  minute: (d) => d.getUTCMinutes(),
  hour: (d) => d.getUTCHours(),
  day: (d) => d.getUTCDate(),
  month: (d) => d.getUTCMonth() + 1,
  year: (d) => d.getUTCFullYear(),
  week: (d) => isoWeek(d),
};

function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const jan1 = Date.UTC(t.getUTCFullYear(), 0, 1);
  return Math.ceil(((t.getTime() - jan1) / 86_400_000 + 1) / 7);
}

/** Event values as numbers: decimal, or `0x…` hex as Windows writes masks and ids. */
export function toNumber(text: string): number {
  const s = text.trim();
  if (s === '') return NaN;
  return /^-?0x[0-9a-f]+$/i.test(s)
    ? s.startsWith('-')
      ? -parseInt(s.slice(1), 16)
      : parseInt(s, 16)
    : Number(s);
}

export function buildCompare(
  field: string | undefined,
  matchers: readonly string[],
  raws: readonly RawValue[],
  all: boolean,
  ctx: ItemContext,
): ItemSpec {
  if (field === undefined)
    throw ctx.fail('E_SIGMA_MODIFIER_VALUE', `'${matchers[0]}' needs a field name`);
  let extract = (v: string) => toNumber(v);
  let ops = matchers;
  const part = matchers[0]!;
  if ((TIME_PARTS as readonly string[]).includes(part)) {
    const get = TIME_EXTRACT[part]!;
    extract = (v) => {
      const t = Date.parse(
        /[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v.replace(' ', 'T') : `${v.replace(' ', 'T')}Z`,
      );
      return Number.isNaN(t) ? NaN : get(new Date(t));
    };
    ops = matchers.slice(1);
  }
  if (
    ops.length > 1 ||
    (ops[0] !== undefined && !['lt', 'lte', 'gt', 'gte', 'neq'].includes(ops[0]))
  )
    throw ctx.fail(
      'E_SIGMA_MODIFIER_ORDER',
      `modifiers '${matchers.join('|')}' cannot be combined`,
    );
  const op = ops[0] ?? 'eq';
  const bounds = raws.map((r) => {
    const n = r.kind === 'number' ? r.value : r.kind === 'string' ? toNumber(r.text) : NaN;
    if (Number.isNaN(n))
      throw ctx.fail('E_SIGMA_MODIFIER_VALUE', `'${matchers.join('|')}' needs numbers`);
    return n;
  });
  const compare = (x: number, b: number) =>
    op === 'lt'
      ? x < b
      : op === 'lte'
        ? x <= b
        : op === 'gt'
          ? x > b
          : op === 'gte'
            ? x >= b
            : op === 'neq'
              ? x !== b
              : x === b;
  const one = (b: number) => (vals: FieldValues) =>
    !!vals &&
    vals.some((v) => {
      const x = extract(v);
      return !Number.isNaN(x) && compare(x, b);
    });
  const preds = bounds.map(one);
  const test = all
    ? (vals: FieldValues) => preds.every((p) => p(vals))
    : (vals: FieldValues) => preds.some((p) => p(vals));
  return { field, lower: false, test, requirement: null };
}
