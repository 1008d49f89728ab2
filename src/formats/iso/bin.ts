/** Bounds-checked readers: undefined past the end. ISO 9660 stores numbers in both byte orders (7.2.3, 7.3.3). */
export function u16(b: Uint8Array, at: number): number | undefined {
  return at < 0 || at + 2 > b.length ? undefined : b[at]! | (b[at + 1]! << 8);
}

export function u32(b: Uint8Array, at: number): number | undefined {
  return at < 0 || at + 4 > b.length
    ? undefined
    : (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

export function u16be(b: Uint8Array, at: number): number | undefined {
  return at < 0 || at + 2 > b.length ? undefined : (b[at]! << 8) | b[at + 1]!;
}

export function ascii(b: Uint8Array, at: number, length: number): string {
  let s = '';
  for (let i = at; i < Math.min(b.length, at + length); i++) s += String.fromCharCode(b[i]!);
  return s;
}

export function ucs2be(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
  return s;
}

export function utf16le(b: Uint8Array): string {
  return new TextDecoder('utf-16le').decode(b.subarray(0, b.length & ~1));
}

/** Copies the bytes of `extents` from `image`, cut at `max` bytes and at the end of the image. */
export function readExtents(
  image: Uint8Array,
  extents: readonly { offset: number; size: number }[],
  max: number,
): Uint8Array {
  let total = 0;
  for (const e of extents) total += Math.max(0, Math.min(e.size, image.length - e.offset));
  const out = new Uint8Array(Math.min(total, max));
  let at = 0;
  for (const e of extents) {
    if (at >= out.length) break;
    const part = image.subarray(
      e.offset,
      Math.min(image.length, e.offset + e.size, e.offset + out.length - at),
    );
    out.set(part, at);
    at += part.length;
  }
  return out;
}
