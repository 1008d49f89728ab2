import { decodeShiftJis } from './shift-jis.js';
import type { ZipEntry } from './types.js';

const FLAG_UTF8 = 0x0800; // APPNOTE 4.4.4 bit 11 (EFS)

// IBM code page 437, 0x80–0xFF: the encoding APPNOTE Appendix D prescribes when bit 11 is clear.
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

function decodeCp437(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80];
  return out;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function hasHighBytes(bytes: Uint8Array): boolean {
  return bytes.some((b) => b > 0x7f);
}

/**
 * The order zip.js follows, with Shift_JIS inserted before CP437: flag bit 11 → UTF-8; otherwise valid
 * UTF-8 (macOS and Java write it without the flag); otherwise Shift_JIS when the bytes parse as CP932
 * (Japanese Windows); otherwise CP437.
 */
export function decodeName(
  raw: Uint8Array,
  flags: number,
): { name: string; encoding: ZipEntry['nameEncoding'] } {
  if (flags & FLAG_UTF8 || (hasHighBytes(raw) && isUtf8(raw))) {
    return { name: new TextDecoder().decode(raw), encoding: 'utf-8' };
  }
  const sjis = decodeShiftJis(raw);
  if (sjis !== undefined) return { name: sjis, encoding: 'shift_jis' };
  return { name: decodeCp437(raw), encoding: 'cp437' };
}

/**
 * zip.js `decodeText` hook: zip.js has already chosen UTF-8 (flag or valid UTF-8) or CP437; only the
 * CP437 case is reconsidered as Shift_JIS. Returning undefined keeps zip.js's own decoding.
 */
export function decodeTextHook(value: Uint8Array, encoding: string): string | undefined {
  if (encoding.toLowerCase() !== 'cp437') return undefined;
  return decodeShiftJis(value);
}

/** The encoding the hook above ended up using for these raw bytes. */
export function nameEncodingOf(raw: Uint8Array, isUtf8Name: boolean): ZipEntry['nameEncoding'] {
  if (isUtf8Name) return 'utf-8';
  return decodeShiftJis(raw) !== undefined ? 'shift_jis' : 'cp437';
}
