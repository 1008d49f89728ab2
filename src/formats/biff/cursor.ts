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
  private readonly view: DataView;
  pos: number;

  constructor(
    readonly data: Uint8Array,
    pos = 0,
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
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
    return this.view.getUint8(this.need(1, what));
  }

  u16(what = 'u16'): number {
    return this.view.getUint16(this.need(2, what), true);
  }

  i16(what = 'i16'): number {
    return this.view.getInt16(this.need(2, what), true);
  }

  u32(what = 'u32'): number {
    return this.view.getUint32(this.need(4, what), true);
  }

  i32(what = 'i32'): number {
    return this.view.getInt32(this.need(4, what), true);
  }

  f64(what = 'f64'): number {
    return this.view.getFloat64(this.need(8, what), true);
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
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 8192)));
  }
  return out;
}

const UTF16 = new TextDecoder('utf-16le');

export function decodeUtf16(bytes: Uint8Array): string {
  return UTF16.decode(bytes.subarray(0, bytes.length - (bytes.length % 2)));
}
