/**
 * VBA projects with compiled p-code in front of the source, laid out as the public reverse-engineering
 * notes describe Office's PerformanceCache ([MS-OVBA] 2.3.4.1 and 2.3.4.3 leave it undocumented):
 *
 * - `_VBA_PROJECT`: 0x61CC, a real VBA version (not 0xFFFF), then a cache with a header, UTF-16 library
 *   references, module records and the identifier table (type/length word, 0x0000 + data word before
 *   keywords, six extra bytes for types with bit 0x80, the name, four trailing bytes for non-keywords);
 * - each module stream: signature 0x01, a header, filler tables (GUIDs, runs of 0xFF), the line
 *   directory FE CA 01 00 + u16 line count + 12-byte records (u16 length at +4, u32 offset at +8),
 *   FF FF FF FF 01 01 + u32 size, then per line u16-aligned instructions where string literals and
 *   comments are a u16 length and the text padded to even, and identifiers are u16 references.
 *
 * The opcode numbers here are arbitrary stand-ins (the reader never interprets opcodes); what is
 * realistic is the layout the reader depends on. `compiledFrom` lets a test compile one body and store
 * another as source: a stomped module (EvilClippy-style) in one call.
 */
import iconv from 'iconv-lite';
import { concatBytes } from '../../src/core/index.js';
import { compressOvba } from '../../src/formats/ovba/index.js';
import { buildCfb } from './cfb.js';
import { buildDir, latin1, utf16 } from './ovba.js';

const u16 = (n: number) => new Uint8Array([n & 0xff, (n >> 8) & 0xff]);
const u32 = (n: number) => new Uint8Array([n, n >>> 8, n >>> 16, n >>> 24].map((b) => b & 0xff));
const fill = (n: number, byte: number) => new Uint8Array(n).fill(byte);

/** Office 2010+ 32-bit VBA7 writes versions around 0x00B2; any value but 0xFFFF means "cache present". */
export const VBA7_VERSION = 0x00b2;

const KEYWORDS = new Set(
  'Sub Function End Dim As Set If Then Else ElseIf For Next To Each In Do Loop While Wend Call Private Public Const String Long Integer Object Variant Boolean Null Nothing True False Option Explicit Exit With New ReDim Rem And Or Not Mod'
    .toLowerCase()
    .split(' '),
);

/** Stand-in opcodes: u16 words, as real p-code instructions are. */
const OP = { LIT_STR: 0x0099, QUOTE_REM: 0x00a8, LOAD: 0x0020, KEYWORD: 0x0101, END_LINE: 0x00ae };

export interface PcodeModuleSpec {
  name: string;
  /** Module body as stored in the source (the `Attribute VB_Name` line is added). */
  source: string;
  /** The body the p-code was compiled from; defaults to `source` (a normal, unstomped module). */
  compiledFrom?: string;
  /** Document module (ThisDocument) rather than a standard module. */
  isDocument?: boolean;
}

export interface PcodeProjectSpec {
  modules: PcodeModuleSpec[];
  /** `_VBA_PROJECT.Version`; 0xFFFF writes no cache at all (what emoguard's own writer does). */
  version?: number;
  /** Storage of the project: '' (vbaProject.bin) or 'Macros' (a Word .doc). */
  root?: string;
  /** Identifiers from a previous compile still in the table (VBA keeps them until a full recompile). */
  staleIdentifiers?: string[];
  /** PROJECTCODEPAGE for names, literals and source; default 1252 (932 for Japanese macros). */
  codePage?: number;
  /** PROJECTSYSKIND of the dir stream (3: 64-bit Office). */
  sysKind?: number;
  /** `_VBA_PROJECT` Reserved3; 0x000E marks a big-endian (Mac) cache. Default 0x0003. */
  reserved3?: number;
  /** The word after 0xCAFE in each line directory; public notes skip it. Default 0x0001. */
  directoryWord?: number;
}

/** Text in the project code page (MBCS), as VBA stores literals and source. */
const encoderFor = (codePage: number) => (text: string) =>
  new Uint8Array(iconv.encode(text, `cp${codePage}`));

/** Tokens of one VBA line: string literals (with "" unescaped), comments, identifiers. */
function tokens(line: string): { kind: 'str' | 'rem' | 'id'; text: string }[] {
  const out: { kind: 'str' | 'rem' | 'id'; text: string }[] = [];
  const re = /"((?:[^"]|"")*)"|'(.*)$|\bRem\s(.*)$|([A-Za-z_][A-Za-z0-9_]*)/g;
  for (const m of line.matchAll(re)) {
    if (m[1] !== undefined) out.push({ kind: 'str', text: m[1].replaceAll('""', '"') });
    else if (m[2] !== undefined) out.push({ kind: 'rem', text: m[2] });
    else if (m[3] !== undefined) out.push({ kind: 'rem', text: m[3] });
    else if (m[4] !== undefined) out.push({ kind: 'id', text: m[4] });
  }
  return out;
}

function bodyLines(body: string): string[] {
  return body.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
}

/** The identifier table of the project: every name the compiled bodies use, in first-use order. */
function collectIdentifiers(spec: PcodeProjectSpec): string[] {
  const names = ['Project', 'ThisDocument', '_Evaluate', 'Normal', 'Word', 'VBA', 'Win16', 'Win32'];
  names.push('Win64', 'Mac', 'VBA6', 'VBA7', 'stdole', 'Office', 'Document');
  for (const m of spec.modules) {
    names.push(m.name);
    for (const line of bodyLines(m.compiledFrom ?? m.source)) {
      for (const t of tokens(line)) if (t.kind === 'id') names.push(t.text);
    }
  }
  names.push(...(spec.staleIdentifiers ?? []));
  const seen = new Set<string>();
  return names.filter((n) => !seen.has(n.toLowerCase()) && seen.add(n.toLowerCase()));
}

/** One identifier record of the `_VBA_PROJECT` identifier table. */
function identifierRecord(name: string, index: number): Uint8Array {
  const bytes = latin1(name);
  if (KEYWORDS.has(name.toLowerCase())) {
    return concatBytes([
      u16(0),
      u16(0x9b + index),
      new Uint8Array([bytes.length, 0x80]),
      fill(6, 0),
      bytes,
    ]);
  }
  const type = index % 3 === 0 ? 0x80 : 0x04;
  const extra = type & 0x80 ? concatBytes([u16(0x14), u16(0x03ff), u16(index)]) : new Uint8Array(0);
  return concatBytes([new Uint8Array([bytes.length, type]), extra, bytes, u32(0x0010d918 + index)]);
}

/** The `_VBA_PROJECT` stream with its cache (or, for version 0xFFFF, the bare 7-byte header). */
export function buildVbaProjectStream(spec: PcodeProjectSpec, identifiers: string[]): Uint8Array {
  const version = spec.version ?? VBA7_VERSION;
  const header = concatBytes([
    u16(0x61cc),
    u16(version),
    new Uint8Array([0]),
    u16(spec.reserved3 ?? 0x0003),
  ]);
  if (version === 0xffff) return header;
  const libid =
    '*\\G{000204EF-0000-0000-C000-000000000046}#4.2#9#C:\\Program Files\\Common Files\\Microsoft Shared\\VBA\\VBA7.1\\VBE7.DLL#Visual Basic For Applications';
  const library = concatBytes([u16(libid.length * 2), utf16(libid), fill(10, 0), u16(0)]);
  const moduleRecords = spec.modules.map((m) =>
    concatBytes([
      u16(m.name.length * 2),
      utf16(m.name),
      u16(0x14),
      utf16('0{00020819-0000}'.slice(0, 10)),
    ]),
  );
  return concatBytes([
    header,
    new Uint8Array([0xff]),
    u32(0x409),
    u32(0x409),
    u16(0x04e4),
    u16(0x0003),
    fill(10, 0),
    u16(1), // libraries
    u16(0),
    library,
    u16(spec.modules.length),
    ...moduleRecords,
    fill(0x64, 0xff),
    fill(6, 0),
    u32(identifiers.length * 8),
    fill(6, 0),
    u16(0),
    u16(identifiers.length),
    u16(0),
    ...identifiers.map(identifierRecord),
    fill(16, 0),
  ]);
}

/** The p-code of one line: literals and comments inline, identifiers as references, an end marker. */
function compileLine(
  line: string,
  ids: Map<string, number>,
  encode: (text: string) => Uint8Array,
): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const t of tokens(line)) {
    if (t.kind === 'id') {
      const id = ids.get(t.text.toLowerCase()) ?? 0;
      parts.push(
        u16(KEYWORDS.has(t.text.toLowerCase()) ? OP.KEYWORD : OP.LOAD),
        u16(0x200 + id * 2),
      );
      continue;
    }
    const text = encode(t.text);
    parts.push(u16(t.kind === 'str' ? OP.LIT_STR : OP.QUOTE_REM));
    if (t.kind === 'rem') parts.push(u16(0)); // column
    parts.push(u16(text.length), text, fill(text.length & 1, 0));
  }
  if (parts.length === 0 && line.trim() === '') return new Uint8Array(0);
  parts.push(u16(OP.END_LINE));
  return concatBytes(parts);
}

/** A module's PerformanceCache (header, tables, line directory, p-code); the source follows it. */
export function buildPcodeModuleStream(
  compiledFrom: string,
  ids: Map<string, number>,
  codePage = 1252,
  directoryWord = 0x0001,
): { bytes: Uint8Array; textOffset: number } {
  const encode = encoderFor(codePage);
  const lines = bodyLines(compiledFrom).map((l) => compileLine(l, ids, encode));
  const records: Uint8Array[] = [];
  const code: Uint8Array[] = [];
  let offset = 0;
  for (const pcode of lines) {
    const flags = pcode.length === 0 ? 0x00098000 : 0x0008a142;
    records.push(
      concatBytes([
        u32(flags),
        u16(pcode.length),
        u16(0x0c),
        u32(pcode.length ? offset : 0xffffffff),
      ]),
    );
    code.push(pcode);
    offset += pcode.length;
  }
  const header = concatBytes([
    new Uint8Array([0x01, 0x16, 0x03, 0x00]),
    u32(0xf0),
    u32(0x2da),
    u32(0xd4),
  ]);
  const tables = concatBytes([
    u32(0),
    u32(0xffffffff),
    u32(0),
    u16(0xffff),
    u16(0x90),
    u16(0xffff),
    u16(0),
    ...Array.from({ length: 3 }, (_, i) => fill(16, 0x5b + i)), // binary GUIDs
    u16(0x454d),
    fill(14, 0xff),
    fill(128, 0xff),
  ]);
  const directory = concatBytes([
    new Uint8Array([0xfe, 0xca]),
    u16(directoryWord),
    u16(lines.length),
    ...records,
    u32(0xffffffff),
    u16(0x0101),
    u32(offset),
  ]);
  const cache = concatBytes([header, tables, directory, ...code, u32(0xffffffff), u16(0)]);
  return { bytes: cache, textOffset: cache.length };
}

export interface BuiltPcodeProject {
  /** vbaProject.bin (root '') or a .doc-shaped compound file (root 'Macros'). */
  bytes: Uint8Array;
  identifiers: string[];
}

/** A compound file with a compiled VBA project: dir, _VBA_PROJECT with cache, module streams. */
export function buildPcodeProject(spec: PcodeProjectSpec): BuiltPcodeProject {
  const root = spec.root ?? '';
  const base = root ? `${root}/` : '';
  const codePage = spec.codePage ?? 1252;
  const identifiers = collectIdentifiers(spec);
  const ids = new Map(identifiers.map((n, i) => [n.toLowerCase(), i]));
  const streams: { path: string; data: Uint8Array }[] = [];
  const dirModules = [];
  for (const m of spec.modules) {
    const attributes = m.isDocument
      ? `Attribute VB_Name = "${m.name}"\r\nAttribute VB_Base = "1Normal.${m.name}"\r\nAttribute VB_Exposed = True\r\n`
      : `Attribute VB_Name = "${m.name}"\r\n`;
    const source = attributes + bodyLines(m.source).join('\r\n') + '\r\n';
    const withCache =
      spec.version === 0xffff
        ? { bytes: new Uint8Array(0), textOffset: 0 }
        : buildPcodeModuleStream(m.compiledFrom ?? m.source, ids, codePage, spec.directoryWord);
    streams.push({
      path: `${base}VBA/${m.name}`,
      data: concatBytes([withCache.bytes, compressOvba(encoderFor(codePage)(source))]),
    });
    dirModules.push({
      name: m.name,
      textOffset: withCache.textOffset,
      type: m.isDocument ? 0x22 : 0x21,
    } as const);
  }
  streams.push({
    path: `${base}VBA/dir`,
    data: compressOvba(
      buildDir({
        codePage,
        modules: dirModules,
        ...(spec.sysKind ? { sysKind: spec.sysKind } : {}),
      }),
    ),
  });
  streams.push({ path: `${base}VBA/_VBA_PROJECT`, data: buildVbaProjectStream(spec, identifiers) });
  const project = spec.modules
    .map((m) => (m.isDocument ? `Document=${m.name}/&H00000000` : `Module=${m.name}`))
    .join('\r\n');
  streams.push({
    path: `${base}PROJECT`,
    data: latin1(`ID="{00000000-0000-0000-0000-000000000000}"\r\n${project}\r\nName="Project"\r\n`),
  });
  if (root === 'Macros') {
    const word = new Uint8Array(0x200);
    word.set([0xec, 0xa5, 0xc1, 0x00]);
    streams.push(
      { path: 'WordDocument', data: word },
      { path: '1Table', data: new Uint8Array(512) },
    );
  }
  return { bytes: buildCfb({ streams }).bytes, identifiers };
}
