/**
 * The comparison subset of STIX 2.1 patterning (STIX 2.1 §9, https://docs.oasis-open.org/cti/stix/v2.1/
 * os/stix-v2.1-os.html#_e8slinrhxcc9) that reduces to indicators a log can be matched against:
 * `=` and `IN` on `ipv4-addr:value`, `ipv6-addr:value`, `domain-name:value`, `url:value`,
 * `file:hashes.'SHA-256'|MD5|'SHA-1'`, `ISSUBSET` on an address (a CIDR), joined by `OR` anywhere and
 * by `AND` inside one observation when every operand is a hash of the same file. Everything else
 * (`!=`, `LIKE`, `MATCHES`, `NOT`, `FOLLOWEDBY`, qualifiers, `AND` across objects or observations,
 * other object types) is refused with the reason: it needs event correlation, not an indicator lookup.
 */
import type { IocType } from './types.js';

export interface PatternIndicator {
  type: IocType;
  value: string;
}

export type PatternResult = { indicators: PatternIndicator[] } | { error: string };

const MAX_PATTERN_CHARS = 64 * 1024;
const MAX_DEPTH = 32;
const MAX_INDICATORS = 10_000;

type Token = { kind: 'str' | 'word' | 'punct'; text: string };

class Refused extends Error {}

function tokenize(pattern: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= pattern.length) throw new Refused('unterminated string literal');
        const d = pattern[j]!;
        if (d === '\\') {
          const e = pattern[j + 1];
          if (e !== "'" && e !== '\\') throw new Refused('invalid escape in a string literal');
          text += e;
          j += 2;
        } else if (d === "'") {
          break;
        } else {
          text += d;
          j++;
        }
      }
      out.push({ kind: 'str', text });
      i = j + 1;
    } else if (/[A-Za-z0-9_-]/.test(c)) {
      const m = /^[A-Za-z0-9_-]+/.exec(pattern.slice(i, i + 256))!;
      if (pattern[i + m[0].length] === "'" && /^[thb]$/.test(m[0])) {
        throw new Refused(`typed literal ${m[0]}'…' is not supported`);
      }
      out.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    } else {
      const two = pattern.slice(i, i + 2);
      const text = ['!=', '<=', '>='].includes(two) ? two : c;
      if (text.length === 1 && !'[]():.,=<>*'.includes(text))
        throw new Refused(`unexpected character "${c}"`);
      out.push({ kind: 'punct', text });
      i += text.length;
    }
  }
  return out;
}

const HASH_TYPES: Record<string, IocType> = {
  'SHA-256': 'sha256',
  SHA256: 'sha256',
  'SHA-1': 'sha1',
  SHA1: 'sha1',
  MD5: 'md5',
};

/** A set of alternative indicators; `object` tells what AND may combine (all the same file). */
interface Alt {
  indicators: PatternIndicator[];
  object: string;
}

class Parser {
  #i = 0;
  #depth = 0;
  constructor(private readonly tokens: Token[]) {}

  #peek(): Token | undefined {
    return this.tokens[this.#i];
  }
  #next(): Token {
    const t = this.tokens[this.#i++];
    if (!t) throw new Refused('unexpected end of pattern');
    return t;
  }
  #expect(text: string): void {
    const t = this.#next();
    if (t.text !== text || t.kind === 'str')
      throw new Refused(`expected "${text}", found "${t.text}"`);
  }
  #isWord(text: string): boolean {
    const t = this.#peek();
    return t !== undefined && t.kind === 'word' && t.text === text;
  }

  parse(): Alt {
    const alt = this.#observations();
    if (this.#peek()) throw new Refused(`unexpected "${this.#peek()!.text}" after the pattern`);
    return alt;
  }

  #observations(): Alt {
    if (++this.#depth > MAX_DEPTH) throw new Refused('pattern nested too deep');
    let alt = this.#observation();
    for (;;) {
      if (this.#isWord('OR')) {
        this.#next();
        alt = union(alt, this.#observation());
      } else if (this.#isWord('AND') || this.#isWord('FOLLOWEDBY')) {
        throw new Refused(`${this.#peek()!.text} between observations needs event correlation`);
      } else {
        break;
      }
    }
    this.#depth--;
    return alt;
  }

  #observation(): Alt {
    const t = this.#next();
    let alt: Alt;
    if (t.text === '(' && t.kind === 'punct') {
      alt = this.#observations();
      this.#expect(')');
    } else if (t.text === '[' && t.kind === 'punct') {
      alt = this.#comparisonOr();
      this.#expect(']');
    } else {
      throw new Refused(`expected "[" or "(", found "${t.text}"`);
    }
    const q = this.#peek();
    if (q?.kind === 'word' && ['WITHIN', 'REPEATS', 'START', 'STOP'].includes(q.text)) {
      throw new Refused(`qualifier ${q.text} is not supported`);
    }
    return alt;
  }

  #comparisonOr(): Alt {
    if (++this.#depth > MAX_DEPTH) throw new Refused('pattern nested too deep');
    let alt = this.#comparisonAnd();
    while (this.#isWord('OR')) {
      this.#next();
      alt = union(alt, this.#comparisonAnd());
    }
    this.#depth--;
    return alt;
  }

  #comparisonAnd(): Alt {
    let alt = this.#comparison();
    while (this.#isWord('AND')) {
      this.#next();
      const right = this.#comparison();
      if (alt.object !== 'file-hash' || right.object !== 'file-hash') {
        throw new Refused(`AND of ${alt.object} and ${right.object} needs both to match together`);
      }
      // Each hash of one file identifies it alone: any of them is a match.
      alt = union(alt, right);
    }
    return alt;
  }

  #comparison(): Alt {
    const t = this.#peek();
    if (t?.kind === 'punct' && t.text === '(') {
      this.#next();
      const alt = this.#comparisonOr();
      this.#expect(')');
      return alt;
    }
    if (this.#isWord('NOT') || this.#isWord('EXISTS'))
      throw new Refused(`${t!.text} is not supported`);
    const objectType = this.#next();
    if (objectType.kind !== 'word')
      throw new Refused(`expected an object type, found "${objectType.text}"`);
    this.#expect(':');
    const path: string[] = [];
    for (;;) {
      const part = this.#next();
      if (part.kind === 'punct') throw new Refused(`unsupported object path near "${part.text}"`);
      path.push(part.text);
      const p = this.#peek();
      if (p?.kind === 'punct' && p.text === '[')
        throw new Refused('list indexes in object paths are not supported');
      if (!(p?.kind === 'punct' && p.text === '.')) break;
      this.#next();
    }
    const op = this.#next();
    let values: string[];
    if (op.text === '=' || op.text === 'ISSUBSET') {
      const v = this.#next();
      if (v.kind !== 'str') throw new Refused(`only string values are supported, found ${v.text}`);
      values = [v.text];
    } else if (op.text === 'IN') {
      this.#expect('(');
      values = [];
      for (;;) {
        const v = this.#next();
        if (v.kind !== 'str') throw new Refused('only string values are supported in IN lists');
        values.push(v.text);
        const sep = this.#next();
        if (sep.text === ')') break;
        if (sep.text !== ',') throw new Refused(`expected "," or ")" in an IN list`);
      }
    } else {
      throw new Refused(`operator ${op.text} is not supported`);
    }
    return comparisonAlt(objectType.text, path, op.text, values);
  }
}

function union(a: Alt, b: Alt): Alt {
  const indicators = [...a.indicators, ...b.indicators];
  if (indicators.length > MAX_INDICATORS)
    throw new Refused(`more than ${MAX_INDICATORS} indicators`);
  return { indicators, object: a.object === b.object ? a.object : 'mixed' };
}

function comparisonAlt(objectType: string, path: string[], op: string, values: string[]): Alt {
  const where = `${objectType}:${path.join('.')}`;
  const isValue = path.length === 1 && path[0] === 'value';
  if ((objectType === 'ipv4-addr' || objectType === 'ipv6-addr') && isValue) {
    // An address value may itself be a CIDR block (STIX 2.1 §6.4/§6.5); ISSUBSET says so explicitly.
    const type: IocType = op === 'ISSUBSET' || values.some((v) => v.includes('/')) ? 'cidr' : 'ip';
    return {
      indicators: values.map((value) => ({ type: value.includes('/') ? type : 'ip', value })),
      object: objectType,
    };
  }
  if (op === 'ISSUBSET') throw new Refused(`ISSUBSET on ${where} is not supported`);
  if (objectType === 'domain-name' && isValue) {
    return { indicators: values.map((value) => ({ type: 'domain', value })), object: objectType };
  }
  if (objectType === 'url' && isValue) {
    return { indicators: values.map((value) => ({ type: 'url', value })), object: objectType };
  }
  if (objectType === 'file' && path.length === 2 && path[0] === 'hashes') {
    const type = HASH_TYPES[path[1]!];
    if (!type) throw new Refused(`hash algorithm ${path[1]} is not supported`);
    return { indicators: values.map((value) => ({ type, value })), object: 'file-hash' };
  }
  throw new Refused(`object path ${where} is not supported`);
}

/**
 * The indicators a STIX pattern stands for, or why it cannot be reduced to indicators.
 *
 * @example
 * parseStixPattern("[ipv4-addr:value = '198.51.100.7'] OR [domain-name:value = 'c2.example']")
 */
export function parseStixPattern(pattern: string): PatternResult {
  if (pattern.length > MAX_PATTERN_CHARS)
    return { error: `pattern longer than ${MAX_PATTERN_CHARS} characters` };
  try {
    return { indicators: new Parser(tokenize(pattern)).parse().indicators };
  } catch (error) {
    if (error instanceof Refused) return { error: error.message };
    throw error;
  }
}
