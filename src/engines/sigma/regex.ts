/**
 * The `re` modifier (modifiers appendix 2.1, "Regular Expression"): PCRE as rules write it, compiled
 * to a JS RegExp. Leading inline flags `(?i)`, `(?m)`, `(?s)` become JS flags; PCRE-only syntax that
 * JS lacks (possessive quantifiers, atomic groups, scoped or mid-pattern flags, `\A`/`\Z`) is refused
 * rather than silently changed. Nested unbounded quantifiers are refused as catastrophic.
 */
import { RuleError, type RuleSpan } from '../../core/index.js';

export interface TranslatedRegex {
  source: string;
  flags: string;
}

const INLINE_FLAGS = /^\(\?([ims]+)\)/;

/** PCRE → JS source and flags; throws RuleError (E_SIGMA_UNSUPPORTED_REGEX / E_SIGMA_REGEX). */
export function translateRegex(
  pattern: string,
  subModifiers: readonly string[],
  span?: RuleSpan,
): TranslatedRegex {
  const flags = new Set(subModifiers);
  let source = pattern;
  for (let m = INLINE_FLAGS.exec(source); m !== null; m = INLINE_FLAGS.exec(source)) {
    for (const f of m[1]!) flags.add(f);
    source = source.slice(m[0].length);
  }
  const refuse = (what: string) => {
    throw new RuleError(
      'E_SIGMA_UNSUPPORTED_REGEX',
      `regex ${JSON.stringify(pattern)}: ${what} is PCRE-only and has no JS equivalent`,
      span ? { span } : {},
    );
  };
  const bare = withoutEscapesAndClasses(source);
  if (/\(\?(?!P<)[a-zA-Z^-]+[:)]/.test(bare)) refuse('an inline flag group after the start');
  if (bare.includes('(?>')) refuse('an atomic group (?>…)');
  if (/[*+?}]\+/.test(bare)) refuse('a possessive quantifier');
  if (/\\[AZzGK]/.test(source.replace(/\\\\/g, 'x')))
    refuse('the anchor \\A, \\Z, \\z, \\G or \\K');
  source = source.replace(/\(\?P</g, '(?<');
  const jsFlags = [...flags]
    .filter((f) => 'ims'.includes(f))
    .sort()
    .join('');
  try {
    new RegExp(source, jsFlags);
  } catch (error) {
    throw new RuleError(
      'E_SIGMA_REGEX',
      `regex ${JSON.stringify(pattern)} does not compile: ${(error as Error).message}`,
      { ...(span ? { span } : {}), cause: error },
    );
  }
  if (hasNestedUnboundedQuantifier(source))
    throw new RuleError(
      'E_SIGMA_UNSAFE_REGEX',
      `regex ${JSON.stringify(pattern)} nests unbounded quantifiers (like (a+)+): catastrophic backtracking`,
      span ? { span } : {},
    );
  return { source, flags: jsFlags };
}

/** The pattern with each escape and character class replaced by `x`, for syntax checks. */
function withoutEscapesAndClasses(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      i++;
      out += 'x';
    } else if (s[i] === '[') {
      i = skipClass(s, i) - 1;
      out += 'x';
    } else out += s[i];
  }
  return out;
}

/** Reads the quantifier at `i`: its length and whether it is unbounded (`*`, `+`, `{n,}`). */
function quantifierAt(s: string, i: number): { length: number; unbounded: boolean } | undefined {
  const c = s[i];
  if (c === '*' || c === '+') return { length: s[i + 1] === '?' ? 2 : 1, unbounded: true };
  if (c === '?') return { length: s[i + 1] === '?' ? 2 : 1, unbounded: false };
  if (c === '{') {
    const m = /^\{(\d*)(,?)(\d*)\}/.exec(s.slice(i, i + 32));
    if (m && (m[1] !== '' || m[3] !== '')) {
      const big = m[2] === ',' && (m[3] === '' || Number(m[3]) > 64);
      return { length: m[0].length + (s[i + m[0].length] === '?' ? 1 : 0), unbounded: big };
    }
  }
  return undefined;
}

/** Skips a character class starting at `i` (`[`); returns the index after its `]`. */
function skipClass(s: string, i: number): number {
  let j = i + 1;
  if (s[j] === '^') j++;
  if (s[j] === ']') j++;
  for (; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === ']') return j + 1;
  }
  return s.length;
}

/** Star height ≥ 2 with both levels unbounded: `(a+)+`, `(\w*x)*`, `(?:.+){2,}`. */
export function hasNestedUnboundedQuantifier(s: string): boolean {
  const stack: boolean[] = [false];
  for (let i = 0; i < s.length;) {
    const c = s[i]!;
    let atomEnd: number;
    let innerUnbounded = false;
    if (c === '\\') atomEnd = i + 2;
    else if (c === '[') atomEnd = skipClass(s, i);
    else if (c === '(') {
      stack.push(false);
      i++;
      continue;
    } else if (c === ')') {
      innerUnbounded = stack.pop() ?? false;
      atomEnd = i + 1;
    } else atomEnd = i + 1;
    const q = quantifierAt(s, atomEnd);
    if (q?.unbounded && innerUnbounded) return true;
    const top = stack.length - 1;
    if (q?.unbounded || innerUnbounded) stack[top] = true;
    i = atomEnd + (q?.length ?? 0);
  }
  return false;
}

/**
 * A literal every match contains, lower-cased (prefilter), or '' when none is sure: runs of plain
 * characters at the top level of a pattern without top-level alternation.
 */
export function regexLiteral(s: string): string {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '[') i = skipClass(s, i) - 1;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return '';
  }
  let best = '';
  let run = '';
  const end = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < s.length;) {
    const c = s[i]!;
    let ch: string | undefined;
    let next: number;
    if (c === '\\') {
      const e = s[i + 1] ?? '';
      ch = /[A-Za-z0-9]/.test(e) || e === '' ? undefined : e;
      next = i + 2;
    } else if (c === '[') {
      next = skipClass(s, i);
    } else if (c === '(') {
      let d = 0;
      let j = i;
      for (; j < s.length; j++) {
        if (s[j] === '\\') j++;
        else if (s[j] === '[') j = skipClass(s, j) - 1;
        else if (s[j] === '(') d++;
        else if (s[j] === ')' && --d === 0) break;
      }
      next = j + 1;
    } else if ('.^$|)'.includes(c)) {
      next = i + 1;
    } else {
      ch = c;
      next = i + 1;
    }
    const q = quantifierAt(s, next);
    if (ch === undefined) end();
    else if (q === undefined) run += ch;
    else {
      const optional =
        s[next] === '*' || s[next] === '?' || /^\{0[,}]/.test(s.slice(next, next + 3));
      if (!optional) run += ch;
      end();
    }
    i = next + (q?.length ?? 0);
  }
  end();
  return best.toLowerCase();
}
