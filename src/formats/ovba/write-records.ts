import { ConfigError } from '../../core/index.js';
import { encodeCodePage, encodeUtf16 } from './codepage.js';
import { DIR } from './dir-records.js';
import { encryptProjectData } from './project-text.js';

/** A module to write. `code` is stored verbatim: see `vbaModuleSource` for the Attribute header. */
export interface VbaModuleSpec {
  name: string;
  code: string;
  /** Default 'procedural'. A 'document' module is the host's (ThisDocument, ThisWorkbook). */
  type?: 'procedural' | 'document' | 'class';
}

export interface VbaProjectSpec {
  modules: VbaModuleSpec[];
  /**
   * PROJECTCODEPAGE for names and source (932 for Japanese, 1251 Cyrillic …). Default: 1252 when all
   * text fits in it, else 932; text that does not fit the code page is refused (ConfigError).
   */
  codePage?: number;
  /** PROJECTNAME. Default 'Project'. */
  projectName?: string;
  /** The PROJECT stream's ID, with braces. Default all zeros, so that builds are reproducible. */
  projectId?: string;
}

/** stdole2.tlb, the reference every Office VBA project carries (MS-OVBA 2.1.1.8 LibidReference). */
const STDOLE_LIBID =
  '*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\\Windows\\System32\\stdole2.tlb#OLE Automation';
const ZERO_ID = '{00000000-0000-0000-0000-000000000000}';
/** Host Extender Info that Office writes for VBE (MS-OVBA 2.3.1.18). */
const HOST_EXTENDER = '&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000';

/** Rejects names a compound file or VBA cannot hold: the writers are product code, fail early. */
export function checkSpec(spec: VbaProjectSpec): void {
  const { projectName, projectId } = spec;
  if (projectName !== undefined && !/^[\p{L}][\p{L}\p{N}_]{0,127}$/u.test(projectName)) {
    throw new ConfigError(
      'E_OVBA_BAD_PROJECT_NAME',
      `project name "${projectName}" is not an identifier`,
    );
  }
  if (projectId !== undefined && !/^\{[0-9A-Fa-f-]{36}\}$/.test(projectId)) {
    throw new ConfigError(
      'E_OVBA_BAD_PROJECT_NAME',
      `project ID "${projectId}" is not a braced GUID`,
    );
  }
  const seen = new Set<string>();
  for (const { name } of spec.modules) {
    if (!/^[^\0-\x1f/\\:!"]{1,31}$/.test(name)) {
      throw new ConfigError(
        'E_OVBA_BAD_MODULE_NAME',
        `module name "${name}" is not 1-31 plain characters`,
      );
    }
    if (seen.has(name.toUpperCase())) {
      throw new ConfigError('E_OVBA_BAD_MODULE_NAME', `module name "${name}" is used twice`);
    }
    seen.add(name.toUpperCase());
  }
}

/** Byte builder for little-endian records. */
class Writer {
  private parts: Uint8Array[] = [];
  bytes(data: Uint8Array): this {
    this.parts.push(data);
    return this;
  }
  u16(value: number): this {
    return this.bytes(new Uint8Array([value & 0xff, (value >> 8) & 0xff]));
  }
  u32(value: number): this {
    return this.bytes(
      new Uint8Array([value, value >> 8, value >> 16, value >>> 24].map((b) => b & 0xff)),
    );
  }
  /** Id, Size (u32), Data: the shape of almost every dir record (MS-OVBA 2.3.4.2). */
  record(id: number, data: Uint8Array): this {
    return this.u16(id).u32(data.length).bytes(data);
  }
  recordU32(id: number, value: number): this {
    return this.u16(id).u32(4).u32(value);
  }
  recordU16(id: number, value: number): this {
    return this.u16(id).u32(2).u16(value);
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}

const EMPTY = new Uint8Array(0);

/** The decompressed dir stream (MS-OVBA 2.3.4.2) for a project whose modules start at offset 0. */
export function buildDirStream(spec: VbaProjectSpec): Uint8Array {
  const codePage = spec.codePage ?? 1252;
  const mbcs = (text: string): Uint8Array => encodeCodePage(text, codePage);
  const w = new Writer()
    .recordU32(DIR.SYSKIND, 1) // Win32
    .recordU32(DIR.LCID, 0x0409)
    .recordU32(DIR.LCIDINVOKE, 0x0409)
    .recordU16(DIR.CODEPAGE, codePage)
    .record(DIR.NAME, mbcs(spec.projectName ?? 'Project'))
    .record(DIR.DOCSTRING, EMPTY)
    .record(DIR.DOCSTRING_UNICODE, EMPTY)
    .record(DIR.HELPFILEPATH, EMPTY)
    .record(DIR.HELPFILEPATH2, EMPTY)
    .recordU32(DIR.HELPCONTEXT, 0)
    .recordU32(DIR.LIBFLAGS, 0)
    // PROJECTVERSION: Reserved is 4 although 6 bytes follow (VersionMajor u32, VersionMinor u16).
    .u16(DIR.VERSION)
    .u32(4)
    .u32(1)
    .u16(0)
    .record(DIR.CONSTANTS, EMPTY)
    .record(DIR.CONSTANTS_UNICODE, EMPTY)
    .record(DIR.REFERENCENAME, mbcs('stdole'))
    .record(DIR.REFERENCENAME_UNICODE, encodeUtf16('stdole'));
  const libid = mbcs(STDOLE_LIBID);
  w.record(
    DIR.REFERENCEREGISTERED,
    new Writer().u32(libid.length).bytes(libid).u32(0).u16(0).finish(),
  );
  w.recordU16(DIR.MODULES, spec.modules.length).recordU16(DIR.COOKIE, 0xffff);
  for (const module of spec.modules) {
    w.record(DIR.MODULENAME, mbcs(module.name))
      .record(DIR.MODULENAME_UNICODE, encodeUtf16(module.name))
      .record(DIR.MODULESTREAMNAME, mbcs(module.name))
      .record(DIR.MODULESTREAMNAME_UNICODE, encodeUtf16(module.name))
      .record(DIR.MODULEDOCSTRING, EMPTY)
      .record(DIR.MODULEDOCSTRING_UNICODE, EMPTY)
      .recordU32(DIR.MODULEOFFSET, 0)
      .recordU32(DIR.MODULEHELPCONTEXT, 0)
      .recordU16(DIR.MODULECOOKIE, 0xffff)
      .u16(
        (module.type ?? 'procedural') === 'procedural'
          ? DIR.MODULETYPE_PROCEDURAL
          : DIR.MODULETYPE_OTHER,
      )
      .u32(0)
      .u16(DIR.MODULETERMINATOR)
      .u32(0);
  }
  return w.u16(DIR.TERMINATOR).u32(0).finish();
}

/** The PROJECT stream (MS-OVBA 2.3.1): module list, unlocked protection values, VBE workspace. */
export function buildProjectStream(spec: VbaProjectSpec): Uint8Array {
  const id = spec.projectId ?? ZERO_ID;
  const lines = [`ID="${id}"`];
  for (const m of spec.modules) {
    const type = m.type ?? 'procedural';
    lines.push(
      type === 'document'
        ? `Document=${m.name}/&H00000000`
        : type === 'class'
          ? `Class=${m.name}`
          : `Module=${m.name}`,
    );
  }
  lines.push(
    `Name="${spec.projectName ?? 'Project'}"`,
    'HelpContextID="0"',
    'VersionCompatible32="393222000"',
    // 2.3.1.15-17: protection state 0 (none), no password (one 0x00 byte), visible (0xFF).
    `CMG="${encryptProjectData(id, new Uint8Array(4), 0x2f)}"`,
    `DPB="${encryptProjectData(id, new Uint8Array(1), 0x31)}"`,
    `GC="${encryptProjectData(id, new Uint8Array([0xff]), 0x3b)}"`,
    '',
    '[Host Extender Info]',
    HOST_EXTENDER,
    '',
    '[Workspace]',
    ...spec.modules.map((m) => `${m.name}=0, 0, 0, 0, C`),
    '',
  );
  return encodeCodePage(lines.join('\r\n'), spec.codePage ?? 1252);
}

/** The PROJECTwm stream (MS-OVBA 2.3.3): each name in MBCS and UTF-16, then a 0x0000 terminator. */
export function buildProjectWmStream(spec: VbaProjectSpec): Uint8Array {
  const w = new Writer();
  for (const { name } of spec.modules) {
    w.bytes(encodeCodePage(name, spec.codePage ?? 1252))
      .bytes(new Uint8Array(1))
      .bytes(encodeUtf16(name))
      .u16(0);
  }
  return w.u16(0).finish();
}

/**
 * MS-OVBA 2.3.4.1 _VBA_PROJECT: Reserved1 0x61CC, Version 0xFFFF, Reserved2 0x00, Reserved3. Version
 * 0xFFFF says "no compiled state for this VBA version": Office ignores the (absent) PerformanceCache
 * and recompiles from source, which is what makes a source-only project valid.
 */
export const VBA_PROJECT_STREAM = new Uint8Array([0xcc, 0x61, 0xff, 0xff, 0x00, 0x00, 0x00]);
