/**
 * @module formats/ooxml — Office Open XML packages (ECMA-376 Part 2, Open Packaging Conventions,
 * https://ecma-international.org/publications-and-standards/standards/ecma-376/): content types,
 * relationships, and the parts macro malware uses — vbaProject.bin (MS-OVBA, however renamed), XLM
 * macro sheets (MS-XLSB), external targets such as remote templates (T1221), OLE/ActiveX embeddings.
 * Reads over formats/zip; writes packages synchronously.
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
