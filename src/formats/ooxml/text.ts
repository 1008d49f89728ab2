import { walkXml, xmlAttr } from './text-xml.js';
import {
  Budget,
  MAX_TABLE_COLS,
  MAX_TABLE_ROWS,
  MAX_TEXT_BLOCKS,
  type TextBounds,
  type TextResult,
} from './text-types.js';

/**
 * The shared string table of a workbook (ECMA-376 Part 1 §18.4: `si` items of `t` text and rich `r`
 * runs). Phonetic runs (`rPh`, the furigana of Japanese cells) are not part of the cell text.
 */
export function sharedStrings(xml: string, bounds: TextBounds = {}): TextResult<string[]> {
  const budget = new Budget(bounds);
  const maxStrings = bounds.maxBlocks ?? MAX_TEXT_BLOCKS * 10;
  const out: string[] = [];
  let current: string | undefined;
  let inText = false;
  let phonetic = 0;
  walkXml(xml, (t) => {
    if (budget.isStopped) return false;
    if (t.type === 'text') {
      if (inText && phonetic === 0 && current !== undefined) current += budget.take(t.text);
    } else if (t.type === 'open') {
      if (t.name === 'si') current = '';
      else if (t.name === 'rPh' && !t.isEmpty) phonetic++;
      else if (t.name === 't') inText = !t.isEmpty;
      if (t.isEmpty && t.name === 'si') out.push('');
    } else if (t.name === 't') inText = false;
    else if (t.name === 'rPh') phonetic = Math.max(0, phonetic - 1);
    else if (t.name === 'si' && current !== undefined) {
      if (out.length >= maxStrings) {
        budget.isTruncated = true;
        return false;
      }
      out.push(current);
      current = undefined;
    }
    return true;
  });
  return { value: out, isTruncated: budget.isTruncated };
}

/**
 * The cells of one worksheet part (§18.3: `row`/`c` with `r="B2"`, type `t` = `s` shared string,
 * `inlineStr`, `str`, `b`, `e`, number) as a dense grid of at most `maxRows` × `maxCols`, values as
 * Excel stores them (cached formula results; formulas themselves are not shown).
 */
export function sheetRows(
  xml: string,
  strings: readonly string[],
  bounds: TextBounds = {},
): TextResult<string[][]> {
  const budget = new Budget(bounds);
  const maxRows = bounds.maxRows ?? MAX_TABLE_ROWS;
  const maxCols = bounds.maxCols ?? MAX_TABLE_COLS;
  const grid: string[][] = [];
  let rowIndex = -1;
  let col = -1;
  let type = '';
  let value: string | undefined;
  let inValue = false;
  walkXml(xml, (t) => {
    if (budget.isStopped) return false;
    if (t.type === 'text') {
      if (inValue) value = (value ?? '') + budget.take(t.text);
    } else if (t.type === 'open') {
      if (t.name === 'row') {
        const r = Number(xmlAttr(t.attrs, 'r'));
        rowIndex = Number.isInteger(r) && r > 0 ? r - 1 : rowIndex + 1;
        col = -1;
      } else if (t.name === 'c') {
        const ref = /^([A-Z]{1,3})/.exec(xmlAttr(t.attrs, 'r') ?? '');
        col = ref ? columnIndex(ref[1]!) : col + 1;
        type = xmlAttr(t.attrs, 't') ?? '';
        value = undefined;
      } else if (t.name === 'v' || t.name === 't') inValue = !t.isEmpty;
    } else if (t.name === 'v' || t.name === 't') inValue = false;
    else if (t.name === 'c' && value !== undefined) {
      if (rowIndex >= maxRows || col >= maxCols) budget.isTruncated = true;
      else if (rowIndex >= 0 && col >= 0) {
        while (grid.length <= rowIndex) grid.push([]);
        const row = grid[rowIndex]!;
        while (row.length < col) row.push('');
        row[col] = cellText(type, value, strings);
      }
      value = undefined;
    }
    return true;
  });
  return { value: grid, isTruncated: budget.isTruncated };
}

function cellText(type: string, value: string, strings: readonly string[]): string {
  if (type === 's') return strings[Number(value)] ?? '';
  if (type === 'b') return value === '1' ? 'TRUE' : 'FALSE';
  return value;
}

/** `A` → 0, `Z` → 25, `AA` → 26 (§18.3.1.4 cell references). */
function columnIndex(letters: string): number {
  let n = 0;
  for (const c of letters) n = n * 26 + (c.charCodeAt(0) - 64);
  return n - 1;
}

/** The sheets of `xl/workbook.xml` in tab order (§18.2.19 `sheet name r:id state`). */
export function workbookSheets(
  xml: string,
  max = 1000,
): { name: string; relId: string; state: string }[] {
  const out: { name: string; relId: string; state: string }[] = [];
  walkXml(xml, (t) => {
    if (t.type === 'open' && t.name === 'sheet') {
      out.push({
        name: xmlAttr(t.attrs, 'name') ?? '',
        relId: xmlAttr(t.attrs, 'id') ?? '',
        state: xmlAttr(t.attrs, 'state') ?? 'visible',
      });
    }
    return out.length < max;
  });
  return out;
}
