import type { AuthResult } from './types.js';

/**
 * Authentication-Results (RFC 8601 2.2):
 *   authserv-id [ CFWS authres-version ] ( no-result / 1*resinfo )
 *   resinfo = [CFWS] ";" methodspec [ reasonspec ] [ 1*propspec ]
 * Comments may nest and may hold ';' and '=', so splitting honours comments and quoted strings.
 * Some MTAs forget the ';' between results (`spf=pass … dkim=pass …`); a known method name at
 * word start opens a new result too.
 */

/** Results kept per header: a header is one MTA's verdicts, a few dozen at most in real mail. */
const MAX_RESULTS_PER_HEADER = 64;

const METHOD_AT_START = /^\s*([A-Za-z0-9_-]+)(?:\s*\/\s*\d+)?\s*=\s*([A-Za-z0-9_-]+)/;
const GLUED_METHOD = /\s(?=(?:spf|dkim|dmarc|arc|iprev|auth|dkim-atps|bimi)\s*=)/gi;

interface Piece {
  raw: string;
  /** The same text with comments and quoted strings blanked out. */
  bare: string;
}

/** Splits at top-level ';', tracking nested comments, quoted strings and backslash escapes. */
function splitTopLevel(value: string): Piece[] {
  const pieces: Piece[] = [];
  let raw = '';
  let bare = '';
  let depth = 0;
  let inQuote = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] ?? '';
    if ((inQuote || depth > 0) && c === '\\') {
      raw += c + (value[i + 1] ?? '');
      bare += '  ';
      i++;
      continue;
    }
    if (inQuote) {
      inQuote = c !== '"';
    } else if (c === '(') {
      depth++;
    } else if (c === ')' && depth > 0) {
      depth--;
      raw += c;
      bare += ' ';
      continue;
    } else if (depth === 0 && c === '"') {
      inQuote = true;
    } else if (depth === 0 && c === ';') {
      pieces.push({ raw, bare });
      raw = '';
      bare = '';
      continue;
    }
    raw += c;
    bare += depth > 0 || inQuote || c === '"' ? ' ' : c;
  }
  pieces.push({ raw, bare });
  return pieces;
}

/** Cuts a piece where a known method starts without a ';' before it. */
function splitGlued(piece: Piece): Piece[] {
  const starts = [0, ...[...piece.bare.matchAll(GLUED_METHOD)].map((m) => m.index + 1)];
  return starts.map((start, i) => {
    const end = starts[i + 1] ?? piece.raw.length;
    return { raw: piece.raw.slice(start, end), bare: piece.bare.slice(start, end) };
  });
}

/**
 * Parses one Authentication-Results value into its method results.
 *
 * @example
 * parseAuthenticationResults('mx.example.com; spf=fail smtp.mailfrom=example.com; dkim=none')
 * // [{ method: 'spf', result: 'fail', … }, { method: 'dkim', result: 'none', … }]
 */
export function parseAuthenticationResults(value: string): AuthResult[] {
  const pieces = splitTopLevel(value);
  // A header without authserv-id (broken MTAs) starts straight with a result.
  const head = pieces[0]?.bare.includes('=') ? undefined : pieces.shift();
  const authservId = (head?.bare.trim().split(/\s+/)[0] ?? '').toLowerCase();
  const results: AuthResult[] = [];
  for (const piece of pieces.flatMap(splitGlued)) {
    const match = METHOD_AT_START.exec(piece.bare);
    if (!match) continue; // `none` (no-result) or garbage
    const [, method = '', result = ''] = match;
    results.push({
      method: method.toLowerCase(),
      result: result.toLowerCase(),
      raw: piece.raw.trim(),
      authservId,
    });
    if (results.length >= MAX_RESULTS_PER_HEADER) break;
  }
  return results;
}
