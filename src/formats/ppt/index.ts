/**
 * @module formats/ppt — the text of PowerPoint 97-2003 presentations, written from [MS-PPT]
 * https://learn.microsoft.com/en-us/openspecs/office_file_formats/ms-ppt/ (2.3.1 RecordHeader,
 * TextCharsAtom, TextBytesAtom), for the safe view. Pure and bounded (records, depth, characters).
 *
 * Anomaly codes: E_PPT_RECORD_OVERRUN, E_LIMIT_PPT_RECORDS.
 *
 * @example
 * pptText(cfb.readStream('PowerPoint Document')!).paragraphs
 */
export { MAX_PPT_TEXT_CHARS, MAX_PPT_TEXT_RECORDS, pptText } from './text.js';
export type { PptText, PptTextOptions } from './text.js';
