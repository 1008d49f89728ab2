/**
 * @module formats/activemime — MSO / ActiveMime blobs, the undocumented container in which Word and
 * Excel keep a document's VBA project (`editdata.mso`) or OLE objects (`oledata.mso`) when saving as
 * MHTML "single file web page" (RFC 2557) or Word/Excel 2003 XML: a header then zlib data (RFC 1950)
 * holding a compound file. Layout as reverse-engineered by olevba (mso_file_extract). Also finds the
 * base64-encoded blobs in text containers. Inflation is capped; malformed input yields anomalies.
 *
 * Anomaly codes: E_ACTIVEMIME_NO_MAGIC, E_ACTIVEMIME_NO_DATA, E_ZLIB_TRUNCATED, E_ZLIB_BAD_DATA,
 * E_LIMIT_ACTIVEMIME_BLOBS, E_LIMIT_ACTIVEMIME_BYTES; LimitError E_LIMIT_INFLATED_SIZE.
 *
 * @example
 * for (const blob of findActiveMimeBlobs(mht, { maxBlobBytes }).blobs) {
 *   const ole = parseActiveMime(blob.bytes, { maxBytes }).data; // → compound file with Macros/VBA
 * }
 */
export { base64RunEnd, decodeBase64, decodeBase64Text, encodeBase64 } from './base64.js';
export {
  findActiveMimeBlobs,
  indexOfBytes,
  MAX_ACTIVEMIME_BLOBS,
  type EncodedBlob,
} from './find.js';
export { ACTIVEMIME_MAGIC, isActiveMime, parseActiveMime, type ActiveMime } from './parse.js';
