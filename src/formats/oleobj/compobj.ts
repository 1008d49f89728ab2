import { Cursor, ansi } from './cursor.js';

const MAX_STRING_BYTES = 4096;

/** What `\x01CompObj` (MS-OLEDS 2.3.8 CompObjStream) says an embedded object is. */
export interface CompObj {
  /** AnsiUserType: the display name (`Microsoft Equation 3.0`). */
  userType: string;
  /** AnsiClipboardFormat when a string (`Equation Native`). */
  clipboardFormat?: string;
  /** Reserved1 in the spec, the ProgID in practice (`Equation.3`, `Package`). */
  progId?: string;
}

/**
 * Reads the ANSI part of a CompObj stream; undefined when even the header and user type are missing.
 *
 * @example
 * parseCompObj(cfb.readStream('ObjectPool/_1/\x01CompObj')!)?.progId // 'Equation.3'
 */
export function parseCompObj(bytes: Uint8Array): CompObj | undefined {
  const c = new Cursor(bytes, 28); // CompObjHeader: Reserved1, Version, Reserved2 (20 bytes)
  const userType = lengthPrefixed(c);
  if (userType === undefined) return undefined;
  const out: CompObj = { userType };
  // ClipboardFormatOrAnsiString (2.3.1): 0 none, 0xFFFFFFFF/0xFFFFFFFE a u32 format id, else a length.
  const marker = c.u32();
  if (marker === undefined) return out;
  if (marker === 0xffffffff || marker === 0xfffffffe) {
    if (c.u32() === undefined) return out;
  } else if (marker > 0) {
    const raw = marker <= MAX_STRING_BYTES ? c.take(marker) : undefined;
    if (!raw) return out;
    out.clipboardFormat = cut(raw);
  }
  const progId = lengthPrefixed(c);
  if (progId) out.progId = progId;
  return out;
}

function lengthPrefixed(c: Cursor): string | undefined {
  const length = c.u32();
  if (length === undefined || length > MAX_STRING_BYTES) return undefined;
  const raw = c.take(length);
  return raw && cut(raw);
}

function cut(raw: Uint8Array): string {
  const end = raw.indexOf(0);
  return ansi(raw.subarray(0, end < 0 ? raw.length : end));
}
