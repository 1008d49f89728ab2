import iconv from 'iconv-lite';
import type { Anomaly } from '../../core/index.js';
import { codePageEncoding } from '../ovba/index.js';
import { Cursor, decodeLatin1, decodeUtf16, Truncated } from './cursor.js';

/**
 * BIFF string structures: XLUnicodeString and friends (BIFF8, [MS-XLS] 2.5.293–2.5.296), the
 * XLUnicodeRichExtendedString of the shared string table (2.5.293) across CONTINUE records (2.4.58:
 * a string cut by a CONTINUE resumes with a fresh fHighByte flag), and BIFF5 byte strings in the
 * workbook's code page (CODEPAGE, 2.4.52).
 */

const NO_BOUNDARIES: readonly number[] = [];

/** Characters of a BIFF8 string body; `boundaries` are offsets where a CONTINUE payload starts. */
export function readChars(
  cur: Cursor,
  cch: number,
  isHighByte: boolean,
  boundaries: readonly number[] = NO_BOUNDARIES,
): string {
  let text = '';
  let remaining = cch;
  let wide = isHighByte;
  while (remaining > 0) {
    const next = boundaries.find((b) => b >= cur.pos) ?? cur.data.length;
    if (next === cur.pos && next < cur.data.length) {
      // SECURITY: each boundary is crossed once (the flag byte moves past it), so this loop ends.
      wide = (cur.u8('continued string flags') & 0x01) === 1;
      continue;
    }
    const width = wide ? 2 : 1;
    const n = Math.min(remaining, Math.floor((next - cur.pos) / width));
    if (n === 0) throw new Truncated('string characters');
    const bytes = cur.bytes(n * width, 'string characters');
    text += wide ? decodeUtf16(bytes) : decodeLatin1(bytes);
    remaining -= n;
  }
  return text;
}

/** ShortXLUnicodeString (2.5.240): cch u8, fHighByte, characters. */
export function readShortXLUnicode(cur: Cursor): string {
  const cch = cur.u8('string length');
  return readChars(cur, cch, (cur.u8('string flags') & 0x01) === 1);
}

/** XLUnicodeString (2.5.294): cch u16, fHighByte, characters. */
export function readXLUnicode(cur: Cursor, boundaries: readonly number[] = []): string {
  const cch = cur.u16('string length');
  return readChars(cur, cch, (cur.u8('string flags') & 0x01) === 1, boundaries);
}

/** XLUnicodeStringNoCch (2.5.296): the length comes from elsewhere. */
export function readXLUnicodeNoCch(cur: Cursor, cch: number): string {
  return readChars(cur, cch, (cur.u8('string flags') & 0x01) === 1);
}

/** Decodes BIFF5 byte strings in the workbook code page (cp1252 when none is given). */
export class CodePageDecoder {
  private encoding: string = 'cp1252';
  constructor(private readonly anomalies: Anomaly[]) {}

  setCodePage(codePage: number): void {
    // 0x8000 is Mac Roman, 0x8001 cp1252 (2.4.52); 1200 marks a Unicode (BIFF8) workbook.
    const normalized = codePage === 0x8000 ? 10000 : codePage === 0x8001 ? 1252 : codePage;
    const encoding = normalized === 1200 ? 'cp1252' : codePageEncoding(normalized);
    if (encoding) this.encoding = encoding;
    else {
      this.anomalies.push({
        code: 'E_BIFF_UNKNOWN_CODEPAGE',
        message: `code page ${codePage} is not supported; strings decoded as cp1252`,
      });
    }
  }

  decode(bytes: Uint8Array): string {
    return iconv.decode(bytes, this.encoding);
  }
}

/** BIFF5 string with a one-byte length. */
export function readByteString8(cur: Cursor, decoder: CodePageDecoder): string {
  return decoder.decode(cur.bytes(cur.u8('string length'), 'string bytes'));
}

/** BIFF5 string with a two-byte length (LABEL, STRING). */
export function readByteString16(cur: Cursor, decoder: CodePageDecoder): string {
  return decoder.decode(cur.bytes(cur.u16('string length'), 'string bytes'));
}

export interface SstResult {
  strings: string[];
  /** cstUnique as declared; more than `strings.length` when the table was cut short. */
  declared: number;
}

/**
 * The shared string table (SST, 2.4.265). `maxStrings` bounds the table whatever cstUnique claims,
 * and every string costs at least three bytes, so a huge declared count costs nothing.
 */
export function parseSst(
  data: Uint8Array,
  boundaries: readonly number[],
  maxStrings: number,
  anomalies: Anomaly[],
  offset: number,
): SstResult {
  const cur = new Cursor(data);
  const strings: string[] = [];
  let declared = 0;
  try {
    cur.skip(4, 'cstTotal');
    declared = cur.u32('cstUnique');
    while (strings.length < declared && cur.left > 0) {
      if (strings.length >= maxStrings) {
        anomalies.push({
          code: 'E_BIFF_SST_LIMIT',
          message: `SST declares ${declared} strings; only the first ${maxStrings} were read`,
          offset,
          location: 'SST',
        });
        return { strings, declared };
      }
      strings.push(readRichString(cur, boundaries));
    }
  } catch (error) {
    if (!(error instanceof Truncated)) throw error;
  }
  if (strings.length < Math.min(declared, maxStrings)) {
    anomalies.push({
      code: 'E_BIFF_SST_TRUNCATED',
      message: `SST declares ${declared} strings; its records hold ${strings.length}`,
      offset,
      location: 'SST',
    });
  }
  return { strings, declared };
}

/** XLUnicodeRichExtendedString (2.5.293): formatting runs and phonetic data are skipped. */
function readRichString(cur: Cursor, boundaries: readonly number[]): string {
  const cch = cur.u16('string length');
  const flags = cur.u8('string flags');
  const runs = flags & 0x08 ? cur.u16('cRun') : 0;
  const ext = flags & 0x04 ? cur.i32('cbExtRst') : 0;
  const text = readChars(cur, cch, (flags & 0x01) === 1, boundaries);
  cur.skip(runs * 4, 'formatting runs');
  if (ext < 0) throw new Truncated('phonetic block');
  cur.skip(ext, 'phonetic block');
  return text;
}
