import {
  Budget,
  MAX_TABLE_COLS,
  MAX_TABLE_ROWS,
  MAX_TEXT_BLOCKS,
  type TextBlock,
  type TextBounds,
  type TextResult,
} from './text-types.js';
import { walkXml } from './text-xml.js';

interface Table {
  rows: string[][];
  row: string[] | undefined;
  cell: string | undefined;
}

/**
 * The body of a WordprocessingML main part (ECMA-376 Part 1 §17.3: `w:p` paragraphs of `w:t` runs,
 * `w:tab`, `w:br`; §17.4 tables `w:tbl`/`w:tr`/`w:tc`). Also DrawingML text (`a:p`/`a:t`) of slides.
 * - Field instructions (`w:instrText`) and deleted text (`w:delText`) are not text a reader sees.
 * - Text boxes (`w:txbxContent`) are paragraphs inside a paragraph: each comes out as its own
 *   paragraph, before the one holding it. Lure documents put "Enable content" there.
 * - `mc:Fallback` repeats the `mc:Choice` content for old readers (Markup Compatibility, Part 3) and
 *   is skipped, so text boxes are not shown twice.
 * - Nested tables are flattened into their cell.
 *
 * @example
 * wordText(documentXml).value // [{ kind: 'paragraph', text: 'Invoice' }, { kind: 'table', rows: [...] }]
 */
export function wordText(xml: string, bounds: TextBounds = {}): TextResult<TextBlock[]> {
  return new WordReader(bounds).read(xml);
}

class WordReader {
  private readonly budget: Budget;
  private readonly maxRows: number;
  private readonly maxCols: number;
  private readonly maxBlocks: number;
  private readonly blocks: TextBlock[] = [];
  private readonly tables: Table[] = [];
  /** Open paragraphs, innermost last (a text box's paragraphs sit inside one). */
  private readonly paragraphs: string[] = [];
  private inText = false;
  private fallback = 0;

  constructor(bounds: TextBounds) {
    this.budget = new Budget(bounds);
    this.maxRows = bounds.maxRows ?? MAX_TABLE_ROWS;
    this.maxCols = bounds.maxCols ?? MAX_TABLE_COLS;
    this.maxBlocks = bounds.maxBlocks ?? MAX_TEXT_BLOCKS;
  }

  read(xml: string): TextResult<TextBlock[]> {
    walkXml(xml, (t) => {
      if (this.budget.isStopped) return false;
      if (t.type === 'open' && t.name === 'Fallback' && !t.isEmpty) this.fallback++;
      else if (t.type === 'close' && t.name === 'Fallback')
        this.fallback = Math.max(0, this.fallback - 1);
      else if (this.fallback > 0) return true;
      else if (t.type === 'text') this.text(t.text);
      else if (t.type === 'open') this.open(t.name, t.isEmpty);
      else this.close(t.name);
      return true;
    });
    // Stopped inside paragraphs by the character bound: keep what they had.
    if (this.tables.length === 0) {
      for (const text of this.paragraphs.reverse())
        if (text !== '') this.emit({ kind: 'paragraph', text });
    }
    return { value: this.blocks, isTruncated: this.budget.isTruncated };
  }

  private text(text: string): void {
    const last = this.paragraphs.length - 1;
    if (this.inText && last >= 0) this.paragraphs[last] += this.budget.take(text);
  }

  private append(text: string): void {
    const last = this.paragraphs.length - 1;
    if (last >= 0) this.paragraphs[last] += text;
  }

  private open(name: string, isEmpty: boolean): void {
    const table = this.tables[this.tables.length - 1];
    if (name === 't') this.inText = !isEmpty;
    else if (name === 'p' && !isEmpty) this.paragraphs.push('');
    else if (name === 'tab' || name === 'ptab') this.append('\t');
    else if (name === 'br' || name === 'cr') this.append('\n');
    else if (name === 'tbl' && !isEmpty)
      this.tables.push({ rows: [], row: undefined, cell: undefined });
    else if (name === 'tr' && table && this.tables.length === 1) table.row = [];
    else if (name === 'tc' && table && this.tables.length === 1) table.cell = '';
  }

  private close(name: string): void {
    const table = this.tables[this.tables.length - 1];
    if (name === 't') this.inText = false;
    else if (name === 'p' && this.paragraphs.length > 0) {
      const text = this.paragraphs.pop()!;
      const outer = this.tables[0];
      if (outer) {
        if (outer.cell !== undefined) outer.cell += outer.cell === '' ? text : `\n${text}`;
      } else this.emit({ kind: 'paragraph', text });
    } else if (name === 'tc' && table && this.tables.length === 1 && table.cell !== undefined) {
      if (table.row && table.row.length < this.maxCols) table.row.push(table.cell);
      else if (table.row) this.budget.isTruncated = true;
      table.cell = undefined;
    } else if (name === 'tr' && table && this.tables.length === 1 && table.row) {
      if (table.rows.length < this.maxRows) table.rows.push(table.row);
      else this.budget.isTruncated = true;
      table.row = undefined;
    } else if (name === 'tbl' && table) {
      this.tables.pop();
      if (this.tables.length === 0) this.emit({ kind: 'table', rows: table.rows });
    }
  }

  private emit(block: TextBlock): void {
    if (this.blocks.length >= this.maxBlocks) {
      this.budget.isTruncated = true;
      this.budget.isStopped = true;
    } else this.blocks.push(block);
  }
}

/** The text of a PresentationML slide (§19.3: shapes of DrawingML `a:p` paragraphs with `a:t` runs). */
export function slideText(xml: string, bounds: TextBounds = {}): TextResult<string[]> {
  const blocks = wordText(xml, bounds);
  return {
    value: blocks.value.flatMap((b) =>
      b.kind === 'paragraph' ? [b.text] : b.rows.map((r) => r.join('\t')),
    ),
    isTruncated: blocks.isTruncated,
  };
}
