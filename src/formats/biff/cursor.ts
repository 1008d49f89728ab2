/**
 * Bounds-checked little-endian reads over one record's bytes. A read past the end throws `Truncated`,
 * which the record loop turns into an anomaly for that record alone: a short record never takes the
 * rest of the stream down with it.
 */
export class Truncated extends Error {
  constructor(what: string) {
    super(`record truncated while reading ${what}`);
  }
}

export class Cursor {
  /** For f64 only: integers come from the bytes (a DataView per cursor costs more than a read). */
  private view: DataView | undefined;
  pos: number;

  constructor(
    readonly data: Uint8Array,
    pos = 0,
  ) {
    this.pos = pos;
  }

  get left(): number {
    return this.data.length - this.pos;
  }

  private need(n: number, what: string): number {
    if (n < 0 || this.pos + n > this.data.length) throw new Truncated(what);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(what = 'u8'): number {
    return this.data[this.need(1, what)]!;
  }

  u16(what = 'u16'): number {
    const at = this.need(2, what);
    return this.data[at]! | (this.data[at + 1]! << 8);
  }

  i16(what = 'i16'): number {
    return (this.u16(what) << 16) >> 16;
  }

  u32(what = 'u32'): number {
    return this.i32(what) >>> 0;
  }

  i32(what = 'i32'): number {
    const at = this.need(4, what);
    const d = this.data;
    return d[at]! | (d[at + 1]! << 8) | (d[at + 2]! << 16) | (d[at + 3]! << 24);
  }

  f64(what = 'f64'): number {
    const at = this.need(8, what);
    this.view ??= new DataView(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    return this.view.getFloat64(at, true);
  }

  bytes(n: number, what = 'bytes'): Uint8Array {
    const at = this.need(n, what);
    return this.data.subarray(at, at + n);
  }

  skip(n: number, what = 'skip'): void {
    this.need(n, what);
  }
}

/** Latin-1 (each byte one UTF-16 code unit), as BIFF8 stores "compressed" strings (2.5.293). */
export function decodeLatin1(bytes: Uint8Array): string {
  // `apply` takes the typed array as it is; a spread walks it through the iterator protocol, which
  // costs 4–5 times more on the short strings of formulas and names.
  const chars = bytes as unknown as number[];
  if (bytes.length <= 8192) return String.fromCharCode.apply(null, chars);
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const part = bytes.subarray(i, Math.min(bytes.length, i + 8192)) as unknown as number[];
    out += String.fromCharCode.apply(null, part);
  }
  return out;
}

const UTF16 = new TextDecoder('utf-16le');

export function decodeUtf16(bytes: Uint8Array): string {
  return UTF16.decode(bytes.subarray(0, bytes.length - (bytes.length % 2)));
}
