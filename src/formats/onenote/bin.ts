/** Bounds-checked little-endian reads: undefined past the end, never an exception. */
export function u16(b: Uint8Array, at: number): number | undefined {
  return at < 0 || at + 2 > b.length ? undefined : b[at]! | (b[at + 1]! << 8);
}

export function u32(b: Uint8Array, at: number): number | undefined {
  return at < 0 || at + 4 > b.length
    ? undefined
    : (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** A u64 as a number; undefined when it does not fit in 2^53 (no file is that large). */
export function u64(b: Uint8Array, at: number): number | undefined {
  const lo = u32(b, at);
  const hi = u32(b, at + 4);
  if (lo === undefined || hi === undefined || hi >= 0x200000) return undefined;
  return hi * 2 ** 32 + lo;
}

export function isAllOnes(b: Uint8Array, at: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (b[at + i] !== 0xff) return false;
  return at + length <= b.length;
}

/** `{XXXXXXXX-…}` → on-disk bytes (first three fields little-endian, MS-DTYP 2.3.4.2). */
export function guidBytes(guid: string): Uint8Array {
  const h = guid.replace(/[{}-]/g, '');
  const b = Uint8Array.from(h.match(/../g)!, (x) => Number.parseInt(x, 16));
  return Uint8Array.of(b[3]!, b[2]!, b[1]!, b[0]!, b[5]!, b[4]!, b[7]!, b[6]!, ...b.subarray(8));
}

export function guidAt(b: Uint8Array, at: number): string | undefined {
  if (at < 0 || at + 16 > b.length) return undefined;
  const hex = (from: number, to: number, rev: boolean) => {
    const part = [...b.subarray(at + from, at + to)];
    if (rev) part.reverse();
    return part.map((x) => x.toString(16).padStart(2, '0')).join('');
  };
  return `{${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}}`.toUpperCase();
}

export function utf16le(b: Uint8Array): string {
  return new TextDecoder('utf-16le').decode(b.subarray(0, b.length & ~1));
}

export function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!;
  const end = hay.length - needle.length;
  for (let i = hay.indexOf(first, from); i >= 0 && i <= end; i = hay.indexOf(first, i + 1)) {
    let ok = true;
    for (let j = 1; j < needle.length; j++) {
      if (hay[i + j] !== needle[j]) {
        ok = false;
        break;
      }
    }
    if (ok) return i;
  }
  return -1;
}
