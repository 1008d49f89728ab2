import { tokenize, type Token } from './tokenize.js';

/**
 * Folds the string arithmetic droppers use to hide their commands: `"pow" & "ershell"`, `Chr(112) & …`,
 * `StrReverse(…)`, `Replace(…)`, `Mid(…)`, and variables assigned from such expressions earlier in the
 * module. Control flow is ignored (assignments are taken in source order), as olevba's deobfuscation does.
 */
export interface Deobfuscated {
  /** 1-based line of the statement that produced the value. */
  line: number;
  value: string;
}

export interface DeobfuscateOptions {
  maxStringChars: number;
  maxResults: number;
  /** Called every few hundred lines so a huge module stops at the time limit. */
  checkDeadline?: () => void;
}

type Value = { s: string; folded: boolean } | { n: number } | undefined;

const STRING_FUNCTIONS = new Set([
  'chr',
  'chrw',
  'chrb',
  'chr$',
  'chrw$',
  'chrb$',
  'strreverse',
  'replace',
  'replace$',
  'mid',
  'mid$',
  'left',
  'left$',
  'right',
  'right$',
  'lcase',
  'lcase$',
  'ucase',
  'ucase$',
  'trim',
  'trim$',
  'ltrim',
  'ltrim$',
  'rtrim',
  'rtrim$',
  'space',
  'space$',
  'string',
  'string$',
  'cstr',
  'join',
  'array',
  'len',
  'asc',
  'ascw',
  'val',
  'cint',
  'clng',
]);

export function deobfuscate(
  lines: readonly { line: number; code: string }[],
  options: DeobfuscateOptions,
): Deobfuscated[] {
  const vars = new Map<string, Value>();
  const out: Deobfuscated[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < lines.length && out.length < options.maxResults; i++) {
    if (i % 256 === 0) options.checkDeadline?.();
    const { line, code } = lines[i]!;
    for (const statement of splitStatements(tokenize(code))) {
      for (const value of foldStatement(statement, vars, options.maxStringChars)) {
        if (value.length < 4 || seen.has(value) || out.length >= options.maxResults) continue;
        seen.add(value);
        out.push({ line, value });
      }
    }
  }
  return out;
}

function splitStatements(tokens: Token[]): Token[][] {
  const statements: Token[][] = [[]];
  for (const tok of tokens) {
    if (tok.t === 'op' && tok.v === ':') statements.push([]);
    else statements[statements.length - 1]!.push(tok);
  }
  return statements.filter((s) => s.length > 0);
}

/** Records assignments, and returns every folded string value in the statement. */
function foldStatement(tokens: Token[], vars: Map<string, Value>, max: number): string[] {
  let start = 0;
  if (tokens[0]?.t === 'id' && /^(?:let|set|const|dim|public|private|global)$/i.test(tokens[0].v))
    start = 1;
  const target = tokens[start];
  const eq = tokens[start + 1];
  const results: string[] = [];
  if (target?.t === 'id' && eq?.t === 'op' && eq.v === '=') {
    const parser = new Parser(tokens, start + 2, vars, max);
    const value = parser.expression();
    vars.set(target.v.toLowerCase(), value);
    if (value && 's' in value && value.folded) results.push(value.s);
    return results;
  }
  for (let i = 0; i < tokens.length;) {
    const parser = new Parser(tokens, i, vars, max);
    const value = parser.expression();
    if (value && 's' in value && value.folded) results.push(value.s);
    i = Math.max(parser.pos, i + 1);
  }
  return results;
}

class Parser {
  constructor(
    private readonly tokens: Token[],
    public pos: number,
    private readonly vars: Map<string, Value>,
    private readonly max: number,
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
      if (op === '+' && left && right && 's' in left && 's' in right)
        left = this.concat(left, right);
      else left = arith(left, right, (a, b) => (op === '+' ? a + b : a - b));
    }
    return left;
  }

  private multiplicative(): Value {
    let left = this.unary();
    for (;;) {
      const tok = this.tokens[this.pos];
      const op =
        tok?.t === 'op' && /[*/\\]/.test(tok.v)
          ? tok.v
          : tok?.t === 'id' && /^mod$/i.test(tok.v)
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
    if (this.isOp('-')) {
      this.pos++;
      const v = this.unary();
      return v && 'n' in v ? { n: -v.n } : undefined;
    }
    return this.primary();
  }

  private primary(): Value {
    const tok = this.tokens[this.pos];
    if (!tok) return undefined;
    if (tok.t === 'str') {
      this.pos++;
      return { s: tok.v, folded: false };
    }
    if (tok.t === 'num') {
      this.pos++;
      return { n: tok.v };
    }
    if (tok.t === 'op' && tok.v === '(') {
      this.pos++;
      const v = this.expression();
      if (this.isOp(')')) this.pos++;
      return v;
    }
    if (tok.t !== 'id') return undefined;
    this.pos++;
    const name = tok.v.toLowerCase().replace(/^vba\./, '');
    if (this.isOp('(') && STRING_FUNCTIONS.has(name)) {
      this.pos++;
      const args = this.args();
      return callBuiltin(name, args, this.max);
    }
    // VBA.Chr(…) and Strings.StrReverse(…): skip the qualifier and retry the member.
    if (/^(?:vba|strings|interaction|conversion)$/.test(name) && this.isOp('.')) {
      this.pos++;
      return this.primary();
    }
    if (this.isOp('(')) return undefined; // unknown call or array element
    const v = this.vars.get(name);
    return v && 's' in v ? { s: v.s, folded: true } : v;
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
    const left = a && 's' in a ? a.s : a && 'n' in a ? String(a.n) : '';
    const right = b && 's' in b ? b.s : b && 'n' in b ? String(b.n) : '';
    return { s: (left + right).slice(0, this.max), folded: true };
  }

  private isOp(v: string): boolean {
    const tok = this.tokens[this.pos];
    return tok?.t === 'op' && tok.v === v;
  }
}

function arith(a: Value, b: Value, f: (x: number, y: number) => number): Value {
  if (!a || !b || !('n' in a) || !('n' in b)) return undefined;
  const n = f(a.n, b.n);
  return Number.isFinite(n) ? { n } : undefined;
}

function callBuiltin(name: string, args: Value[], max: number): Value {
  const str = (i: number) => {
    const v = args[i];
    return v && 's' in v ? v.s : v && 'n' in v ? String(v.n) : undefined;
  };
  const num = (i: number) => {
    const v = args[i];
    return v && 'n' in v
      ? v.n
      : v && 's' in v && /^\s*-?\d+\s*$/.test(v.s)
        ? Number(v.s)
        : undefined;
  };
  const s = (value: string | undefined): Value =>
    value === undefined ? undefined : { s: value.slice(0, max), folded: true };
  const base = name.replace(/\$$/, '');
  switch (base) {
    case 'chr':
    case 'chrw':
    case 'chrb': {
      const n = num(0);
      return n !== undefined && n >= 0 && n < 0x10000
        ? s(String.fromCharCode(Math.trunc(n)))
        : undefined;
    }
    case 'strreverse':
      return s(str(0) === undefined ? undefined : [...str(0)!].reverse().join(''));
    case 'lcase':
      return s(str(0)?.toLowerCase());
    case 'ucase':
      return s(str(0)?.toUpperCase());
    case 'trim':
      return s(str(0)?.trim());
    case 'ltrim':
      return s(str(0)?.trimStart());
    case 'rtrim':
      return s(str(0)?.trimEnd());
    case 'cstr':
      return s(str(0));
    case 'replace': {
      const [src, find, rep] = [str(0), str(1), str(2)];
      return src === undefined || !find || rep === undefined
        ? undefined
        : s(src.split(find).join(rep));
    }
    case 'mid': {
      const src = str(0),
        from = num(1),
        len = num(2);
      if (src === undefined || from === undefined || from < 1) return undefined;
      return s(len === undefined ? src.slice(from - 1) : src.substr(from - 1, Math.max(0, len)));
    }
    case 'left': {
      const src = str(0),
        n = num(1);
      return src === undefined || n === undefined ? undefined : s(src.slice(0, Math.max(0, n)));
    }
    case 'right': {
      const src = str(0),
        n = num(1);
      return src === undefined || n === undefined ? undefined : s(n <= 0 ? '' : src.slice(-n));
    }
    case 'space': {
      const n = num(0);
      return n === undefined || n < 0 ? undefined : s(' '.repeat(Math.min(n, max)));
    }
    case 'string': {
      const n = num(0),
        c = args[1] && 'n' in args[1] ? String.fromCharCode(args[1].n) : str(1)?.[0];
      return n === undefined || c === undefined || n < 0
        ? undefined
        : s(c.repeat(Math.min(n, max)));
    }
    case 'len': {
      const src = str(0);
      return src === undefined ? undefined : { n: src.length };
    }
    case 'asc':
    case 'ascw': {
      const src = str(0);
      return src ? { n: src.charCodeAt(0) } : undefined;
    }
    case 'val':
    case 'cint':
    case 'clng': {
      const n = num(0);
      return n === undefined ? undefined : { n: Math.trunc(n) };
    }
    case 'array':
      return s(args.map((_, i) => str(i) ?? '').join('\u0000'));
    case 'join': {
      const list = str(0),
        sep = str(1) ?? ' ';
      return list === undefined ? undefined : s(list.split('\u0000').join(sep));
    }
    default:
      return undefined;
  }
}
