import { Cursor, ansi, utf16le } from './cursor.js';

// MS-OLEDS 2.3.7 MONIKERSTREAM ClsId values, in file byte order.
const URL_MONIKER = Uint8Array.from([
  0xe0, 0xc9, 0xea, 0x79, 0xf9, 0xba, 0xce, 0x11, 0x8c, 0x82, 0x00, 0xaa, 0x00, 0x4b, 0xa9, 0x0b,
]);
const FILE_MONIKER = Uint8Array.from([0x03, 0x03, 0, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46]);
const MAX_TARGETS = 16;
const MAX_TARGET_BYTES = 8192;

/** Where a link moniker points: a URL (URL moniker) or a path (file moniker). */
export interface MonikerTarget {
  kind: 'url' | 'file';
  target: string;
  offset: number;
}

/**
 * URL and file monikers anywhere in `bytes` (a `\x01Ole` stream, an OLE2Link object's native data):
 * how CVE-2017-0199 documents point Word at a remote HTA or script. Found by their CLSIDs, as oleobj
 * does, so that a damaged or reordered OLEStream still yields its target.
 *
 * @example
 * findMonikerTargets(cfb.readStream('\x01Ole')!) // [{ kind: 'url', target: 'http://…/x.hta', … }]
 */
export function findMonikerTargets(bytes: Uint8Array): MonikerTarget[] {
  const out: MonikerTarget[] = [];
  for (const [kind, clsid] of [
    ['url', URL_MONIKER],
    ['file', FILE_MONIKER],
  ] as const) {
    for (let at = indexOf(bytes, clsid, 0); at >= 0 && out.length < MAX_TARGETS;) {
      const target = kind === 'url' ? readUrl(bytes, at + 16) : readFile(bytes, at + 16);
      if (target) out.push({ kind, target, offset: at });
      at = indexOf(bytes, clsid, at + 16);
    }
  }
  return out;
}

/** MS-OLEDS 2.3.3 OLEStream: Flags bit 0 set means a linked object, not an embedded one. */
export function isLinkedOleStream(bytes: Uint8Array): boolean {
  const c = new Cursor(bytes);
  const version = c.u32();
  const flags = c.u32();
  return version !== undefined && flags !== undefined && (flags & 1) === 1;
}

function readUrl(bytes: Uint8Array, at: number): string | undefined {
  const c = new Cursor(bytes, at);
  const length = c.u32();
  if (length === undefined || length < 2) return undefined;
  const raw = c.take(Math.min(length, MAX_TARGET_BYTES, c.left));
  if (!raw) return undefined;
  const text = utf16le(raw).split('\0', 1)[0] ?? '';
  return text.length > 0 ? text : undefined;
}

function readFile(bytes: Uint8Array, at: number): string | undefined {
  const c = new Cursor(bytes, at);
  if (c.u16() === undefined) return undefined; // cAnti
  const length = c.u32();
  if (length === undefined || length < 2 || length > MAX_TARGET_BYTES) return undefined;
  const raw = c.take(length);
  if (!raw) return undefined;
  const end = raw.indexOf(0);
  const text = ansi(raw.subarray(0, end < 0 ? raw.length : end));
  return text.length > 0 ? text : undefined;
}

export function indexOf(bytes: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  for (let i = bytes.indexOf(first!, from); i >= 0; i = bytes.indexOf(first!, i + 1)) {
    if (i + needle.length > bytes.length) return -1;
    let j = 1;
    while (j < needle.length && bytes[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}
