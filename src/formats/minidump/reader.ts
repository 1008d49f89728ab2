import type { Anomaly } from '../../core/index.js';

/**
 * Bounds-checked little-endian reads over the dump. Every read past the end returns undefined instead of
 * throwing, so that each caller decides which anomaly a short structure is.
 */
export class DumpReader {
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  has(offset: number, size: number): boolean {
    return offset >= 0 && size >= 0 && offset + size <= this.bytes.length;
  }

  u16(offset: number): number {
    return this.view.getUint16(offset, true);
  }

  u32(offset: number): number {
    return this.view.getUint32(offset, true);
  }

  u64(offset: number): bigint {
    return this.view.getBigUint64(offset, true);
  }

  /** MINIDUMP_STRING at `rva`: u32 byte length then UTF-16LE; undefined when it does not fit the file. */
  string(rva: number, maxChars: number): string | undefined {
    if (!this.has(rva, 4)) return undefined;
    const declared = this.u32(rva);
    const bytes = Math.min(declared, maxChars * 2, this.bytes.length - rva - 4) & ~1;
    return new TextDecoder('utf-16le').decode(this.bytes.subarray(rva + 4, rva + 4 + bytes));
  }
}

/** A u64 from the file as a JS number, clamped to MAX_SAFE_INTEGER (anything that big is past EOF anyway). */
export function toSafeNumber(value: bigint): number {
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

export function anomaly(
  code: `E_${string}`,
  message: string,
  offset?: number,
  location?: string,
): Anomaly {
  return {
    code,
    message,
    ...(offset === undefined ? {} : { offset }),
    ...(location === undefined ? {} : { location }),
  };
}
