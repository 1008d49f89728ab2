/** Bounds-checked little-endian reads over untrusted bytes: undefined past the end, never an exception. */
export function u16(bytes: Uint8Array, at: number): number | undefined {
  if (at < 0 || at + 2 > bytes.length) return undefined;
  return bytes[at]! | (bytes[at + 1]! << 8);
}

export function u32(bytes: Uint8Array, at: number): number | undefined {
  if (at < 0 || at + 4 > bytes.length) return undefined;
  return (
    (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0
  );
}

export function i32(bytes: Uint8Array, at: number): number | undefined {
  const v = u32(bytes, at);
  return v === undefined ? undefined : v | 0;
}

/** A GUID in registry form; the first three fields are little-endian (MS-DTYP 2.3.4.2). */
export function guidAt(bytes: Uint8Array, at: number): string | undefined {
  if (at < 0 || at + 16 > bytes.length) return undefined;
  const hex = (from: number, to: number, reverse: boolean) => {
    const part = [...bytes.subarray(at + from, at + to)];
    if (reverse) part.reverse();
    return part.map((b) => b.toString(16).padStart(2, '0')).join('');
  };
  return `{${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}}`.toUpperCase();
}

/** FILETIME (100 ns ticks since 1601, MS-DTYP 2.3.3) as ISO 8601; undefined for zero or nonsense. */
export function fileTimeAt(bytes: Uint8Array, at: number): string | undefined {
  const lo = u32(bytes, at);
  const hi = u32(bytes, at + 4);
  if (lo === undefined || hi === undefined || (lo === 0 && hi === 0)) return undefined;
  const ms = (hi * 2 ** 32 + lo) / 10_000 - 11_644_473_600_000;
  // Years 1970..2200: anything else is a forged or garbage stamp, not worth printing.
  if (!Number.isFinite(ms) || ms < 0 || ms > 7_258_118_400_000) return undefined;
  return new Date(ms).toISOString();
}

/** Windows-1252: the ANSI code page of shortcuts written on western systems (no code page is stored). */
export function ansi(bytes: Uint8Array): string {
  return new TextDecoder('windows-1252').decode(bytes);
}

export function utf16le(bytes: Uint8Array): string {
  return new TextDecoder('utf-16le').decode(bytes.subarray(0, bytes.length & ~1));
}

/** A NUL-terminated ANSI string inside `bytes[at, end)`. */
export function ansiZ(bytes: Uint8Array, at: number, end = bytes.length): string | undefined {
  if (at < 0 || at >= end) return undefined;
  let stop = at;
  while (stop < end && bytes[stop] !== 0) stop++;
  return ansi(bytes.subarray(at, stop));
}

/** A NUL-terminated UTF-16LE string inside `bytes[at, end)`. */
export function utf16Z(bytes: Uint8Array, at: number, end = bytes.length): string | undefined {
  if (at < 0 || at + 1 >= end) return undefined;
  let stop = at;
  while (stop + 1 < end && (bytes[stop] !== 0 || bytes[stop + 1] !== 0)) stop += 2;
  return utf16le(bytes.subarray(at, stop));
}
