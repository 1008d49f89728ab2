/**
 * The condition grammar of the Sigma rules specification 2.0 ("Condition"): `and`, `or`, `not`,
 * parentheses, `1 of X`, `all of X`, `N of X` where X is a search identifier, a pattern with `*`, or
 * `them` (every identifier not starting with `_`). Precedence, loosest first: or, and, not, x of,
 * parentheses. The legacy aggregations (`| count() by …`, `near`) are refused: Sigma v2 moved them to
 * correlation rules.
 */

export type Condition =
  | { op: 'id'; name: string }
  | { op: 'of'; count: number | 'all'; pattern: string }
  | { op: 'and' | 'or'; items: Condition[] }
  | { op: 'not'; item: Condition };

export type ConditionFail = (code: `E_${string}`, message: string, offset: number) => Error;

interface Token {
  text: string;
  at: number;
}

const TOKEN = /\s*(\(|\)|\||[^\s()|]+)/y;

function tokenize(source: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(source); m !== null; m = TOKEN.exec(source)) {
    out.push({ text: m[1]!, at: m.index + m[0].length - m[1]!.length });
  }
  return out;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', 'all']);

/** Parses one condition; `fail` builds the error for an offset into `source`. */
export function parseCondition(source: string, maxDepth: number, fail: ConditionFail): Condition {
  const tokens = tokenize(source);
  let i = 0;
  const peek = () => tokens[i];
  const word = (t: Token | undefined) => t?.text.toLowerCase();
  const end = source.length;

  const parseOr = (depth: number): Condition => {
    const items = [parseAnd(depth)];
    while (word(peek()) === 'or') {
      i++;
      items.push(parseAnd(depth));
    }
    return items.length === 1 ? items[0]! : { op: 'or', items };
  };
  const parseAnd = (depth: number): Condition => {
    const items = [parseNot(depth)];
    while (word(peek()) === 'and') {
      i++;
      items.push(parseNot(depth));
    }
    return items.length === 1 ? items[0]! : { op: 'and', items };
  };
  const parseNot = (depth: number): Condition => {
    if (depth > maxDepth)
      throw fail(
        'E_SIGMA_TOO_LARGE',
        `condition nests deeper than ${maxDepth} (limit maxConditionDepth)`,
        peek()?.at ?? end,
      );
    if (word(peek()) === 'not') {
      i++;
      return { op: 'not', item: parseNot(depth + 1) };
    }
    return parsePrimary(depth);
  };
  const parsePrimary = (depth: number): Condition => {
    const t = peek();
    if (!t)
      throw fail('E_SIGMA_CONDITION', 'condition ends where a search identifier was expected', end);
    if (t.text === '(') {
      i++;
      const inner = parseOr(depth + 1);
      if (peek()?.text !== ')') throw fail('E_SIGMA_CONDITION', "missing ')'", peek()?.at ?? end);
      i++;
      return inner;
    }
    if (t.text === '|' || word(t) === 'near')
      throw fail(
        'E_SIGMA_UNSUPPORTED_AGGREGATION',
        `legacy aggregation '${t.text}' is not supported: write a Sigma v2 correlation rule`,
        t.at,
      );
    const lower = word(t)!;
    if ((lower === 'all' || /^\d+$/.test(lower)) && word(tokens[i + 1]) === 'of') {
      const target = tokens[i + 2];
      if (
        !target ||
        target.text === '(' ||
        target.text === ')' ||
        (KEYWORDS.has(word(target)!) && word(target) !== 'them')
      )
        throw fail(
          'E_SIGMA_CONDITION',
          `'${t.text} of' must be followed by a search identifier pattern or 'them'`,
          target?.at ?? end,
        );
      i += 3;
      const count = lower === 'all' ? 'all' : Number(lower);
      if (count === 0) throw fail('E_SIGMA_CONDITION', "'0 of' is never true", t.at);
      return { op: 'of', count, pattern: word(target) === 'them' ? 'them' : target.text };
    }
    if (KEYWORDS.has(lower) || t.text === ')')
      throw fail('E_SIGMA_CONDITION', `unexpected '${t.text}'`, t.at);
    i++;
    return { op: 'id', name: t.text };
  };

  if (tokens.length === 0) throw fail('E_SIGMA_CONDITION', 'condition is empty', 0);
  const tree = parseOr(0);
  const rest = peek();
  if (rest) {
    if (rest.text === '|' || word(rest) === 'near')
      throw fail(
        'E_SIGMA_UNSUPPORTED_AGGREGATION',
        `legacy aggregation '${rest.text} …' is not supported: write a Sigma v2 correlation rule`,
        rest.at,
      );
    throw fail(
      'E_SIGMA_CONDITION',
      `unexpected '${rest.text}' after a complete condition`,
      rest.at,
    );
  }
  return tree;
}

/** Identifiers a pattern selects: `*` matches any run of characters; `them` every id not starting with `_`. */
export function selectIdentifiers(pattern: string, ids: readonly string[]): string[] {
  if (pattern === 'them') return ids.filter((id) => !id.startsWith('_'));
  if (!pattern.includes('*')) return ids.filter((id) => id === pattern);
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return ids.filter((id) => re.test(id));
}
