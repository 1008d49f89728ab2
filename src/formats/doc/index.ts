/**
 * @module formats/doc — the text of Word binary documents, written from [MS-DOC]
 * https://learn.microsoft.com/en-us/openspecs/office_file_formats/ms-doc/ (2.4.1 Retrieving Text:
 * FIB → Clx → PlcPcd → pieces, compressed cp1252 or UTF-16LE), for the safe view. Pure: takes the
 * streams a compound-file reader returns; bounded in characters and pieces.
 *
 * Anomaly codes: E_DOC_BAD_FIB, E_DOC_ENCRYPTED, E_DOC_BAD_CLX, E_DOC_PIECE_PAST_END.
 *
 * @example
 * docText(cfb.readStream('WordDocument')!, (name) => cfb.readStream(name)).paragraphs // ['Invoice']
 */
export { docText, MAX_DOC_PIECES, MAX_DOC_TEXT_CHARS } from './text.js';
export type { DocText, DocTextOptions } from './text.js';
