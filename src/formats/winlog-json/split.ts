/**
 * Splits a stream of text into top-level JSON objects, whatever separates them: JSON Lines, one JSON
 * array of objects, pretty-printed objects one after another, or `evtx_dump -o json` output with its
 * "Record N" lines between objects. Text outside objects is ignored. Chunks can end anywhere.
 */

export interface SplitPiece {
  /** The object's text, or undefined when it was longer than the limit (skipped). */
  text: string | undefined;
  /** 1-based line where the object starts. */
  line: number;
  length: number;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

export class JsonObjectSplitter {
  private depth = 0;
  /** 1 inside a top-level array: its elements are the objects. */
  private base = 0;
  private isInString = false;
  private isEscaped = false;
  private parts: string[] = [];
  private length = 0;
  private isSkipping = false;
  private startLine = 0;
  private line = 1;

  constructor(private readonly maxLength: number) {}

  push(chunk: string, out: SplitPiece[]): void {
    let start = this.depth > this.base ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === NEWLINE) this.line++;
      if (this.isInString) {
        if (this.isEscaped) this.isEscaped = false;
        else if (c === BACKSLASH) this.isEscaped = true;
        else if (c === QUOTE) this.isInString = false;
        continue;
      }
      if (this.depth > this.base) {
        if (c === QUOTE) this.isInString = true;
        else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
        else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
          this.depth--;
          if (this.depth === this.base) {
            this.take(chunk, start, i + 1);
            this.emit(out);
            start = -1;
          }
        }
        continue;
      }
      // Between objects.
      if (c === OPEN_BRACE) {
        this.depth++;
        start = i;
        this.startLine = this.line;
      } else if (c === OPEN_BRACKET && this.depth === 0) {
        this.depth = this.base = 1;
      } else if (c === CLOSE_BRACKET && this.base === 1 && this.depth === 1) {
        this.depth = this.base = 0;
      }
    }
    if (start >= 0 && this.depth > this.base) this.take(chunk, start, chunk.length);
  }

  /** An object cut by the end of the input is dropped; returns its start line when there was one. */
  finish(): number | undefined {
    const open = this.depth > this.base ? this.startLine : undefined;
    this.reset();
    this.depth = this.base = 0;
    this.isInString = this.isEscaped = false;
    return open;
  }

  private take(chunk: string, from: number, to: number): void {
    this.length += to - from;
    // SECURITY: an object without end (or a huge one) must not grow memory without bound.
    if (this.length > this.maxLength) {
      this.isSkipping = true;
      this.parts = [];
    }
    if (!this.isSkipping) this.parts.push(chunk.slice(from, to));
  }

  private emit(out: SplitPiece[]): void {
    out.push({
      text: this.isSkipping ? undefined : this.parts.join(''),
      line: this.startLine,
      length: this.length,
    });
    this.reset();
  }

  private reset(): void {
    this.parts = [];
    this.length = 0;
    this.isSkipping = false;
  }
}
