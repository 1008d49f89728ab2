import type { Anomaly } from '../../core/index.js';

export interface PptText {
  /** Text runs in stream order, each split at its paragraph marks; exact repeats dropped. */
  paragraphs: string[];
  isTruncated: boolean;
  anomalies: Anomaly[];
}

export interface PptTextOptions {
  maxChars?: number;
  maxRecords?: number;
}

export const MAX_PPT_TEXT_CHARS = 2 * 1024 * 1024;
export const MAX_PPT_TEXT_RECORDS = 500_000;

const RECORD_HEADER = 8; // MS-PPT 2.3.1 RecordHeader
const CONTAINER = 0x0f; // recVer of containers
const RT_MAIN_MASTER = 0x03f8; // 2.13.24: master slides hold "Click to edit" prompts, not content
const RT_TEXT_CHARS_ATOM = 0x0fa0; // UTF-16LE text
const RT_TEXT_BYTES_ATOM = 0x0fa8; // 8-bit text (the low bytes of UTF-16 code units)
const MAX_DEPTH = 32;

/**
 * The text of a PowerPoint 97-2003 presentation ([MS-PPT] 2.9.x TextCharsAtom / TextBytesAtom) in
 * the `PowerPoint Document` stream, read by walking records (containers have recVer 0xF) to a
 * bounded depth; master slides are skipped. Records of earlier saves may repeat text, so exact
 * repeats are dropped. A record overrunning its parent ends that level with an anomaly.
 *
 * @example
 * pptText(cfb.readStream('PowerPoint Document')!).paragraphs // ['Quarterly results', '…']
 */
export function pptText(stream: Uint8Array, options: PptTextOptions = {}): PptText {
  const maxChars = options.maxChars ?? MAX_PPT_TEXT_CHARS;
  const maxRecords = options.maxRecords ?? MAX_PPT_TEXT_RECORDS;
  const out: PptText = { paragraphs: [], isTruncated: false, anomalies: [] };
  const seen = new Set<string>();
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  const utf16 = new TextDecoder('utf-16le');
  let chars = 0;
  let records = 0;
  const stack = [{ at: 0, end: stream.length }];
  while (stack.length > 0 && !out.isTruncated) {
    const frame = stack[stack.length - 1]!;
    if (frame.at + RECORD_HEADER > frame.end) {
      stack.pop();
      continue;
    }
    if (++records > maxRecords) {
      out.anomalies.push({
        code: 'E_LIMIT_PPT_RECORDS',
        message: `more than ${maxRecords} records`,
      });
      break;
    }
    const at = frame.at;
    const version = view.getUint16(at, true) & 0x0f;
    const type = view.getUint16(at + 2, true);
    const length = view.getUint32(at + 4, true);
    const body = at + RECORD_HEADER;
    if (body + length > frame.end) {
      out.anomalies.push({
        code: 'E_PPT_RECORD_OVERRUN',
        message: `record 0x${type.toString(16)} overruns its parent`,
        offset: at,
      });
      stack.pop();
      continue;
    }
    frame.at = body + length;
    if (version === CONTAINER) {
      if (type !== RT_MAIN_MASTER && stack.length < MAX_DEPTH)
        stack.push({ at: body, end: body + length });
      continue;
    }
    // CString atoms (RT_CSTRING) hold names and comments, not slide text.
    if (type !== RT_TEXT_CHARS_ATOM && type !== RT_TEXT_BYTES_ATOM) continue;
    const data = stream.subarray(body, body + length);
    const text = type === RT_TEXT_CHARS_ATOM ? utf16.decode(data) : latin1(data);
    for (const line of text.split(/[\r\v]/)) {
      const paragraph = line.trimEnd();
      if (paragraph === '' || seen.has(paragraph)) continue;
      seen.add(paragraph);
      if (chars + paragraph.length > maxChars) {
        out.isTruncated = true;
        break;
      }
      chars += paragraph.length;
      out.paragraphs.push(paragraph);
    }
  }
  return out;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}
