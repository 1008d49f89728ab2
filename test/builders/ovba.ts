import { concatBytes } from '../../src/core/index.js';
/**
 * Hand-built MS-OVBA pieces for tests: dir streams record by record (so optional records can be left
 * out, reordered or broken), module streams with a fake PerformanceCache before the source, and VBA
 * storages placed in hand-built compound files (test/builders/cfb.ts) where the real writer would
 * refuse to go.
 */
import iconv from 'iconv-lite';
import { compressOvba } from '../../src/formats/ovba/index.js';
import { buildCfb } from './cfb.js';

const latin1 = (text: string): Uint8Array => new Uint8Array(iconv.encode(text, 'latin1'));
const utf16 = (text: string): Uint8Array => new Uint8Array(iconv.encode(text, 'utf16le'));
const u32 = (n: number): Uint8Array =>
  new Uint8Array([n, n >> 8, n >> 16, n >>> 24].map((b) => b & 0xff));
const u16 = (n: number): Uint8Array => new Uint8Array([n & 0xff, (n >> 8) & 0xff]);

export const concat = (...parts: Uint8Array[]): Uint8Array => concatBytes(parts);

/** Id (u16), Size (u32), Data. */
export function dirRecord(id: number, data: Uint8Array): Uint8Array {
  return concat(u16(id), u32(data.length), data);
}

export interface DirModuleSpec {
  name: string;
  streamName?: string;
  /** Emit MODULENAMEUNICODE (optional since MS-OVBA v1). Default true. */
  hasUnicodeName?: boolean;
  /** Name bytes in the project code page; defaults to latin1 of `name`. */
  nameBytes?: Uint8Array;
  textOffset?: number;
  type?: 0x21 | 0x22;
  isReadOnly?: boolean;
  isPrivate?: boolean;
}

export interface DirSpec {
  codePage?: number;
  /** PROJECTSYSKIND: 0 Win16, 1 Win32 (default), 2 Mac, 3 Win64. */
  sysKind?: number;
  projectName?: string;
  /** Emit PROJECTCOMPATVERSION (0x004A), written by newer Office only. */
  hasCompatVersion?: boolean;
  modules: DirModuleSpec[];
  /** Declared PROJECTMODULES count; defaults to modules.length. */
  declaredModules?: number;
  /** Raw records inserted right before PROJECTMODULES (unknown ids, references …). */
  extra?: Uint8Array[];
  hasTerminator?: boolean;
}

/** A decompressed dir stream as Office lays it out (MS-OVBA 2.3.4.2). */
export function buildDir(spec: DirSpec): Uint8Array {
  const parts: Uint8Array[] = [dirRecord(0x0001, u32(spec.sysKind ?? 1))];
  if (spec.hasCompatVersion) parts.push(dirRecord(0x004a, u32(0x00000002)));
  parts.push(
    dirRecord(0x0002, u32(0x409)),
    dirRecord(0x0014, u32(0x409)),
    dirRecord(0x0003, u16(spec.codePage ?? 1252)),
    dirRecord(0x0004, latin1(spec.projectName ?? 'Project')),
    dirRecord(0x0005, latin1('doc')),
    dirRecord(0x0040, utf16('doc')),
    dirRecord(0x0006, new Uint8Array(0)),
    dirRecord(0x003d, new Uint8Array(0)),
    dirRecord(0x0007, u32(0)),
    dirRecord(0x0008, u32(0)),
    concat(u16(0x0009), u32(4), u32(0x5a3b1c2d), u16(7)), // PROJECTVERSION quirk
    dirRecord(0x000c, new Uint8Array(0)),
    dirRecord(0x003c, new Uint8Array(0)),
    ...(spec.extra ?? []),
    dirRecord(0x000f, u16(spec.declaredModules ?? spec.modules.length)),
    dirRecord(0x0013, u16(0xffff)),
  );
  for (const m of spec.modules) {
    const stream = m.streamName ?? m.name;
    parts.push(dirRecord(0x0019, m.nameBytes ?? latin1(m.name)));
    if (m.hasUnicodeName ?? true) parts.push(dirRecord(0x0047, utf16(m.name)));
    parts.push(
      dirRecord(0x001a, latin1(stream)),
      dirRecord(0x0032, utf16(stream)),
      dirRecord(0x001c, new Uint8Array(0)),
      dirRecord(0x0048, new Uint8Array(0)),
      dirRecord(0x0031, u32(m.textOffset ?? 0)),
      dirRecord(0x001e, u32(0)),
      dirRecord(0x002c, u16(0xffff)),
      concat(u16(m.type ?? 0x21), u32(0)),
    );
    if (m.isReadOnly) parts.push(concat(u16(0x0025), u32(0)));
    if (m.isPrivate) parts.push(concat(u16(0x0028), u32(0)));
    parts.push(concat(u16(0x002b), u32(0)));
  }
  if (spec.hasTerminator ?? true) parts.push(concat(u16(0x0010), u32(0)));
  return concat(...parts);
}

/** REFERENCENAME + REFERENCEREGISTERED for a type library. */
export function registeredReference(name: string, libid: string): Uint8Array {
  const lib = latin1(libid);
  return concat(
    dirRecord(0x0016, latin1(name)),
    dirRecord(0x003e, utf16(name)),
    dirRecord(0x000d, concat(u32(lib.length), lib, u32(0), u16(0))),
  );
}

/** A module stream: `cacheBytes` of fake PerformanceCache (p-code), then the compressed source. */
export function buildModuleStream(
  source: Uint8Array,
  cacheBytes = 0,
): { bytes: Uint8Array; textOffset: number } {
  const cache = new Uint8Array(cacheBytes).map((_, i) => (i * 37 + 11) & 0xff);
  return { bytes: concat(cache, compressOvba(source)), textOffset: cacheBytes };
}

export interface VbaStorageSpec {
  /** '' for vbaProject.bin, 'Macros', '_VBA_PROJECT_CUR'. */
  root: string;
  /** dir stream bytes as stored (already compressed, or deliberately broken). */
  dir?: Uint8Array;
  streams: { name: string; data: Uint8Array }[];
  project?: Uint8Array;
}

/** Compound file bytes with one or more VBA storages, written by the hand-made CFB builder. */
export function buildVbaCfb(...projects: VbaStorageSpec[]): Uint8Array {
  const streams: { path: string; data: Uint8Array }[] = [];
  for (const p of projects) {
    const base = p.root ? `${p.root}/` : '';
    if (p.dir) streams.push({ path: `${base}VBA/dir`, data: p.dir });
    if (p.project) streams.push({ path: `${base}PROJECT`, data: p.project });
    streams.push({
      path: `${base}VBA/_VBA_PROJECT`,
      data: new Uint8Array([0xcc, 0x61, 0xff, 0xff, 0, 0, 0]),
    });
    for (const s of p.streams) streams.push({ path: `${base}VBA/${s.name}`, data: s.data });
  }
  return buildCfb({ streams }).bytes;
}

export { latin1, utf16 };
