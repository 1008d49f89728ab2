/** Little-endian byte writers shared by the binary fixture builders (LNK, OneNote, ISO, FAT, 7z, RAR). */
import { concatBytes } from '../../src/core/index.js';

export { concatBytes };

export const u8 = (v: number) => Uint8Array.of(v & 0xff);
export const u16le = (v: number) => Uint8Array.of(v & 0xff, (v >>> 8) & 0xff);
export const u32le = (v: number) => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, v >>> 0, true);
  return out;
};
export const u64le = (v: number | bigint) => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(v), true);
  return out;
};
export const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
export const utf16 = (s: string) => {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    out[i * 2] = s.charCodeAt(i) & 0xff;
    out[i * 2 + 1] = s.charCodeAt(i) >>> 8;
  }
  return out;
};
export const utf8 = (s: string) => new TextEncoder().encode(s);
export const zeros = (n: number) => new Uint8Array(n);

/** `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}` → 16 bytes, first three fields little-endian (MS-DTYP 2.3.4.2). */
export function guidBytes(guid: string): Uint8Array {
  const hex = guid.replace(/[{}-]/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`bad GUID ${guid}`);
  const b = Uint8Array.from(hex.match(/../g)!, (h) => Number.parseInt(h, 16));
  return Uint8Array.of(b[3]!, b[2]!, b[1]!, b[0]!, b[5]!, b[4]!, b[7]!, b[6]!, ...b.subarray(8));
}

/** `bytes` padded with zeros to `size` (cut when longer). */
export function fixed(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(bytes.subarray(0, size));
  return out;
}
