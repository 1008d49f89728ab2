import type { Anomaly } from '../../core/index.js';
import type { CellValue, SheetState } from '../biff/index.js';
import type { MacroSheetCell, WorkbookInfo } from './types.js';

/**
 * The XML parts of an .xlsm that Excel 4.0 macros live in (ECMA-376 Part 1 §18.3, [MS-XLSX],
 * [MS-OFFMACRO2] 2.2.x for `xm:macrosheet`): cells of a macro sheet with their `<f>` formulas
 * (shared formulas expanded per cell), xl/workbook.xml sheets with their `state` and defined names
 * (`_xlnm.Auto_Open`), and the shared string table. A bounded tag scanner, not an XML parser: no
 * DTDs, no entity expansion beyond the predefined ones and character references.
 */

const TAG =
  /<(\/?)(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)((?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
const ATTR = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

// Made once: a decoder without `stream` keeps no state between calls.
const UTF16LE = new TextDecoder('utf-16le');
const UTF16BE = new TextDecoder('utf-16be');
const UTF8 = new TextDecoder('utf-8');

/** XML bytes → text, by byte order mark (XML 1.0 Appendix F). */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return UTF16LE.decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return UTF16BE.decode(bytes.subarray(2));
  return UTF8.decode(bytes);
}

/**
 * The tags of `xml` in order: TAG's matches, read with `exec` on a copy of the pattern (no
 * iterator or destructuring per tag, which cost more than the match in these hot loops).
 */
function tags(xml: string): { next(): RegExpExecArray | null } {
  const re = new RegExp(TAG.source, 'g');
  return { next: () => re.exec(xml) };
}

const ENTITIES: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9A-Fa-f]{1,6}|#\d{1,7}|[a-z]{2,4});/g, (whole, ref: string) => {
    if (!ref.startsWith('#')) return ENTITIES[ref] ?? whole;
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
      ? String.fromCodePoint(code)
      : whole;
  });
}

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (text === '') return out;
  ATTR.lastIndex = 0;
  for (let m = ATTR.exec(text); m; m = ATTR.exec(text)) {
    const raw = m[1]!;
    const key = raw.endsWith(':id') ? raw.replace(/^[\w.-]+:(?=id$)/, 'r:') : raw;
    out[key] ??= decodeEntities(m[2] ?? m[3] ?? '');
  }
  return out;
}

/** `B7` → 0-based row 6, column 1. */
export function parseA1(ref: string): { row: number; col: number } | undefined {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(ref);
  if (!m) return undefined;
  let col = 0;
  for (const ch of m[1]!.toUpperCase()) col = col * 26 + ch.charCodeAt(0) - 64;
  return { row: Number(m[2]) - 1, col: col - 1 };
}

/** Shifts the relative A1 references of formula text, for cells that share a formula (§18.3.1.40). */
export function shiftFormula(text: string, rows: number, cols: number): string {
  return text
    .split(/("(?:[^"]|"")*")/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(
            /(^|[^A-Za-z0-9_.$])(\$?)([A-Z]{1,3})(\$?)(\d{1,7})(?![A-Za-z0-9_.(])/g,
            (_, pre: string, colAbs: string, letters: string, rowAbs: string, digits: string) => {
              const cell = parseA1(`${letters}${digits}`)!;
              const col = colAbs ? cell.col : cell.col + cols;
              const row = rowAbs ? cell.row : cell.row + rows;
              if (row < 0 || col < 0) return `${pre}#REF!`;
              return `${pre}${colAbs}${columnLetters(col)}${rowAbs}${row + 1}`;
            },
          ),
    )
    .join('');
}

function columnLetters(col: number): string {
  let name = '';
  for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** Cells of a macro sheet (or worksheet) part. */
export function parseSheetXml(
  xml: string,
  location: string,
  options: { maxCells: number; sharedStrings: readonly string[] },
  anomalies: Anomaly[],
): MacroSheetCell[] {
  const cells: MacroSheetCell[] = [];
  const shared = new Map<string, { row: number; col: number; text: string }>();
  let row = -1;
  let col = -1;
  let cell: (MacroSheetCell & { type?: string }) | undefined;
  let fAttrs: Record<string, string> | undefined;
  let textStart = -1;
  let isInline = false;
  const tagsOf = tags(xml);
  for (let m = tagsOf.next(); m; m = tagsOf.next()) {
    const slash = m[1];
    const name = m[2];
    const attrText = m[3] ?? '';
    const selfClose = m[4];
    const at = m.index;
    if (!slash && name === 'row') {
      const r = Number(attributes(attrText).r);
      row = Number.isInteger(r) && r > 0 ? r - 1 : row + 1;
      col = -1;
    } else if (!slash && name === 'c') {
      const attrs = attributes(attrText);
      const pos = attrs.r ? parseA1(attrs.r) : { row: Math.max(row, 0), col: col + 1 };
      if (!pos) continue;
      [row, col] = [pos.row, pos.col];
      if (cells.length >= options.maxCells) {
        anomalies.push({
          code: 'E_XLSX_CELL_LIMIT',
          message: `more than ${options.maxCells} cells`,
          location,
        });
        break;
      }
      cell = { row, col, ...(attrs.t ? { type: attrs.t } : {}) };
      if (selfClose) cell = void cells.push(strip(cell));
    } else if (cell && name === 'f') {
      if (!slash) {
        fAttrs = attributes(attrText);
        textStart = m.index + m[0].length;
        if (selfClose) setFormula(cell, fAttrs, '', shared);
      } else if (fAttrs) {
        setFormula(cell, fAttrs, decodeEntities(xml.slice(textStart, at)), shared);
        fAttrs = undefined;
      }
    } else if (cell && (name === 'v' || name === 't')) {
      if (!slash && !selfClose) textStart = m.index + m[0].length;
      else if (slash)
        setValue(cell, decodeEntities(xml.slice(textStart, at)), options.sharedStrings, isInline);
    } else if (cell && name === 'is') {
      isInline = !slash;
    } else if (cell && slash && name === 'c') {
      cells.push(strip(cell));
      cell = undefined;
    }
  }
  return cells;
}

function strip(cell: MacroSheetCell & { type?: string }): MacroSheetCell {
  const { type: _type, ...rest } = cell;
  return rest;
}

function setFormula(
  cell: MacroSheetCell,
  attrs: Record<string, string>,
  text: string,
  shared: Map<string, { row: number; col: number; text: string }>,
): void {
  if (attrs.t === 'shared' && attrs.si !== undefined) {
    if (text !== '') shared.set(attrs.si, { row: cell.row, col: cell.col, text });
    const master = shared.get(attrs.si);
    if (!master) {
      cell.formulaError = `shared formula ${attrs.si} has no master cell`;
      return;
    }
    cell.formula =
      text !== '' ? text : shiftFormula(master.text, cell.row - master.row, cell.col - master.col);
    return;
  }
  cell.formula = text;
}

function setValue(
  cell: MacroSheetCell & { type?: string },
  text: string,
  sharedStrings: readonly string[],
  isInline: boolean,
): void {
  let value: CellValue;
  switch (isInline ? 'inlineStr' : cell.type) {
    case 's':
      value = sharedStrings[Number(text)] ?? '';
      break;
    case 'b':
      value = text === '1' || /^true$/i.test(text);
      break;
    case 'e':
      value = { error: text };
      break;
    case 'str':
    case 'inlineStr':
      value = text;
      break;
    default: {
      const n = Number(text);
      value = text.trim() !== '' && Number.isFinite(n) ? n : text;
    }
  }
  cell.value = value;
}

/** xl/workbook.xml: `<sheet name state r:id>` and `<definedName name hidden>formula</definedName>`. */
export function parseWorkbookXml(xml: string, maxItems: number): WorkbookInfo {
  const info: WorkbookInfo = { sheets: [], names: [], externSheets: [], anomalies: [] };
  let name: Record<string, string> | undefined;
  let textStart = 0;
  const tagsOf = tags(xml);
  for (let m = tagsOf.next(); m; m = tagsOf.next()) {
    const slash = m[1];
    const tag = m[2];
    const attrText = m[3] ?? '';
    if (!slash && tag === 'sheet' && info.sheets.length < maxItems) {
      const a = attributes(attrText);
      const state: SheetState =
        a.state === 'veryHidden' ? 'very-hidden' : a.state === 'hidden' ? 'hidden' : 'visible';
      info.sheets.push({ name: a.name ?? '', state, relId: a['r:id'] ?? '' });
    } else if (tag === 'definedName' && info.names.length < maxItems) {
      if (!slash) {
        name = attributes(attrText);
        textStart = m.index + m[0].length;
      } else if (name) {
        info.names.push({
          name: name.name ?? '',
          formula: decodeEntities(xml.slice(textStart, m.index)).replace(/^=/, ''),
          isHidden: name.hidden === '1' || name.hidden === 'true',
          isBuiltin: /^_xlnm\./i.test(name.name ?? ''),
        });
        name = undefined;
      }
    }
  }
  return info;
}

/** xl/sharedStrings.xml: the text of each `<si>`, runs joined. */
export function parseSharedStringsXml(xml: string, maxItems: number): string[] {
  const strings: string[] = [];
  let current: string | undefined;
  let textStart = -1;
  const tagsOf = tags(xml);
  for (let m = tagsOf.next(); m; m = tagsOf.next()) {
    const slash = m[1];
    const tag = m[2];
    const selfClose = m[4];
    if (tag === 'si') {
      if (!slash) current = selfClose ? void strings.push('') : '';
      else if (current !== undefined) {
        if (strings.length >= maxItems) break;
        strings.push(current);
        current = undefined;
      }
    } else if (tag === 't' && current !== undefined) {
      if (!slash && !selfClose) textStart = m.index + m[0].length;
      else if (slash && textStart >= 0) current += decodeEntities(xml.slice(textStart, m.index));
    }
  }
  return strings;
}
