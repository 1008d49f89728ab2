/**
 * Sigma string values: text with `*` and `?` wildcards, `\` escapes and, under `expand`, `%name%`
 * placeholders (Sigma rules specification 2.0, "String Wildcard", "Escaping", "Placeholders").
 * Escaping follows pySigma: `\` escapes `*`, `?` and `\`; before any other character it stays a plain
 * backslash, so `C:\Windows` and `C:\\Windows` are the same value.
 */

export type StringPart =
  | { kind: 'text'; text: string }
  | { kind: 'any' } // `*`
  | { kind: 'one' } // `?`
  | { kind: 'placeholder'; name: string };

export type SigmaString = readonly StringPart[];

const ESCAPE = '\\';

/** Parses a rule value. `placeholders` turns `%name%` into placeholder parts (only under `expand`). */
export function parseSigmaString(raw: string, placeholders = false): SigmaString {
  const parts: StringPart[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === ESCAPE) {
      const next = raw[i + 1];
      if (next === '*' || next === '?' || next === ESCAPE || (placeholders && next === '%')) {
        text += next;
        i++;
      } else {
        text += c;
      }
    } else if (c === '*' || c === '?') {
      flush();
      parts.push({ kind: c === '*' ? 'any' : 'one' });
    } else if (placeholders && c === '%') {
      const end = raw.indexOf('%', i + 1);
      if (end > i + 1) {
        flush();
        parts.push({ kind: 'placeholder', name: raw.slice(i + 1, end) });
        i = end;
      } else {
        text += c;
      }
    } else {
      text += c;
    }
  }
  flush();
  return parts;
}

export function plainString(text: string): SigmaString {
  return text === '' ? [] : [{ kind: 'text', text }];
}

/** The value as plain text, or undefined when it holds wildcards or placeholders. */
export function plainText(value: SigmaString): string | undefined {
  let out = '';
  for (const part of value) {
    if (part.kind !== 'text') return undefined;
    out += part.text;
  }
  return out;
}

export function hasWildcards(value: SigmaString): boolean {
  return value.some((p) => p.kind === 'any' || p.kind === 'one');
}

export function placeholderNames(value: SigmaString): string[] {
  return value.flatMap((p) => (p.kind === 'placeholder' ? [p.name] : []));
}

/** `contains` / `startswith` / `endswith`: a `*` before and/or after, unless one is already there. */
export function withWildcards(value: SigmaString, before: boolean, after: boolean): SigmaString {
  const out = [...value];
  if (before && out[0]?.kind !== 'any') out.unshift({ kind: 'any' });
  if (after && out[out.length - 1]?.kind !== 'any') out.push({ kind: 'any' });
  return out;
}

/** Replaces every placeholder by each of its values (cartesian product), values parsed as Sigma strings. */
export function expandPlaceholders(
  value: SigmaString,
  resolve: (name: string) => readonly string[],
): SigmaString[] {
  let results: StringPart[][] = [[]];
  for (const part of value) {
    if (part.kind !== 'placeholder') {
      for (const r of results) r.push(part);
      continue;
    }
    const options = resolve(part.name).map((v) => parseSigmaString(v));
    results = results.flatMap((r) => options.map((o) => [...r, ...o]));
  }
  return results.map(mergeText);
}

function mergeText(parts: readonly StringPart[]): SigmaString {
  const out: StringPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (part.kind === 'text' && last?.kind === 'text')
      out[out.length - 1] = { kind: 'text', text: last.text + part.text };
    else out.push(part);
  }
  return out;
}

/** Maps the text parts through `f`, which may return several alternatives (windash). */
export function expandText(value: SigmaString, f: (text: string) => string[]): SigmaString[] {
  let results: StringPart[][] = [[]];
  for (const part of value) {
    if (part.kind !== 'text') {
      for (const r of results) r.push(part);
      continue;
    }
    const options = f(part.text);
    results = results.flatMap((r) =>
      options.map((text) => [...r, { kind: 'text', text } as StringPart]),
    );
  }
  return results.map(mergeText);
}

/** The longest run of plain text: every match of the value contains it (prefilter literal). */
export function longestText(value: SigmaString): string {
  let best = '';
  for (const part of value)
    if (part.kind === 'text' && part.text.length > best.length) best = part.text;
  return best;
}

/** For messages: the value written back in Sigma syntax. */
export function formatSigmaString(value: SigmaString): string {
  return value
    .map((p) =>
      p.kind === 'text'
        ? p.text.replace(/[*?]/g, (c) => `\\${c}`)
        : p.kind === 'any'
          ? '*'
          : p.kind === 'one'
            ? '?'
            : `%${p.name}%`,
    )
    .join('');
}

export type StringPredicate = (value: string) => boolean;

/** How one pattern matches: most Sigma values are one text at a fixed place, tested without a closure. */
export type PatternTest =
  | { kind: 'exact' | 'prefix' | 'suffix' | 'contains'; text: string }
  | { kind: 'always' }
  | { kind: 'other'; test: StringPredicate };

/**
 * Classifies a pattern for matching. Case-insensitive patterns compare against values the caller
 * already lower-cased (the document caches them), so the pattern is lower-cased once here.
 */
export function classifySigmaString(value: SigmaString, cased: boolean): PatternTest {
  const norm = (s: string) => (cased ? s : s.toLowerCase());
  const parts = value.map((p) =>
    p.kind === 'text' ? { kind: 'text' as const, text: norm(p.text) } : p,
  );
  if (parts.some((p) => p.kind === 'one' || p.kind === 'placeholder'))
    return { kind: 'other', test: compileGlob(parts) };
  const texts = parts.flatMap((p) => (p.kind === 'text' ? [p.text] : []));
  const starts = parts[0]?.kind !== 'any';
  const ends = parts[parts.length - 1]?.kind !== 'any';
  if (texts.length === 0)
    return parts.length === 0 ? { kind: 'exact', text: '' } : { kind: 'always' };
  if (texts.length === 1) {
    const text = texts[0]!;
    return {
      kind: starts && ends ? 'exact' : starts ? 'prefix' : ends ? 'suffix' : 'contains',
      text,
    };
  }
  return { kind: 'other', test: compileStarGlob(texts, starts, ends) };
}

/** A predicate for one pattern (see classifySigmaString). */
export function compileSigmaString(value: SigmaString, cased: boolean): StringPredicate {
  const c = classifySigmaString(value, cased);
  switch (c.kind) {
    case 'exact':
      return (v) => v === c.text;
    case 'prefix':
      return (v) => v.startsWith(c.text);
    case 'suffix':
      return (v) => v.endsWith(c.text);
    case 'contains':
      return (v) => v.includes(c.text);
    case 'always':
      return () => true;
    default:
      return c.test;
  }
}

/** `*` only: greedy left-to-right search is exact (each segment at its leftmost possible place). */
function compileStarGlob(
  texts: readonly string[],
  starts: boolean,
  ends: boolean,
): StringPredicate {
  return (v) => {
    let pos = 0;
    let first = 0;
    let last = texts.length;
    if (starts) {
      if (!v.startsWith(texts[0]!)) return false;
      pos = texts[0]!.length;
      first = 1;
    }
    let end = v.length;
    if (ends) {
      const tail = texts[texts.length - 1]!;
      if (!v.endsWith(tail) || v.length - tail.length < pos) return false;
      end = v.length - tail.length;
      last--;
    }
    for (let i = first; i < last; i++) {
      const at = v.indexOf(texts[i]!, pos);
      if (at < 0 || at + texts[i]!.length > end) return false;
      pos = at + texts[i]!.length;
    }
    return true;
  };
}

const ANY = -1;
const ONE = -2;

/**
 * `?` patterns: the classic two-pointer wildcard match, O(value × pattern) at worst and linear in
 * practice. // SECURITY: no regex here, so a rule with many `*` cannot make matching backtrack.
 */
function compileGlob(parts: readonly StringPart[]): StringPredicate {
  const pattern: number[] = [];
  for (const p of parts) {
    if (p.kind === 'any') pattern.push(ANY);
    else if (p.kind === 'one') pattern.push(ONE);
    else {
      const text = p.kind === 'text' ? p.text : `%${p.name}%`;
      for (let i = 0; i < text.length; i++) pattern.push(text.charCodeAt(i));
    }
  }
  return (v) => {
    let pi = 0;
    let vi = 0;
    let star = -1;
    let mark = 0;
    while (vi < v.length) {
      const pc = pattern[pi];
      if (pc !== undefined && (pc === ONE || pc === v.charCodeAt(vi))) {
        pi++;
        vi++;
      } else if (pc === ANY) {
        star = pi++;
        mark = vi;
      } else if (star >= 0) {
        pi = star + 1;
        vi = ++mark;
      } else {
        return false;
      }
    }
    while (pattern[pi] === ANY) pi++;
    return pi === pattern.length;
  };
}
