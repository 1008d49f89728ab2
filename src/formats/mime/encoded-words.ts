import type { Anomaly } from '../../core/index.js';
import { decodeBase64Lenient, decodeCharset, decodesCleanly } from './charset.js';

/**
 * RFC 2047 encoded words: `=?charset?B|Q?text?=`. The charset label is bounded so that a hostile
 * header cannot make the pattern scan far; RFC 2047 2 caps a whole word at 75 characters, but real
 * mailers exceed that, so only the label is bounded.
 */
const ENCODED_WORD = /=\?([^?\s]{1,64})\?([BbQq])\?([^?]*)\?=/g;

interface Segment {
  charset?: string;
  bytes?: Uint8Array;
  text?: string;
}

function decodeQ(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5f) {
      out[length++] = 0x20; // RFC 2047 4.2 (2): '_' is a space
    } else if (c === 0x3d && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      out[length++] = parseInt(text.slice(i + 1, i + 3), 16);
      i += 2;
    } else {
      out[length++] = c & 0xff;
    }
  }
  return out.subarray(0, length);
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Splits `value` into plain text and encoded-word segments, dropping whitespace between words. */
function segment(value: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of value.matchAll(ENCODED_WORD)) {
    const index = match.index;
    const between = value.slice(last, index);
    const previous = segments[segments.length - 1];
    // RFC 2047 6.2: white space between adjacent encoded words is not displayed.
    if (between !== '' && !(previous?.bytes && /^[ \t\r\n]+$/.test(between))) {
      segments.push({ text: between });
    }
    const [, charset = '', encoding = 'B', payload = ''] = match;
    const bytes = encoding.toUpperCase() === 'B' ? decodeBase64Lenient(payload) : decodeQ(payload);
    const current = segments[segments.length - 1];
    // Mailers split one multibyte character (a UTF-8 sequence, a Shift_JIS pair) across two words
    // of the same charset; decoding them apart would give U+FFFD, so an incomplete word is joined
    // with the next. Complete words are not: joined ISO-2022-JP words would put two escape
    // sequences side by side, which the WHATWG decoder turns into U+FFFD.
    if (
      current?.bytes &&
      current.charset?.toLowerCase() === charset.toLowerCase() &&
      !decodesCleanly(current.bytes, charset)
    ) {
      current.bytes = concatBytes(current.bytes, bytes);
    } else {
      segments.push({ charset, bytes });
    }
    last = index + match[0].length;
  }
  if (last < value.length) segments.push({ text: value.slice(last) });
  return segments;
}

/**
 * Decodes RFC 2047 encoded words in an unstructured header value. Words in an unknown or refused
 * charset (UTF-7) are read as UTF-8 and reported through `anomalies`.
 *
 * @example decodeEncodedWords('=?ISO-2022-JP?B?GyRCOGZAQTVhPXEbKEI=?=') // '御請求書'
 */
export function decodeEncodedWords(
  value: string,
  anomalies?: Anomaly[],
  location?: string,
): string {
  if (!value.includes('=?')) return value;
  let out = '';
  for (const part of segment(value)) {
    if (part.bytes === undefined) {
      out += part.text ?? '';
      continue;
    }
    const { text, isKnown } = decodeCharset(part.bytes, part.charset ?? '');
    if (!isKnown && anomalies) {
      anomalies.push({
        code: 'E_MIME_UNKNOWN_CHARSET',
        message: `encoded word in unknown or refused charset "${part.charset}" read as UTF-8`,
        ...(location === undefined ? {} : { location }),
      });
    }
    out += text;
  }
  return out;
}
