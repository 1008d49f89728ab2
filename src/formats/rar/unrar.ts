import { createExtractorFromData, UnrarError, type FileHeader } from 'node-unrar-js';
import type { Anomaly, ErrorCode } from '../../core/index.js';

/**
 * RAR decompression through node-unrar-js 2.0.2: RARLAB's own unrar 6.1.7 compiled to WASM, run on bytes
 * in memory (its data-extractor reads and writes JS buffers, never files). Every RAR version, method,
 * solid archive and encryption unrar handles. The library's WASM heap grows to what unrar allocates and
 * never shrinks: callers check the dictionary sizes from `parseRar` before extracting (a RAR5 header can
 * ask for a 4 GiB window).
 */
export interface UnrarMember {
  name: string;
  /** The member's bytes, cut at `maxBytes`. */
  bytes: Uint8Array;
  /** unrar wrote more than `maxBytes`: the rest was discarded as it came. */
  isTruncated: boolean;
  /** Size unrar reports from the header. */
  size: number;
}

export interface UnrarHeader {
  name: string;
  size: number;
  packedSize: number;
  isEncrypted: boolean;
  isDirectory: boolean;
}

export interface UnrarOptions {
  password?: string;
  /** Members to extract, decided from unrar's own header (others are skipped; solid ones still decoded). */
  select: (header: UnrarHeader) => boolean;
  /** Most bytes kept of the member being extracted. */
  maxBytes: (header: UnrarHeader) => number;
  /** Called between members; a throw here stops the pass cleanly (members so far are returned). */
  checkDeadline?: () => void;
  /** Each member as it comes out, before the next one is selected (budgets are kept here). */
  onMember?: (member: UnrarMember) => void;
}

export interface UnrarResult {
  members: UnrarMember[];
  /** What unrar failed on (a wrong password: E_RAR_BAD_PASSWORD; a corrupt member: E_RAR_BAD_DATA …). */
  anomalies: Anomaly[];
  /** The pass stopped early at `checkDeadline`. */
  stoppedBy?: unknown;
}

const CODES: Readonly<Record<string, ErrorCode>> = {
  ERAR_BAD_PASSWORD: 'E_RAR_BAD_PASSWORD',
  ERAR_MISSING_PASSWORD: 'E_RAR_ENCRYPTED',
  ERAR_BAD_DATA: 'E_RAR_BAD_DATA',
  ERAR_BAD_ARCHIVE: 'E_RAR_BAD_HEADER',
  ERAR_UNKNOWN_FORMAT: 'E_RAR_UNSUPPORTED',
  ERAR_NO_MEMORY: 'E_RAR_NO_MEMORY',
  ERAR_EREAD: 'E_RAR_TRUNCATED',
};

/** The parts of the library's extractor that bounded extraction re-points (not in its public types). */
interface ExtractorInternals {
  unrar: { extractor: unknown };
  write(fd: number, buf: number, size: number): boolean;
}

/**
 * Lists and extracts in one pass. Never throws for bad input: unrar's errors become anomalies.
 *
 * @example
 * const r = await extractRar(bytes, { select: () => true, maxBytes: () => 1 << 20 });
 */
export async function extractRar(bytes: Uint8Array, options: UnrarOptions): Promise<UnrarResult> {
  const result: UnrarResult = { members: [], anomalies: [] };
  let extractor: Awaited<ReturnType<typeof createExtractorFromData>>;
  try {
    // The library only reads the archive (its read() copies chunks into the WASM heap): no copy when
    // the bytes are their buffer's whole extent.
    const isWhole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    extractor = await withoutLoaderListeners(() =>
      createExtractorFromData({
        data: isWhole && bytes.buffer instanceof ArrayBuffer ? bytes.buffer : bytes.slice().buffer,
        ...(options.password === undefined ? {} : { password: options.password }),
      }),
    );
  } catch (error) {
    result.anomalies.push(anomalyFor(error));
    return result;
  }
  const internals = extractor as unknown as ExtractorInternals;
  // SECURITY: the WASM module is a singleton that calls back the last extractor created. Another
  // archive's creation may have run while this one awaited: re-point it, then stay synchronous.
  internals.unrar.extractor = extractor;
  let cap = 0;
  let kept = 0;
  let isTruncated = false;
  const write = internals.write.bind(extractor);
  // SECURITY: unrar writes the whole member; what passes the cap is dropped here, never buffered.
  internals.write = (fd, buf, size) => {
    const room = Math.max(0, cap - kept);
    if (size > room) isTruncated = true;
    kept += Math.min(size, room);
    return room === 0 ? true : write(fd, buf, Math.min(size, room));
  };
  let stopped = false;
  const select = (h: FileHeader): boolean => {
    if (stopped) return false;
    try {
      options.checkDeadline?.();
    } catch (error) {
      stopped = true;
      result.stoppedBy = error;
      return false;
    }
    const header = toHeader(h);
    if (header.isDirectory || !options.select(header)) return false;
    cap = options.maxBytes(header);
    kept = 0;
    isTruncated = false;
    return true;
  };
  try {
    // Run to the end even when stopped: an abandoned iterator leaks unrar's archive object.
    for (const file of extractor.extract({ files: select }).files) {
      if (file.fileHeader.flags.directory) continue;
      const member = {
        name: file.fileHeader.name,
        bytes: file.extraction ?? new Uint8Array(),
        isTruncated,
        size: file.fileHeader.unpSize,
      };
      result.members.push(member);
      options.onMember?.(member);
    }
  } catch (error) {
    result.anomalies.push(anomalyFor(error));
  }
  return result;
}

let isLoaded = false;

/**
 * The Emscripten loader, on its first run, adds process-wide `uncaughtException` and `unhandledRejection`
 * listeners that rethrow. Node's defaults already crash on both; the listeners would only override a host
 * application's own handlers, so they are removed again.
 */
async function withoutLoaderListeners<T>(load: () => Promise<T>): Promise<T> {
  if (isLoaded) return load();
  type Listener = (...args: unknown[]) => void;
  const events = ['uncaughtException', 'unhandledRejection'] as const;
  const listeners = (event: (typeof events)[number]) =>
    process.listeners(event as 'uncaughtException') as Listener[];
  const before = new Set(events.flatMap(listeners));
  try {
    return await load();
  } finally {
    isLoaded = true;
    for (const event of events)
      for (const listener of listeners(event))
        if (!before.has(listener)) process.removeListener(event, listener);
  }
}

function toHeader(h: FileHeader): UnrarHeader {
  return {
    name: h.name,
    size: h.unpSize,
    packedSize: h.packSize,
    isEncrypted: h.flags.encrypted,
    isDirectory: h.flags.directory,
  };
}

function anomalyFor(error: unknown): Anomaly {
  if (error instanceof UnrarError) {
    return {
      code: CODES[error.reason] ?? 'E_RAR_UNRAR',
      message: `unrar: ${error.message}${error.file ? ` (${error.file})` : ''}`,
      ...(error.file ? { location: error.file } : {}),
    };
  }
  return { code: 'E_RAR_UNRAR', message: `unrar: ${String(error)}` };
}
