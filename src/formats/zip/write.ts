import { deflateRawSync } from 'node:zlib';
import { FormatError, concatBytes } from '../../core/index.js';
import { crc32 } from './crc32.js';

/**
 * A small synchronous ZIP writer (APPNOTE 6.3.10 §4.3), enough for OOXML packages and test fixtures.
 * No ZIP64, no encryption: what it writes stays under 4 GiB and 65,535 members, and it says so.
 */

const LOCAL_FILE_HEADER = 0x04034b50; // APPNOTE 4.3.7
const CENTRAL_FILE_HEADER = 0x02014b50; // APPNOTE 4.3.12
const END_OF_CENTRAL_DIRECTORY = 0x06054b50; // APPNOTE 4.3.16
const FLAG_UTF8 = 0x0800; // APPNOTE 4.4.4 bit 11, "Language encoding flag (EFS)"
const VERSION_NEEDED = 20; // 2.0: deflate, directories
const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;
const MAX_U16 = 0xffff;
const MAX_U32 = 0xffffffff;

/** One member exactly as it goes into the headers. Sizes and CRC are written as given, true or not. */
export interface ZipRecord {
  nameBytes: Uint8Array;
  /** General purpose bit flag (APPNOTE 4.4.4); bit 11 marks UTF-8 names. */
  flags: number;
  /** 0 stored, 8 deflated (APPNOTE 4.4.5). */
  method: number;
  crc32: number;
  /** The member's bytes as stored (already compressed/encrypted as `method`/`flags` say). */
  data: Uint8Array;
  compressedSize: number;
  uncompressedSize: number;
  /** MS-DOS attributes in the low byte (0x10 = directory). */
  externalAttributes?: number;
  comment?: Uint8Array;
}

export interface EncodeZipOptions {
  /** Archive comment (APPNOTE 4.3.16). */
  comment?: Uint8Array;
}

/** Writes records as given: no validation of sizes or CRCs, so tests can build lying archives. */
export function encodeZipRecords(
  records: readonly ZipRecord[],
  options: EncodeZipOptions = {},
): Uint8Array {
  if (records.length > MAX_U16) {
    throw new FormatError('E_ZIP_WRITE_TOO_LARGE', `${records.length} members need ZIP64`);
  }
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const record of records) {
    const local = new Uint8Array(30 + record.nameBytes.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, LOCAL_FILE_HEADER, true);
    writeCommon(lv, 4, record);
    local.set(record.nameBytes, 30);
    const comment = record.comment ?? new Uint8Array(0);
    const central = new Uint8Array(46 + record.nameBytes.length + comment.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, CENTRAL_FILE_HEADER, true);
    cv.setUint16(4, VERSION_NEEDED, true); // version made by: MS-DOS, 2.0
    writeCommon(cv, 6, record);
    cv.setUint16(32, comment.length, true);
    cv.setUint32(38, record.externalAttributes ?? 0, true);
    cv.setUint32(42, offset, true);
    central.set(record.nameBytes, 46);
    central.set(comment, 46 + record.nameBytes.length);
    locals.push(local, record.data);
    centrals.push(central);
    offset += local.length + record.data.length;
    if (offset > MAX_U32) throw new FormatError('E_ZIP_WRITE_TOO_LARGE', 'archive needs ZIP64');
  }
  const directorySize = centrals.reduce((n, c) => n + c.length, 0);
  const comment = options.comment ?? new Uint8Array(0);
  const end = new Uint8Array(22 + comment.length);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, END_OF_CENTRAL_DIRECTORY, true);
  ev.setUint16(8, records.length, true);
  ev.setUint16(10, records.length, true);
  ev.setUint32(12, directorySize, true);
  ev.setUint32(16, offset, true);
  ev.setUint16(20, comment.length, true);
  end.set(comment, 22);
  return concatBytes([...locals, ...centrals, end]);
}

/** The fields shared by local and central headers, from "version needed" to "extra field length". */
function writeCommon(view: DataView, at: number, record: ZipRecord): void {
  view.setUint16(at, VERSION_NEEDED, true);
  view.setUint16(at + 2, record.flags, true);
  view.setUint16(at + 4, record.method, true);
  view.setUint16(at + 6, 0, true); // time 00:00:00
  view.setUint16(at + 8, DOS_DATE_1980_01_01, true);
  view.setUint32(at + 10, record.crc32 >>> 0, true);
  view.setUint32(at + 14, record.compressedSize >>> 0, true);
  view.setUint32(at + 18, record.uncompressedSize >>> 0, true);
  view.setUint16(at + 22, record.nameBytes.length, true);
  view.setUint16(at + 24, 0, true); // no extra field
}

export interface WriteZipFile {
  /** Member name; a trailing `/` makes a directory. */
  name: string;
  data: Uint8Array | string;
  /** Default: deflate, unless deflating does not shrink the data. */
  method?: 'store' | 'deflate';
}

/**
 * Builds a ZIP archive in memory, synchronously. Names are UTF-8 (flag bit 11 set when not ASCII),
 * timestamps fixed at 1980-01-01 so the same input gives the same bytes.
 *
 * @example
 * const bytes = writeZip([{ name: 'readme.txt', data: 'hello' }]);
 */
export function writeZip(
  files: readonly WriteZipFile[],
  options: { comment?: string } = {},
): Uint8Array {
  const encoder = new TextEncoder();
  const records = files.map((file): ZipRecord => {
    const raw = typeof file.data === 'string' ? encoder.encode(file.data) : file.data;
    const deflated = file.method === 'store' ? undefined : new Uint8Array(deflateRawSync(raw));
    const useDeflate =
      deflated !== undefined && (file.method === 'deflate' || deflated.length < raw.length);
    const data = useDeflate ? deflated : raw;
    if (raw.length > MAX_U32 || data.length > MAX_U32) {
      throw new FormatError('E_ZIP_WRITE_TOO_LARGE', `${file.name}: member needs ZIP64`);
    }
    const nameBytes = encoder.encode(file.name);
    return {
      nameBytes,
      flags: /^[\x20-\x7e]*$/.test(file.name) ? 0 : FLAG_UTF8,
      method: useDeflate ? 8 : 0,
      crc32: crc32(raw),
      data,
      compressedSize: data.length,
      uncompressedSize: raw.length,
      externalAttributes: file.name.endsWith('/') ? 0x10 : 0,
    };
  });
  return encodeZipRecords(
    records,
    options.comment === undefined ? {} : { comment: encoder.encode(options.comment) },
  );
}
