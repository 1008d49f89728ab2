import { LimitError, type Anomaly } from '../../core/index.js';
import { inflateZlib } from './zlib.js';

/** MS-PPT 2.13.24 RecordType RT_ExternalOleObjectStg: ExOleObjStg, VbaProjectStg and ExControlStg. */
const RT_EXTERNAL_OLE_OBJECT_STG = 0x1011;
const RECORD_HEADER = 8;
const CONTAINER_VERSION = 0x0f;
/** Records visited; a real presentation has thousands. */
export const MAX_PPT_RECORDS = 500_000;
const MAX_PPT_DEPTH = 32;

/** One compound file kept in a PowerPoint record: an embedded object, the VBA project, an ActiveX control. */
export interface PptOleStorage {
  /** Offset of the record header in the `PowerPoint Document` stream. */
  offset: number;
  isCompressed: boolean;
  /** The compound file (inflated when the record was compressed). */
  bytes: Uint8Array;
  /** Size of the record's data as stored. */
  storedSize: number;
}

export interface PptScanOptions {
  /** Bytes one storage may inflate to (`maxRatio` × stored size, the byte budget …). */
  maxBytesPerStorage: (storedSize: number) => { maxBytes: number; limit: string };
  /** Bytes of all storages together. */
  maxTotalBytes: number;
  maxRecords?: number;
}

/**
 * Finds the ExOleObjStg-type records (MS-PPT 2.10.34/2.10.40: recInstance 1 = a u32 decompressed size
 * then zlib data) in a `PowerPoint Document` stream, walking containers (recVer 0xF) to a bounded
 * depth. A record that overruns its parent ends the walk at that level with an anomaly.
 *
 * @example
 * const { storages } = findPptOleStorages(cfb.readStream('PowerPoint Document')!, opts);
 */
export function findPptOleStorages(
  stream: Uint8Array,
  options: PptScanOptions,
): { storages: PptOleStorage[]; anomalies: Anomaly[] } {
  const anomalies: Anomaly[] = [];
  const storages: PptOleStorage[] = [];
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  const maxRecords = options.maxRecords ?? MAX_PPT_RECORDS;
  let left = options.maxTotalBytes;
  let records = 0;
  const stack: { at: number; end: number; depth: number }[] = [
    { at: 0, end: stream.length, depth: 0 },
  ];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.at + RECORD_HEADER > frame.end) {
      stack.pop();
      continue;
    }
    if (++records > maxRecords) {
      anomalies.push({ code: 'E_LIMIT_PPT_RECORDS', message: `more than ${maxRecords} records` });
      break;
    }
    const at = frame.at;
    const verInstance = view.getUint16(at, true);
    const type = view.getUint16(at + 2, true);
    const length = view.getUint32(at + 4, true);
    const dataAt = at + RECORD_HEADER;
    if (dataAt + length > frame.end) {
      anomalies.push({
        code: 'E_PPT_RECORD_OVERRUN',
        message: 'record runs past its parent',
        offset: at,
      });
      stack.pop();
      continue;
    }
    frame.at = dataAt + length;
    if ((verInstance & 0x0f) === CONTAINER_VERSION && frame.depth + 1 < MAX_PPT_DEPTH) {
      stack.push({ at: dataAt, end: dataAt + length, depth: frame.depth + 1 });
    } else if (type === RT_EXTERNAL_OLE_OBJECT_STG) {
      const data = stream.subarray(dataAt, dataAt + length);
      const found = readStorage(data, verInstance >> 4 === 1, at, options, left, anomalies);
      if (found) {
        storages.push(found);
        left -= found.bytes.length;
      }
    }
  }
  return { storages, anomalies };
}

function readStorage(
  data: Uint8Array,
  isCompressed: boolean,
  offset: number,
  options: PptScanOptions,
  left: number,
  anomalies: Anomaly[],
): PptOleStorage | undefined {
  const location = `ExOleObjStg@${offset}`;
  if (!isCompressed) {
    if (data.length > left) {
      anomalies.push({
        code: 'E_LIMIT_PPT_STORAGE_BYTES',
        message: `${location}: byte budget spent`,
        offset,
      });
      return undefined;
    }
    return { offset, isCompressed, bytes: data, storedSize: data.length };
  }
  const cap = options.maxBytesPerStorage(data.length);
  const maxBytes = Math.min(cap.maxBytes, left);
  const limit = maxBytes === cap.maxBytes ? cap.limit : 'maxTotalBytes';
  try {
    const bytes = inflateZlib(data.subarray(4), { maxBytes, limit, anomalies, location });
    return bytes && { offset, isCompressed, bytes, storedSize: data.length };
  } catch (error) {
    if (!(error instanceof LimitError)) throw error;
    anomalies.push({ code: error.code, message: error.message, offset });
    return undefined;
  }
}
