import { decodeXmlEntities } from './xml-scan.js';
import {
  applyXmlEdits,
  attributesOf,
  walkXmlElements,
  type XmlEdit,
  type XmlElement,
  type XmlWalkLimits,
} from './xml-walk.js';

/**
 * Removing fields and formulas from WordprocessingML and SpreadsheetML parts while keeping what the
 * reader sees: a Word field (ECMA-376 Part 1 §17.16.18 complex, §17.16.19 simple) loses its field
 * characters and instruction and keeps its displayed result runs; a cell formula (§18.3.1.40) is
 * dropped and the cell keeps its cached value. Which instructions and formulas go is the caller's
 * decision (DDE, remote INCLUDE …).
 */

export type FieldEditResult =
  | { ok: true; xml: string; removed: { instruction: string; offset: number }[] }
  | { ok: false; reason: string };

interface OpenField {
  begin: XmlElement;
  parts: XmlElement[];
  text: string;
  isInstruction: boolean;
}

const INSTRUCTION_TEXT = new Set(['instrText']);
// Text of nested fields' results inside an instruction is part of the instruction, not the display.
const INSTRUCTION_MEMBERS = new Set([
  'fldChar',
  'instrText',
  't',
  'delText',
  'delInstrText',
  'tab',
]);
const MAX_NESTING = 64;

function fieldCharType(el: XmlElement): string {
  return attributesOf(el).get(`${el.prefix ? `${el.prefix}:` : ''}fldCharType`) ?? '';
}

/** Quote-field value, so that `QUOTE 68 68 69` inside an outer instruction reads `DDE`. */
export type QuoteValue = (instruction: string) => string | undefined;

/**
 * Removes the fields whose instruction `isRemoved` selects, keeping their results.
 *
 * @example
 * removeWordFields(xml, (i) => /^\s*DDE/i.test(i), () => undefined, limits)
 */
export function removeWordFields(
  xml: string,
  isRemoved: (instruction: string) => boolean,
  quoteValue: QuoteValue,
  limits: XmlWalkLimits,
): FieldEditResult {
  const open: OpenField[] = [];
  const cut = new Set<XmlElement>();
  const unwrap: XmlElement[] = [];
  const removed: { instruction: string; offset: number }[] = [];
  const done = (field: OpenField, end?: XmlElement) => {
    if (!isRemoved(field.text)) return;
    removed.push({ instruction: field.text.trim(), offset: field.begin.start });
    for (const el of [field.begin, ...field.parts, ...(end ? [end] : [])]) cut.add(el);
  };
  const walked = walkXmlElements(
    xml,
    {
      open(el) {
        if (el.local === 'fldSimple') {
          const instruction = decodeXmlEntities(
            attributesOf(el).get(`${el.prefix ? `${el.prefix}:` : ''}instr`) ?? '',
          );
          if (isRemoved(instruction)) {
            removed.push({ instruction: instruction.trim(), offset: el.start });
            unwrap.push(el);
          }
          return;
        }
        if (INSTRUCTION_MEMBERS.has(el.local)) {
          for (const field of open) if (field.isInstruction) field.parts.push(el);
        }
        if (el.local !== 'fldChar') return;
        const type = fieldCharType(el);
        if (type === 'begin') {
          if (open.length < MAX_NESTING)
            open.push({ begin: el, parts: [], text: '', isInstruction: true });
        } else if (type === 'separate') {
          const top = open[open.length - 1];
          if (top) {
            top.parts.push(el);
            top.isInstruction = false;
          }
        }
      },
      close(el) {
        if (INSTRUCTION_TEXT.has(el.local) && !el.isSelfClosing) {
          const top = open[open.length - 1];
          if (top?.isInstruction) {
            const closeTag = el.end - `</${el.qname}>`.length;
            top.text += decodeXmlEntities(xml.slice(el.openEnd, Math.max(el.openEnd, closeTag)));
          }
        }
        if (el.local !== 'fldChar' || fieldCharType(el) !== 'end') return;
        const field = open.pop();
        if (!field) return;
        const outer = open[open.length - 1];
        const value = quoteValue(field.text);
        if (outer?.isInstruction && value !== undefined) outer.text += value;
        done(field, el);
      },
    },
    limits,
  );
  if (!walked.ok) return walked;
  for (const field of open) done(field);
  const edits: XmlEdit[] = [...cut].map((el) => ({
    start: el.start,
    end: el.end,
    replacement: '',
  }));
  for (const el of unwrap) {
    if (el.isSelfClosing) edits.push({ start: el.start, end: el.end, replacement: '' });
    else {
      edits.push({ start: el.start, end: el.openEnd, replacement: '' });
      edits.push({ start: el.end - `</${el.qname}>`.length, end: el.end, replacement: '' });
    }
  }
  return { ok: true, xml: edits.length === 0 ? xml : applyXmlEdits(xml, edits), removed };
}

/**
 * Removes cell formulas (`<f>` of a `<c>`) that `isRemoved` selects; the cell keeps its cached `<v>`.
 * A removed shared-formula master takes the cells sharing it (same `si`) along, which would
 * otherwise refer to a formula that no longer exists.
 */
export function removeCellFormulas(
  xml: string,
  isRemoved: (formula: string) => boolean,
  limits: XmlWalkLimits,
): FieldEditResult {
  const formulas: { el: XmlElement; text: string; sharedIndex?: string }[] = [];
  const walked = walkXmlElements(
    xml,
    {
      close(el, ancestors) {
        if (el.local !== 'f' || ancestors[ancestors.length - 1]?.local !== 'c') return;
        const text = el.isSelfClosing
          ? ''
          : decodeXmlEntities(xml.slice(el.openEnd, el.end - `</${el.qname}>`.length));
        const attributes = attributesOf(el);
        const sharedIndex = attributes.get('t') === 'shared' ? attributes.get('si') : undefined;
        formulas.push({ el, text, ...(sharedIndex === undefined ? {} : { sharedIndex }) });
      },
    },
    limits,
  );
  if (!walked.ok) return walked;
  const removed = formulas.filter((f) => f.text !== '' && isRemoved(f.text));
  const shared = new Set(
    removed.flatMap((f) => (f.sharedIndex === undefined ? [] : [f.sharedIndex])),
  );
  const cut = formulas.filter(
    (f) => removed.includes(f) || (f.sharedIndex !== undefined && shared.has(f.sharedIndex)),
  );
  const edits = cut.map((f) => ({ start: f.el.start, end: f.el.end, replacement: '' }));
  return {
    ok: true,
    xml: edits.length === 0 ? xml : applyXmlEdits(xml, edits),
    removed: removed.map((f) => ({ instruction: f.text, offset: f.el.start })),
  };
}
