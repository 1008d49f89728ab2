/** Base64 (RFC 4648 §4) as MIME and XML carry it: whitespace between characters is ignored. */

const VALUES = new Int16Array(256).fill(-1);
for (const [i, c] of [
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
].entries()) {
  VALUES[c.charCodeAt(0)] = i;
}
const isSpace = (b: number) => b === 0x20 || b === 0x0d || b === 0x0a || b === 0x09;

/** End of the base64 run starting at `from`: the first byte that is neither base64, `=` nor whitespace. */
export function base64RunEnd(bytes: Uint8Array, from: number): number {
  let i = from;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (VALUES[b]! < 0 && b !== 0x3d && !isSpace(b)) break;
    i++;
  }
  return i;
}

/**
 * Decodes base64 in `bytes[from, to)`, skipping whitespace and stopping at `=` or at `maxBytes` of
 * output. `isTruncated` says the output was cut at `maxBytes`.
 *
 * @example
 * decodeBase64(new TextEncoder().encode('QWN0aXZlTWltZQ=='), 0, 16, 1024).bytes // "ActiveMime"
 */
export function decodeBase64(
  bytes: Uint8Array,
  from: number,
  to: number,
  maxBytes: number,
): { bytes: Uint8Array; isTruncated: boolean } {
  const out = new Uint8Array(Math.max(0, Math.min(maxBytes, Math.ceil(((to - from) * 3) / 4))));
  let length = 0;
  let acc = 0;
  let bits = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i]!;
    const v = VALUES[b]!;
    if (v < 0) {
      if (b === 0x3d) break;
      continue;
    }
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (length >= out.length) return { bytes: out.subarray(0, length), isTruncated: true };
      out[length++] = (acc >> bits) & 0xff;
    }
  }
  return { bytes: out.subarray(0, length), isTruncated: false };
}

/** Base64 text of bytes (for builders and round trips); standard alphabet with padding. */
export function encodeBase64(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? alphabet[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? alphabet[n & 63]! : '=';
  }
  return out;
}

/** `decodeBase64` over a string (XML text content), same rules. */
export function decodeBase64Text(
  text: string,
  maxBytes: number,
): { bytes: Uint8Array; isTruncated: boolean } {
  const out = new Uint8Array(Math.max(0, Math.min(maxBytes, Math.ceil((text.length * 3) / 4))));
  let length = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const v = code < 256 ? VALUES[code]! : -1;
    if (v < 0) {
      if (code === 0x3d) break;
      continue;
    }
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (length >= out.length) return { bytes: out.subarray(0, length), isTruncated: true };
      out[length++] = (acc >> bits) & 0xff;
    }
  }
  return { bytes: out.subarray(0, length), isTruncated: false };
}
