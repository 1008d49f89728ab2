/**
 * Content types and relationship types that matter for macro malware. MS-OFFMACRO2 and MS-XLSB define
 * the macro ones; ECMA-376 Part 1 §15.2 the embedding and template ones.
 */
export const VBA_PROJECT_CONTENT_TYPE = 'application/vnd.ms-office.vbaProject';
export const VBA_PROJECT_REL = 'http://schemas.microsoft.com/office/2006/relationships/vbaProject';

export const OFFICE_DOCUMENT_RELS: readonly string[] = [
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument',
  'http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument', // Strict (ISO 29500)
];

/** Excel 4.0 (XLM) macro sheets, XML and XLSB binary (MS-OFFMACRO2 §2.2.x, MS-XLSB §2.1.2). */
export const MACRO_SHEET_CONTENT_TYPES: readonly string[] = [
  'application/vnd.ms-excel.macrosheet+xml',
  'application/vnd.ms-excel.macrosheet',
  'application/vnd.ms-excel.intlmacrosheet+xml',
  'application/vnd.ms-excel.intlmacrosheet',
];
export const MACRO_SHEET_REL_NAMES: readonly string[] = ['xlMacrosheet', 'xlIntlMacrosheet'];

/** OLE objects, ActiveX controls and embedded packages: containers for more executable content. */
export const EMBEDDING_CONTENT_TYPES: readonly string[] = [
  'application/vnd.openxmlformats-officedocument.oleObject',
  'application/vnd.ms-office.activeX',
  'application/vnd.openxmlformats-officedocument.package',
];
export const EMBEDDING_REL_NAMES: readonly string[] = [
  'oleObject',
  'package',
  'activeXControlBinary',
];

export const isVbaProjectName = (name: string): boolean => /(^|\/)vbaProject\.bin$/i.test(name);
export const isMacroSheetPath = (name: string): boolean =>
  /^xl\/(intl-)?macrosheets\/[^/]+\.(xml|bin)$/i.test(name);
export const isEmbeddingPath = (name: string): boolean =>
  /(^|\/)embeddings\/[^/]+$/i.test(name) || /(^|\/)activeX\/[^/]+\.bin$/i.test(name);

// Media types compare case-insensitively (RFC 2045 §5.1); Office writes them in mixed case.
// The lists are lower-cased once here, not once per part.
const lowerSet = (list: readonly string[]): ReadonlySet<string> =>
  new Set(list.map((t) => t.toLowerCase()));
const MACRO_SHEET_TYPES = lowerSet(MACRO_SHEET_CONTENT_TYPES);
const EMBEDDING_TYPES = lowerSet(EMBEDDING_CONTENT_TYPES);
const VBA_PROJECT_TYPE = VBA_PROJECT_CONTENT_TYPE.toLowerCase();
const normalType = (type: string) => type.trim().toLowerCase();
export const isMacroSheetType = (type: string | undefined): boolean =>
  type !== undefined && MACRO_SHEET_TYPES.has(normalType(type));
export const isEmbeddingType = (type: string | undefined): boolean =>
  type !== undefined && EMBEDDING_TYPES.has(normalType(type));
export const isVbaProjectType = (type: string | undefined): boolean =>
  type !== undefined && normalType(type) === VBA_PROJECT_TYPE;

/** `…document.macroEnabled.main+xml`, `…sheet.binary.macroEnabled.main`, `…macroEnabledTemplate…` */
export const isMacroEnabledType = (type: string | undefined): boolean =>
  type !== undefined && /macroenabled/i.test(type);
