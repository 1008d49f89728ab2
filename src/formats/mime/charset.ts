/**
 * Charset decoding for header text, on the WHATWG `TextDecoder` (Node ships full ICU, which covers
 * ISO-2022-JP, Shift_JIS and EUC-JP). Japanese mail still carries all three, and old mailers put raw
 * 8-bit Shift_JIS or EUC-JP in headers and file names without RFC 2047 encoding.
 */

/** Labels mailers write that `TextDecoder` does not know under that name (RFC 1468, Microsoft aliases). */
const CHARSET_ALIASES: Readonly<Record<string, string>> = {
  cp932: 'shift_jis',
  ms932: 'shift_jis',
  'ms-932': 'shift_jis',
  sjis: 'shift_jis',
  'shift-jis': 'shift_jis',
  'x-ms-cp932': 'shift_jis',
  'iso-2022-jp-1': 'iso-2022-jp',
  'iso-2022-jp-2': 'iso-2022-jp',
  'iso-2022-jp-3': 'iso-2022-jp',
  'iso-2022-jp-2004': 'iso-2022-jp',
  eucjp: 'euc-jp',
  'x-euc': 'euc-jp',
  'euc-jis-2004': 'euc-jp',
  utf8: 'utf-8',
};

// SECURITY: UTF-7 is never decoded. `+ADw-script+AD4-` decodes to `<script>`, which lets markup
// pass filters that look for `<`; mailparser refuses it for bodies, we refuse it for headers.
const REFUSED_CHARSET = /^(?:(?:cs)?unicode-?1-?1-?)?utf-?7(?:-?imap)?$/;

export interface CharsetDecodeResult {
  text: string;
  /** False when the label is unknown or refused; `text` is then a UTF-8 reading with U+FFFD. */
  isKnown: boolean;
}

/** Decodes `bytes` in the named charset; unknown and refused labels fall back to lenient UTF-8. */
export function decodeCharset(bytes: Uint8Array, charset: string): CharsetDecodeResult {
  const label = charset.trim().toLowerCase().replace(/\*.*$/, ''); // RFC 2231 `charset*lang`
  const name = CHARSET_ALIASES[label] ?? label;
  if (REFUSED_CHARSET.test(name)) return { text: utf8Lenient(bytes), isKnown: false };
  try {
    return { text: new TextDecoder(name).decode(bytes), isKnown: true };
  } catch {
    // RangeError: a label TextDecoder does not know.
    return { text: utf8Lenient(bytes), isKnown: false };
  }
}

/** True when `bytes` are complete, valid text in `charset` (false for unknown labels too). */
export function decodesCleanly(bytes: Uint8Array, charset: string): boolean {
  const label = charset.trim().toLowerCase().replace(/\*.*$/, '');
  return tryDecode(bytes, CHARSET_ALIASES[label] ?? label) !== undefined;
}

function utf8Lenient(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}

function tryDecode(bytes: Uint8Array, name: string): string | undefined {
  try {
    return new TextDecoder(name, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** True when `s` holds only code units 0–0xFF: a "binary" string, one char per raw byte. */
function isByteString(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

function toBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const ISO_2022_JP_ESCAPE = /\x1b(?:\$[@B]|\([BJ])/;

/**
 * Turns raw header bytes (given as a one-char-per-byte string, as mailsplit hands them over) into
 * text: UTF-8 (RFC 6532) first, then ISO-2022-JP when it has JIS escapes, then EUC-JP, then
 * Shift_JIS, and Latin-1 as the last resort. EUC-JP goes before Shift_JIS because EUC kanji bytes
 * (0xA1–0xFE pairs) also read as Shift_JIS half-width katakana, while Shift_JIS kana and most kanji
 * have lead bytes 0x81–0x9F that EUC-JP rejects.
 */
export function decodeRawHeaderText(raw: string): string {
  if (!isByteString(raw)) return raw;
  const hasHigh = /[\x80-\xff]/.test(raw);
  if (!hasHigh) {
    return ISO_2022_JP_ESCAPE.test(raw) ? (tryDecode(toBytes(raw), 'iso-2022-jp') ?? raw) : raw;
  }
  const bytes = toBytes(raw);
  return (
    tryDecode(bytes, 'utf-8') ?? tryDecode(bytes, 'euc-jp') ?? tryDecode(bytes, 'shift_jis') ?? raw
  );
}

/**
 * Repairs a value mailparser already decoded but that may still be raw bytes (an unencoded 8-bit
 * file name). Unlike `decodeRawHeaderText` it must not touch real Latin-1 text (`résumé.doc` decoded
 * from RFC 2047): it re-reads only strings that contain C1 controls (0x80–0x9F, which no decoded
 * name holds but Shift_JIS and UTF-8 raw bytes do) or that form valid multi-byte UTF-8.
 */
export function repairRawText(value: string): string {
  if (!isByteString(value) || !/[\x80-\xff]/.test(value)) return value;
  const bytes = toBytes(value);
  const utf8 = tryDecode(bytes, 'utf-8');
  if (utf8 !== undefined) return utf8;
  if (!/[\x80-\x9f]/.test(value)) return value;
  return tryDecode(bytes, 'shift_jis') ?? tryDecode(bytes, 'euc-jp') ?? value;
}

const BASE64_VALUES: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

/** Lenient base64 (RFC 2045 6.8): characters outside the alphabet are skipped, padding optional. */
export function decodeBase64Lenient(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let length = 0;
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? (BASE64_VALUES[code] ?? -1) : -1;
    if (value < 0) {
      if (code === 0x3d) break; // '=' ends the data
      continue;
    }
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[length++] = (buffer >> bits) & 0xff;
    }
  }
  return out.subarray(0, length);
}
