import type { Anomaly } from '../../core/index.js';
import { DEFAULT_CODE_PAGE, decodeCodePage, decodeUtf16 } from './codepage.js';
import { DIR } from './dir-records.js';

const KNOWN_IDS = new Set<number>(Object.values(DIR));

/** Module records bound a project; Office caps a project far below this. */
export const MAX_VBA_MODULES = 4096;

export interface DirModule {
  /** MODULENAME in the project code page, or MODULENAMEUNICODE when present. */
  name: string;
  /** MODULESTREAMNAME: the stream in the VBA storage (the unicode form when present). */
  streamName: string;
  /** MODULEOFFSET TextOffset: where the compressed source starts in the module stream. */
  textOffset: number;
  /** 0x0021 procedural; 0x0022 document, class or designer module; undefined when missing. */
  typeRecord: number | undefined;
  isReadOnly: boolean;
  isPrivate: boolean;
}

export interface DirReference {
  kind: 'registered' | 'project' | 'control' | 'original';
  name?: string;
  /** The LibidReference text (MS-OVBA 2.1.1.8), e.g. `*\G{00020430-…}#2.0#0#…\stdole2.tlb#OLE Automation`. */
  libid: string;
}

export interface VbaDir {
  sysKind: number | undefined;
  compatVersion: number | undefined;
  codePage: number;
  projectName: string | undefined;
  references: DirReference[];
  modules: DirModule[];
}

interface DirRecord {
  id: number;
  data: Uint8Array;
  offset: number;
}

/** Splits the dir stream into records. Every record is Id, Size, Data except PROJECTVERSION (0x0009). */
function splitRecords(bytes: Uint8Array, anomalies: Anomaly[]): DirRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const records: DirRecord[] = [];
  let pos = 0;
  while (pos + 6 <= bytes.length) {
    const id = view.getUint16(pos, true);
    // MS-OVBA 2.3.4.2.1.11: PROJECTVERSION's "Reserved" field says 4 but 6 bytes follow (major u32,
    // minor u16). Reading it by its size field desynchronises every parser that trusts sizes.
    const size = id === DIR.VERSION ? 6 : view.getUint32(pos + 2, true);
    if (pos + 6 + size > bytes.length) {
      anomalies.push({
        code: 'E_OVBA_DIR_TRUNCATED',
        message: `dir record 0x${id.toString(16)} declares ${size} bytes, ${bytes.length - pos - 6} remain`,
        offset: pos,
        location: 'dir',
      });
      return records;
    }
    records.push({ id, data: bytes.subarray(pos + 6, pos + 6 + size), offset: pos });
    pos += 6 + size;
    if (id === DIR.TERMINATOR) return records;
  }
  anomalies.push({
    code: 'E_OVBA_DIR_TRUNCATED',
    message: 'dir stream ends without its terminator record (0x0010)',
    offset: pos,
    location: 'dir',
  });
  return records;
}

const u32 = (data: Uint8Array): number =>
  data.length >= 4 ? new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true) : 0;
const u16 = (data: Uint8Array): number => (data.length >= 2 ? data[0]! | (data[1]! << 8) : 0);

/**
 * Parses a decompressed dir stream (MS-OVBA 2.3.4.2) as tolerantly as Office: optional records may be
 * absent, unknown records are skipped by their size with an anomaly, and a truncated stream yields
 * the modules read so far.
 */
export function parseDir(bytes: Uint8Array, anomalies: Anomaly[] = []): VbaDir {
  const dir: VbaDir = {
    sysKind: undefined,
    compatVersion: undefined,
    codePage: DEFAULT_CODE_PAGE,
    projectName: undefined,
    references: [],
    modules: [],
  };
  const state: DirState = {
    dir,
    anomalies,
    text: (data) => decodeCodePage(data, dir.codePage, anomalies, 'dir'),
    declaredModules: undefined,
    referenceName: undefined,
    module: undefined,
  };
  for (const record of splitRecords(bytes, anomalies)) {
    if (record.id === DIR.MODULENAME && dir.modules.length >= MAX_VBA_MODULES) {
      anomalies.push({
        code: 'E_OVBA_DIR_MODULE_COUNT',
        message: `more than ${MAX_VBA_MODULES} modules; the rest are ignored`,
        offset: record.offset,
        location: 'dir',
      });
      break;
    }
    applyRecord(state, record);
  }
  for (const m of dir.modules) if (!m.streamName) m.streamName = m.name;
  const declared = state.declaredModules;
  if (declared !== undefined && declared !== dir.modules.length) {
    anomalies.push({
      code: 'E_OVBA_DIR_MODULE_COUNT',
      message: `PROJECTMODULES declares ${declared} modules, the dir stream holds ${dir.modules.length}`,
      location: 'dir',
    });
  }
  return dir;
}

interface DirState {
  dir: VbaDir;
  anomalies: Anomaly[];
  /** Decodes MBCS in the code page known so far: PROJECTCODEPAGE precedes every name. */
  text: (data: Uint8Array) => string;
  declaredModules: number | undefined;
  referenceName: string | undefined;
  module: DirModule | undefined;
}

const MODULE_RECORDS = new Set<number>([
  DIR.MODULENAME_UNICODE,
  DIR.MODULESTREAMNAME,
  DIR.MODULESTREAMNAME_UNICODE,
  DIR.MODULEOFFSET,
  DIR.MODULETYPE_PROCEDURAL,
  DIR.MODULETYPE_OTHER,
  DIR.MODULEREADONLY,
  DIR.MODULEPRIVATE,
]);

function applyRecord(state: DirState, { id, data, offset }: DirRecord): void {
  const { dir, anomalies } = state;
  const report = (code: Anomaly['code'], message: string): void => {
    anomalies.push({ code, message, offset, location: 'dir' });
  };
  if (MODULE_RECORDS.has(id)) {
    if (state.module) applyModuleRecord(state.module, id, data, state.text);
    else
      report('E_OVBA_DIR_BAD_RECORD', `module record 0x${id.toString(16)} before any MODULENAME`);
    return;
  }
  switch (id) {
    case DIR.MODULENAME:
      state.module = {
        name: state.text(data),
        streamName: '',
        textOffset: 0,
        typeRecord: undefined,
        isReadOnly: false,
        isPrivate: false,
      };
      dir.modules.push(state.module);
      return;
    case DIR.MODULETERMINATOR:
      state.module = undefined;
      return;
    case DIR.SYSKIND:
      dir.sysKind = u32(data);
      return;
    case DIR.COMPATVERSION:
      dir.compatVersion = u32(data);
      return;
    case DIR.CODEPAGE:
      dir.codePage = u16(data);
      return;
    case DIR.NAME:
      dir.projectName = state.text(data);
      return;
    case DIR.MODULES:
      state.declaredModules = u16(data);
      return;
    case DIR.REFERENCENAME:
      state.referenceName = state.text(data);
      return;
    case DIR.REFERENCENAME_UNICODE:
      state.referenceName = decodeUtf16(data);
      return;
    case DIR.REFERENCEREGISTERED:
    case DIR.REFERENCEPROJECT:
    case DIR.REFERENCECONTROL:
    case DIR.REFERENCEORIGINAL:
      dir.references.push(readReference(id, data, state.referenceName, state.text));
      state.referenceName = undefined;
      return;
    default:
      if (!KNOWN_IDS.has(id)) {
        report(
          'E_OVBA_DIR_UNKNOWN_RECORD',
          `unknown dir record 0x${id.toString(16)} (${data.length} bytes) skipped`,
        );
      }
  }
}

function applyModuleRecord(
  module: DirModule,
  id: number,
  data: Uint8Array,
  text: (data: Uint8Array) => string,
): void {
  switch (id) {
    case DIR.MODULENAME_UNICODE:
      if (data.length > 0) module.name = decodeUtf16(data);
      break;
    case DIR.MODULESTREAMNAME:
      if (!module.streamName) module.streamName = text(data);
      break;
    case DIR.MODULESTREAMNAME_UNICODE:
      // The unicode form names the CFB stream exactly (CFB names are UTF-16); prefer it.
      if (data.length > 0) module.streamName = decodeUtf16(data);
      break;
    case DIR.MODULEOFFSET:
      module.textOffset = u32(data);
      break;
    case DIR.MODULETYPE_PROCEDURAL:
    case DIR.MODULETYPE_OTHER:
      module.typeRecord = id;
      break;
    case DIR.MODULEREADONLY:
      module.isReadOnly = true;
      break;
    case DIR.MODULEPRIVATE:
      module.isPrivate = true;
      break;
  }
}

/** Pulls the libid out of a REFERENCE record; sizes inside are checked against the record. */
function readReference(
  id: number,
  data: Uint8Array,
  name: string | undefined,
  text: (data: Uint8Array) => string,
): DirReference {
  const kind =
    id === DIR.REFERENCEREGISTERED
      ? 'registered'
      : id === DIR.REFERENCEPROJECT
        ? 'project'
        : id === DIR.REFERENCECONTROL
          ? 'control'
          : 'original';
  // REFERENCEORIGINAL's data is the libid itself; the others start with SizeOfLibid* + Libid*.
  let libid = data;
  if (kind !== 'original') {
    const size = Math.min(u32(data), Math.max(0, data.length - 4));
    libid = data.subarray(4, 4 + size);
  }
  return { kind, ...(name === undefined ? {} : { name }), libid: text(libid) };
}
