/**
 * @module report/exports — findings and IOCs for other tools, as pure functions of `ExportData`:
 * OCSF 1.1 Detection Finding JSON Lines (https://schema.ocsf.io/1.1.0/classes/detection_finding),
 * a STIX 2.1 bundle (https://docs.oasis-open.org/cti/stix/v2.1/os/stix-v2.1-os.html), an ATT&CK
 * Navigator layer 4.5 and a Timesketch timeline CSV (https://timesketch.org/guides/user/import-from-json-csv/).
 *
 * @example
 * const data = await readExportData(store, { scanId: 3 });
 * writeFileSync('findings.jsonl', toOcsfJsonLines(data, { productVersion: '0.1.0' }));
 */
export {
  EXPORT_IOC_KINDS,
  exportDataFromIncident,
  MAX_EXPORT_FINDINGS,
  readExportData,
  type ExportData,
  type ExportFinding,
  type ExportIoc,
  type ExportIocKind,
  type ExportSighting,
} from './data.js';
export { toNavigatorLayer, type NavigatorLayer, type NavigatorTechnique } from './navigator.js';
export {
  OCSF_CATEGORY_UID,
  OCSF_CLASS_UID,
  OCSF_VERSION,
  toOcsfFinding,
  toOcsfJsonLines,
  type OcsfOptions,
} from './ocsf.js';
export { stixPattern, stixString, toStixBundle, type StixBundle, type StixObject } from './stix.js';
export { csvCell, TIMESKETCH_COLUMNS, toTimesketchCsv } from './timesketch.js';
export { uuidv5 } from './uuid.js';
