import { classifyFieldCode } from '../../formats/msxml-office/index.js';
import { scanDocFieldCodes } from '../../formats/oleobj/index.js';
import type { Removal } from './types.js';

/** [MS-DOC] 2.5.2 FibBase.wIdent: Word 97 and later; 0xA5DC is Word 6/95 (same flag layout). */
const WORD97_IDENT = 0xa5ec;
const WORD6_IDENT = 0xa5dc;
/** FibBase bit F (fEncrypted, offset 0x0A bit 8): RC4, CryptoAPI or, with fObfuscated, XOR. */
const F_ENCRYPTED = 0x0100;
const FIB_BASE_SIZE = 32;
// [MS-DOC] 2.8.25 PlcFld: field begin, separator, end characters in the text.
const FIELD_BEGIN = 0x13;
const FIELD_SEPARATOR = 0x14;
const FIELD_END = 0x15;
const SPACE = 0x20;
/** Characters blanked for one field: an instruction longer than this is not a DDE field Word would run. */
const MAX_FIELD_SPAN = 1 << 16;

export type WordCheck = { refusal: 'encrypted' | 'malformed'; reason: string } | undefined;

/** Refuses what cannot be rewritten safely: an encrypted or obfuscated document, or no FIB at all. */
export function checkWordDocument(stream: Uint8Array): WordCheck {
  if (stream.length < FIB_BASE_SIZE) {
    return {
      refusal: 'malformed',
      reason: `WordDocument is ${stream.length} bytes, shorter than a FIB`,
    };
  }
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  const ident = view.getUint16(0, true);
  if (ident !== WORD97_IDENT && ident !== WORD6_IDENT) {
    return { refusal: 'malformed', reason: `WordDocument FIB wIdent is 0x${ident.toString(16)}` };
  }
  if (view.getUint16(0x0a, true) & F_ENCRYPTED) {
    return { refusal: 'encrypted', reason: 'the Word document is encrypted (FIB fEncrypted)' };
  }
  return undefined;
}

/**
 * Blanks DDE and DDEAUTO field instructions (T1559.002) in a copy of the `WordDocument` stream:
 * every character between the field's begin mark and its separator (or end) becomes a space, nested
 * fields included, while the 0x13/0x14/0x15 marks stay where they are. The text keeps its length,
 * so the piece table, PlcFld and every CP of [MS-DOC] stay valid; the field's cached result (what
 * the reader saw) is kept. Fields are found the way the office engine finds them (by their marks);
 * 8-bit and UTF-16 text are told apart by the byte after the begin mark.
 */
export function blankDdeFields(
  stream: Uint8Array,
  removed: Removal[],
  checkDeadline?: () => void,
): Uint8Array | undefined {
  const { fields } = scanDocFieldCodes(stream, checkDeadline ? { checkDeadline } : {});
  const dde = fields.filter((f) => classifyFieldCode(f.instruction)?.kind === 'dde');
  if (dde.length === 0) return undefined;
  const out = stream.slice();
  for (const field of dde) {
    checkDeadline?.();
    blankInstruction(out, field.offset);
    removed.push({
      kind: 'dde-field',
      location: `WordDocument@${field.offset}`,
      detail: field.instruction,
    });
  }
  return out;
}

function blankInstruction(bytes: Uint8Array, begin: number): void {
  const isWide = bytes[begin + 1] === 0;
  const step = isWide ? 2 : 1;
  const end = Math.min(bytes.length - (step - 1), begin + step * MAX_FIELD_SPAN);
  let depth = 1;
  for (let at = begin + step; at < end; at += step) {
    const unit = isWide ? bytes[at]! | (bytes[at + 1]! << 8) : bytes[at]!;
    if (unit === FIELD_BEGIN) depth++;
    else if (unit === FIELD_SEPARATOR && depth === 1) return;
    else if (unit === FIELD_END) {
      if (--depth === 0) return;
    } else if (unit !== FIELD_SEPARATOR && unit !== 0) {
      bytes[at] = SPACE;
      if (isWide) bytes[at + 1] = 0;
    }
  }
}
