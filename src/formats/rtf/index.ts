/**
 * @module formats/rtf — Rich Text Format as Word reads it (RTF Specification 1.9.1,
 * https://www.microsoft.com/en-us/download/details.aspx?id=10725), for what droppers hide in it:
 * embedded OLE objects (`\object`, `\objdata` hex → OLE1 bytes, `\objclass`, `\objupdate`,
 * `\objautlink`), field instructions (`\fldinst`: DDEAUTO, INCLUDEPICTURE) and remote templates
 * (`\*\template`, T1221). Tolerant like Word (rtfobj's findings on Word's parser), bounded like a
 * scanner must be; malformed input yields anomalies, never an exception.
 *
 * Anomaly codes: E_RTF_NO_HEADER, E_RTF_UNBALANCED, E_RTF_UNCLOSED_GROUPS, E_RTF_TOO_DEEP,
 * E_RTF_BIN_TRUNCATED, E_RTF_TEXT_TOO_LONG, E_LIMIT_RTF_OBJECT_BYTES, E_LIMIT_RTF_OBJECTS,
 * E_LIMIT_RTF_FIELDS, E_LIMIT_RTF_GROUP_DEPTH (rewriteRtf).
 *
 * `rewriteRtf` is the disarm side: it cuts objects, active fields and chosen destinations out of the
 * bytes, with the parser's lexing rules, and copies everything else unchanged. `rtfText` is the
 * plain text a reader sees (the safe view).
 *
 * @example
 * const doc = parseRtf(bytes, { maxObjectBytes: 1 << 26 });
 * doc.objects[0]?.objclass // 'Equation.3'
 */
export { parseRtf } from './parse.js';
export { rewriteRtf } from './rewrite.js';
export { MAX_RTF_TEXT_OUTPUT_CHARS, rtfText, type RtfText, type RtfTextOptions } from './text.js';
export { MAX_RTF_PICTURE_BYTES, MAX_RTF_PICTURES, type RtfPicture } from './pictures.js';
export { MAX_RTF_REWRITE_DEPTH } from './rewrite-types.js';
export type { RtfCut, RtfRewrite, RtfRewriteOptions } from './rewrite-types.js';
export {
  MAX_RTF_DESTINATION_DEPTH,
  MAX_RTF_FIELDS,
  MAX_RTF_OBJECT_BYTES,
  MAX_RTF_OBJECTS,
  MAX_RTF_TEXT_CHARS,
  MAX_RTF_TOTAL_OBJECT_BYTES,
} from './types.js';
export type {
  RtfDocument,
  RtfField,
  RtfObject,
  RtfObjectKind,
  RtfParseOptions,
  RtfTemplate,
} from './types.js';
