/** A bounds-checked little-endian reader: every read past the end returns undefined instead of throwing. */
export class Cursor {
  private readonly view: DataView;
  at: number;

  constructor(
    readonly bytes: Uint8Array,
    at = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.at = at;
  }

  get left(): number {
    return this.bytes.length - this.at;
  }

  u16(): number | undefined {
    if (this.at + 2 > this.bytes.length) return undefined;
    const v = this.view.getUint16(this.at, true);
    this.at += 2;
    return v;
  }

  u32(): number | undefined {
    if (this.at + 4 > this.bytes.length) return undefined;
    const v = this.view.getUint32(this.at, true);
    this.at += 4;
    return v;
  }

  take(length: number): Uint8Array | undefined {
    if (length < 0 || this.at + length > this.bytes.length) return undefined;
    const out = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }

  /** A NUL-terminated 8-bit string of at most `max` bytes; undefined without a NUL in reach. */
  cString(max: number): string | undefined {
    const end = this.bytes.indexOf(0, this.at);
    if (end < 0 || end - this.at > max) return undefined;
    const text = ansi(this.bytes.subarray(this.at, end));
    this.at = end + 1;
    return text;
  }
}

// One decoder each (decode without `stream` keeps no state): constructing one costs more than a name.
const WINDOWS_1252 = new TextDecoder('windows-1252');
const UTF16LE = new TextDecoder('utf-16le');

/** 8-bit text as Windows-1252, the ANSI code page OLE1 names and paths are written in. */
export function ansi(bytes: Uint8Array): string {
  return WINDOWS_1252.decode(bytes);
}

export function utf16le(bytes: Uint8Array): string {
  return UTF16LE.decode(bytes.subarray(0, bytes.length & ~1));
}
