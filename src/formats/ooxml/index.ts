/**
 * @module formats/ooxml — Office Open XML packages (ECMA-376 Part 2, Open Packaging Conventions,
 * https://ecma-international.org/publications-and-standards/standards/ecma-376/): content types,
 * relationships, and the parts macro malware uses — vbaProject.bin (MS-OVBA, however renamed), XLM
 * macro sheets (MS-XLSB), external targets such as remote templates (T1221), OLE/ActiveX embeddings.
 * Reads over formats/zip; writes packages synchronously; rewrites them for content disarm (a strict
 * ZIP reader, a part editor that keeps untouched parts' stored bytes, and offset-preserving XML edits);
 * reads the text of documents, sheets and slides for the safe view (text*.ts).
 */
export { readOoxml, readOoxmlPart } from './read.js';
export { buildDocm, buildOoxmlPackage, DOCM_MAIN_CONTENT_TYPE } from './write.js';
export type { DocmSpec, OoxmlPackageSpec, OoxmlRelSpec } from './write.js';
export { contentTypeOf, contentTypeResolver } from './content-types.js';
export type { ContentTypes } from './content-types.js';
export type { OoxmlRelationship } from './rels.js';
export { isOoxml } from './sniff.js';
export { decodeXmlEntities } from './xml-scan.js';
export { VBA_PROJECT_CONTENT_TYPE, VBA_PROJECT_REL, isMacroEnabledType } from './classify.js';
export {
  MAX_OOXML_ELEMENTS,
  MAX_OOXML_PART_BYTES,
  MAX_OOXML_TOTAL_BYTES,
  MAX_OOXML_XML_BYTES,
} from './types.js';
export type {
  OoxmlEmbedding,
  OoxmlPackage,
  OoxmlPart,
  OoxmlVbaProject,
  ReadOoxmlOptions,
} from './types.js';
export {
  MAX_TABLE_COLS,
  MAX_TABLE_ROWS,
  MAX_TEXT_BLOCKS,
  MAX_TEXT_CHARS,
  type TextBlock,
  type TextBounds,
  type TextResult,
} from './text-types.js';
export { sharedStrings, sheetRows, workbookSheets } from './text.js';
export { slideText, wordText } from './text-word.js';
export {
  isEmbeddingType,
  isMacroSheetType,
  isVbaProjectType,
  MACRO_SHEET_CONTENT_TYPES,
} from './classify.js';
export { CONTENT_TYPES_PART, parseContentTypes } from './content-types.js';
export {
  locateEmbeddings,
  locateMacroSheets,
  locateMainPart,
  locateVbaProjects,
} from './locate.js';
export { parseRels, relsSource, resolveTarget } from './rels.js';
export { escapeXml } from './write.js';
export { readPackageStrict, RATIO_FLOOR_BYTES } from './zip-strict.js';
export type {
  PackageMember,
  PackageRefusal,
  StrictReadOptions,
  StrictReadResult,
} from './zip-strict.js';
export { PackageEditor } from './package-edit.js';
export {
  applyXmlEdits,
  attributesOf,
  namespaceOf,
  setAttributeEdit,
  setTagAttribute,
  walkXmlElements,
} from './xml-walk.js';
export type { XmlEdit, XmlElement, XmlWalkLimits, XmlWalkResult } from './xml-walk.js';
export {
  checkXml,
  editContentTypes,
  editRelationships,
  pruneEmptyElements,
  RELATIONSHIPS_NAMESPACES,
  removeReferencingElements,
} from './opc-edit.js';
export type {
  ContentTypeChanges,
  ElementRemovalPlan,
  RelationshipChanges,
  XmlEditResult,
} from './opc-edit.js';
export { removeCellFormulas, removeWordFields } from './field-edit.js';
export type { FieldEditResult, QuoteValue } from './field-edit.js';
