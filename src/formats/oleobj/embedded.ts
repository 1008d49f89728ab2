import type { Anomaly } from '../../core/index.js';
import type { CfbEntry, CfbFile } from '../cfb/index.js';
import { describeClsid, isEquationClassName, isEquationClsid } from './clsid.js';
import { parseCompObj, type CompObj } from './compobj.js';
import { findMonikerTargets, isLinkedOleStream, type MonikerTarget } from './moniker.js';
import { parseOlePackage, type OlePackage } from './package.js';

/** Object storages examined in one compound file. */
export const MAX_EMBEDDED_OBJECTS = 256;

const OLE10NATIVE = '\x01Ole10Native';
const OLE_STREAM = '\x01Ole';
const COMPOBJ = '\x01CompObj';
const EQUATION_NATIVE = 'Equation Native';
/** Streams that carry a whole embedded file: an OOXML package, a PDF and other CONTENTS. */
const PAYLOAD_STREAMS = ['Package', 'CONTENTS'];
const OBJECT_MARKERS = new Set([OLE10NATIVE, OLE_STREAM, COMPOBJ, EQUATION_NATIVE].map(upper));

/** One embedded OLE object: a storage that Word, Excel or PowerPoint hands to an OLE server. */
export interface EmbeddedObject {
  /** Storage path; '' for the compound file's own root (an oleObject.bin, an RTF object's data). */
  storage: string;
  clsid?: string;
  compObj?: CompObj;
  /** The class it claims: the CompObj ProgID, else the CLSID's known name. */
  className?: string;
  /** CVE-2017-11882 / CVE-2018-0802 carrier: Equation Editor CLSID, ProgID or an `Equation Native` stream. */
  isEquation: boolean;
  /** A packager object (`\x01Ole10Native`): the file it drops. */
  package?: OlePackage & { stream: string };
  /** Whole files kept in `Package` or `CONTENTS` streams. */
  payloads: { stream: string; bytes: Uint8Array }[];
  /** `\x01Ole` says the object is linked, not embedded. */
  isLinked: boolean;
  /** URL and file monikers in `\x01Ole`: where a linked object fetches from (CVE-2017-0199). */
  links: MonikerTarget[];
  /** A document of its own (a storage with other streams): to rebuild and scan in turn. */
  isDocument: boolean;
}

export interface FindEmbeddedOptions {
  /** Bytes read from one package or payload stream; larger ones are skipped with an anomaly. */
  maxPayloadBytes: number;
  maxObjects?: number;
}

/**
 * Every embedded object of a compound file: the root (when the file is itself an object), Word's
 * `ObjectPool/*` storages, Excel's `MBD…` storages, and any storage holding `\x01Ole`, `\x01CompObj`,
 * `\x01Ole10Native` or `Equation Native`. Objects nested inside an object are left to the scan of
 * that object. MS-OLEDS 2.3 (OLE2 storages of embedded objects).
 *
 * @example
 * for (const o of findEmbeddedObjects(cfb, { maxPayloadBytes: 1 << 26 }, anomalies)) …
 */
export function findEmbeddedObjects(
  cfb: CfbFile,
  options: FindEmbeddedOptions,
  anomalies: Anomaly[],
): EmbeddedObject[] {
  const max = options.maxObjects ?? 256;
  const storages = objectStorages(cfb);
  if (storages.length > max) {
    anomalies.push({
      code: 'E_LIMIT_EMBEDDED_OBJECTS',
      message: `${storages.length} object storages; the first ${max} were examined`,
    });
  }
  const out: EmbeddedObject[] = [];
  for (const storage of storages.slice(0, max)) {
    const object = readObject(cfb, storage, options, anomalies);
    if (object) out.push(object);
  }
  return out;
}

function objectStorages(cfb: CfbFile): CfbEntry[] {
  const children = new Map<string, string[]>();
  for (const e of cfb.entries) {
    if (e.type === 'root') continue;
    const parent = parentOf(e.path);
    const list = children.get(parent);
    if (list) list.push(upper(e.name));
    else children.set(parent, [upper(e.name)]);
  }
  const picked: CfbEntry[] = [];
  const pickedPaths = new Set<string>();
  for (const e of cfb.entries) {
    if (e.type === 'stream') continue;
    if (e.type === 'root') {
      picked.push(e);
      continue;
    }
    // Entries come parents first, so an object's inner storages meet their picked ancestor here.
    const parts = upper(e.path).split('/');
    if (parts.some((_, i) => i > 0 && pickedPaths.has(parts.slice(0, i).join('/')))) continue;
    const isPool = parentOf(e.path) === 'OBJECTPOOL';
    const isExcelObject = /^MBD[0-9A-F]{8}$/i.test(e.name);
    const hasMarker = (children.get(upper(e.path)) ?? []).some((n) => OBJECT_MARKERS.has(n));
    if (isPool || isExcelObject || hasMarker) {
      picked.push(e);
      pickedPaths.add(upper(e.path));
    }
  }
  return picked;
}

function parentOf(path: string): string {
  return upper(path.slice(0, Math.max(0, path.lastIndexOf('/'))));
}

function readObject(
  cfb: CfbFile,
  storage: CfbEntry,
  options: FindEmbeddedOptions,
  anomalies: Anomaly[],
): EmbeddedObject | undefined {
  const base = storage.type === 'root' ? '' : `${storage.path}/`;
  const stream = (name: string) => cfb.find(`${base}${name}`);
  const read = (entry: CfbEntry | undefined): Uint8Array | undefined => {
    if (!entry || entry.type !== 'stream') return undefined;
    if (entry.size > options.maxPayloadBytes) {
      anomalies.push({
        code: 'E_LIMIT_OLE_STREAM_BYTES',
        message: `${entry.path}: ${entry.size} bytes, more than ${options.maxPayloadBytes}`,
        location: entry.path,
      });
      return undefined;
    }
    return cfb.readStream(entry.path);
  };
  const compObjBytes = read(stream(COMPOBJ));
  const compObj = compObjBytes && parseCompObj(compObjBytes);
  const className = compObj?.progId || describeClsid(storage.clsid);
  const object: EmbeddedObject = {
    storage: storage.type === 'root' ? '' : storage.path,
    isEquation:
      isEquationClsid(storage.clsid) ||
      isEquationClassName(compObj?.progId) ||
      stream(EQUATION_NATIVE)?.type === 'stream',
    payloads: [],
    isLinked: false,
    links: [],
    isDocument: false,
    ...(storage.clsid ? { clsid: storage.clsid } : {}),
    ...(compObj ? { compObj } : {}),
    ...(className ? { className } : {}),
  };
  const nativeEntry = stream(OLE10NATIVE);
  const native = read(nativeEntry);
  const pkg = native && parseOlePackage(native, { hasSizePrefix: true });
  if (pkg && nativeEntry) object.package = { ...pkg, stream: nativeEntry.path };
  for (const name of PAYLOAD_STREAMS) {
    const entry = stream(name);
    const bytes = read(entry);
    if (entry && bytes && bytes.length > 0) object.payloads.push({ stream: entry.path, bytes });
  }
  const ole = read(stream(OLE_STREAM));
  if (ole) {
    object.isLinked = isLinkedOleStream(ole);
    object.links = findMonikerTargets(ole);
  }
  if (storage.type === 'root') {
    const isObject =
      object.isEquation || object.package || object.payloads.length > 0 || object.links.length > 0;
    return isObject || object.isLinked ? object : undefined;
  }
  object.isDocument = !object.package && object.payloads.length === 0 && !object.isEquation;
  return object;
}

function upper(s: string): string {
  return s.toUpperCase();
}
