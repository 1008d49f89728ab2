/**
 * Word binary documents (.doc, [MS-DOC]) built in code for the text extractor: a FIB (Word 97 layout,
 * fWhichTblStm → 1Table), the text as pieces — compressed (cp1252, `fc` doubled with bit 30 set,
 * 2.9.73) or UTF-16LE — and a Clx holding the PlcPcd, in a compound file. Inert text only.
 */
import { buildCfb } from './cfb.js';

export interface DocPieceSpec {
  /** The piece's characters; `\r` ends a paragraph, `\x07` a cell, `\x13…\x14…\x15` a field. */
  text: string;
  /** 8-bit cp1252 piece (only characters up to U+00FF); otherwise UTF-16LE. */
  isCompressed?: boolean;
}

export interface DocSpec {
  pieces: DocPieceSpec[];
  /** Sets FibBase.fEncrypted. */
  isEncrypted?: boolean;
  /** A Prc (formatting) entry before the Pcdt, as Word writes after edits. */
  hasPrc?: boolean;
}

const TEXT_START = 0x400;

export function buildWordStreams(spec: DocSpec): { wordDocument: Uint8Array; table: Uint8Array } {
  const body: number[] = [];
  const cps: number[] = [0];
  const fcs: number[] = [];
  for (const piece of spec.pieces) {
    const at = TEXT_START + body.length;
    if (piece.isCompressed) {
      fcs.push(((at * 2) | 0x40000000) >>> 0);
      for (const ch of piece.text) body.push(ch.charCodeAt(0) & 0xff);
    } else {
      fcs.push(at);
      for (let i = 0; i < piece.text.length; i++) {
        const c = piece.text.charCodeAt(i);
        body.push(c & 0xff, c >> 8);
      }
    }
    cps.push(cps[cps.length - 1]! + piece.text.length);
  }
  const wordDocument = new Uint8Array(TEXT_START + body.length);
  const w = new DataView(wordDocument.buffer);
  w.setUint16(0, 0xa5ec, true);
  w.setUint16(2, 0x00c1, true);
  w.setUint16(0x0a, 0x0200 | (spec.isEncrypted ? 0x0100 : 0), true);
  w.setUint16(0x20, 14, true);
  w.setUint16(0x3e, 22, true);
  w.setUint32(0x40, wordDocument.length, true);
  w.setUint32(0x4c, cps[cps.length - 1]!, true);
  w.setUint16(0x98, 0x5d, true);
  wordDocument.set(body, TEXT_START);

  const n = spec.pieces.length;
  const plc = new Uint8Array(4 * (n + 1) + 8 * n);
  const p = new DataView(plc.buffer);
  cps.forEach((cp, i) => p.setUint32(i * 4, cp, true));
  fcs.forEach((fc, i) => p.setUint32(4 * (n + 1) + i * 8 + 2, fc, true));
  const prc = spec.hasPrc ? [0x01, 0x03, 0x00, 0x0a, 0x0b, 0x0c] : [];
  const table = new Uint8Array(prc.length + 5 + plc.length);
  table.set(prc, 0);
  table[prc.length] = 0x02;
  new DataView(table.buffer).setUint32(prc.length + 1, plc.length, true);
  table.set(plc, prc.length + 5);
  w.setUint32(0x1a2, 0, true); // fcClx
  w.setUint32(0x1a6, table.length, true); // lcbClx
  return { wordDocument, table };
}

/** A .doc compound file: WordDocument + 1Table (+ a Macros storage stub when asked). */
export function buildDoc(spec: DocSpec & { hasMacros?: boolean }): Uint8Array {
  const { wordDocument, table } = buildWordStreams(spec);
  const streams = [
    { path: 'WordDocument', data: wordDocument },
    { path: '1Table', data: table },
  ];
  if (spec.hasMacros) streams.push({ path: 'Macros/VBA/dir', data: new Uint8Array(8) });
  return buildCfb({ streams }).bytes;
}
