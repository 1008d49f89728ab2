import iconv from 'iconv-lite';
import { type Anomaly, ConfigError } from '../../core/index.js';

/** PROJECTCODEPAGE (MS-OVBA 2.3.4.2.1.5) when the dir stream names none: Western European. */
export const DEFAULT_CODE_PAGE = 1252;

/** Windows code page identifiers whose iconv-lite name is not simply `cp<number>`. */
const SPECIAL: Record<number, string> = {
  1200: 'utf16le',
  1201: 'utf16be',
  10000: 'macintosh',
  20127: 'ascii',
  20932: 'eucjp',
  51932: 'eucjp',
  51949: 'cp949',
  54936: 'gb18030',
  65001: 'utf8',
};

/** The iconv-lite encoding for a Windows code page, or undefined when unsupported. */
export function codePageEncoding(codePage: number): string | undefined {
  return codePageInfo(codePage).encoding;
}

interface CodePageInfo {
  encoding: string | undefined;
  /** Every ASCII byte decodes to itself, one byte at a time (see `isAsciiCompatible`). */
  isAsciiCompatible: boolean;
}

/** Per code page, looked up once: iconv-lite's lookup costs more than decoding a short name. */
const INFO = new Map<number, CodePageInfo>();
/** Code pages cached at most; the 16-bit PROJECTCODEPAGE cannot name more than 65,536. */
const MAX_INFO = 65_536;

function codePageInfo(codePage: number): CodePageInfo {
  let info = INFO.get(codePage);
  if (info) return info;
  let encoding: string | undefined = SPECIAL[codePage];
  if (!encoding) {
    for (const name of [`cp${codePage}`, `windows${codePage}`]) {
      if (iconv.encodingExists(name)) {
        encoding = name;
        break;
      }
    }
  }
  info = { encoding, isAsciiCompatible: encoding !== undefined && isAsciiCompatible(encoding) };
  if (INFO.size < MAX_INFO) INFO.set(codePage, info);
  return info;
}

const ASCII_BYTES = Uint8Array.from({ length: 0x80 }, (_, i) => i);
const ASCII_TEXT = String.fromCharCode(...ASCII_BYTES);

/**
 * True when text made only of ASCII bytes decodes to the same characters: single-byte tables and
 * double-byte ones (Shift_JIS, GBK, Big5, UHC: lead bytes are >= 0x80, so ASCII never starts a pair)
 * whose ASCII half is ASCII, and UTF-8. Stateful encodings (UTF-7, ISO-2022) and UTF-16 are excluded:
 * there a byte's meaning depends on the bytes before it.
 */
function isAsciiCompatible(encoding: string): boolean {
  const kind = (iconv.getCodec(encoding) as { constructor: { name: string } }).constructor.name;
  if (kind !== 'SBCSCodec' && kind !== 'DBCSCodec' && encoding !== 'utf8') return false;
  return iconv.decode(ASCII_BYTES, encoding, { stripBOM: false }) === ASCII_TEXT;
}

const UTF8 = new TextDecoder('utf-8');
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The bytes as ASCII text when every byte is ASCII, else undefined. UTF-8 decoding is native; its
 * result has one character per byte, all below 0x80, exactly when every byte is ASCII (a multi-byte
 * sequence yields fewer characters, a bad byte U+FFFD, a BOM is dropped).
 */
function decodeAscii(bytes: Uint8Array): string | undefined {
  const text = UTF8.decode(bytes);
  return text.length === bytes.length && !NON_ASCII.test(text) ? text : undefined;
}

/**
 * Decodes MBCS bytes (module source, PROJECT stream, names) in the project's code page: cp932 is
 * Shift_JIS for Japanese macros, cp1251 Cyrillic and so on. An unknown code page falls back to latin1
 * with an anomaly, so the text is still searchable.
 */
export function decodeCodePage(
  bytes: Uint8Array,
  codePage: number,
  anomalies: Anomaly[],
  location?: string,
): string {
  const { encoding, isAsciiCompatible } = codePageInfo(codePage);
  if (!encoding) {
    if (!anomalies.some((a) => a.code === 'E_OVBA_UNKNOWN_CODEPAGE')) {
      anomalies.push({
        code: 'E_OVBA_UNKNOWN_CODEPAGE',
        message: `code page ${codePage} is not supported; text decoded as latin1`,
        ...(location === undefined ? {} : { location }),
      });
    }
    return iconv.decode(bytes, 'latin1');
  }
  // Module source, names and the PROJECT stream are ASCII in most projects, whatever the code page.
  const ascii = isAsciiCompatible ? decodeAscii(bytes) : undefined;
  return ascii ?? iconv.decode(bytes, encoding, { stripBOM: false });
}

/** Encodes text in a code page for the writers; throws `ConfigError` for an unsupported one. */
export function encodeCodePage(text: string, codePage: number): Uint8Array {
  const encoding = codePageEncoding(codePage);
  if (!encoding) {
    throw new ConfigError('E_OVBA_UNKNOWN_CODEPAGE', `code page ${codePage} is not supported`);
  }
  return new Uint8Array(iconv.encode(text, encoding));
}

/** True when `text` survives a round trip through the code page (no `?` substitutions). */
export function isEncodable(text: string, codePage: number): boolean {
  const encoding = codePageEncoding(codePage);
  return encoding !== undefined && iconv.decode(iconv.encode(text, encoding), encoding) === text;
}

/** UTF-16LE, as the `*UNICODE` records of the dir stream store names. */
export function decodeUtf16(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i + 1 < bytes.length; i += 2)
    text += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
  return text;
}

export function encodeUtf16(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    out[i * 2] = text.charCodeAt(i) & 0xff;
    out[i * 2 + 1] = text.charCodeAt(i) >> 8;
  }
  return out;
}
