import type { Anomaly } from '../../core/index.js';

export interface DocTextOptions {
  /** Characters returned at most. */
  maxChars?: number;
}

export interface DocText {
  /** Paragraphs of the main document; table cells are separated by tabs. */
  paragraphs: string[];
  isTruncated: boolean;
  /** The FIB says the document is encrypted (fEncrypted): its text cannot be read. */
  isEncrypted: boolean;
  anomalies: Anomaly[];
}

export const MAX_DOC_TEXT_CHARS = 2 * 1024 * 1024;
/** Pieces read at most; Word writes one per edit session, a few hundred at the very most. */
export const MAX_DOC_PIECES = 100_000;

const WIDENT = 0xa5ec; // MS-DOC 2.5.2 FibBase.wIdent
const F_ENCRYPTED = 0x0100; // FibBase flags bit F
const F_WHICH_TBL_STM = 0x0200; // FibBase flags bit G: 1Table, else 0Table
const FC_CLX_INDEX = 33; // MS-DOC 2.5.6 FibRgFcLcb97: fcClx is the 34th fc/lcb pair

/**
 * The main-document text of a Word binary file ([MS-DOC] 2.4.1 "Retrieving Text"): the FIB gives
 * ccpText and the Clx in the table stream (0Table or 1Table per fWhichTblStm); the Clx's PlcPcd maps
 * character positions to pieces of the WordDocument stream, each either compressed (8-bit, code page
 * 1252, at fc/2 — 2.9.73 FcCompressed) or UTF-16LE. Field instructions (between 0x13 and 0x14) are
 * left out and their results kept; the special characters of 2.3.x become breaks and tabs.
 *
 * @example
 * docText(cfb.readStream('WordDocument')!, (name) => cfb.readStream(name)).paragraphs
 */
export function docText(
  wordDocument: Uint8Array,
  readTable: (name: '0Table' | '1Table') => Uint8Array | undefined,
  options: DocTextOptions = {},
): DocText {
  const out: DocText = { paragraphs: [], isTruncated: false, isEncrypted: false, anomalies: [] };
  const fail = (code: `E_${string}`, message: string) => {
    out.anomalies.push({ code, message });
    return out;
  };
  const view = new DataView(wordDocument.buffer, wordDocument.byteOffset, wordDocument.byteLength);
  const u16 = (at: number) => (at + 2 <= view.byteLength ? view.getUint16(at, true) : undefined);
  const u32 = (at: number) => (at + 4 <= view.byteLength ? view.getUint32(at, true) : undefined);
  if (u16(0) !== WIDENT) return fail('E_DOC_BAD_FIB', 'WordDocument does not start with a FIB');
  const flags = u16(0x0a) ?? 0;
  if (flags & F_ENCRYPTED) {
    out.isEncrypted = true;
    return fail('E_DOC_ENCRYPTED', 'the document is encrypted');
  }
  // FibBase (32 bytes), csw + FibRgW97, cslw + FibRgLw97, cbRgFcLcb + FibRgFcLcbBlob (2.5.1).
  const csw = u16(0x20) ?? 0;
  const lwAt = 0x22 + csw * 2;
  const cslw = u16(lwAt) ?? 0;
  const rgLw = lwAt + 2;
  const fcLcbAt = rgLw + cslw * 4;
  const cbRgFcLcb = u16(fcLcbAt) ?? 0;
  const ccpText = u32(rgLw + 12);
  const fcClx = u32(fcLcbAt + 2 + FC_CLX_INDEX * 8);
  const lcbClx = u32(fcLcbAt + 2 + FC_CLX_INDEX * 8 + 4);
  if (cbRgFcLcb <= FC_CLX_INDEX || ccpText === undefined || fcClx === undefined || !lcbClx) {
    return fail('E_DOC_BAD_FIB', 'the FIB has no Clx');
  }
  const table = readTable(flags & F_WHICH_TBL_STM ? '1Table' : '0Table');
  if (!table || fcClx + lcbClx > table.length) {
    return fail('E_DOC_BAD_CLX', 'the Clx lies outside the table stream');
  }
  const plc = findPlcPcd(table.subarray(fcClx, fcClx + lcbClx));
  if (!plc) return fail('E_DOC_BAD_CLX', 'the Clx has no piece table');
  const text = readPieces(wordDocument, plc, ccpText, options.maxChars ?? MAX_DOC_TEXT_CHARS, out);
  out.paragraphs = toParagraphs(text);
  return out;
}

/** Clx (2.9.38): Prc entries (0x01 + cbGrpprl) then one Pcdt (0x02 + lcb + PlcPcd). */
function findPlcPcd(clx: Uint8Array): DataView | undefined {
  const view = new DataView(clx.buffer, clx.byteOffset, clx.byteLength);
  let at = 0;
  while (at < clx.length) {
    const type = clx[at];
    if (type === 0x01 && at + 3 <= clx.length) at += 3 + view.getUint16(at + 1, true);
    else if (type === 0x02 && at + 5 <= clx.length) {
      const lcb = view.getUint32(at + 1, true);
      if (at + 5 + lcb > clx.length || lcb < 16) return undefined;
      return new DataView(clx.buffer, clx.byteOffset + at + 5, lcb);
    } else return undefined;
  }
  return undefined;
}

function readPieces(
  stream: Uint8Array,
  plc: DataView,
  ccpText: number,
  maxChars: number,
  out: DocText,
): string {
  const count = Math.floor((plc.byteLength - 4) / 12); // (n + 1) CPs of 4 bytes, n Pcds of 8
  if (count > MAX_DOC_PIECES) out.isTruncated = true;
  const n = Math.min(count, MAX_DOC_PIECES);
  const cp1252 = new TextDecoder('windows-1252');
  const utf16 = new TextDecoder('utf-16le');
  let text = '';
  for (let i = 0; i < n; i++) {
    const start = plc.getUint32(i * 4, true);
    const end = Math.min(plc.getUint32(i * 4 + 4, true), ccpText);
    if (start >= ccpText) break;
    if (end <= start) continue;
    const fcRaw = plc.getUint32((n + 1) * 4 + i * 8 + 2, true);
    const isCompressed = (fcRaw & 0x40000000) !== 0;
    const fc = fcRaw & 0x3fffffff;
    let length = Math.min(end - start, maxChars - text.length);
    if (length < end - start) out.isTruncated = true;
    const from = isCompressed ? Math.floor(fc / 2) : fc;
    const bytes = isCompressed ? length : length * 2;
    if (from + bytes > stream.length) {
      out.anomalies.push({
        code: 'E_DOC_PIECE_PAST_END',
        message: `piece ${i} lies past the stream`,
      });
      length = 0;
      continue;
    }
    const piece = stream.subarray(from, from + bytes);
    text += isCompressed ? cp1252.decode(piece) : utf16.decode(piece);
    if (text.length >= maxChars) break;
  }
  return text;
}

/** Special characters (2.3.x): 0x0D paragraph, 0x07 cell/row end, 0x0B line break, 0x0C page break. */
function toParagraphs(text: string): string[] {
  let out = '';
  // Open fields, innermost last: true while in the instruction part. `instructions` counts the trues.
  const open: boolean[] = [];
  let instructions = 0;
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c === 0x13) {
      open.push(true);
      instructions++;
      continue;
    }
    if (c === 0x14) {
      if (open[open.length - 1] === true) {
        open[open.length - 1] = false;
        instructions--;
      }
      continue;
    }
    if (c === 0x15) {
      if (open.pop() === true) instructions--;
      continue;
    }
    if (instructions > 0) continue;
    if (c === 0x0d || c === 0x0c) out += '\n';
    else if (c === 0x07) out += '\t';
    else if (c === 0x0b) out += '\u2028';
    else if (c === 0x1e) out += '-';
    else if (c >= 0x20 || c === 0x09) out += ch;
  }
  const paragraphs: string[] = [];
  for (const line of out.split('\n')) {
    const text = line.replace(/\t+$/, '').replace(/\u2028/g, '\n');
    // Runs of empty paragraphs collapse to one gap.
    if (text === '' && (paragraphs.length === 0 || paragraphs[paragraphs.length - 1] === ''))
      continue;
    paragraphs.push(text);
  }
  while (paragraphs[paragraphs.length - 1] === '') paragraphs.pop();
  return paragraphs;
}
