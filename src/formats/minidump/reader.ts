import { FormatError, type Anomaly } from '../../core/index.js';

/**
 * Random access to bytes that need not be in memory: a multi-GiB dump is read through this from a file
 * (the apps layer implements it over `readSync`), so parsing its tables never loads the memory ranges.
 * `read` returns `[offset, offset + length)` cut to `length` of the source; fewer bytes than that
 * means the source changed under the reader (a file that shrank) and the caller throws.
 */
export interface ByteSource {
  readonly length: number;
  read(offset: number, length: number): Uint8Array;
}

/** Bytes fetched from a ByteSource at a time, and pages kept: the metadata of a dump, not its memory. */
const PAGE_SIZE = 64 * 1024;
const MAX_CACHED_PAGES = 64;

/**
 * Bounds-checked little-endian reads over the dump. Every read past the end returns undefined instead of
 * throwing, so that each caller decides which anomaly a short structure is.
 */
export class DumpReader {
  readonly length: number;
  private readonly bytes: Uint8Array | undefined;
  private readonly view: DataView | undefined;
  private readonly pages = new Map<number, { bytes: Uint8Array; view: DataView }>();

  constructor(private readonly input: Uint8Array | ByteSource) {
    this.length = input.length;
    if (input instanceof Uint8Array) {
      this.bytes = input;
      this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
    }
  }

  has(offset: number, size: number): boolean {
    return offset >= 0 && size >= 0 && offset + size <= this.length;
  }

  u8(offset: number): number {
    return this.at(offset, 1, (v, o) => v.getUint8(o));
  }

  u16(offset: number): number {
    return this.at(offset, 2, (v, o) => v.getUint16(o, true));
  }

  u32(offset: number): number {
    return this.at(offset, 4, (v, o) => v.getUint32(o, true));
  }

  u64(offset: number): bigint {
    return this.at(offset, 8, (v, o) => v.getBigUint64(o, true));
  }

  /** `length` bytes at `offset` (callers check `has` first). */
  slice(offset: number, length: number): Uint8Array {
    if (this.bytes) return this.bytes.subarray(offset, offset + length);
    return this.fetch(offset, length);
  }

  /** MINIDUMP_STRING at `rva`: u32 byte length then UTF-16LE; undefined when it does not fit the file. */
  string(rva: number, maxChars: number): string | undefined {
    if (!this.has(rva, 4)) return undefined;
    const declared = this.u32(rva);
    const bytes = Math.min(declared, maxChars * 2, this.length - rva - 4) & ~1;
    return new TextDecoder('utf-16le').decode(this.slice(rva + 4, bytes));
  }

  private at<T>(offset: number, size: number, get: (view: DataView, at: number) => T): T {
    if (this.view) return get(this.view, offset);
    const index = Math.floor(offset / PAGE_SIZE);
    const within = offset - index * PAGE_SIZE;
    if (within + size <= PAGE_SIZE) {
      const page = this.page(index);
      if (within + size <= page.bytes.length) return get(page.view, within);
    }
    const bytes = this.fetch(offset, size);
    return get(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0);
  }

  private page(index: number): { bytes: Uint8Array; view: DataView } {
    let page = this.pages.get(index);
    if (page) return page;
    const start = index * PAGE_SIZE;
    const bytes = this.fetch(start, Math.min(PAGE_SIZE, this.length - start));
    page = { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    // SECURITY: a table walk over a hostile dump touches pages all over the file; keep a bounded few.
    if (this.pages.size >= MAX_CACHED_PAGES) this.pages.delete(this.pages.keys().next().value!);
    this.pages.set(index, page);
    return page;
  }

  private fetch(offset: number, length: number): Uint8Array {
    const want = Math.max(0, Math.min(length, this.length - offset));
    const bytes = (this.input as ByteSource).read(offset, want);
    if (bytes.length < want) {
      throw new FormatError(
        'E_INPUT_SHRUNK',
        `the dump changed while it was read: ${bytes.length} of ${want} bytes at ${offset}`,
        { offset },
      );
    }
    return bytes;
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
