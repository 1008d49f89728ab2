import { isAsciiDigit, isAsciiLetter } from '../../core/index.js';

/** VBA expression tokens (MS-VBAL 3.3): enough to fold string expressions, not a full VBA lexer. */
export type Token =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'id'; v: string }
  | { t: 'op'; v: string };

const MAX_TOKENS_PER_LINE = 10_000;

// Sticky (`y`): matched at `lastIndex` in place, instead of on a copy of the rest of the line.
const RADIX_LITERAL = /&([hH][0-9a-fA-F]+|[oO][0-7]+)[&%^]?/y;
const NUMBER_LITERAL = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[%&!#@^]?/y;
const WORD = /\[[^\]]*\]|[A-Za-z_][\w]*[$%&!#@]?/y;

const isDigit = isAsciiDigit;
const isWordStart = (c: number): boolean => isAsciiLetter(c) || c === 0x5f || c === 0x5b;

function sticky(re: RegExp, code: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(code);
}

export function tokenize(code: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < code.length && tokens.length < MAX_TOKENS_PER_LINE) {
    const c = code.charCodeAt(i);
    if (c === 0x20 || c === 0x09) {
      i++;
    } else if (c === 0x22) {
      // A string literal: "" inside it is one quote; an unterminated literal runs to the line end.
      let v = '';
      i++;
      for (;;) {
        const quote = code.indexOf('"', i);
        if (quote < 0) {
          v += code.slice(i);
          i = code.length;
          break;
        }
        v += code.slice(i, quote);
        if (code.charCodeAt(quote + 1) === 0x22) {
          v += '"';
          i = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      tokens.push({ t: 'str', v });
    } else if (c === 0x26 && /[hHoO]/.test(code[i + 1] ?? '')) {
      // &H1F / &O17 numeric literals (MS-VBAL 3.3.2); a bare & is the concatenation operator.
      const m = sticky(RADIX_LITERAL, code, i);
      if (m) {
        const digits = m[1]!;
        tokens.push({ t: 'num', v: parseInt(digits.slice(1), /[hH]/.test(digits[0]!) ? 16 : 8) });
        i += m[0].length;
      } else {
        tokens.push({ t: 'op', v: '&' });
        i++;
      }
    } else if (isDigit(c)) {
      const m = sticky(NUMBER_LITERAL, code, i)!;
      tokens.push({ t: 'num', v: parseFloat(m[0]) });
      i += m[0].length;
    } else if (isWordStart(c)) {
      const m = sticky(WORD, code, i);
      const word = m ? m[0] : code[i]!;
      // Only a bracketed name ([Shell]) carries brackets to strip.
      tokens.push({ t: 'id', v: c === 0x5b ? word.replace(/^\[|\]$/g, '') : word });
      i += word.length;
    } else {
      tokens.push({ t: 'op', v: code[i]! });
      i++;
    }
  }
  return tokens;
}
