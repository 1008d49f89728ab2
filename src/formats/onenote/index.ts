/**
 * @module formats/onenote — OneNote sections (.one), [MS-ONESTORE] v20240416
 * (https://learn.microsoft.com/openspecs/office_file_formats/ms-onestore) and [MS-ONE] property ids:
 * embedded files (FileDataStoreObject 2.6.13) with their names (FileDataStoreObjectReferenceFND,
 * ObjectDeclarationFileData3RefCountFND, EmbeddedFileName) and page text. The 2023 QakBot/Emotet carrier:
 * an HTA, a batch file or a shortcut behind a "Double click to view" picture.
 *
 * @example
 * for (const f of parseOneNote(bytes).embedded) bytes.subarray(f.dataOffset, f.dataOffset + f.length);
 */
export {
  FILE_DATA_FOOTER,
  FILE_DATA_HEADER,
  isOneNote,
  MAX_EMBEDDED,
  ONE_FILE_TYPE,
  parseOneNote,
} from './parse.js';
export { MAX_FILE_NODES } from './nodes.js';
export { PROP } from './propset.js';
export type { EmbeddedFile, OneNoteOptions, OneNoteSection } from './types.js';
export { buildOneNote, type OneNoteFileSpec, type OneNoteSpec } from './write.js';
