import type { Anomaly } from '../../core/index.js';
import { base64RunEnd, decodeBase64 } from './base64.js';

/** "ActiveMime" as base64 starts every encoded MSO blob ('QWN0aXZlTWltZQ' when a 0 byte follows, as in MSO headers). */
const SIGNATURE = Uint8Array.from([...'QWN0aXZlTWltZ'].map((c) => c.charCodeAt(0)));
export const MAX_ACTIVEMIME_BLOBS = 64;
const NAME_LOOKBACK = 4096;

export interface EncodedBlob {
  /** Offset of the base64 text in the input. */
  offset: number;
  /** Part name: MHTML Content-Location, or the `w:name` of a Word 2003 XML `w:binData`. */
  name?: string;
  /** The decoded ActiveMime bytes. */
  bytes: Uint8Array;
  isTruncated: boolean;
}

/**
 * Every base64-encoded ActiveMime blob in a text container (MHTML "single file web page", Word/Excel
 * 2003 XML `w:binData`), found by its encoded magic rather than through the MIME tree: Word opens MHTML
 * whose MIME structure is broken on purpose, so the scan must not depend on it.
 *
 * @example
 * findActiveMimeBlobs(mhtBytes, { maxBlobBytes: 1 << 26 }).blobs[0]?.name // '…/editdata.mso'
 */
export function findActiveMimeBlobs(
  bytes: Uint8Array,
  options: { maxBlobBytes: number; maxBlobs?: number },
): { blobs: EncodedBlob[]; anomalies: Anomaly[] } {
  const maxBlobs = options.maxBlobs ?? MAX_ACTIVEMIME_BLOBS;
  const blobs: EncodedBlob[] = [];
  const anomalies: Anomaly[] = [];
  let budget = options.maxBlobBytes;
  for (
    let at = indexOfBytes(bytes, SIGNATURE, 0);
    at >= 0;
    at = indexOfBytes(bytes, SIGNATURE, at + 1)
  ) {
    if (blobs.length >= maxBlobs) {
      anomalies.push({
        code: 'E_LIMIT_ACTIVEMIME_BLOBS',
        message: `more than ${maxBlobs} blobs`,
        offset: at,
      });
      break;
    }
    const end = base64RunEnd(bytes, at);
    const decoded = decodeBase64(bytes, at, end, budget);
    if (decoded.isTruncated) {
      anomalies.push({
        code: 'E_LIMIT_ACTIVEMIME_BYTES',
        message: `encoded blob cut at ${budget} bytes`,
        offset: at,
      });
    }
    budget -= decoded.bytes.length;
    const name = partName(bytes, at);
    blobs.push({
      offset: at,
      bytes: decoded.bytes,
      isTruncated: decoded.isTruncated,
      ...(name ? { name } : {}),
    });
    at = end - 1;
    if (budget <= 0) break;
  }
  return { blobs, anomalies };
}

/** The name the container gives the blob: whichever of a part header or a name attribute comes last. */
function partName(bytes: Uint8Array, at: number): string | undefined {
  const head = new TextDecoder('windows-1252').decode(
    bytes.subarray(Math.max(0, at - NAME_LOOKBACK), at),
  );
  const location = lastMatch(head, /^Content-Location:[ \t]*([^\r\n]+)/gim);
  const attribute = lastMatch(head, /\bname\s*=\s*["']([^"']{1,260})["']/g);
  const best = (location?.index ?? -1) > (attribute?.index ?? -1) ? location : attribute;
  return best?.[1]?.trim();
}

function lastMatch(text: string, re: RegExp): RegExpExecArray | undefined {
  let last: RegExpExecArray | undefined;
  for (let m = re.exec(text); m; m = re.exec(text)) last = m;
  return last;
}

export function indexOfBytes(bytes: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!;
  for (let i = bytes.indexOf(first, from); i >= 0; i = bytes.indexOf(first, i + 1)) {
    if (i + needle.length > bytes.length) return -1;
    let j = 1;
    while (j < needle.length && bytes[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}
