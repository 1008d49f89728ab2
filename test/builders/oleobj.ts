/**
 * Embedded OLE objects built in code (MS-OLEDS): OLE1 objects as RTF `\objdata` holds them, OLE Package
 * native data, CompObj streams, object storages (Equation Editor, packager, StdOleLink with a URL
 * moniker), a Word binary document with ObjectPool embeddings and field codes, and a PowerPoint
 * document with ExOleObjStg records. Everything is inert: payloads are text, URLs are example.com and
 * TEST-NET addresses, the equation holds a plain font record.
 */
import { deflateSync } from 'node:zlib';
import { concatBytes } from '../../src/core/index.js';
import { clsidBytes } from '../../src/formats/oleobj/index.js';
import { buildCfb } from './cfb.js';

const enc = (s: string) => new TextEncoder().encode(s);
const u16 = (n: number) => Uint8Array.of(n & 0xff, (n >> 8) & 0xff);
const u32 = (n: number) =>
  Uint8Array.of(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff);
const cstr = (s: string) => concatBytes([enc(s), Uint8Array.of(0)]);
const utf16 = (s: string) => {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    out[i * 2] = s.charCodeAt(i) & 0xff;
    out[i * 2 + 1] = s.charCodeAt(i) >> 8;
  }
  return out;
};
/** MS-OLEDS 2.1.4 LengthPrefixedAnsiString. */
const lpas = (s: string) => (s === '' ? u32(0) : concatBytes([u32(s.length + 1), cstr(s)]));

export const EQUATION_CLSID = '0002CE02-0000-0000-C000-000000000046';
export const PACKAGE_CLSID = '0003000C-0000-0000-C000-000000000046';
export const STD_OLE_LINK_CLSID = '00000300-0000-0000-C000-000000000046';

export interface Ole1Spec {
  className: string;
  topicName?: string;
  itemName?: string;
  /** Embedded objects only. */
  nativeData?: Uint8Array;
  /** Declared NativeDataSize when it must lie (truncated objects). */
  declaredSize?: number;
  /** 1 linked, 2 embedded (default). */
  formatId?: 1 | 2;
  networkName?: string;
}

/** An OLE 1.0 EmbeddedObject or LinkedObject (MS-OLEDS 2.2.5 / 2.2.6), without presentation data. */
export function buildOle1Object(spec: Ole1Spec): Uint8Array {
  const formatId = spec.formatId ?? 2;
  const parts = [u32(0x00000501), u32(formatId), lpas(spec.className)];
  parts.push(lpas(spec.topicName ?? ''), lpas(spec.itemName ?? ''));
  if (formatId === 1) {
    parts.push(lpas(spec.networkName ?? ''), u32(0), u32(0));
  } else {
    const data = spec.nativeData ?? new Uint8Array();
    parts.push(u32(spec.declaredSize ?? data.length), data);
  }
  return concatBytes(parts);
}

export interface PackageSpec {
  fileName: string;
  sourcePath: string;
  tempPath: string;
  data: Uint8Array;
  /** `\x01Ole10Native` streams start with the u32 size; OLE1 Package native data does not. */
  hasSizePrefix?: boolean;
  /** Write the UTF-16 copies of the names after the data, as newer packagers do. */
  hasUnicodeNames?: boolean;
}

/** OLE Package native data (the layout oleobj reads). */
export function buildPackageNative(spec: PackageSpec): Uint8Array {
  const body = [u16(2), cstr(spec.fileName), cstr(spec.sourcePath), u16(0), u16(3)];
  body.push(u32(spec.tempPath.length + 1), cstr(spec.tempPath), u32(spec.data.length), spec.data);
  if (spec.hasUnicodeNames) {
    for (const s of [spec.tempPath, spec.fileName, spec.sourcePath])
      body.push(u32(s.length), utf16(s));
  }
  const native = concatBytes(body);
  return spec.hasSizePrefix ? concatBytes([u32(native.length), native]) : native;
}

/** `\x01CompObj` (MS-OLEDS 2.3.8) with an ANSI user type, clipboard format and ProgID. */
export function buildCompObj(userType: string, progId: string, clipboardFormat = ''): Uint8Array {
  const header = concatBytes([
    u32(0xfffe0001),
    u32(0x00000a03),
    u32(0xffffffff),
    new Uint8Array(16),
  ]);
  const clipboard = clipboardFormat === '' ? u32(0) : lpas(clipboardFormat);
  return concatBytes([header, lpas(userType), clipboard, lpas(progId), u32(0x71b239f4)]);
}

/** `\x01Ole` (MS-OLEDS 2.3.3 OLEStream) of a linked object whose absolute moniker is a URL moniker. */
export function buildOleStreamLink(url: string): Uint8Array {
  const urlMoniker = concatBytes([
    clsidBytes('79EAC9E0-BAF9-11CE-8C82-00AA004BA90B')!,
    u32((url.length + 1) * 2),
    utf16(url),
    u16(0),
  ]);
  return concatBytes([
    u32(0x02000001),
    u32(1),
    u32(0),
    u32(0),
    u32(0),
    u32(0),
    u32(urlMoniker.length),
    urlMoniker,
  ]);
}

/** Sets the CLSID of a storage (or the root, path '') in a compound file built by `buildCfb`. */
export function withClsid(
  built: ReturnType<typeof buildCfb>,
  clsids: Record<string, string>,
): Uint8Array {
  const bytes = built.bytes.slice();
  for (const [path, clsid] of Object.entries(clsids)) {
    const id = path === '' ? 0 : built.nodes.get(path)?.id;
    if (id === undefined) throw new Error(`no storage ${path}`);
    const base = (built.dirSectors[0]! + 1) * built.sectorSize + id * 128;
    bytes.set(clsidBytes(clsid)!, base + 80);
  }
  return bytes;
}

/** Inert `Equation Native`: EQNOLEFILEHDR (28 bytes) and an MTEF 3 header with one short font record. */
export function buildEquationNative(): Uint8Array {
  const mtef = concatBytes([
    Uint8Array.of(3, 1, 1, 3, 0x0a, 0x0a, 0x01, 0x08, 0x5a, 0x5a),
    cstr('Arial'),
    Uint8Array.of(0),
  ]);
  const header = concatBytes([
    u16(0x1c),
    u32(0x00020000),
    u16(0xc1c6),
    u32(mtef.length),
    new Uint8Array(16),
  ]);
  return concatBytes([header, mtef]);
}

/** An Equation Editor 3.0 object as a compound file (the native data of an RTF `Equation.3` object). */
export function buildEquationCfb(): Uint8Array {
  const built = buildCfb({
    streams: [
      {
        path: '\x01CompObj',
        data: buildCompObj('Microsoft Equation 3.0', 'Equation.3', 'DS Equation'),
      },
      { path: 'Equation Native', data: buildEquationNative() },
    ],
  });
  return withClsid(built, { '': EQUATION_CLSID });
}

/** A packager object as a compound file (an OOXML `oleObject1.bin`). */
export function buildPackageCfb(spec: Omit<PackageSpec, 'hasSizePrefix'>): Uint8Array {
  const built = buildCfb({
    streams: [
      { path: '\x01Ole10Native', data: buildPackageNative({ ...spec, hasSizePrefix: true }) },
      { path: '\x01CompObj', data: buildCompObj('OLE Package', 'Package') },
    ],
  });
  return withClsid(built, { '': PACKAGE_CLSID });
}

/** A StdOleLink object whose `\x01Ole` stream links to `url` (the CVE-2017-0199 shape, inert). */
export function buildOleLinkCfb(url: string): Uint8Array {
  return withClsid(buildCfb({ streams: [{ path: '\x01Ole', data: buildOleStreamLink(url) }] }), {
    '': STD_OLE_LINK_CLSID,
  });
}

/** Word text with fields: `{instruction}` becomes 0x13 instruction 0x14 result 0x15 (MS-DOC 2.8.25). */
export function wordText(text: string, encoding: 'cp1252' | 'utf16' = 'cp1252'): Uint8Array {
  const marked = text.replace(/\{([^{}]*)\}/g, '\x13$1\x14result\x15');
  return encoding === 'utf16' ? utf16(marked) : enc(marked);
}

export interface DocSpec {
  /** Body text; `{…}` marks a field instruction. */
  text: string;
  encoding?: 'cp1252' | 'utf16';
  /** ObjectPool/_<id> storages: their streams by name, and the storage CLSID. */
  objects?: { id: string; clsid?: string; streams: Record<string, Uint8Array> }[];
}

/** A .doc-shaped compound file: WordDocument (a FibBase then the text) and ObjectPool embeddings. */
export function buildDocWithObjects(spec: DocSpec): Uint8Array {
  const fib = new Uint8Array(0x200);
  fib.set([0xec, 0xa5, 0xc1, 0x00]);
  const streams = [
    { path: 'WordDocument', data: concatBytes([fib, wordText(spec.text, spec.encoding)]) },
  ];
  const clsids: Record<string, string> = {};
  for (const object of spec.objects ?? []) {
    for (const [name, data] of Object.entries(object.streams)) {
      streams.push({ path: `ObjectPool/_${object.id}/${name}`, data });
    }
    if (object.clsid) clsids[`ObjectPool/_${object.id}`] = object.clsid;
  }
  return withClsid(buildCfb({ streams }), clsids);
}

/** MS-PPT 2.3.1 RecordHeader + data. */
export function pptRecord(
  version: number,
  instance: number,
  type: number,
  data: Uint8Array,
): Uint8Array {
  return concatBytes([u16((instance << 4) | version), u16(type), u32(data.length), data]);
}

/** An ExOleObjStg record (RT_ExternalOleObjectStg 0x1011), zlib-compressed (recInstance 1) or stored. */
export function exOleObjStg(storage: Uint8Array, isCompressed = true): Uint8Array {
  const data = isCompressed ? concatBytes([u32(storage.length), deflateSync(storage)]) : storage;
  return pptRecord(0, isCompressed ? 1 : 0, 0x1011, data);
}

/** A .ppt-shaped compound file: a DocumentContainer with one atom, then the given records. */
export function buildPpt(records: Uint8Array[]): Uint8Array {
  const documentAtom = pptRecord(1, 0, 0x03e9, new Uint8Array(40));
  const container = pptRecord(0x0f, 0, 0x03e8, documentAtom);
  const stream = concatBytes([container, ...records]);
  return buildCfb({
    streams: [
      { path: 'PowerPoint Document', data: stream },
      { path: 'Current User', data: new Uint8Array(32) },
    ],
  }).bytes;
}
