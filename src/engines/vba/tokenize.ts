/** VBA expression tokens (MS-VBAL 3.3): enough to fold string expressions, not a full VBA lexer. */
export type Token =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'id'; v: string }
  | { t: 'op'; v: string };

const MAX_TOKENS_PER_LINE = 10_000;

export function tokenize(code: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < code.length && tokens.length < MAX_TOKENS_PER_LINE) {
    const c = code[i]!;
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '"') {
      let v = '';
      i++;
      while (i < code.length) {
        if (code[i] === '"') {
          if (code[i + 1] === '"') {
            v += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += code[i++];
      }
      tokens.push({ t: 'str', v });
    } else if (c === '&' && /[hHoO]/.test(code[i + 1] ?? '')) {
      // &H1F / &O17 numeric literals (MS-VBAL 3.3.2); a bare & is the concatenation operator.
      const m = /^&([hH][0-9a-fA-F]+|[oO][0-7]+)[&%^]?/.exec(code.slice(i));
      if (m) {
        const digits = m[1]!;
        tokens.push({ t: 'num', v: parseInt(digits.slice(1), /[hH]/.test(digits[0]!) ? 16 : 8) });
        i += m[0].length;
      } else {
        tokens.push({ t: 'op', v: '&' });
        i++;
      }
    } else if (/[0-9]/.test(c)) {
      const m = /^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[%&!#@^]?/.exec(code.slice(i))!;
      tokens.push({ t: 'num', v: parseFloat(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_\[]/.test(c)) {
      const m = /^(?:\[[^\]]*\]|[A-Za-z_][\w]*[$%&!#@]?)/.exec(code.slice(i));
      const word = m ? m[0] : c;
      tokens.push({ t: 'id', v: word.replace(/^\[|\]$/g, '') });
      i += word.length;
    } else {
      tokens.push({ t: 'op', v: c });
      i++;
    }
  }
  return tokens;
}
