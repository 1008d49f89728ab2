import type { Anomaly } from '../../core/index.js';
import { ansi } from './cursor.js';

// MS-DOC 2.8.25 PlcFld: a field is 0x13 (begin) instruction 0x14 (separator) result 0x15 (end) in the text.
const FIELD_BEGIN = 0x13;
const FIELD_SEPARATOR = 0x14;
const FIELD_END = 0x15;
/** Characters kept of one instruction; msodde keeps 1,000, DDE commands are a few hundred. */
export const MAX_DOC_FIELD_CHARS = 4096;
export const MAX_DOC_FIELDS = 10_000;
const MAX_NESTING = 16;

export interface DocField {
  /** Offset of the 0x13 mark in the stream. */
  offset: number;
  instruction: string;
}

/**
 * Field instructions in a Word binary document, found by their 0x13/0x14/0x15 marks in the
 * `WordDocument` stream instead of through the piece table (MS-DOC 2.4.1), as msodde does: the piece
 * table costs a full FIB and CLX parse per file, while DDE hunting needs only the instruction text.
 * UTF-16 text reads the same since its NUL high bytes are skipped. Stray 0x13 bytes in binary parts
 * yield short noise, which callers filter by keyword.
 *
 * @example
 * scanDocFieldCodes(cfb.readStream('WordDocument')!).fields[0]?.instruction // 'DDEAUTO cmd "/c calc"'
 */
export function scanDocFieldCodes(
  stream: Uint8Array,
  options: { maxFields?: number; checkDeadline?: () => void } = {},
): { fields: DocField[]; anomalies: Anomaly[] } {
  const maxFields = options.maxFields ?? MAX_DOC_FIELDS;
  const fields: DocField[] = [];
  const anomalies: Anomaly[] = [];
  const open: { offset: number; bytes: number[]; isInstruction: boolean }[] = [];
  let i = stream.indexOf(FIELD_BEGIN);
  let nextCheck = i + (1 << 20);
  while (i >= 0 && i < stream.length) {
    if (i >= nextCheck) {
      options.checkDeadline?.();
      nextCheck = i + (1 << 20);
    }
    const c = stream[i]!;
    if (c === FIELD_BEGIN) {
      if (open.length < MAX_NESTING) open.push({ offset: i, bytes: [], isInstruction: true });
    } else if (c === FIELD_SEPARATOR) {
      const top = open[open.length - 1];
      if (top) top.isInstruction = false;
    } else if (c === FIELD_END) {
      const done = open.pop();
      const instruction = done ? ansi(Uint8Array.from(done.bytes)).trim() : '';
      if (done && instruction !== '') {
        if (fields.length >= maxFields) {
          anomalies.push({ code: 'E_LIMIT_DOC_FIELDS', message: `more than ${maxFields} fields` });
          break;
        }
        fields.push({ offset: done.offset, instruction });
      }
    } else if (c !== 0) {
      const top = open[open.length - 1];
      if (top?.isInstruction && top.bytes.length < MAX_DOC_FIELD_CHARS) top.bytes.push(c);
    }
    i = open.length > 0 ? i + 1 : stream.indexOf(FIELD_BEGIN, i + 1);
  }
  return { fields, anomalies };
}
