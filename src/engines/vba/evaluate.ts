import type { Token } from './tokenize.js';

/**
 * A VBA constant-expression evaluator (MS-VBAL 5.6): strings, numbers and arrays, the operators droppers
 * use (`&`, `+`, `-`, `*`, `/`, `\`, `Mod`) and the string built-ins. Unknown names and calls evaluate to
 * `undefined`, so partial knowledge never invents text. `folded` marks a string that was computed.
 */
export type Value = { s: string; folded: boolean } | { n: number } | { a: string[] } | undefined;

/**
 * Characters the evaluator may still produce, shared by a whole module. SECURITY: `x = x & "a"` repeated
 * 200,000 times is quadratic in string copying; past this budget concatenation stops folding.
 */
export interface WorkBudget {
  chars: number;
}

export class Evaluator {
  constructor(
    private readonly tokens: readonly Token[],
    public pos: number,
    private readonly vars: ReadonlyMap<string, Value>,
    private readonly maxChars: number,
    private readonly work: WorkBudget,
  ) {}

  expression(): Value {
    let left = this.additive();
    while (this.isOp('&')) {
      this.pos++;
      left = this.concat(left, this.additive());
    }
    return left;
  }

  private additive(): Value {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.tokens[this.pos++] as { v: string }).v;
      const right = this.multiplicative();
      left =
        op === '+' && isStr(left) && isStr(right)
          ? this.concat(left, right)
          : arith(left, right, (a, b) => (op === '+' ? a + b : a - b));
    }
    return left;
  }

  private multiplicative(): Value {
    let left = this.unary();
    for (;;) {
      const tok = this.tokens[this.pos];
      const op =
        tok?.t === 'op' && (tok.v === '*' || tok.v === '/' || tok.v === '\\')
          ? tok.v
          : tok?.t === 'id' && tok.v.length === 3 && tok.v.toLowerCase() === 'mod'
            ? 'mod'
            : undefined;
      if (!op) return left;
      this.pos++;
      const right = this.unary();
      left = arith(left, right, (a, b) =>
        op === '*' ? a * b : op === '/' ? a / b : op === '\\' ? Math.trunc(a / b) : a % b,
      );
    }
  }

  private unary(): Value {
    if (!this.isOp('-')) return this.primary();
    this.pos++;
    const v = this.unary();
    return v && 'n' in v ? { n: -v.n } : undefined;
  }

  private primary(): Value {
    const tok = this.tokens[this.pos];
    if (!tok) return undefined;
    if (tok.t === 'str') return (this.pos++, { s: tok.v, folded: false });
    if (tok.t === 'num') return (this.pos++, { n: tok.v });
    if (tok.t === 'op' && tok.v === '(') {
      this.pos++;
      const v = this.expression();
      if (this.isOp(')')) this.pos++;
      return v;
    }
    if (tok.t !== 'id') return undefined;
    this.pos++;
    const name = tok.v.toLowerCase();
    // VBA.Chr(…), Strings.StrReverse(…): skip the library qualifier.
    if (LIBRARIES.has(name) && this.isOp('.')) {
      this.pos++;
      return this.primary();
    }
    if (!this.isOp('(')) {
      const v = this.vars.get(name);
      return v && 's' in v ? { s: v.s, folded: true } : v;
    }
    this.pos++;
    const args = this.args();
    const builtin = BUILTINS[name.endsWith('$') ? name.slice(0, -1) : name];
    if (builtin) return builtin(args, this.maxChars);
    // arr(i): an element of a known array variable.
    const v = this.vars.get(name);
    const index = args[0] && 'n' in args[0] ? args[0].n : undefined;
    if (v && 'a' in v && index !== undefined && args.length === 1) {
      const item = v.a[index];
      return item === undefined ? undefined : { s: item, folded: true };
    }
    return undefined;
  }

  private args(): Value[] {
    const args: Value[] = [];
    while (this.pos < this.tokens.length && !this.isOp(')')) {
      const before = this.pos;
      args.push(this.expression());
      if (this.isOp(',')) this.pos++;
      else if (this.pos === before) this.pos++;
    }
    if (this.isOp(')')) this.pos++;
    return args;
  }

  private concat(a: Value, b: Value): Value {
    const left = text(a) ?? '';
    const right = text(b) ?? '';
    this.work.chars -= left.length + right.length;
    if (this.work.chars < 0) return undefined;
    return { s: (left + right).slice(0, this.maxChars), folded: true };
  }

  private isOp(v: string): boolean {
    const tok = this.tokens[this.pos];
    return tok?.t === 'op' && tok.v === v;
  }
}

/** Library qualifiers of the built-ins (lower case). */
const LIBRARIES = new Set(['vba', 'strings', 'interaction', 'conversion']);

const isStr = (v: Value): v is { s: string; folded: boolean } => v !== undefined && 's' in v;

function text(v: Value): string | undefined {
  return v && 's' in v ? v.s : v && 'n' in v ? String(v.n) : undefined;
}

function num(v: Value): number | undefined {
  if (v && 'n' in v) return v.n;
  return v && 's' in v && /^\s*-?\d+\s*$/.test(v.s) ? Number(v.s) : undefined;
}

function arith(a: Value, b: Value, f: (x: number, y: number) => number): Value {
  const x = num(a);
  const y = num(b);
  if (x === undefined || y === undefined) return undefined;
  const n = f(x, y);
  return Number.isFinite(n) ? { n } : undefined;
}

type Builtin = (args: Value[], max: number) => Value;
const str = (s: string | undefined, max: number): Value =>
  s === undefined ? undefined : { s: s.slice(0, max), folded: true };
const chr: Builtin = ([c], max) => {
  const n = num(c);
  return n !== undefined && n >= 0 && n < 0x10000
    ? str(String.fromCharCode(Math.trunc(n)), max)
    : undefined;
};

/** VBA string built-ins as droppers use them (VBA language reference, "Strings" functions). */
const BUILTINS: Readonly<Record<string, Builtin>> = {
  chr,
  chrw: chr,
  chrb: chr,
  asc: ([s]) => (text(s) ? { n: text(s)!.charCodeAt(0) } : undefined),
  ascw: ([s]) => (text(s) ? { n: text(s)!.charCodeAt(0) } : undefined),
  strreverse: ([s], max) =>
    str(text(s) === undefined ? undefined : [...text(s)!].reverse().join(''), max),
  lcase: ([s], max) => str(text(s)?.toLowerCase(), max),
  ucase: ([s], max) => str(text(s)?.toUpperCase(), max),
  trim: ([s], max) => str(text(s)?.trim(), max),
  ltrim: ([s], max) => str(text(s)?.trimStart(), max),
  rtrim: ([s], max) => str(text(s)?.trimEnd(), max),
  cstr: ([s], max) => str(text(s), max),
  len: ([s]) => (text(s) === undefined ? undefined : { n: text(s)!.length }),
  val: ([s]) => (num(s) === undefined ? undefined : { n: num(s)! }),
  cint: ([s]) => (num(s) === undefined ? undefined : { n: Math.round(num(s)!) }),
  clng: ([s]) => (num(s) === undefined ? undefined : { n: Math.round(num(s)!) }),
  replace: ([s, find, rep], max) => {
    const [a, f, r] = [text(s), text(find), text(rep)];
    return a === undefined || !f || r === undefined ? undefined : str(a.split(f).join(r), max);
  },
  mid: ([s, from, len], max) => {
    const a = text(s);
    const start = num(from);
    const n = len === undefined ? undefined : num(len);
    if (
      a === undefined ||
      start === undefined ||
      start < 1 ||
      (len !== undefined && n === undefined)
    )
      return undefined;
    return str(n === undefined ? a.slice(start - 1) : a.substr(start - 1, Math.max(0, n)), max);
  },
  left: ([s, n], max) =>
    text(s) === undefined || num(n) === undefined
      ? undefined
      : str(text(s)!.slice(0, Math.max(0, num(n)!)), max),
  right: ([s, n], max) => {
    const a = text(s);
    const k = num(n);
    return a === undefined || k === undefined ? undefined : str(k <= 0 ? '' : a.slice(-k), max);
  },
  space: ([n], max) =>
    num(n) === undefined || num(n)! < 0 ? undefined : str(' '.repeat(Math.min(num(n)!, max)), max),
  string: ([n, c], max) => {
    const k = num(n);
    const ch = c && 'n' in c ? String.fromCharCode(c.n) : text(c)?.[0];
    return k === undefined || ch === undefined || k < 0
      ? undefined
      : str(ch.repeat(Math.min(k, max)), max);
  },
  // Environ("TEMP") is only known on the victim: keep it readable as the variable it names.
  environ: ([s], max) => (text(s) === undefined ? undefined : str(`%${text(s)}%`, max)),
  array: (args) =>
    args.every((a) => text(a) !== undefined) ? { a: args.map((a) => text(a)!) } : undefined,
  split: ([s, sep]) => {
    const a = text(s);
    const d = sep === undefined ? ' ' : text(sep);
    return a === undefined || d === undefined || d === '' ? undefined : { a: a.split(d) };
  },
  join: ([list, sep], max) => {
    const d = sep === undefined ? ' ' : text(sep);
    return list && 'a' in list && d !== undefined ? str(list.a.join(d), max) : undefined;
  },
};
