import {
  asBool,
  asNumber,
  asText,
  EMPTY,
  isRef,
  UNKNOWN,
  XlError,
  type XlValue,
} from './values.js';

/**
 * Excel functions without side effects that obfuscated macros use to build strings and numbers:
 * CHAR/CODE, MID/LEFT/RIGHT, SUBSTITUTE/REPLACE, concatenation helpers, arithmetic, tests and the
 * clock (fixed, so that runs are reproducible). Arguments arrive evaluated and dereferenced. An
 * UNKNOWN argument makes the result UNKNOWN; strings are cut to `max` characters.
 */

export type Builtin = (args: XlValue[], max: number) => XlValue;

const VALUE = () => new XlError('#VALUE!');
/** CHAR() maps 1–255 through the ANSI code page (cp1252 on a Western desktop). */
const CP1252 = [
  ...new TextDecoder('windows-1252').decode(Uint8Array.from({ length: 256 }, (_, i) => i)),
];

/** A fixed "now" (2024-01-01 12:00) keeps emulation deterministic; date checks see a real date. */
export const FIXED_NOW = 45292.5;

const str = (v: XlValue | undefined) => (v === undefined ? undefined : asText(v));
const num = (v: XlValue | undefined) => (v === undefined ? undefined : asNumber(v));

function textFn(f: (s: string, args: XlValue[]) => string | XlValue | undefined): Builtin {
  return (args, max) => {
    const s = str(args[0]);
    if (s === undefined) return args[0] === UNKNOWN ? UNKNOWN : VALUE();
    const out = f(s, args);
    if (out === undefined) return VALUE();
    return typeof out === 'string' ? out.slice(0, max) : out;
  };
}

function numFn(f: (...n: number[]) => number): Builtin {
  return (args) => {
    const ns = args.map((a) => num(a));
    if (ns.some((n) => n === undefined)) return VALUE();
    const out = f(...(ns as number[]));
    return Number.isFinite(out) ? out : new XlError('#NUM!');
  };
}

function aggregate(f: (ns: number[]) => number): Builtin {
  return (args) => {
    const ns = args.map((a) => num(a)).filter((n): n is number => n !== undefined);
    return f(ns);
  };
}

function dateParts(serial: number): { y: number; m: number; d: number } {
  const date = new Date(Date.UTC(1899, 11, 30) + Math.floor(serial) * 86400000);
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

const is =
  (test: (v: XlValue) => boolean): Builtin =>
  (args) =>
    test(args[0] ?? EMPTY);

export const BUILTINS: Readonly<Record<string, Builtin>> = {
  CHAR: (args) => {
    const n = num(args[0]);
    if (n === undefined || n < 1 || n > 255) return args[0] === UNKNOWN ? UNKNOWN : VALUE();
    return CP1252[Math.trunc(n)]!;
  },
  CODE: textFn((s) => (s === '' ? undefined : (s.codePointAt(0) ?? 0))),
  LEN: textFn((s) => s.length),
  MID: textFn((s, a) => {
    const start = num(a[1]);
    const count = num(a[2]);
    if (start === undefined || count === undefined || start < 1 || count < 0) return undefined;
    return s.substr(Math.trunc(start) - 1, Math.trunc(count));
  }),
  LEFT: textFn((s, a) => {
    const n = a.length > 1 ? num(a[1]) : 1;
    return n === undefined || n < 0 ? undefined : s.slice(0, Math.trunc(n));
  }),
  RIGHT: textFn((s, a) => {
    const n = a.length > 1 ? num(a[1]) : 1;
    return n === undefined || n < 0
      ? undefined
      : Math.trunc(n) === 0
        ? ''
        : s.slice(-Math.trunc(n));
  }),
  LOWER: textFn((s) => s.toLowerCase()),
  UPPER: textFn((s) => s.toUpperCase()),
  PROPER: textFn((s) =>
    s.toLowerCase().replace(/(^|[^\p{L}])(\p{L})/gu, (_, a, b) => a + b.toUpperCase()),
  ),
  TRIM: textFn((s) => s.replace(/ +/g, ' ').trim()),
  CLEAN: textFn((s) => s.replace(/[\x00-\x1f]/g, '')),
  T: (args) => (typeof args[0] === 'string' ? args[0] : args[0] === UNKNOWN ? UNKNOWN : ''),
  N: (args) => (typeof args[0] === 'number' ? args[0] : args[0] === UNKNOWN ? UNKNOWN : 0),
  VALUE: (args) => {
    const n = num(args[0]);
    return n ?? (args[0] === UNKNOWN ? UNKNOWN : VALUE());
  },
  TEXT: (args) => (args[0] === UNKNOWN ? UNKNOWN : (str(args[0]) ?? VALUE())),
  REPT: textFn((s, a) => {
    const n = num(a[1]);
    return n === undefined || n < 0 ? undefined : s.repeat(Math.min(Math.trunc(n), 1 << 20));
  }),
  SUBSTITUTE: textFn((s, a) => {
    const [from, to] = [str(a[1]), str(a[2])];
    if (from === undefined || to === undefined) return undefined;
    if (from === '') return s;
    const nth = a.length > 3 ? num(a[3]) : undefined;
    if (nth === undefined) return s.split(from).join(to);
    let at = -1;
    for (let i = 0; i < nth; i++) if ((at = s.indexOf(from, at + 1)) < 0) return s;
    return s.slice(0, at) + to + s.slice(at + from.length);
  }),
  REPLACE: textFn((s, a) => {
    const [start, count, text] = [num(a[1]), num(a[2]), str(a[3])];
    if (start === undefined || count === undefined || text === undefined || start < 1)
      return undefined;
    return s.slice(0, start - 1) + text + s.slice(start - 1 + count);
  }),
  EXACT: (args) => str(args[0]) === str(args[1]),
  SEARCH: (args) => findIn(args, true),
  FIND: (args) => findIn(args, false),
  INT: numFn(Math.floor),
  TRUNC: numFn((n, d = 0) => Math.trunc(n * 10 ** d) / 10 ** d),
  ROUND: numFn((n, d = 0) => Math.round(n * 10 ** d) / 10 ** d),
  ROUNDUP: numFn((n, d = 0) => (Math.sign(n) * Math.ceil(Math.abs(n) * 10 ** d)) / 10 ** d),
  ROUNDDOWN: numFn((n, d = 0) => (Math.sign(n) * Math.floor(Math.abs(n) * 10 ** d)) / 10 ** d),
  ABS: numFn(Math.abs),
  SIGN: numFn(Math.sign),
  SQRT: numFn(Math.sqrt),
  POWER: numFn((a, b) => a ** b),
  MOD: numFn((a, b) => (b === 0 ? Number.NaN : a - b * Math.floor(a / b))),
  SUM: aggregate((ns) => ns.reduce((a, b) => a + b, 0)),
  PRODUCT: aggregate((ns) => ns.reduce((a, b) => a * b, 1)),
  MIN: aggregate((ns) => (ns.length ? Math.min(...ns) : 0)),
  MAX: aggregate((ns) => (ns.length ? Math.max(...ns) : 0)),
  AVERAGE: aggregate((ns) => (ns.length ? ns.reduce((a, b) => a + b, 0) / ns.length : 0)),
  COUNT: (args) => args.filter((a) => typeof a === 'number').length,
  COUNTA: (args) => args.filter((a) => a !== EMPTY).length,
  AND: (args) =>
    args.some((a) => a === UNKNOWN) ? UNKNOWN : args.every((a) => asBool(a) === true),
  OR: (args) => (args.some((a) => a === UNKNOWN) ? UNKNOWN : args.some((a) => asBool(a) === true)),
  NOT: (args) => {
    const b = asBool(args[0] ?? EMPTY);
    return b === undefined ? (args[0] === UNKNOWN ? UNKNOWN : VALUE()) : !b;
  },
  TRUE: () => true,
  FALSE: () => false,
  NA: () => new XlError('#N/A'),
  ISNUMBER: is((v) => typeof v === 'number'),
  ISTEXT: is((v) => typeof v === 'string'),
  ISNONTEXT: is((v) => typeof v !== 'string'),
  ISLOGICAL: is((v) => typeof v === 'boolean'),
  ISERROR: is((v) => v instanceof XlError),
  ISERR: is((v) => v instanceof XlError && v.code !== '#N/A'),
  ISNA: is((v) => v instanceof XlError && v.code === '#N/A'),
  ISBLANK: is((v) => v === EMPTY),
  ISREF: is((v) => isRef(v)),
  NOW: () => FIXED_NOW,
  TODAY: () => Math.floor(FIXED_NOW),
  DAY: numFn((n) => dateParts(n).d),
  MONTH: numFn((n) => dateParts(n).m),
  YEAR: numFn((n) => dateParts(n).y),
  HOUR: numFn((n) => Math.floor((n % 1) * 24)),
  MINUTE: numFn((n) => Math.floor((n * 1440) % 60)),
  SECOND: numFn((n) => Math.round((n * 86400) % 60)),
  DATE: numFn((y, m, d) => (Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86400000),
  TIME: numFn((h, m, s) => (h * 3600 + m * 60 + s) / 86400),
  RAND: () => 0.5,
  RANDBETWEEN: numFn((low) => Math.ceil(low)),
  HEX2DEC: textFn((s) => (/^[0-9a-f]{1,10}$/i.test(s) ? parseInt(s, 16) : undefined)),
  DEC2HEX: (args) => {
    const n = num(args[0]);
    return n === undefined ? VALUE() : Math.trunc(n).toString(16).toUpperCase();
  },
  CHOOSE: (args) => {
    const i = num(args[0]);
    return i === undefined ? VALUE() : (args[Math.trunc(i)] ?? VALUE());
  },
};

/** SEARCH (case-insensitive, 1-based) and FIND (case-sensitive). */
function findIn(args: XlValue[], isCaseless: boolean): XlValue {
  if (args.some((a) => a === UNKNOWN)) return UNKNOWN;
  let [needle, hay] = [str(args[0]), str(args[1])];
  const start = args.length > 2 ? num(args[2]) : 1;
  if (needle === undefined || hay === undefined || start === undefined || start < 1) return VALUE();
  if (isCaseless) [needle, hay] = [needle.toLowerCase(), hay.toLowerCase()];
  const at = hay.indexOf(needle, start - 1);
  return at < 0 ? VALUE() : at + 1;
}
