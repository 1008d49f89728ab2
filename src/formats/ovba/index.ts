/**
 * @module formats/ovba — VBA projects inside compound files, written from [MS-OVBA]
 * https://learn.microsoft.com/en-us/openspecs/office_file_formats/ms-ovba/
 *
 * Reading: `readVbaProjects` finds every VBA storage (Word `Macros/VBA`, Excel `_VBA_PROJECT_CUR/VBA`,
 * vbaProject.bin `VBA`), parses the dir stream (2.3.4.2) as tolerantly as Office, decompresses module
 * source (2.4.1) at each MODULEOFFSET and decodes it in PROJECTCODEPAGE (cp932 Shift_JIS, cp1251 …).
 * A missing or corrupt dir stream falls back to scanning streams for compressed source, like olevba.
 * Malformed input yields partial results and anomalies; nothing here throws on bad bytes.
 *
 * Compiled side (`readVbaCompiled`): the `_VBA_PROJECT` version and identifier table and each module's
 * p-code line directory and string literals, as far as the undocumented PerformanceCache layout is
 * publicly described; for VBA stomping detection (source and p-code that disagree).
 *
 * Writing (used by the demo command at run time, so product code): source-only projects with a
 * version-independent _VBA_PROJECT stream, as vbaProject.bin or inside a .doc-shaped compound file.
 *
 * Anomaly codes: E_OVBA_BAD_SIGNATURE, E_OVBA_BAD_CHUNK, E_OVBA_TRUNCATED, E_OVBA_BAD_COPY_TOKEN,
 * E_OVBA_CHUNK_OVERFLOW, E_OVBA_OUTPUT_LIMIT, E_OVBA_DIR_TRUNCATED, E_OVBA_DIR_UNKNOWN_RECORD,
 * E_OVBA_DIR_BAD_RECORD, E_OVBA_DIR_MODULE_COUNT, E_OVBA_NO_DIR, E_OVBA_MODULE_MISSING,
 * E_OVBA_BAD_OFFSET, E_OVBA_FALLBACK_SCAN, E_OVBA_UNKNOWN_CODEPAGE, E_OVBA_PCODE_TRUNCATED,
 * E_OVBA_PCODE_BAD_HEADER, E_OVBA_PCODE_BAD_DIRECTORY, E_OVBA_PCODE_LIMIT.
 */
export { codePageEncoding, decodeCodePage, DEFAULT_CODE_PAGE } from './codepage.js';
export { compressOvba } from './compress.js';
export { type DecompressResult, decompressOvba, MAX_OVBA_OUTPUT } from './decompress.js';
export {
  type DirModule,
  type DirReference,
  MAX_VBA_MODULES,
  parseDir,
  type VbaDir,
} from './dir.js';
export {
  MAX_OVBA_TOTAL_OUTPUT,
  readVbaProjects,
  type VbaModule,
  type VbaProject,
  type VbaReadOptions,
} from './project.js';
export {
  decryptProjectData,
  encryptProjectData,
  type ModuleKind,
  parseProjectText,
  type ProjectText,
} from './project-text.js';
export { findSourceContainers, type FoundSource } from './scan.js';
export {
  MAX_PCODE_DIRECTORY_CANDIDATES,
  MAX_PCODE_STRINGS,
  type ModulePcode,
  type PcodeString,
  readModulePcode,
} from './pcode.js';
export {
  isBigEndianModule,
  isBigEndianProject,
  MAX_KNOWN_VBA_VERSION,
  MAX_PCODE_IDENTIFIERS,
  MIN_KNOWN_VBA_VERSION,
  parseVbaProjectStream,
  pcodeDialectOf,
  type PcodeDialect,
  VBA_PROJECT_VERSION_INDEPENDENT,
  type VbaProjectCache,
} from './pcode-project.js';
export { type ModuleCompiled, type ProjectCompiled, readVbaCompiled } from './pcode-read.js';
export {
  buildOleWordDocument,
  buildVbaProjectBin,
  buildVbaProjectCfb,
  type OleWordDocumentSpec,
  type VbaModuleSpec,
  type VbaProjectCfbSpec,
  type VbaProjectSpec,
  vbaModuleSource,
} from './write.js';
