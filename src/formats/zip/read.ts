import { constants as bufferConstants } from 'node:buffer';
import { inflateRawSync, constants as zlibConstants } from 'node:zlib';
import {
  ERR_ENCRYPTED,
  ERR_ENTRY_DATA_OUT_OF_BOUNDS,
  ERR_INVALID_AUTHENTICATION_CODE,
  ERR_INVALID_COMPRESSED_DATA,
  ERR_INVALID_CRC32,
  ERR_INVALID_PASSWORD,
  ERR_INVALID_UNCOMPRESSED_SIZE,
  ERR_LOCAL_FILE_HEADER_NOT_FOUND,
  ERR_UNSUPPORTED_COMPRESSION,
  ERR_UNSUPPORTED_ENCRYPTION,
  Writer,
  type FileEntry,
} from '@zip.js/zip.js';
import {
  DefenseError,
  describeError,
  FormatError,
  LimitError,
  type ErrorCode,
  concatBytes,
} from '../../core/index.js';
import { readDirectEncrypted } from './decrypt.js';
import { readDirect } from './direct.js';
import { handleOf } from './handles.js';
import { PaddingTrimmer } from './padding.js';
import type { ReadZipEntryOptions, ZipEntry } from './types.js';
import { READER_OPTIONS } from './zipjs.js';

const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;
const LOCAL_FILE_HEADER = 0x04034b50; // APPNOTE 4.3.7

const ZIPJS_ERRORS: ReadonlyMap<string, ErrorCode> = new Map([
  [ERR_INVALID_PASSWORD, 'E_ZIP_BAD_PASSWORD'],
  [ERR_ENCRYPTED, 'E_ZIP_ENCRYPTED'],
  [ERR_UNSUPPORTED_ENCRYPTION, 'E_ZIP_UNSUPPORTED_ENCRYPTION'],
  [ERR_UNSUPPORTED_COMPRESSION, 'E_ZIP_UNSUPPORTED_METHOD'],
  [ERR_INVALID_COMPRESSED_DATA, 'E_ZIP_CORRUPT_DATA'],
  [ERR_INVALID_AUTHENTICATION_CODE, 'E_ZIP_BAD_MAC'],
  [ERR_INVALID_CRC32, 'E_ZIP_BAD_CRC'],
  [ERR_LOCAL_FILE_HEADER_NOT_FOUND, 'E_ZIP_LOCAL_HEADER'],
  [ERR_ENTRY_DATA_OUT_OF_BOUNDS, 'E_ZIP_OUT_OF_BOUNDS'],
  [ERR_INVALID_UNCOMPRESSED_SIZE, 'E_ZIP_SIZE_MISMATCH'],
]);

function memberTooLarge(name: string, options: ReadZipEntryOptions, actual?: number): LimitError {
  return new LimitError('E_LIMIT_MEMBER_SIZE', `${name}: inflates past ${options.maxBytes} bytes`, {
    limit: options.limit ?? 'maxBytes',
    max: options.maxBytes,
    ...(actual === undefined ? {} : { actual }),
  });
}

/**
 * Collects inflated output and stops the pipeline at the first chunk past the cap.
 * SECURITY: the cap is on bytes actually produced; declared sizes in a hostile archive lie.
 */
class CappedWriter extends Writer<Uint8Array> {
  private readonly chunks: Uint8Array[] = [];
  total = 0;
  overflowed = false;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override async writeUint8Array(array: Uint8Array): Promise<void> {
    this.total += array.length;
    if (this.total > this.maxBytes) {
      this.overflowed = true;
      throw new Error('output cap reached');
    }
    this.chunks.push(array.slice());
  }

  override async getData(): Promise<Uint8Array> {
    return concatBytes(this.chunks);
  }
}

/**
 * Reads one member's content, inflating at most `maxBytes` bytes.
 * Throws `LimitError` E_LIMIT_MEMBER_SIZE past the cap, `FormatError` E_ZIP_BAD_PASSWORD for a wrong
 * password, E_ZIP_ENCRYPTED when a password is needed, and other E_ZIP_* codes for corrupt members.
 *
 * @example
 * const bytes = await readZipEntry(entry, { maxBytes: 10 * 1024 * 1024, password: 'infected' });
 */
export async function readZipEntry(
  entry: ZipEntry,
  options: ReadZipEntryOptions,
): Promise<Uint8Array> {
  if (entry.directory) return new Uint8Array(0);
  const handle = handleOf(entry);
  if (!handle) throw new FormatError('E_ZIP_UNKNOWN_ENTRY', `${entry.name}: not listed by listZip`);
  if (handle.kind === 'local') {
    if (entry.encrypted) {
      throw new FormatError(
        'E_ZIP_ENCRYPTED',
        `${entry.name}: encrypted member without its directory`,
      );
    }
    return inflateCapped(handle.data, handle.method, entry.name, options);
  }
  if (handle.kind === 'zipjs' && handle.entry.directory) return new Uint8Array(0);
  const crc = handle.kind === 'zipjs' ? handle.entry.crc32 : handle.crc32;
  const direct =
    options.password === undefined
      ? readDirect(handle.archive, entry, crc, options, inflateCapped)
      : readDirectEncrypted(handle.archive, entry, crc, options, inflateCapped);
  if (direct) return direct;
  const zipEntry = handle.kind === 'zipjs' ? handle.entry : await handle.zipjs();
  if (!zipEntry || zipEntry.directory) {
    if (zipEntry) return new Uint8Array(0);
    throw new FormatError('E_ZIP_READ', `${entry.name}: zip.js does not list this member`);
  }
  try {
    if (options.trimPadding)
      return await readTrimmed(zipEntry, entry, options, options.trimPadding);
    return await readCapped(zipEntry, entry, options);
  } catch (error) {
    const failure = toDefenseError(error, entry.name);
    if (!RECOVERABLE.has(failure.code)) throw failure;
    // The directory lies about sizes (a trick to slip content past readers that trust it), or the
    // stream has trailing junk. 7-Zip still extracts such members, so read the real stream.
    const recovered = entry.encrypted
      ? await readDecryptedStream(zipEntry, entry, options)
      : readFromLocalHeader(handle.archive, entry, options);
    if (recovered === undefined) throw failure;
    options.anomalies?.push({
      code: failure.code,
      message: `${describeError(failure)}; content recovered from the compressed stream`,
      location: entry.name,
    });
    return recovered;
  }
}

async function readCapped(
  zipEntry: FileEntry,
  entry: ZipEntry,
  options: ReadZipEntryOptions,
): Promise<Uint8Array> {
  const writer = new CappedWriter(options.maxBytes);
  try {
    return await zipEntry.getData(writer, getDataOptions(options));
  } catch (error) {
    if (writer.overflowed) throw memberTooLarge(entry.name, options, writer.total);
    throw error;
  }
}

const RECOVERABLE: ReadonlySet<ErrorCode> = new Set([
  'E_ZIP_SIZE_MISMATCH',
  'E_ZIP_OUT_OF_BOUNDS',
  'E_ZIP_CORRUPT_DATA',
]);

function getDataOptions(options: ReadZipEntryOptions) {
  return {
    ...READER_OPTIONS,
    ...(options.password === undefined ? {} : { password: options.password }),
  };
}

/** Inflates everything (up to `maxInflated`) but stores only what precedes a trailing padding run. */
async function readTrimmed(
  zipEntry: FileEntry,
  entry: ZipEntry,
  options: ReadZipEntryOptions,
  trim: NonNullable<ReadZipEntryOptions['trimPadding']>,
): Promise<Uint8Array> {
  const trimmer = new PaddingTrimmer(options.maxBytes, trim.minRun, (actual) =>
    memberTooLarge(entry.name, options, actual),
  );
  let limitHit: LimitError | undefined;
  const writer = new (class extends Writer<Uint8Array> {
    override async writeUint8Array(array: Uint8Array): Promise<void> {
      try {
        trimmer.push(array);
        if (trimmer.total > trim.maxInflated)
          throw memberTooLarge(
            entry.name,
            { ...options, maxBytes: trim.maxInflated },
            trimmer.total,
          );
      } catch (error) {
        limitHit = error as LimitError;
        throw error;
      }
    }
    override async getData(): Promise<Uint8Array> {
      return new Uint8Array(0);
    }
  })();
  try {
    await zipEntry.getData(writer, getDataOptions(options));
  } catch (error) {
    throw limitHit ?? error;
  }
  const { bytes, trimmed, value } = trimmer.finish();
  if (trimmed > 0) trim.onTrimmed(trimmed, value);
  return bytes;
}

/** Decrypted but still compressed bytes from zip.js, inflated here under the cap. */
async function readDecryptedStream(
  zipEntry: FileEntry,
  entry: ZipEntry,
  options: ReadZipEntryOptions,
): Promise<Uint8Array | undefined> {
  try {
    // Bounded by the archive itself: decryption does not grow data.
    const stored = await zipEntry.getData(new CappedWriter(Number.MAX_SAFE_INTEGER), {
      ...getDataOptions(options),
      passThrough: 'compressed',
    });
    return inflateCapped(stored, entry.method, entry.name, options);
  } catch (error) {
    if (error instanceof LimitError) throw error;
    return undefined;
  }
}

/**
 * The member's data located through its local header (APPNOTE 4.3.7). A deflate stream carries its
 * own end, so it is given everything up to the end of the archive; stored data keeps its declared size.
 */
function readFromLocalHeader(
  archive: Uint8Array,
  entry: ZipEntry,
  options: ReadZipEntryOptions,
): Uint8Array | undefined {
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
  const at = entry.offset;
  if (at < 0 || at + 30 > archive.length || view.getUint32(at, true) !== LOCAL_FILE_HEADER)
    return undefined;
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start > archive.length) return undefined;
  const end = entry.method === METHOD_STORED ? start + entry.compressedSize : archive.length;
  try {
    return inflateCapped(
      archive.subarray(start, Math.min(end, archive.length)),
      entry.method,
      entry.name,
      options,
    );
  } catch (error) {
    if (error instanceof LimitError) throw error;
    return undefined;
  }
}

/** Stored or deflated bytes → content, never producing more than `maxBytes`. */
export function inflateCapped(
  data: Uint8Array,
  method: number,
  name: string,
  options: ReadZipEntryOptions,
): Uint8Array {
  if (method === METHOD_STORED) {
    if (data.length > options.maxBytes) throw memberTooLarge(name, options, data.length);
    return data.slice();
  }
  if (method !== METHOD_DEFLATED) {
    throw new FormatError('E_ZIP_UNSUPPORTED_METHOD', `${name}: compression method ${method}`);
  }
  let out: Uint8Array;
  try {
    // Z_SYNC_FLUSH returns what a truncated stream holds instead of failing on its missing end.
    out = inflateRawSync(data, {
      maxOutputLength: Math.min(Math.max(1, options.maxBytes), bufferConstants.MAX_LENGTH),
      finishFlush: zlibConstants.Z_SYNC_FLUSH,
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw memberTooLarge(name, options);
    throw new FormatError('E_ZIP_CORRUPT_DATA', `${name}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (out.length > options.maxBytes) throw memberTooLarge(name, options, out.length);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

function toDefenseError(error: unknown, name: string): DefenseError {
  if (error instanceof DefenseError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = ZIPJS_ERRORS.get(message) ?? 'E_ZIP_READ';
  return new FormatError(code, `${name}: ${message}`, { cause: error });
}
