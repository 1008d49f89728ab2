import { centralDirectoryNames } from '../zip/index.js';
import { CONTENT_TYPES_PART } from './content-types.js';

/**
 * True for a ZIP whose central directory names `[Content_Types].xml` (ECMA-376 Part 2 §10.1.2), the one
 * part every OPC package has. Synchronous, for content sniffing: Emotet mails rename .docm to .zip and back.
 */
export function isOoxml(bytes: Uint8Array): boolean {
  const wanted = CONTENT_TYPES_PART.toLowerCase();
  return centralDirectoryNames(bytes, 65_535).some((name) => name.toLowerCase() === wanted);
}
