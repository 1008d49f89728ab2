import { constants, deflateRawSync } from 'node:zlib';
import { parseCfb, writeCfb } from '../../formats/cfb/index.js';
import { findPptOleStorages, parseCompObj } from '../../formats/oleobj/index.js';
import type { Removal } from './types.js';

/** [MS-PPT] 2.13.24 RecordType values this disarmer looks for. */
const RT_EXTERNAL_OLE_OBJECT_STG = 0x1011; // ExOleObjStg, VbaProjectStg, ExControlStg
const RT_VBA_INFO_ATOM = 0x0400;
const RT_CRYPT_SESSION10 = 0x2f14; // CryptSession10Container: an encrypted presentation
const RECORD_HEADER = 8;
const CONTAINER_VERSION = 0x0f;
const MAX_RECORDS = 500_000;
const MAX_DEPTH = 32;
/** VBAInfoAtom (2.4.10): persistIdRef, then fHasMacros (0: "the VBA storage is empty"), then version. */
const VBA_INFO_LENGTH = 12;
const F_HAS_MACROS_AT = 4;

interface PptScan {
  /** ExOleObjStg-type records: header offset, recInstance (1: zlib), payload offset and length. */
  storages: { offset: number; isCompressed: boolean; dataAt: number; length: number }[];
  /** Payload offsets of VBAInfoAtom records. */
  vbaInfo: number[];
  isEncrypted: boolean;
  /** A record overran its container, or the walk hit its record budget. */
  isIncomplete: boolean;
}

export type PptResult =
  | { stream: Uint8Array | undefined }
  | { refusal: 'encrypted' | 'malformed' | 'unsupported'; reason: string };

/**
 * Empties, in place, every storage a `PowerPoint Document` stream carries: the VBA project
 * (VbaProjectStg, MS-PPT 2.10.40), embedded objects and ActiveX controls (ExOleObjStg 2.10.34,
 * ExControlStg) each become an empty compound file of exactly the old record size, and every
 * VBAInfoAtom's fHasMacros becomes 0 ("the VBA storage is empty", 2.4.10). No record moves, so the
 * persist directory and UserEditAtom offsets (2.3.4) stay valid without being rewritten. A zlib
 * record is refilled with a zlib stream padded to its old length by empty stored blocks (RFC 1951
 * 3.2.4). The slides' pictures of the objects stay.
 */
export function disarmPptStream(
  stream: Uint8Array,
  removed: Removal[],
  maxBytes: number,
): PptResult {
  const scan = scanPpt(stream);
  if (scan.isEncrypted) {
    return {
      refusal: 'encrypted',
      reason: 'the presentation is encrypted (CryptSession10Container)',
    };
  }
  if (scan.isIncomplete) {
    return { refusal: 'malformed', reason: 'the PowerPoint record tree could not be walked whole' };
  }
  if (scan.storages.length === 0 && scan.vbaInfo.length === 0) return { stream: undefined };
  const readable = findPptOleStorages(stream, {
    maxBytesPerStorage: () => ({ maxBytes, limit: 'maxFileSize' }),
    maxTotalBytes: maxBytes,
  }).storages;
  const out = stream.slice();
  for (const storage of scan.storages) {
    const replacement = emptyStorage(storage.isCompressed, storage.length);
    if (!replacement) {
      return {
        refusal: 'unsupported',
        reason: `ExOleObjStg@${storage.offset} is too small to hold an empty storage`,
      };
    }
    out.set(replacement, storage.dataAt);
    const inner = readable.find((r) => r.offset === storage.offset)?.bytes;
    removed.push({ ...describeStorage(inner), location: `PowerPoint Document@${storage.offset}` });
  }
  for (const at of scan.vbaInfo) new DataView(out.buffer).setUint32(at + F_HAS_MACROS_AT, 0, true);
  return { stream: out };
}

function scanPpt(stream: Uint8Array): PptScan {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  const out: PptScan = { storages: [], vbaInfo: [], isEncrypted: false, isIncomplete: false };
  const stack: { at: number; end: number; depth: number }[] = [
    { at: 0, end: stream.length, depth: 0 },
  ];
  let records = 0;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.at + RECORD_HEADER > frame.end) {
      stack.pop();
      continue;
    }
    if (++records > MAX_RECORDS) {
      out.isIncomplete = true;
      break;
    }
    const verInstance = view.getUint16(frame.at, true);
    const recType = view.getUint16(frame.at + 2, true);
    const recLen = view.getUint32(frame.at + 4, true);
    const dataAt = frame.at + RECORD_HEADER;
    if (dataAt + recLen > frame.end) {
      out.isIncomplete = true;
      stack.pop();
      continue;
    }
    const offset = frame.at;
    frame.at = dataAt + recLen;
    if ((verInstance & 0x0f) === CONTAINER_VERSION) {
      if (frame.depth + 1 >= MAX_DEPTH) out.isIncomplete = true;
      else stack.push({ at: dataAt, end: dataAt + recLen, depth: frame.depth + 1 });
    } else if (recType === RT_EXTERNAL_OLE_OBJECT_STG) {
      out.storages.push({ offset, isCompressed: verInstance >> 4 === 1, dataAt, length: recLen });
    } else if (recType === RT_VBA_INFO_ATOM && recLen >= VBA_INFO_LENGTH) {
      out.vbaInfo.push(dataAt);
    }
    if (recType === RT_CRYPT_SESSION10) out.isEncrypted = true;
  }
  return out;
}

function describeStorage(bytes: Uint8Array | undefined): Pick<Removal, 'kind' | 'detail'> {
  if (!bytes) return { kind: 'ole-object', detail: 'unreadable storage' };
  try {
    const cfb = parseCfb(bytes);
    if (cfb.entries.some((e) => e.type === 'storage' && e.name.toUpperCase() === 'VBA')) {
      return { kind: 'vba-project', detail: 'VbaProjectStg' };
    }
    if (cfb.find('\x03OCXNAME')) return { kind: 'activex', detail: 'ExControlStg' };
    const compObj = cfb.readStream('\x01CompObj');
    const parsed = compObj ? parseCompObj(compObj) : undefined;
    const name = parsed?.progId || parsed?.userType;
    return {
      kind: cfb.find('\x01Ole10Native') ? 'embedded-package' : 'ole-object',
      ...(name ? { detail: name } : {}),
    };
  } catch {
    return { kind: 'ole-object', detail: 'not a compound file' };
  }
}

/** An empty compound file (root only): what an object storage holds once it holds nothing. */
const EMPTY_STORAGE = writeCfb({ children: [] });

/**
 * Exactly `length` bytes of record payload holding an empty storage: stored as is (zero padded; the
 * padding lies past every FAT chain), or as a u32 size then zlib (MS-PPT 2.10.35).
 */
function emptyStorage(isCompressed: boolean, length: number): Uint8Array | undefined {
  if (!isCompressed) {
    if (length < EMPTY_STORAGE.length) return undefined;
    const out = new Uint8Array(length);
    out.set(EMPTY_STORAGE);
    return out;
  }
  const zlib = zlibOfLength(EMPTY_STORAGE, length - 4);
  if (!zlib) return undefined;
  const out = new Uint8Array(length);
  new DataView(out.buffer).setUint32(0, zlib.inflatedLength, true);
  out.set(zlib.bytes, 4);
  return out;
}

/**
 * A zlib stream (RFC 1950) of `payload` plus 0-4 zero bytes that is exactly `length` bytes long:
 * deflate flushed to a byte boundary, empty non-final stored blocks (5 bytes each), then one final
 * stored block carrying the 0-4 bytes that make the length come out right, then Adler-32.
 */
export function zlibOfLength(
  payload: Uint8Array,
  length: number,
): { bytes: Uint8Array; inflatedLength: number } | undefined {
  const body = deflateRawSync(payload, { finishFlush: constants.Z_SYNC_FLUSH });
  const padding = length - 2 - body.length - 4;
  if (padding < 5) return undefined;
  const extra = (padding - 5) % 5;
  const empties = (padding - 5 - extra) / 5;
  const out = new Uint8Array(length);
  out.set([0x78, 0x01]); // CM 8, 32 KiB window, FCHECK so that the header is a multiple of 31
  out.set(body, 2);
  let at = 2 + body.length;
  for (let i = 0; i < empties; i++, at += 5) out.set([0x00, 0x00, 0x00, 0xff, 0xff], at);
  out.set([0x01, extra, 0x00, ~extra & 0xff, 0xff], at);
  at += 5 + extra; // the extra bytes are zeros already
  const inflated = new Uint8Array(payload.length + extra);
  inflated.set(payload);
  new DataView(out.buffer).setUint32(at, adler32(inflated), false);
  return { bytes: out, inflatedLength: inflated.length };
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}
