import { Evaluator, type Value, type WorkBudget } from './evaluate.js';
import { tokenize, type Token } from './tokenize.js';

/**
 * Folds the string arithmetic droppers use to hide their commands: `"pow" & "ershell"`, `Chr(112) & …`,
 * `StrReverse(…)`, `Replace(…)`, `Mid(…)`, `Split(…)(i)`, `Join(Array(…))`, variables assigned earlier in
 * the module, and hex or base64 string literals. Control flow is ignored (assignments in source order),
 * as olevba's deobfuscation does; junk code between the pieces costs time, not correctness.
 */
export interface Deobfuscated {
  /** 1-based line of the statement that produced the value. */
  line: number;
  value: string;
  /** How the value was recovered. */
  how: 'folded' | 'hex' | 'base64';
}

export interface DeobfuscateOptions {
  /** Characters of one value. */
  maxStringChars: number;
  /** Characters of all values together; junk-stuffed modules fold megabytes of noise. */
  maxTotalChars: number;
  /** Called every few hundred lines so a huge module stops at the time limit. */
  checkDeadline?: () => void;
}

const MIN_VALUE_CHARS = 4;
// Shared decoders: decode() without `stream` keeps no state, and constructing one is not free.
const UTF16LE = new TextDecoder('utf-16le');
const LATIN1 = new TextDecoder('latin1');
// Characters of string building per module: real droppers need a few MB at most, even junk-stuffed.
export const MAX_WORK_CHARS = 64 * 1024 * 1024;
// Once the budget is spent on junk, values that name what droppers do are still kept (up to a count).
const TELLING =
  /powershell|pwsh|cmd|winmgmts|win32_|wscript|shell|http|ftp:|\.exe|\.dll|rundll32|regsvr32|mshta|bitsadmin|certutil|urldownload|xmlhttp|adodb/i;
const MAX_TELLING_PAST_BUDGET = 1000;
const HEX_LITERAL = /^(?:[0-9A-Fa-f]{2}){8,}$/;
const BASE64_LITERAL = /^(?:[A-Za-z0-9+/]{4}){6,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function deobfuscate(
  lines: readonly { line: number; code: string }[],
  options: DeobfuscateOptions,
): Deobfuscated[] {
  const vars = new Map<string, Value>();
  const work: WorkBudget = { chars: MAX_WORK_CHARS };
  const out: Deobfuscated[] = [];
  const seen = new Set<string>();
  let budget = options.maxTotalChars;
  let pastBudget = 0;
  const keep = (line: number, value: string, how: Deobfuscated['how']) => {
    if (value.length < MIN_VALUE_CHARS || seen.has(value)) return;
    if (value.length <= budget) budget -= value.length;
    else if (
      pastBudget < MAX_TELLING_PAST_BUDGET &&
      value.length <= options.maxStringChars &&
      TELLING.test(value)
    )
      pastBudget++;
    else return;
    seen.add(value);
    out.push({ line, value, how });
  };
  for (let i = 0; i < lines.length; i++) {
    if (i % 256 === 0) options.checkDeadline?.();
    const { line, code } = lines[i]!;
    const tokens = tokenize(code);
    for (const tok of tokens) {
      if (tok.t === 'str') {
        const decoded = decodeLiteral(tok.v);
        if (decoded) keep(line, decoded.value, decoded.how);
      }
    }
    for (const statement of splitStatements(tokens)) {
      for (const value of foldStatement(statement, vars, options.maxStringChars, work)) {
        keep(line, value, 'folded');
      }
    }
  }
  return out;
}

/** Hex (olevba "Hex String") and base64 literals that decode to printable text. */
function decodeLiteral(literal: string): { value: string; how: 'hex' | 'base64' } | undefined {
  if (HEX_LITERAL.test(literal)) {
    const text = printable(Uint8Array.from(literal.match(/../g)!, (h) => parseInt(h, 16)));
    if (text) return { value: text, how: 'hex' };
  }
  if (BASE64_LITERAL.test(literal)) {
    const bytes = Uint8Array.from(atob(literal), (c) => c.charCodeAt(0));
    const utf16 = bytes.length % 2 === 0 && bytes.every((b, i) => i % 2 === 0 || b === 0);
    const text = utf16 ? UTF16LE.decode(bytes) : printable(bytes);
    if (text && /^[\x20-\x7e\t\r\n]+$/.test(text)) return { value: text, how: 'base64' };
  }
  return undefined;
}

function printable(bytes: Uint8Array): string | undefined {
  for (const b of bytes)
    if ((b < 0x20 && b !== 9 && b !== 10 && b !== 13) || b > 0x7e) return undefined;
  return LATIN1.decode(bytes);
}

function splitStatements(tokens: Token[]): Token[][] {
  const statements: Token[][] = [[]];
  for (const tok of tokens) {
    if (tok.t === 'op' && tok.v === ':') statements.push([]);
    else statements[statements.length - 1]!.push(tok);
  }
  return statements.filter((s) => s.length > 0);
}

/** Records an assignment's value, and returns every computed string in the statement. */
function foldStatement(
  tokens: Token[],
  vars: Map<string, Value>,
  max: number,
  work: WorkBudget,
): string[] {
  let start = 0;
  if (
    tokens[0]?.t === 'id' &&
    /^(?:let|set|const|dim|public|private|global|static)$/i.test(tokens[0].v)
  )
    start = 1;
  const target = tokens[start];
  const eq = tokens[start + 1];
  const results: string[] = [];
  const collect = (value: Value) => {
    if (value && 's' in value && value.folded) results.push(value.s);
    if (value && 'a' in value) results.push(value.a.join(' '));
  };
  if (target?.t === 'id' && eq?.t === 'op' && eq.v === '=') {
    const value = new Evaluator(tokens, start + 2, vars, max, work).expression();
    vars.set(target.v.toLowerCase(), value);
    collect(value);
    return results;
  }
  // One evaluator moved along the statement: its only state is the position.
  const evaluator = new Evaluator(tokens, 0, vars, max, work);
  for (let i = 0; i < tokens.length;) {
    evaluator.pos = i;
    collect(evaluator.expression());
    i = Math.max(evaluator.pos, i + 1);
  }
  return results;
}
