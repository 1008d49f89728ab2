/** A paragraph, or a table of cell texts. */
export type TextBlock = { kind: 'paragraph'; text: string } | { kind: 'table'; rows: string[][] };

export interface TextBounds {
  /** Blocks (paragraphs and tables) returned at most. */
  maxBlocks?: number;
  /** Characters of text returned at most, all blocks together. */
  maxChars?: number;
  /** Rows and columns of one table or sheet. */
  maxRows?: number;
  maxCols?: number;
}

export interface TextResult<T> {
  value: T;
  /** A bound was reached; the value holds what came before it. */
  isTruncated: boolean;
}

export const MAX_TEXT_BLOCKS = 20_000;
export const MAX_TEXT_CHARS = 2 * 1024 * 1024;
/** A sheet shown as a table: Excel's 1,048,576 × 16,384 grid would be a page no browser opens. */
export const MAX_TABLE_ROWS = 1000;
export const MAX_TABLE_COLS = 50;

/** Characters and blocks left; `isStopped` once either is spent, `isTruncated` once anything was cut. */
export class Budget {
  isStopped = false;
  isTruncated = false;
  chars: number;
  blocks: number;
  constructor(bounds: TextBounds) {
    this.chars = bounds.maxChars ?? MAX_TEXT_CHARS;
    this.blocks = bounds.maxBlocks ?? MAX_TEXT_BLOCKS;
  }
  take(text: string): string {
    if (text.length <= this.chars) {
      this.chars -= text.length;
      return text;
    }
    this.isTruncated = true;
    this.isStopped = true;
    const kept = text.slice(0, this.chars);
    this.chars = 0;
    return kept;
  }
}
