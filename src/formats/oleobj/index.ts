/**
 * @module formats/oleobj — embedded OLE objects, written from [MS-OLEDS]
 * https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-oleds/ and [MS-PPT] 2.10.34:
 * OLE 1.0 objects (RTF `\objdata`: 2.2.5 EmbeddedObject, 2.2.6 LinkedObject), OLE Package data
 * (`\x01Ole10Native`, the file an icon in a document drops), CompObj (2.3.8), link monikers in
 * `\x01Ole` (2.3.3, 2.3.7; CVE-2017-0199), object storages in compound files (Word ObjectPool, Excel
 * MBD…), PowerPoint ExOleObjStg records (zlib), Equation Editor CLSIDs (CVE-2017-11882), and Word
 * binary field codes (MS-DOC 2.8.25) for DDE. Pure and bounded; malformed input yields anomalies.
 *
 * Anomaly codes: E_OLE1_TRUNCATED, E_OLE_PACKAGE_TRUNCATED, E_ZLIB_TRUNCATED, E_ZLIB_BAD_DATA,
 * E_PPT_RECORD_OVERRUN, E_LIMIT_PPT_RECORDS, E_LIMIT_PPT_STORAGE_BYTES, E_LIMIT_INFLATED_SIZE,
 * E_LIMIT_EMBEDDED_OBJECTS, E_LIMIT_OLE_STREAM_BYTES, E_LIMIT_DOC_FIELDS.
 *
 * @example
 * const obj = parseOle1Object(rtfObject.data);
 * if (obj?.className === 'Package') parseOlePackage(obj.nativeData!, { hasSizePrefix: false });
 */
export {
  clsidBytes,
  describeClsid,
  EQUATION_CLSIDS,
  isEquationClassName,
  isEquationClsid,
  isPackageClsid,
  KNOWN_CLSIDS,
  PACKAGE_CLSIDS,
} from './clsid.js';
export { parseCompObj, type CompObj } from './compobj.js';
export {
  MAX_DOC_FIELD_CHARS,
  MAX_DOC_FIELDS,
  scanDocFieldCodes,
  type DocField,
} from './doc-fields.js';
export {
  findEmbeddedObjects,
  MAX_EMBEDDED_OBJECTS,
  type EmbeddedObject,
  type FindEmbeddedOptions,
} from './embedded.js';
export { findMonikerTargets, isLinkedOleStream, type MonikerTarget } from './moniker.js';
export { OLE1_EMBEDDED, OLE1_LINKED, parseOle1Object, type Ole1Object } from './ole1.js';
export { parseOlePackage, type OlePackage } from './package.js';
export {
  findPptOleStorages,
  MAX_PPT_RECORDS,
  type PptOleStorage,
  type PptScanOptions,
} from './ppt.js';
export { extractStorage } from './storage.js';
export { inflateZlib, looksLikeZlibHeader, type InflateOptions } from './zlib.js';
