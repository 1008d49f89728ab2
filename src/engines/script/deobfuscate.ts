import { expandBatch } from './batch.js';
import type { ScriptLanguage } from './blocks.js';
import { jsQuote, scanLiterals, vbsQuote, type Literal, type LiteralStyle } from './literals.js';

/** A payload decoded from a literal (atob, unescape): scanned again as a child when it is text. */
export interface DecodedBlob {
  kind: 'base64' | 'percent';
  raw: string;
  decoded: string;
}

export interface Deobfuscated {
  text: string;
  /** Transforms that changed something: `fromCharCode`, `Chr`, `concat`, `atob`, … */
  steps: string[];
  blobs: DecodedBlob[];
  /** The character budget stopped the work before the text was fully folded. */
  truncated: boolean;
}

const MAX_PASSES = 4;
const MAX_BLOBS = 20;

/**
 * Folds the obfuscation droppers use into plain literals, so that the heuristics read what the script
 * will run: char-code calls, concatenation, escapes, base64/percent decoding, reversal and junk-character
 * removal (VBScript and JScript, as in Emotet's 2019–2022 JS/VBS droppers), and batch variables. Each
 * pass is linear (literals come from one scan); passes and output size are bounded.
 */
export function deobfuscate(
  code: string,
  language: ScriptLanguage,
  maxChars: number,
): Deobfuscated {
  const out: Deobfuscated = { text: code, steps: [], blobs: [], truncated: false };
  if (language === 'batch') {
    const expanded = expandBatch(code, maxChars);
    if (expanded.text !== code) out.steps.push('batch variables');
    return { ...out, text: expanded.text, truncated: expanded.truncated };
  }
  const styles: LiteralStyle[] =
    language === 'jscript' ? ['js'] : language === 'vbscript' ? ['vbs'] : ['js', 'vbs'];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const before = out.text;
    for (const style of styles) {
      const charCodes = style === 'js' ? fromCharCode(out.text) : vbsChr(out.text);
      note(out, charCodes, style === 'js' ? 'fromCharCode' : 'Chr', maxChars);
      note(out, foldLiterals(out.text, style, out), 'literals', maxChars);
      if (out.truncated) return out;
    }
    if (out.text === before) break;
  }
  return out;
}

function note(out: Deobfuscated, next: string, step: string, maxChars: number): void {
  if (next === out.text || out.truncated) return;
  if (next.length > maxChars) {
    out.truncated = true;
    return;
  }
  out.text = next;
  if (!out.steps.includes(step)) out.steps.push(step);
}

const NUM = '(?:0x[0-9a-f]{1,6}|\\d{1,7})';
// The argument list is a run of numbers and commas: a failed attempt stops at the first other character.
const FROM_CHAR_CODE = new RegExp(
  `String\\s*(?:\\.\\s*fromCharCode|\\[\\s*["']fromCharCode["']\\s*\\])\\s*\\(\\s*(${NUM}(?:\\s*,\\s*${NUM})*)\\s*\\)`,
  'gi',
);

function fromCharCode(text: string): string {
  return text.replace(FROM_CHAR_CODE, (all, list: string) => {
    const codes = list.split(',').map((n) => Number(n.trim()));
    if (codes.some((c) => !Number.isFinite(c) || c > 0xffff)) return all;
    return jsQuote(String.fromCharCode(...codes.slice(0, 65536)));
  });
}

const VBS_CHR = /\bChr[WB]?\$?\s*\(\s*(&H[0-9a-f]{1,4}|\d{1,6})(?:\s*([-+*])\s*(\d{1,6}))?\s*\)/gi;

function vbsChr(text: string): string {
  return text.replace(VBS_CHR, (all, a: string, op: string | undefined, b: string | undefined) => {
    let code = a.toUpperCase().startsWith('&H') ? Number.parseInt(a.slice(2), 16) : Number(a);
    if (op && b !== undefined)
      code = op === '+' ? code + Number(b) : op === '-' ? code - Number(b) : code * Number(b);
    return code >= 0 && code <= 0xffff ? vbsQuote(String.fromCharCode(code)) : all;
  });
}

interface Edit {
  start: number;
  end: number;
  value: string;
}

// What sits around literals, checked on short slices only (never a scan of the whole text).
const CONTEXT = 96;
const CALL_PREFIX: Readonly<Record<LiteralStyle, RegExp>> = {
  js: /\b(unescape|decodeURIComponent|decodeURI|atob)\s*\(\s*$/,
  vbs: /\b(StrReverse)\s*\(\s*$/i,
};
const CLOSE = /^\s*\)/;
const JOIN: Readonly<Record<LiteralStyle, RegExp>> = {
  js: /^\s*\+\s*$/,
  vbs: /^\s*(?:_\s*\r?\n\s*)?[&+]\s*(?:_\s*\r?\n\s*)?$/,
};
const JS_REVERSE = /^\.split\(\s*(?:""|'')\s*\)\.reverse\(\)\.join\(\s*(?:""|'')\s*\)/;
const JS_SPLIT = /^\.(split|replace|replaceAll)\(\s*$/;
const JS_REGEX_REPLACE =
  /^\.replace(?:All)?\(\s*\/((?:[^/\\\r\n*+?()[\]{}|^$.]|\\.){1,40})\/([gimsuy]*)\s*,\s*$/;
const JS_SECOND_ARG = /^\s*\)\s*\.\s*join\(\s*$|^\s*,\s*$/;
const VBS_REPLACE = /\bReplace\s*\(\s*$/i;
const COMMA = /^\s*,\s*$/;

/** One left-to-right walk over the literals: joins, decoding calls, reversal, replace/split-join. */
function foldLiterals(text: string, style: LiteralStyle, out: Deobfuscated): string {
  const lits = scanLiterals(text, style);
  if (lits.length === 0) return text;
  const quote = style === 'js' ? jsQuote : vbsQuote;
  const gap = (a: number, b: number) => (b - a > CONTEXT ? '\u0000' : text.slice(a, b));
  const edits: Edit[] = [];
  for (let i = 0; i < lits.length; i++) {
    const lit = lits[i]!;
    // (A) "a" + "b" + … → "ab…"
    let j = i;
    while (j + 1 < lits.length && JOIN[style].test(gap(lits[j]!.end, lits[j + 1]!.start))) j++;
    if (j > i) {
      edits.push({
        start: lit.start,
        end: lits[j]!.end,
        value: quote(
          lits
            .slice(i, j + 1)
            .map((l) => l.value)
            .join(''),
        ),
      });
      i = j;
      continue;
    }
    const edit = style === 'js' ? jsCall(text, lits, i, gap, out) : vbsCall(text, lits, i, gap);
    if (edit) {
      edits.push(edit.edit);
      i = edit.next;
      continue;
    }
    // (B) escapes in a lone JS literal ("\x70\x6f…") become plain characters
    if (style === 'js' && /\\[xu0-7]/.test(text.slice(lit.start, lit.end))) {
      edits.push({ start: lit.start, end: lit.end, value: quote(lit.value) });
    }
  }
  return applyEdits(text, edits);
}

type Gap = (a: number, b: number) => string;

function jsCall(
  text: string,
  lits: Literal[],
  i: number,
  gap: Gap,
  out: Deobfuscated,
): { edit: Edit; next: number } | undefined {
  const lit = lits[i]!;
  const before = text.slice(Math.max(0, lit.start - CONTEXT), lit.start);
  const after = text.slice(lit.end, lit.end + CONTEXT);
  const call = CALL_PREFIX.js.exec(before);
  const close = CLOSE.exec(after);
  if (call && close) {
    const decoded = call[1] === 'atob' ? base64Text(lit.value) : percentDecode(lit.value);
    if (decoded !== undefined) {
      if (out.blobs.length < MAX_BLOBS && decoded.length >= 32) {
        out.blobs.push({
          kind: call[1] === 'atob' ? 'base64' : 'percent',
          raw: lit.value,
          decoded,
        });
      }
      return {
        edit: {
          start: lit.start - call[0].length,
          end: lit.end + close[0].length,
          value: jsQuote(decoded),
        },
        next: i,
      };
    }
  }
  const reverse = JS_REVERSE.exec(after);
  if (reverse)
    return {
      edit: {
        start: lit.start,
        end: lit.end + reverse[0].length,
        value: jsQuote([...lit.value].reverse().join('')),
      },
      next: i,
    };
  const regex = JS_REGEX_REPLACE.exec(after);
  const repl = lits[i + 1];
  if (regex && repl && lit.end + regex[0].length === repl.start) {
    const tail = CLOSE.exec(text.slice(repl.end, repl.end + CONTEXT));
    if (tail) {
      const find = regex[1]!.replace(/\\(.)/g, '$1');
      const value = regex[2]!.includes('g')
        ? lit.value.split(find).join(repl.value)
        : lit.value.replace(find, () => repl.value);
      return {
        edit: { start: lit.start, end: repl.end + tail[0].length, value: jsQuote(value) },
        next: i + 1,
      };
    }
  }
  const method = JS_SPLIT.exec(gap(lit.end, lits[i + 1]?.start ?? lit.end));
  const a = lits[i + 1];
  const b = lits[i + 2];
  if (method && a && b && a.value !== '' && JS_SECOND_ARG.test(gap(a.end, b.start))) {
    const tail = CLOSE.exec(text.slice(b.end, b.end + CONTEXT));
    const isSplitJoin = method[1] === 'split' && /join/.test(gap(a.end, b.start));
    const isReplace = method[1] !== 'split' && COMMA.test(gap(a.end, b.start));
    if (tail && (isSplitJoin || isReplace)) {
      const value =
        isSplitJoin || method[1] === 'replaceAll'
          ? lit.value.split(a.value).join(b.value)
          : lit.value.replace(a.value, () => b.value);
      return {
        edit: { start: lit.start, end: b.end + tail[0].length, value: jsQuote(value) },
        next: i + 2,
      };
    }
  }
  return undefined;
}

function vbsCall(
  text: string,
  lits: Literal[],
  i: number,
  gap: Gap,
): { edit: Edit; next: number } | undefined {
  const lit = lits[i]!;
  const before = text.slice(Math.max(0, lit.start - CONTEXT), lit.start);
  const call = CALL_PREFIX.vbs.exec(before);
  const close = CLOSE.exec(text.slice(lit.end, lit.end + CONTEXT));
  if (call && close) {
    return {
      edit: {
        start: lit.start - call[0].length,
        end: lit.end + close[0].length,
        value: vbsQuote([...lit.value].reverse().join('')),
      },
      next: i,
    };
  }
  const replace = VBS_REPLACE.exec(before);
  const a = lits[i + 1];
  const b = lits[i + 2];
  if (
    replace &&
    a &&
    b &&
    a.value !== '' &&
    COMMA.test(gap(lit.end, a.start)) &&
    COMMA.test(gap(a.end, b.start))
  ) {
    const tail = CLOSE.exec(text.slice(b.end, b.end + CONTEXT));
    if (tail) {
      const value = lit.value.split(a.value).join(b.value);
      return {
        edit: {
          start: lit.start - replace[0].length,
          end: b.end + tail[0].length,
          value: vbsQuote(value),
        },
        next: i + 2,
      };
    }
  }
  return undefined;
}

function applyEdits(text: string, edits: readonly Edit[]): string {
  if (edits.length === 0) return text;
  const parts: string[] = [];
  let at = 0;
  for (const e of edits) {
    if (e.start < at) continue;
    parts.push(text.slice(at, e.start), e.value);
    at = e.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

function percentDecode(raw: string): string | undefined {
  if (!/%[0-9a-f]{2}|%u[0-9a-f]{4}/i.test(raw)) return undefined;
  return raw
    .replace(/%u([0-9a-f]{4})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
    .replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

/** Base64 → Latin-1 text when at least 90 % of it is printable; undefined for binary or non-base64. */
export function base64Text(b64: string): string | undefined {
  const clean = b64.replace(/\s+/g, '');
  if (clean.length < 4 || !/^[A-Za-z0-9+/]+={0,2}$/.test(clean)) return undefined;
  let bin: string;
  try {
    bin = atob(clean);
  } catch {
    return undefined;
  }
  let printable = 0;
  for (let i = 0; i < bin.length; i++) {
    const c = bin.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c === 9 || c === 10 || c === 13) printable++;
  }
  return bin.length > 0 && printable / bin.length >= 0.9 ? bin : undefined;
}
