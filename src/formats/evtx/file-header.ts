import type { Anomaly } from '../../core/index.js';
import { FILE_HEADER_CRC_SPAN, FILE_HEADER_USED, FILE_SIGNATURE } from './constants.js';
import { crc32 } from './crc32.js';
import type { EvtxFileHeader } from './types.js';

/** True when `bytes` start with the EVTX file signature "ElfFile\0". */
export function isEvtx(bytes: Uint8Array): boolean {
  return FILE_SIGNATURE.every((b, i) => bytes[i] === b);
}

/**
 * MS-EVEN6 2.2 file header. Nothing here is trusted by the readers: the chunk count of a log that was not
 * closed cleanly is stale, and a wiped header does not stop chunks from being read.
 */
export function parseEvtxFileHeader(
  head: Uint8Array,
  verifyChecksum = true,
): { header: EvtxFileHeader; anomalies: Anomaly[] } {
  const anomalies: Anomaly[] = [];
  const header: EvtxFileHeader = {
    isValid: false,
    firstChunkNumber: 0,
    lastChunkNumber: 0,
    nextRecordId: 0,
    majorVersion: 0,
    minorVersion: 0,
    chunkCount: 0,
    flags: 0,
    isChecksumValid: false,
  };
  if (head.length < FILE_HEADER_USED || !isEvtx(head)) {
    anomalies.push({
      code: 'E_EVTX_BAD_FILE_HEADER',
      message: 'no "ElfFile" header: reading chunks anyway',
      offset: 0,
    });
    return { header, anomalies };
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const u64 = (at: number): number =>
    view.getUint32(at + 4, true) * 0x100000000 + view.getUint32(at, true);
  header.isValid = true;
  header.firstChunkNumber = u64(8);
  header.lastChunkNumber = u64(16);
  header.nextRecordId = u64(24);
  header.minorVersion = view.getUint16(36, true);
  header.majorVersion = view.getUint16(38, true);
  header.chunkCount = view.getUint16(42, true);
  header.flags = view.getUint32(120, true);
  const stored = view.getUint32(124, true);
  header.isChecksumValid = crc32(head.subarray(0, FILE_HEADER_CRC_SPAN)) === stored;
  if (verifyChecksum && !header.isChecksumValid) {
    anomalies.push({
      code: 'E_EVTX_FILE_HEADER_CRC',
      message: 'file header checksum mismatch',
      offset: 124,
    });
  }
  if (header.majorVersion !== 3) {
    anomalies.push({
      code: 'E_EVTX_BAD_FILE_HEADER',
      message: `unexpected format version ${header.majorVersion}.${header.minorVersion}`,
      offset: 36,
    });
  }
  return { header, anomalies };
}
