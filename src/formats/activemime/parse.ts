import type { Anomaly } from '../../core/index.js';
import { inflateZlib, looksLikeZlibHeader } from '../oleobj/index.js';

/** "ActiveMime": the MSO file magic (editdata.mso, oledata.mso). */
export const ACTIVEMIME_MAGIC = Uint8Array.from([...'ActiveMime'].map((c) => c.charCodeAt(0)));
/** Offsets olevba found in the wild: Word writes its zlib data at 0x32, Excel at 0x22A. */
const KNOWN_OFFSETS = [0x32, 0x22a];
/** Places tried when neither the header nor the known offsets hold zlib data (olevba brute-forces 'x'). */
const MAX_SEARCH_ATTEMPTS = 64;
const SEARCH_WINDOW = 64 * 1024;

export function isActiveMime(bytes: Uint8Array): boolean {
  if (bytes.length < ACTIVEMIME_MAGIC.length) return false;
  return ACTIVEMIME_MAGIC.every((b, i) => bytes[i] === b);
}

export interface ActiveMime {
  /** Where the zlib data started. */
  dataOffset?: number;
  /** The inflated content: a compound file holding the VBA project (editdata.mso) or OLE objects. */
  data?: Uint8Array;
  anomalies: Anomaly[];
}

/**
 * Unpacks an ActiveMime (MSO) blob: the header's u16 at 0x1E plus 46 gives the zlib data offset; if
 * that fails, 0x32 and 0x22A, then the first zlib headers in the first 64 KiB (olevba's order).
 * Throws `LimitError` when the content inflates past `maxBytes` (zlib bombs).
 *
 * @example
 * const mso = parseActiveMime(blob, { maxBytes: 1 << 26 });
 * mso.data // a compound file with Macros/VBA
 */
export function parseActiveMime(
  bytes: Uint8Array,
  options: { maxBytes: number; limit?: string },
): ActiveMime {
  const anomalies: Anomaly[] = [];
  if (!isActiveMime(bytes)) {
    anomalies.push({ code: 'E_ACTIVEMIME_NO_MAGIC', message: 'no ActiveMime header', offset: 0 });
    return { anomalies };
  }
  const candidates: number[] = [];
  if (bytes.length >= 0x20) candidates.push((bytes[0x1e]! | (bytes[0x1f]! << 8)) + 46);
  candidates.push(...KNOWN_OFFSETS);
  const tried = new Set<number>();
  const attempt = (offset: number): ActiveMime | undefined => {
    if (tried.has(offset) || !looksLikeZlibHeader(bytes[offset], bytes[offset + 1]))
      return undefined;
    tried.add(offset);
    const scratch: Anomaly[] = [];
    const data = inflateZlib(bytes.subarray(offset), { ...options, anomalies: scratch });
    if (!data || data.length === 0) return undefined;
    return { dataOffset: offset, data, anomalies: [...anomalies, ...scratch] };
  };
  for (const offset of candidates) {
    const found = attempt(offset);
    if (found) return found;
  }
  const end = Math.min(bytes.length, SEARCH_WINDOW);
  for (let at = bytes.indexOf(0x78, 0); at >= 0 && at < end; at = bytes.indexOf(0x78, at + 1)) {
    if (tried.size >= MAX_SEARCH_ATTEMPTS) break;
    const found = attempt(at);
    if (found) return found;
  }
  anomalies.push({
    code: 'E_ACTIVEMIME_NO_DATA',
    message: 'no zlib data found after the ActiveMime header',
  });
  return { anomalies };
}
