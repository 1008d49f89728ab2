/** A base64 payload found in a command line or script, with what it decodes to. */
export interface EncodedCommand {
  /** The text that carried it, e.g. `-enc SQBFAFgA…`. */
  raw: string;
  /** The base64 itself. */
  base64: string;
  decoded: string;
  /** Character offset of `raw` in the searched text. */
  index: number;
  /** `-EncodedCommand` parameter, or `[Convert]::FromBase64String` in a script. */
  kind: 'encoded-command' | 'from-base64';
}

export interface EncodedOptions {
  maxResults?: number;
  /** Characters of base64 decoded per payload; longer payloads are cut (and still reported). */
  maxBase64Chars?: number;
}

export const MAX_ENCODED_RESULTS = 50;

export const MAX_BASE64_CHARS = 4 * 1024 * 1024;

// Shared decoders: decode() without `stream` keeps no state, and constructing one is not free.
const UTF16LE = new TextDecoder('utf-16le');
const UTF8 = new TextDecoder('utf-8');

// powershell.exe accepts any unambiguous prefix of -EncodedCommand, with - or /: -e, -ec, -en, -enc, … .
// Attackers also hide it behind cmd.exe carets (p^ower^shell -e^nc) which cmd strips before PowerShell runs.
const ENCODED_PARAM =
  /(?:^|[\s"'(])[-/\u2013\u2014](?:e|ec|en|enc|enco|encod|encode|encoded|encodedc|encodedco|encodedcom|encodedcomm|encodedcomma|encodedcomman|encodedcommand)\s+["']?([A-Za-z0-9+/]{8,}={0,2})/gi;
const FROM_BASE64 = /FromBase64String\s*\(\s*["']([A-Za-z0-9+/\s]{8,}={0,2})["']/gi;

/** Each search, with a pattern that every match of it contains (a quick test that rules text out). */
const SEARCHES = [
  [ENCODED_PARAM, 'encoded-command', /[-/\u2013\u2014]e/i],
  [FROM_BASE64, 'from-base64', /FromBase64String/i],
] as const;

/** Finds `-EncodedCommand` payloads and `FromBase64String('…')` literals and decodes them. */
export function findEncodedCommands(text: string, options: EncodedOptions = {}): EncodedCommand[] {
  const max = options.maxResults ?? MAX_ENCODED_RESULTS;
  const maxChars = options.maxBase64Chars ?? MAX_BASE64_CHARS;
  const plain = text.includes('^') ? text.replace(/\^(?=\S)/g, '') : text;
  const found: EncodedCommand[] = [];
  for (const [re, kind, precheck] of SEARCHES) {
    // ENCODED_PARAM can start at any character; the dash-and-e it needs is found far faster.
    if (!precheck.test(plain)) continue;
    for (const m of plain.matchAll(re)) {
      if (found.length >= max) return found;
      const base64 = m[1]!.replace(/\s+/g, '').slice(0, maxChars);
      const decoded = decodePowerShellBase64(base64);
      if (decoded === undefined) continue;
      found.push({ raw: m[0].trimStart(), base64, decoded, index: m.index ?? 0, kind });
    }
  }
  return found;
}

/**
 * Decodes base64 as PowerShell does for -EncodedCommand: UTF-16LE. `FromBase64String` payloads may be
 * UTF-8 or binary; text is returned only when most of it is printable, else undefined.
 */
export function decodePowerShellBase64(base64: string): string | undefined {
  const bytes = decodeBase64(base64);
  if (bytes.length < 2) return undefined;
  let zeroHigh = 0;
  for (let i = 1; i < bytes.length; i += 2) if (bytes[i] === 0) zeroHigh++;
  const utf16 = zeroHigh >= (bytes.length / 2) * 0.6;
  const text = (utf16 ? UTF16LE : UTF8).decode(bytes);
  let printable = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) printable++;
  }
  return printable / Math.max(1, text.length) > 0.9 ? text : undefined;
}

function decodeBase64(base64: string): Uint8Array {
  const clean = base64.replace(/[^A-Za-z0-9+/]/g, '');
  const usable = clean.length - (clean.length % 4 === 1 ? 1 : 0);
  return Uint8Array.from(atob(padBase64(clean.slice(0, usable))), (c) => c.charCodeAt(0));
}

function padBase64(s: string): string {
  return s + '='.repeat((4 - (s.length % 4)) % 4);
}
