import iconv from 'iconv-lite';

/**
 * Japanese archivers (Explorer on a Japanese Windows, Lhaplus, Explzh) write member names in
 * Shift_JIS/CP932 without setting the UTF-8 flag (APPNOTE 4.4.4 bit 11). Read as CP437 they turn into
 * mojibake, which hides names such as `請求書.doc` ("invoice") from the people reading a report.
 */

/**
 * True when `bytes` hold at least one double-byte character and parse as CP932 throughout:
 * singles 0x00–0x7F and 0xA1–0xDF (half-width katakana), pairs lead 0x81–0x9F/0xE0–0xFC with trail
 * 0x40–0x7E/0x80–0xFC.
 */
export function isShiftJis(bytes: Uint8Array): boolean {
  let pairs = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b <= 0x7f || (b >= 0xa1 && b <= 0xdf)) continue;
    if ((b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc)) {
      const t = bytes[i + 1];
      if (t === undefined || t < 0x40 || t === 0x7f || t > 0xfc) return false;
      pairs++;
      i++;
      continue;
    }
    return false;
  }
  return pairs > 0;
}

/** Decodes CP932 bytes, or returns undefined when a pair has no character (the bytes were not SJIS). */
export function decodeShiftJis(bytes: Uint8Array): string | undefined {
  if (!isShiftJis(bytes)) return undefined;
  const text = iconv.decode(bytes, 'cp932');
  return text.includes('\ufffd') ? undefined : text;
}
