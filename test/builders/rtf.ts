/**
 * RTF documents built in code: objects (`\object` + `\objdata` hex of an OLE1 object), fields
 * (`\field{\*\fldinst …}`), a remote `\*\template`, and the tricks Word tolerates and droppers use —
 * whitespace, control words, `\'hh`, skipped `{\*\…}` groups and `\bin` raw bytes inside the hex,
 * unbalanced braces, deep nesting. All payloads are inert.
 */
import { concatBytes } from '../../src/core/index.js';

const enc = (s: string) => new TextEncoder().encode(s);

export type HexTrick = 'whitespace' | 'control-words' | 'ignorable-groups' | 'bin' | 'odd-digit';

export interface RtfObjectSpec {
  /** `{\*\objclass …}`; omitted when undefined. */
  objclass?: string;
  /** The OLE1 object bytes (see oleobj.ts buildOle1Object). */
  data: Uint8Array;
  kind?: 'emb' | 'link' | 'autlink';
  isUpdate?: boolean;
  tricks?: HexTrick[];
}

export interface RtfSpec {
  objects?: RtfObjectSpec[];
  /** Field instructions, written as `{\field{\*\fldinst …}{\fldrslt …}}`; `\` and braces are escaped. */
  fields?: string[];
  /** `{\*\template …}`. */
  template?: string;
  body?: string;
}

/** Text escaped for RTF: `\`, `{` and `}` get a backslash. */
export function escapeRtf(text: string): string {
  return text.replace(/[\\{}]/g, (c) => `\\${c}`);
}

/** `\objdata` content for `data`, with the requested tricks (the decoded bytes stay the same). */
export function objdataHex(data: Uint8Array, tricks: readonly HexTrick[] = []): Uint8Array {
  const parts: Uint8Array[] = [];
  const hex = (b: number) => b.toString(16).padStart(2, '0');
  const binFrom = tricks.includes('bin') ? Math.floor(data.length / 2) : data.length;
  let text = '';
  for (let i = 0; i < binFrom; i++) {
    text += hex(data[i]!);
    if (tricks.includes('whitespace') && i % 16 === 15) text += '\r\n ';
    if (tricks.includes('control-words') && i % 7 === 3) text += '\\dummy ';
    if (tricks.includes('ignorable-groups') && i % 11 === 5) text += '{\\*\\junk ffff}';
  }
  parts.push(enc(text));
  if (binFrom < data.length) {
    parts.push(enc(`\\bin${data.length - binFrom} `), data.subarray(binFrom));
  }
  // Word drops a trailing odd digit.
  if (tricks.includes('odd-digit')) parts.push(enc('f'));
  return concatBytes(parts);
}

/** One `{\object …}` group. */
export function rtfObject(spec: RtfObjectSpec): Uint8Array {
  const flags = `\\obj${spec.kind ?? 'emb'}${spec.isUpdate ? '\\objupdate' : ''}\\objw1\\objh1`;
  const objclass = spec.objclass === undefined ? '' : `{\\*\\objclass ${escapeRtf(spec.objclass)}}`;
  return concatBytes([
    enc(`{\\object${flags}${objclass}{\\*\\objdata `),
    objdataHex(spec.data, spec.tricks),
    enc('}{\\result {\\rtlch object}}}'),
  ]);
}

/** A whole RTF document. */
export function buildRtf(spec: RtfSpec): Uint8Array {
  const parts: Uint8Array[] = [enc('{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}')];
  if (spec.template !== undefined) parts.push(enc(`{\\*\\template ${escapeRtf(spec.template)}}`));
  parts.push(enc(`\\pard ${escapeRtf(spec.body ?? 'emoguard inert test document')}\\par `));
  for (const field of spec.fields ?? []) {
    parts.push(enc(`{\\field{\\*\\fldinst {\\rtlch ${escapeRtf(field)}}}{\\fldrslt {result}}}`));
  }
  for (const object of spec.objects ?? []) parts.push(rtfObject(object));
  parts.push(enc('}'));
  return concatBytes(parts);
}
