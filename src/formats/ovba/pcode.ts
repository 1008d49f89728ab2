import type { Anomaly } from '../../core/index.js';
import { decodePcodeText } from './pcode-project.js';

/**
 * The compiled part of a module stream: the PerformanceCache before MODULEOFFSET ([MS-OVBA] 2.3.4.3,
 * "implementation-specific"). Publicly described layout (reverse-engineered, e.g. the MS-Pcode-Assembler
 * notes): a line directory that starts with the bytes FE CA 01 00 (0xCAFE, 0x0001), a u16 line count,
 * one 12-byte record per source line (u16 at +4: p-code length of the line; u32 at +8: its offset),
 * then FF FF FF FF 01 01, a u32 size, and the p-code itself. Instructions are u16 words; a string
 * literal or comment is a u16 length followed by its bytes in the project code page, padded to even.
 */
const LINE_TABLE_MAGIC = [0xfe, 0xca, 0x01, 0x00];
/** Public notes check only the 0xCAFE word and skip the next; a directory after another word is
 *  still read, when no FE CA 01 00 directory is found. */
const LOOSE_MAGIC = [0xfe, 0xca];
const LINE_RECORD = 12;
/** -1, 0x0101 and the u32 size between the directory and the p-code. */
const AFTER_DIRECTORY = 10;
/** Line directories tried per stream: real streams have one; the rest are look-alikes. */
export const MAX_PCODE_DIRECTORY_CANDIDATES = 16;
/** Strings kept per module. */
export const MAX_PCODE_STRINGS = 4096;
/** Shortest literal kept: shorter runs of printable bytes occur by chance in operands. */
export const MIN_PCODE_STRING = 3;

export interface PcodeString {
  /** 0-based line of the p-code directory. */
  line: number;
  text: string;
}

export interface ModulePcode {
  /** Lines in the p-code directory (one per source line the compiler saw). */
  lineCount: number;
  /** Lines that compiled to some p-code. */
  codeLineCount: number;
  /** String literals (and comment text) carried by the p-code, in line order. */
  strings: PcodeString[];
  /** Offset of the line directory in the module stream. */
  offset: number;
}

/**
 * Reads the p-code line directory and the literal strings of one module stream's PerformanceCache
 * (`stream[0, textOffset)`). Undefined when there is none (textOffset 0, or no line directory found).
 */
export function readModulePcode(
  stream: Uint8Array,
  textOffset: number,
  codePage: number,
  anomalies: Anomaly[],
  location: string,
): ModulePcode | undefined {
  const cache = stream.subarray(0, Math.min(textOffset, stream.length));
  if (cache.length < LINE_TABLE_MAGIC.length + 2) return undefined;
  // Real streams hold one directory; a planted empty look-alike must not hide it, so every candidate
  // is read and the one with the most compiled lines wins.
  // The loose magic only when no FE CA 01 00 is there at all: each candidate is tried once.
  const strict = findDirectory(cache, LINE_TABLE_MAGIC, codePage, anomalies, location);
  return strict.candidates > 0
    ? strict.best
    : findDirectory(cache, LOOSE_MAGIC, codePage, anomalies, location).best;
}

function findDirectory(
  cache: Uint8Array,
  magic: readonly number[],
  codePage: number,
  anomalies: Anomaly[],
  location: string,
): { best: ModulePcode | undefined; candidates: number } {
  let best: ModulePcode | undefined;
  for (let tries = 0, from = 0; ; tries++) {
    const at = indexOfMagic(cache, from, magic);
    if (at < 0) return { best, candidates: tries };
    if (tries === MAX_PCODE_DIRECTORY_CANDIDATES) {
      anomalies.push({
        code: 'E_OVBA_PCODE_BAD_DIRECTORY',
        message: `${location}: more than ${MAX_PCODE_DIRECTORY_CANDIDATES} p-code line directory candidates; the rest are ignored`,
        location,
      });
      return { best, candidates: tries };
    }
    const pcode = readDirectory(cache, at, codePage, anomalies, location);
    if (pcode && (!best || pcode.codeLineCount > best.codeLineCount)) best = pcode;
    from = at + 1;
  }
}

function indexOfMagic(bytes: Uint8Array, from: number, magic: readonly number[]): number {
  for (let i = from; i + LINE_TABLE_MAGIC.length <= bytes.length; i++) {
    if (bytes[i] !== 0xfe) continue;
    if (magic.every((b, k) => bytes[i + k] === b)) return i;
  }
  return -1;
}

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number) =>
  (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

/** The directory at `at`, when every line record points inside the cache; undefined otherwise. */
function readDirectory(
  cache: Uint8Array,
  at: number,
  codePage: number,
  anomalies: Anomaly[],
  location: string,
): ModulePcode | undefined {
  const lineCount = u16(cache, at + 4);
  const records = at + 6;
  const pcodeStart = records + lineCount * LINE_RECORD + AFTER_DIRECTORY;
  if (pcodeStart > cache.length) return undefined;
  const lines: { index: number; start: number; length: number }[] = [];
  for (let i = 0; i < lineCount; i++) {
    const r = records + i * LINE_RECORD;
    const length = u16(cache, r + 4);
    if (length === 0) continue;
    const start = pcodeStart + u32(cache, r + 8);
    // A record pointing outside the cache means this is not the directory (or it was tampered with).
    if (start + length > cache.length) return undefined;
    lines.push({ index: i, start, length });
  }
  const strings: PcodeString[] = [];
  for (const line of lines) {
    for (const bytes of lineStrings(cache.subarray(line.start, line.start + line.length))) {
      if (strings.length === MAX_PCODE_STRINGS) {
        anomalies.push({
          code: 'E_OVBA_PCODE_LIMIT',
          message: `${location}: more than ${MAX_PCODE_STRINGS} p-code strings; the rest are ignored`,
          location,
        });
        return { lineCount, codeLineCount: lines.length, strings, offset: at };
      }
      strings.push({
        line: line.index,
        text: decodePcodeText(bytes, codePage, anomalies, location),
      });
    }
  }
  return { lineCount, codeLineCount: lines.length, strings, offset: at };
}

function isTextByte(b: number): boolean {
  return b === 0x09 || (b >= 0x20 && b !== 0x7f);
}

/**
 * Length-prefixed text in one line's p-code, at even offsets as instructions are u16-aligned: a u16
 * length n ≥ MIN_PCODE_STRING that fits the line, followed by n text bytes holding a letter.
 * A hit is skipped whole, so text inside a literal is never read as another literal.
 */
function lineStrings(line: Uint8Array): Uint8Array[] {
  const found: Uint8Array[] = [];
  for (let k = 0; k + 2 <= line.length;) {
    const n = u16(line, k);
    if (n >= MIN_PCODE_STRING && k + 2 + n <= line.length) {
      const text = line.subarray(k + 2, k + 2 + n);
      if (text.every(isTextByte) && text.some((b) => (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a)) {
        found.push(text);
        k += 2 + n + (n & 1);
        continue;
      }
    }
    k += 2;
  }
  return found;
}
