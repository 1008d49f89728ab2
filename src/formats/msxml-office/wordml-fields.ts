import { quoteFieldValue } from './field-code.js';
import { attribute, readElementText } from './xml-text.js';

export const MAX_WORDML_FIELDS = 10_000;
const MAX_INSTRUCTION_CHARS = 8192;
const MAX_NESTING = 32;

// w:fldChar (begin/separate/end), w:instrText (instruction text split over runs), w:fldSimple w:instr.
// Any namespace prefix: the prefix is the author's choice, and droppers do not write "w:".
const FIELD_TAG = /<(?:[\w.-]+:)?(fldChar|instrText|fldSimple)\b([^>]*)>/g;

export interface WordFieldInstruction {
  /** Offset (in characters of the decoded XML) of the field's first tag. */
  offset: number;
  instruction: string;
}

/**
 * Field instructions of a WordprocessingML part (ECMA-376 Part 1 §17.16.18 complex fields, §17.16.19
 * simple fields; Word 2003 XML and flat OPC use the same elements). Instruction text is XML character
 * data, read as an XML reader reads it: character references decoded (`&#x44;DE`), CDATA literal.
 * Complex fields join every `w:instrText` between
 * `begin` and `separate`, so a DDEAUTO split over many runs reads whole, as Word reads it; a nested
 * QUOTE field is replaced by its value in the outer instruction.
 *
 * @example
 * findWordFieldInstructions(documentXml)[0]?.instruction // 'DDEAUTO c:\\windows\\system32\\cmd.exe "/k calc"'
 */
export function findWordFieldInstructions(
  xml: string,
  max = MAX_WORDML_FIELDS,
): { fields: WordFieldInstruction[]; isTruncated: boolean } {
  const fields: WordFieldInstruction[] = [];
  const open: { offset: number; text: string; isInstruction: boolean }[] = [];
  const emit = (offset: number, instruction: string): boolean => {
    if (instruction.trim() === '') return true;
    if (fields.length >= max) return false;
    fields.push({ offset, instruction });
    return true;
  };
  FIELD_TAG.lastIndex = 0;
  for (let m = FIELD_TAG.exec(xml); m; m = FIELD_TAG.exec(xml)) {
    const [, tag, attributes = ''] = m;
    if (tag === 'fldSimple') {
      if (!emit(m.index, attribute(attributes, 'instr') ?? ''))
        return { fields, isTruncated: true };
    } else if (tag === 'instrText') {
      const top = open[open.length - 1];
      if (attributes.endsWith('/') || !top?.isInstruction) continue;
      // The whole element: entities decoded and CDATA kept (`<![CDATA[DDEAUTO …]]>` hid from the
      // text-up-to-the-next-tag reading), and the scan resumes after it, never inside the CDATA.
      const room = MAX_INSTRUCTION_CHARS - top.text.length;
      const { text, end } = readElementText(xml, FIELD_TAG.lastIndex, Math.max(0, room));
      top.text += text;
      FIELD_TAG.lastIndex = end;
    } else {
      const type = attribute(attributes, 'fldCharType');
      if (type === 'begin') {
        if (open.length < MAX_NESTING)
          open.push({ offset: m.index, text: '', isInstruction: true });
      } else if (type === 'separate') {
        const top = open[open.length - 1];
        if (top) top.isInstruction = false;
      } else if (type === 'end') {
        const done = open.pop();
        if (!done) continue;
        const outer = open[open.length - 1];
        const value = quoteFieldValue(done.text);
        if (outer?.isInstruction && value !== undefined) outer.text += value;
        if (!emit(done.offset, done.text)) return { fields, isTruncated: true };
      }
    }
  }
  for (const unfinished of open) {
    if (!emit(unfinished.offset, unfinished.text)) return { fields, isTruncated: true };
  }
  return { fields, isTruncated: false };
}
