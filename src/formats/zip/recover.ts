import type { Anomaly } from '../../core/index.js';
import { attachHandle } from './handles.js';
import { decodeName } from './names.js';
import type { ZipEntry } from './types.js';

/**
 * Lists members from their local file headers (APPNOTE 4.3.7) when the central directory is missing or
 * broken: a truncated download or a deliberately cut archive still carries readable members, and 7-Zip
 * extracts them, so a scanner that gives up would pass content the user can open.
 */

const LOCAL_FILE_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50; // APPNOTE 4.3.9
const FLAG_ENCRYPTED = 0x0001;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const METHOD_AES = 99; // APPNOTE Appendix E (WinZip AE-x)

export function recoverLocalEntries(
  bytes: Uint8Array,
  maxEntries: number,
  anomalies: Anomaly[],
): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: ZipEntry[] = [];
  let at = 0;
  while (at + 30 <= bytes.length && view.getUint32(at, true) === LOCAL_FILE_HEADER) {
    if (entries.length >= maxEntries) {
      anomalies.push({
        code: 'E_LIMIT_ZIP_ENTRIES',
        message: `more than ${maxEntries} local headers; the rest were not listed`,
        offset: at,
      });
      break;
    }
    const flags = view.getUint16(at + 6, true);
    const method = view.getUint16(at + 8, true);
    let compressedSize = view.getUint32(at + 18, true);
    const uncompressedSize = view.getUint32(at + 22, true);
    const nameLength = view.getUint16(at + 26, true);
    const extraLength = view.getUint16(at + 28, true);
    const nameStart = at + 30;
    const dataStart = nameStart + nameLength + extraLength;
    if (dataStart > bytes.length) {
      anomalies.push({ code: 'E_ZIP_TRUNCATED', message: 'local header cut short', offset: at });
      break;
    }
    if (flags & FLAG_DATA_DESCRIPTOR && compressedSize === 0) {
      // Sizes follow the data (streamed writers); the descriptor's signature is optional, so the data
      // ends at the next signature we can find.
      compressedSize = findNextSignature(view, dataStart) - dataStart;
    }
    let dataEnd = dataStart + compressedSize;
    if (dataEnd > bytes.length) {
      anomalies.push({
        code: 'E_ZIP_TRUNCATED',
        message: 'member data cut short by the end of the file',
        offset: at,
      });
      dataEnd = bytes.length;
    }
    const decoded = decodeName(bytes.subarray(nameStart, nameStart + nameLength), flags);
    const encrypted = (flags & FLAG_ENCRYPTED) !== 0;
    const entry: ZipEntry = {
      name: decoded.name,
      nameEncoding: decoded.encoding,
      compressedSize: dataEnd - dataStart,
      uncompressedSize,
      directory: decoded.name.endsWith('/'),
      encrypted,
      encryption: !encrypted
        ? null
        : flags & FLAG_STRONG_ENCRYPTION
          ? 'strong'
          : method === METHOD_AES
            ? 'aes'
            : 'zipcrypto',
      method,
      offset: at,
    };
    entries.push(
      attachHandle(entry, { kind: 'local', data: bytes.subarray(dataStart, dataEnd), method }),
    );
    at = skipDescriptor(view, dataEnd, flags);
  }
  return entries;
}

function findNextSignature(view: DataView, from: number): number {
  for (let at = from; at + 4 <= view.byteLength; at++) {
    if (view.getUint8(at) !== 0x50 || view.getUint8(at + 1) !== 0x4b) continue;
    const sig = view.getUint32(at, true);
    if (sig === DATA_DESCRIPTOR || sig === LOCAL_FILE_HEADER || sig === 0x02014b50) return at;
  }
  return view.byteLength;
}

function skipDescriptor(view: DataView, at: number, flags: number): number {
  if (!(flags & FLAG_DATA_DESCRIPTOR)) return at;
  const signed = at + 4 <= view.byteLength && view.getUint32(at, true) === DATA_DESCRIPTOR;
  return at + (signed ? 16 : 12);
}
