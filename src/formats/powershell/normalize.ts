/**
 * A PowerShell text with the cheap obfuscations of Emotet droppers undone, for matching only (never for
 * running): backtick escapes inside names (`N`e`w-Obj`ect`), string splits (`'Down'+'loadFile'`), the
 * format operator (`("{1}{0}" -f 'ell','powersh')`), `-join` over string lists and `[char[]]` arrays,
 * `[char]NN` literals, and `.Replace()`/`-replace` of literal markers. Several passes, so layers unwrap.
 */
export function normalizePowerShell(text: string): string {
  let out = text.includes('`') ? text.replace(/`(?=[A-Za-z])/g, '') : text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = joinStrings(
      replaceMarkers(joinLists(formatOperator(charCodes(joinStrings(out))))),
    );
    if (next === out) break;
    out = next;
  }
  return out;
}

const MAX_PASSES = 4;
// A quoted literal without nested quotes; bounded so a hostile script cannot make these regexes crawl.
const LIT = String.raw`(?:'[^'\r\n]{0,4096}'|"[^"\r\n]{0,4096}")`;
const unquote = (lit: string) => lit.slice(1, -1);
// The patterns are built once: `replace` with a global regex starts at 0 and leaves lastIndex at 0,
// and `matchAll` works on a copy, so sharing them between calls is safe.
const LIT_ALL = new RegExp(LIT, 'g');
const ARG = String.raw`(?:\(\s*)?${LIT}(?:\s*\))?`;
const FORMAT = new RegExp(
  String.raw`\(\s*(${LIT})\s*-f\s*((?:${ARG}\s*,\s*){0,64}${ARG})\s*\)`,
  'gi',
);
const LIST = String.raw`\(\s*((?:${LIT}\s*,\s*){0,256}${LIT})\s*\)`;
const JOIN_PREFIX = new RegExp(String.raw`-join\s*${LIST}`, 'gi');
const JOIN_INFIX = new RegExp(String.raw`${LIST}\s*-join\s*(${LIT})`, 'gi');
const JOIN_ONE = new RegExp(String.raw`\(?\s*(${LIT})\s*\)?\s*-join\s*${LIT}`, 'gi');
const JOIN_LIT = new RegExp(String.raw`-join\s*(${LIT})`, 'gi');
const REPLACE_METHOD = new RegExp(
  String.raw`(${LIT})\.replace\(\s*(${LIT})\s*,\s*(${LIT})\s*\)`,
  'gi',
);
const REPLACE_OPERATOR = new RegExp(
  String.raw`(${LIT})\s*-c?replace\s*(${LIT})\s*,\s*(${LIT})`,
  'gi',
);
// Each rewrite needs its keyword; text without it is returned as it is, without running the patterns.
const HAS_CHAR = /\[char/i;
const HAS_FORMAT = /-f/i;
const HAS_JOIN = /-join/i;
const HAS_REPLACE = /replace/i;

/** 'Down'+'loadFile' → 'DownloadFile' (same quote kind on both sides). */
function joinStrings(s: string): string {
  if (!s.includes('+')) return s;
  return s.replace(/'\s*\+\s*'/g, '').replace(/"\s*\+\s*"/g, '');
}

/** [char]112 and [char[]](112,111) → the characters, as a quoted literal. */
function charCodes(s: string): string {
  if (!HAS_CHAR.test(s)) return s;
  const chr = (code: string) => {
    const n = Number(code);
    return n > 0 && n < 0x10000 ? String.fromCharCode(n) : '';
  };
  return s
    .replace(
      /\[char\[\]\]\s*\(\s*((?:\d{1,5}\s*,\s*){0,1024}\d{1,5})\s*\)/gi,
      (_, list: string) =>
        `'${list
          .split(/\s*,\s*/)
          .map(chr)
          .join('')}'`,
    )
    .replace(/\[char\]\s*\(?\s*(\d{1,5})\s*\)?/gi, (_, code: string) => `'${chr(code)}'`);
}

/** ("{1}{0}" -f 'ell','powersh') → 'powershell' (about_Operators, format operator). */
function formatOperator(s: string): string {
  if (!HAS_FORMAT.test(s)) return s;
  return s.replace(FORMAT, (whole, fmt: string, args: string) => {
    const values = [...args.matchAll(LIT_ALL)].map((m) => unquote(m[0]));
    const result = unquote(fmt).replace(
      /\{(\d{1,2})(?:[,:][^}]*)?\}/g,
      (m, i: string) => values[Number(i)] ?? m,
    );
    return /['"]/.test(result) ? whole : `'${result}'`;
  });
}

/** -join ('a','b') and ('a','b') -join '' → 'ab'; also a joined quoted [char[]] result. */
function joinLists(s: string): string {
  if (!HAS_JOIN.test(s)) return s;
  const join = (items: string, sep: string) =>
    `'${[...items.matchAll(LIT_ALL)].map((m) => unquote(m[0])).join(sep)}'`;
  return s
    .replace(JOIN_PREFIX, (_, items: string) => join(items, ''))
    .replace(JOIN_INFIX, (_, items: string, sep: string) => join(items, unquote(sep)))
    .replace(JOIN_ONE, '$1')
    .replace(JOIN_LIT, '$1');
}

/** 'pYwershell'.Replace('Y','o') and 'pYwershell' -replace 'Y','o' (literal markers only). */
function replaceMarkers(s: string): string {
  if (!HAS_REPLACE.test(s)) return s;
  const apply = (lit: string, from: string, to: string) => {
    const source = unquote(lit);
    const marker = unquote(from);
    return marker === '' ? lit : `'${source.split(marker).join(unquote(to))}'`;
  };
  return s
    .replace(REPLACE_METHOD, (_, a, b, c) => apply(a, b, c))
    .replace(REPLACE_OPERATOR, (whole, a: string, b: string, c: string) =>
      /[\\[\]().*+?^$|{}]/.test(unquote(b)) ? whole : apply(a, b, c),
    );
}
