/** Byte helpers shared by parsers, engines and builders (Uint8Array, not Buffer: portable and fuzzable). */

/** Joins byte arrays into one new array. */
/** An ASCII digit, by char code or byte (tokenizers of VBA, XLM formulas and RTF). */
export const isAsciiDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** An ASCII letter A-Z or a-z, by char code or byte. */
export const isAsciiLetter = (c: number): boolean =>
  (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** `v` as 2 little-endian bytes (writers of [MS-SHLLINK], [MS-ONESTORE] and other LE formats). */
export const u16le = (v: number): Uint8Array => Uint8Array.of(v & 0xff, (v >>> 8) & 0xff);

/** `v` as 4 little-endian bytes. */
export function u32le(v: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, v >>> 0, true);
  return out;
}

/** `v` as 8 little-endian bytes. */
export function u64le(v: number | bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(v), true);
  return out;
}

/** UTF-16LE code units of `s`, no terminator. */
export function utf16leBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    out[i * 2] = s.charCodeAt(i) & 0xff;
    out[i * 2 + 1] = s.charCodeAt(i) >>> 8;
  }
  return out;
}

/** `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}` → 16 bytes, first three fields little-endian (MS-DTYP 2.3.4.2). */
export function guidToBytes(guid: string): Uint8Array {
  const hex = guid.replace(/[{}-]/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`bad GUID ${guid}`);
  const b = Uint8Array.from(hex.match(/../g)!, (h) => Number.parseInt(h, 16));
  return Uint8Array.of(b[3]!, b[2]!, b[1]!, b[0]!, b[5]!, b[4]!, b[7]!, b[6]!, ...b.subarray(8));
}
