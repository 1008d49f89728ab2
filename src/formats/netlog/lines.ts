/**
 * Bytes → lines, incrementally, with a bound on line length. Logs and feeds are read in chunks (a 20 GB
 * conn.log never sits in memory) and a hostile file can be one 2 GB line: such a line is counted, reported
 * with its number and skipped, and memory stays at `maxLineChars` plus one chunk.
 */

/** Default bound on one line: Suricata eve lines with HTTP bodies reach a few hundred KiB; 4 MiB is ample. */
export const MAX_LINE_CHARS = 4 * 1024 * 1024;

export interface LineHandlers {
  /** One line without its `\n` / `\r\n`, 1-based `line`. */
  line(text: string, line: number): void;
  /** A line longer than the bound: skipped; `chars` counts what was seen of it. */
  overlong?(line: number, chars: number): void;
}

const EMPTY = new Uint8Array(0);

/** Bytes of `bytes` up to the last complete UTF-8 sequence (RFC 3629 §3 lead/continuation bytes). */
function completeLength(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

/**
 * Incremental UTF-8 line splitter (`push(chunk)` … `end()`, as postal-mime's decoders). Invalid UTF-8
 * becomes U+FFFD rather than an error: logs carry raw bytes from the wire.
 */
export class LineSplitter {
  readonly #decoder = new TextDecoder('utf-8');
  readonly #max: number;
  readonly #handlers: LineHandlers;
  #carry = '';
  #line = 1;
  /** Characters seen of the current overlong line; -1 when not skipping. */
  #skipped = -1;
  #isFirst = true;
  #pending: Uint8Array = EMPTY;

  constructor(handlers: LineHandlers, options: { maxLineChars?: number } = {}) {
    this.#handlers = handlers;
    this.#max = options.maxLineChars ?? MAX_LINE_CHARS;
  }

  /** Lines completed so far (the number the next line will get, minus one). */
  get lines(): number {
    return this.#line - 1;
  }

  push(chunk: Uint8Array): void {
    // TextDecoder's streaming mode is several times slower than one-shot decoding in Node 20, so a
    // UTF-8 sequence cut at the chunk end is held back (≤ 3 bytes) and decoded with the next chunk.
    let bytes = chunk;
    if (this.#pending.length > 0) {
      bytes = new Uint8Array(this.#pending.length + chunk.length);
      bytes.set(this.#pending);
      bytes.set(chunk, this.#pending.length);
    }
    const cut = completeLength(bytes);
    this.#pending = cut === bytes.length ? EMPTY : bytes.slice(cut);
    let text = this.#decoder.decode(cut === bytes.length ? bytes : bytes.subarray(0, cut));
    if (this.#isFirst && text.length > 0) {
      this.#isFirst = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.#feed(text);
  }

  end(): void {
    this.#feed(this.#decoder.decode(this.#pending));
    this.#pending = EMPTY;
    if (this.#skipped >= 0) {
      this.#handlers.overlong?.(this.#line, this.#skipped);
      this.#skipped = -1;
      this.#line++;
    } else if (this.#carry.length > 0) {
      this.#emit(this.#carry);
    }
    this.#carry = '';
  }

  #feed(text: string): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      if (this.#skipped >= 0) {
        this.#handlers.overlong?.(this.#line, this.#skipped + (nl - start));
        this.#skipped = -1;
        this.#line++;
      } else {
        const piece = text.slice(start, nl);
        const full = this.#carry.length > 0 ? this.#carry + piece : piece;
        this.#carry = '';
        if (full.length > this.#max) {
          this.#handlers.overlong?.(this.#line, full.length);
          this.#line++;
        } else {
          this.#emit(full);
        }
      }
      start = nl + 1;
    }
    if (start >= text.length) return;
    const rest = start === 0 ? text : text.slice(start);
    // SECURITY: the carry never grows past maxLineChars; past it the line is only counted.
    if (this.#skipped >= 0) {
      this.#skipped += rest.length;
    } else if (this.#carry.length + rest.length > this.#max) {
      this.#skipped = this.#carry.length + rest.length;
      this.#carry = '';
    } else {
      this.#carry += rest;
    }
  }

  #emit(text: string): void {
    const n = this.#line++;
    this.#handlers.line(text.endsWith('\r') ? text.slice(0, -1) : text, n);
  }
}
