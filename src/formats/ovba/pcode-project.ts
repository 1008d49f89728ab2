import type { Anomaly } from '../../core/index.js';
import { decodeCodePage } from './codepage.js';

/**
 * The `_VBA_PROJECT` stream ([MS-OVBA] 2.3.4.1): Reserved1 0x61CC, Version, Reserved2, Reserved3, then a
 * PerformanceCache that the spec leaves undocumented. Version 0xFFFF (what MS-OVBA tells writers to
 * emit) means no cache: Office recompiles from source and nothing compiled can disagree with it.
 */
export const VBA_PROJECT_RESERVED1 = 0x61cc;
export const VBA_PROJECT_VERSION_INDEPENDENT = 0xffff;
const HEADER_SIZE = 7;

/**
 * The p-code dialect a `_VBA_PROJECT.Version` stands for. The version is the build of VBA that compiled
 * the cache (MS-OVBA 2.3.4.1 only says "MUST be ignored on read"); the values come from public notes:
 * below 0x6B VBA5 (Office 97/98, 0x5E), 0x6B–0x96 VBA6 (Office 2000–2007), from 0x97 VBA7 (Office
 * 2010 32-bit 0x97, 2013 0xA3 32-bit / 0xA6 64-bit, 2016–2019/365 0xAF 32-bit / 0xB2 64-bit, as the
 * EvilClippy stomping tool targets them). Bitness is the dir stream's PROJECTSYSKIND (3 = Win64), not
 * the version. Outside 0x5E–0xB2 the layout is not known to this reader.
 */
export type PcodeDialect = 'vba5' | 'vba6' | 'vba7';
export const MIN_KNOWN_VBA_VERSION = 0x5e;
export const MAX_KNOWN_VBA_VERSION = 0xb2;

export function pcodeDialectOf(version: number | undefined): PcodeDialect | undefined {
  if (version === undefined || version < MIN_KNOWN_VBA_VERSION) return undefined;
  if (version > MAX_KNOWN_VBA_VERSION) return undefined;
  return version < 0x6b ? 'vba5' : version < 0x97 ? 'vba6' : 'vba7';
}

/**
 * Macintosh Office (PowerPC builds) writes the cache big-endian; public notes tell it by Reserved3
 * reading 0x000E (little-endian) in `_VBA_PROJECT`, or by a module stream whose second word exceeds
 * 0xFF. This reader only knows the little-endian layout.
 */
export function isBigEndianProject(bytes: Uint8Array): boolean {
  return bytes.length >= HEADER_SIZE && bytes[5] === 0x0e && bytes[6] === 0x00;
}

export function isBigEndianModule(stream: Uint8Array, textOffset: number): boolean {
  return textOffset >= 4 && stream.length >= 4 && (stream[2]! | (stream[3]! << 8)) > 0xff;
}

/** Identifier records accepted as the identifier table; real projects hold hundreds. */
const MIN_IDENTIFIER_RUN = 3;
/** Identifiers kept; the identifier table of a real project is far smaller. */
export const MAX_PCODE_IDENTIFIERS = 65_536;
/** Record parses tried while looking for the table; bounds hostile streams full of near-records. */
const MAX_SCAN_STEPS = 4_000_000;

export interface VbaProjectCache {
  /** _VBA_PROJECT.Version: the VBA build that compiled the cache (e.g. 0x00B2), 0xFFFF for none. */
  version: number | undefined;
  /** The cache's layout as far as the version tells it; undefined for an unknown version. */
  dialect?: PcodeDialect;
  /** Reserved3 marks a big-endian (Mac) cache. */
  isBigEndian?: boolean;
  /** True when the stream carries a PerformanceCache that Office would run instead of the source. */
  hasCache: boolean;
  /**
   * The project's identifier table (procedure, variable and API names the compiled code refers to), as
   * far as it could be located. Publicly described (not in MS-OVBA) layout: per record a type/length
   * word (0 first for a keyword, then a data word and the real one), six more bytes when the type has
   * bit 0x80, the name, and four trailing bytes for non-keywords.
   */
  identifiers: string[];
}

/** Reads the `_VBA_PROJECT` header and, when a cache is present, its identifier table. */
export function parseVbaProjectStream(
  bytes: Uint8Array,
  codePage: number,
  anomalies: Anomaly[],
  location = '_VBA_PROJECT',
): VbaProjectCache {
  if (bytes.length < HEADER_SIZE) {
    anomalies.push({
      code: 'E_OVBA_PCODE_TRUNCATED',
      message: `${location} is shorter than its header`,
      location,
    });
    return { version: undefined, hasCache: false, identifiers: [] };
  }
  const reserved1 = bytes[0]! | (bytes[1]! << 8);
  const version = bytes[2]! | (bytes[3]! << 8);
  if (reserved1 !== VBA_PROJECT_RESERVED1) {
    anomalies.push({
      code: 'E_OVBA_PCODE_BAD_HEADER',
      message: `${location}: Reserved1 is 0x${reserved1.toString(16)}, not 0x61cc`,
      location,
    });
  }
  const hasCache = version !== VBA_PROJECT_VERSION_INDEPENDENT && bytes.length > HEADER_SIZE;
  if (!hasCache) return { version, hasCache, identifiers: [] };
  const dialect = pcodeDialectOf(version);
  const layout = {
    ...(dialect ? { dialect } : {}),
    ...(isBigEndianProject(bytes) ? { isBigEndian: true } : {}),
  };
  // SECURITY: an unknown layout is not read as if it were a known one: what it yields could only
  // mislead the stomping comparison. The caller reports "not understood" instead.
  if (!dialect || layout.isBigEndian) return { version, hasCache, identifiers: [], ...layout };
  const run = findIdentifierTable(bytes, HEADER_SIZE);
  const identifiers = run.map((r) =>
    decodePcodeText(bytes.subarray(r.at, r.at + r.length), codePage, anomalies, location),
  );
  return { version, hasCache, identifiers, ...layout };
}

interface NameSpan {
  at: number;
  length: number;
}

function isNameByte(b: number, first: boolean): boolean {
  if (b >= 0x80) return true; // MBCS identifiers (Japanese names are legal VBA)
  if ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f) return true;
  return !first && b >= 0x30 && b <= 0x39;
}

/** One identifier record at `at`: its name span and where the next record starts, or undefined. */
function readRecord(bytes: Uint8Array, at: number): { name: NameSpan; next: number } | undefined {
  let p = at;
  if (p + 2 > bytes.length) return undefined;
  let length = bytes[p]!;
  let type = bytes[p + 1]!;
  p += 2;
  const isKeyword = length === 0 && type === 0;
  if (isKeyword) {
    p += 2;
    if (p + 2 > bytes.length) return undefined;
    length = bytes[p]!;
    type = bytes[p + 1]!;
    p += 2;
  }
  if (length === 0) return undefined;
  if (type & 0x80) p += 6;
  if (p + length > bytes.length) return undefined;
  for (let i = 0; i < length; i++) if (!isNameByte(bytes[p + i]!, i === 0)) return undefined;
  const name = { at: p, length };
  p += length;
  if (!isKeyword) p += 4;
  return p <= bytes.length ? { name, next: p } : undefined;
}

/**
 * Locates the identifier table as the longest run of consecutive well-formed identifier records. The
 * cache's other structures vary by VBA version and bitness, so the table is found by its own shape
 * rather than by walking them; a run ends at the first record that does not parse.
 */
function findIdentifierTable(bytes: Uint8Array, from: number): NameSpan[] {
  let best: NameSpan[] = [];
  let steps = 0;
  for (let start = from; start < bytes.length && steps < MAX_SCAN_STEPS;) {
    const run: NameSpan[] = [];
    let at = start;
    for (
      let r = readRecord(bytes, at);
      r && run.length < MAX_PCODE_IDENTIFIERS;
      r = readRecord(bytes, at)
    ) {
      steps++;
      run.push(r.name);
      at = r.next;
    }
    steps++;
    if (run.length > best.length) best = run;
    // SECURITY: every suffix of a run is a run; skipping past it keeps the scan linear in the stream size.
    start = run.length >= MIN_IDENTIFIER_RUN ? at : start + 1;
  }
  return best.length >= MIN_IDENTIFIER_RUN ? best : [];
}

/** ASCII needs no code page (most identifiers and literals); the rest goes through `decodeCodePage`. */
export function decodePcodeText(
  bytes: Uint8Array,
  codePage: number,
  anomalies: Anomaly[],
  location: string,
): string {
  let ascii = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0x80) return decodeCodePage(bytes, codePage, anomalies, location);
    ascii += String.fromCharCode(b);
  }
  return ascii;
}
