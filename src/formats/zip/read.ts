import type { FileEntry, Writer } from '@zip.js/zip.js';
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
import { handleOf, type EntryHandle } from './handles.js';
import { ERR_BUFFER_TOO_LARGE, inflateRawCapped } from './inflate.js';
import { PaddingTrimmer } from './padding.js';
import type { ReadZipEntryOptions, ZipEntry } from './types.js';
import { loadZipJs, READER_OPTIONS, type ZipJs } from './zipjs.js';

const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;
const LOCAL_FILE_HEADER = 0x04034b50; // APPNOTE 4.3.7

let zipjsErrors: ReadonlyMap<string, ErrorCode> | undefined;

/** zip.js's error messages → our codes (built once zip.js is loaded). */
function zipjsErrorCodes(zipjs: ZipJs): ReadonlyMap<string, ErrorCode> {
  return (zipjsErrors ??= new Map([
    [zipjs.ERR_INVALID_PASSWORD, 'E_ZIP_BAD_PASSWORD'],
    [zipjs.ERR_ENCRYPTED, 'E_ZIP_ENCRYPTED'],
    [zipjs.ERR_UNSUPPORTED_ENCRYPTION, 'E_ZIP_UNSUPPORTED_ENCRYPTION'],
    [zipjs.ERR_UNSUPPORTED_COMPRESSION, 'E_ZIP_UNSUPPORTED_METHOD'],
    [zipjs.ERR_INVALID_COMPRESSED_DATA, 'E_ZIP_CORRUPT_DATA'],
    [zipjs.ERR_INVALID_AUTHENTICATION_CODE, 'E_ZIP_BAD_MAC'],
    [zipjs.ERR_INVALID_CRC32, 'E_ZIP_BAD_CRC'],
    [zipjs.ERR_LOCAL_FILE_HEADER_NOT_FOUND, 'E_ZIP_LOCAL_HEADER'],
    [zipjs.ERR_ENTRY_DATA_OUT_OF_BOUNDS, 'E_ZIP_OUT_OF_BOUNDS'],
    [zipjs.ERR_INVALID_UNCOMPRESSED_SIZE, 'E_ZIP_SIZE_MISMATCH'],
  ]));
}

function memberTooLarge(name: string, options: ReadZipEntryOptions, actual?: number): LimitError {
  return new LimitError('E_LIMIT_MEMBER_SIZE', `${name}: inflates past ${options.maxBytes} bytes`, {
    limit: options.limit ?? 'maxBytes',
    max: options.maxBytes,
    ...(actual === undefined ? {} : { actual }),
  });
}

interface CappedWriter extends Writer<Uint8Array> {
  total: number;
  overflowed: boolean;
}
let cappedWriterClass: (new (maxBytes: number) => CappedWriter) | undefined;

/**
 * Collects inflated output and stops the pipeline at the first chunk past the cap.
 * SECURITY: the cap is on bytes actually produced; declared sizes in a hostile archive lie.
 */
function cappedWriter(zipjs: ZipJs, maxBytes: number): CappedWriter {
  cappedWriterClass ??= class extends zipjs.Writer<Uint8Array> implements CappedWriter {
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
  };
  return new cappedWriterClass(maxBytes);
}

// Members whose synchronous read missed for this options object: `readZipEntry` then goes straight
// to zip.js instead of inflating the member a second time (a bad CRC or lying size is deterministic).
const DIRECT_MISSED = new WeakMap<ZipEntry, ReadZipEntryOptions>();

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
  if (DIRECT_MISSED.get(entry) !== options) {
    const direct = readZipEntrySync(entry, options);
    if (direct) return direct;
  }
  const handle = handleOf(entry);
  if (!handle || handle.kind === 'local') throw new Error('unreachable: read synchronously');
  return readWithZipJs(entry, handle, options);
}

/**
 * The synchronous part of `readZipEntry`: a directory, a member recovered from its local header, or
 * a well-formed stored or deflated member (direct.ts) — most members of an Office document. Returns
 * `undefined` when only zip.js can read the member: then call `readZipEntry` with the same `options`
 * object, which does not try the synchronous path again. Throws what `readZipEntry` throws.
 *
 * @example
 * const bytes = readZipEntrySync(entry, options) ?? (await readZipEntry(entry, options));
 */
export function readZipEntrySync(
  entry: ZipEntry,
  options: ReadZipEntryOptions,
): Uint8Array | undefined {
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
  DIRECT_MISSED.set(entry, options);
  return undefined;
}

async function readWithZipJs(
  entry: ZipEntry,
  handle: Exclude<EntryHandle, { kind: 'local' }>,
  options: ReadZipEntryOptions,
): Promise<Uint8Array> {
  const zipEntry =
    handle.kind === 'zipjs' ? handle.entry : await handle.lister.entryAt(entry.offset);
  const zipjs = await loadZipJs(); // loaded already: it listed the entry
  if (!zipEntry || zipEntry.directory) {
    if (zipEntry) return new Uint8Array(0);
    throw new FormatError('E_ZIP_READ', `${entry.name}: zip.js does not list this member`);
  }
  try {
    if (options.trimPadding)
      return await readTrimmed(zipjs, zipEntry, entry, options, options.trimPadding);
    return await readCapped(zipjs, zipEntry, entry, options);
  } catch (error) {
    const failure = toDefenseError(zipjs, error, entry.name);
    if (!RECOVERABLE.has(failure.code)) throw failure;
    // The directory lies about sizes (a trick to slip content past readers that trust it), or the
    // stream has trailing junk. 7-Zip still extracts such members, so read the real stream.
    const recovered = entry.encrypted
      ? await readDecryptedStream(zipjs, zipEntry, entry, options)
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
  zipjs: ZipJs,
  zipEntry: FileEntry,
  entry: ZipEntry,
  options: ReadZipEntryOptions,
): Promise<Uint8Array> {
  const writer = cappedWriter(zipjs, options.maxBytes);
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
  zipjs: ZipJs,
  zipEntry: FileEntry,
  entry: ZipEntry,
  options: ReadZipEntryOptions,
  trim: NonNullable<ReadZipEntryOptions['trimPadding']>,
): Promise<Uint8Array> {
  const trimmer = new PaddingTrimmer(options.maxBytes, trim.minRun, (actual) =>
    memberTooLarge(entry.name, options, actual),
  );
  let limitHit: LimitError | undefined;
  const writer = new (class extends zipjs.Writer<Uint8Array> {
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
  zipjs: ZipJs,
  zipEntry: FileEntry,
  entry: ZipEntry,
  options: ReadZipEntryOptions,
): Promise<Uint8Array | undefined> {
  try {
    // Bounded by the archive itself: decryption does not grow data.
    const stored = await zipEntry.getData(cappedWriter(zipjs, Number.MAX_SAFE_INTEGER), {
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
    out = inflateRawCapped(data, options.maxBytes);
  } catch (error) {
    if ((error as { code?: string }).code === ERR_BUFFER_TOO_LARGE)
      throw memberTooLarge(name, options);
    throw new FormatError('E_ZIP_CORRUPT_DATA', `${name}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (out.length > options.maxBytes) throw memberTooLarge(name, options, out.length);
  return out;
}

function toDefenseError(zipjs: ZipJs, error: unknown, name: string): DefenseError {
  if (error instanceof DefenseError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = zipjsErrorCodes(zipjs).get(message) ?? 'E_ZIP_READ';
  return new FormatError(code, `${name}: ${message}`, { cause: error });
}
