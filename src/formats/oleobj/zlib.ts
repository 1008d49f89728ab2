import { constants, inflateSync } from 'node:zlib';
import { describeError, LimitError, type Anomaly } from '../../core/index.js';

export interface InflateOptions {
  /** Output bytes allowed; past it a `LimitError` is thrown (zlib bombs). */
  maxBytes: number;
  /** Limit name reported when `maxBytes` is hit (`maxRatio`, `maxTotalBytes` …). */
  limit?: string;
  anomalies: Anomaly[];
  location?: string;
}

/**
 * Inflates a zlib stream (RFC 1950) under an output cap. A truncated stream yields what was decoded,
 * with an `E_ZLIB_TRUNCATED` anomaly; data that is not zlib yields undefined with `E_ZLIB_BAD_DATA`.
 * SECURITY: the cap holds on bytes actually produced (Node's maxOutputLength), never on a declared size.
 *
 * @example
 * const ole = inflateZlib(record.subarray(4), { maxBytes: 1 << 26, anomalies });
 */
export function inflateZlib(data: Uint8Array, options: InflateOptions): Uint8Array | undefined {
  const maxOutputLength = Math.max(1, Math.floor(options.maxBytes));
  const where = options.location === undefined ? {} : { location: options.location };
  try {
    return toBytes(inflateSync(data, { maxOutputLength }));
  } catch (error) {
    if (isTooLarge(error)) throw tooLarge(options);
    if (!isTruncation(error)) {
      options.anomalies.push({ code: 'E_ZLIB_BAD_DATA', message: describeError(error), ...where });
      return undefined;
    }
  }
  try {
    const partial = inflateSync(data, { maxOutputLength, finishFlush: constants.Z_SYNC_FLUSH });
    options.anomalies.push({
      code: 'E_ZLIB_TRUNCATED',
      message: `compressed data ends early; ${partial.length} bytes recovered`,
      ...where,
    });
    return toBytes(partial);
  } catch (error) {
    if (isTooLarge(error)) throw tooLarge(options);
    options.anomalies.push({ code: 'E_ZLIB_BAD_DATA', message: describeError(error), ...where });
    return undefined;
  }
}

/** RFC 1950 2.2: CM 8, a window of at most 32 KiB, and a header check that is a multiple of 31. */
export function looksLikeZlibHeader(b0: number | undefined, b1: number | undefined): boolean {
  if (b0 === undefined || b1 === undefined) return false;
  return (b0 & 0x0f) === 8 && b0 >> 4 <= 7 && ((b0 << 8) | b1) % 31 === 0;
}

function toBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function isTooLarge(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'ERR_BUFFER_TOO_LARGE';
}

function isTruncation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'Z_BUF_ERROR';
}

function tooLarge(options: InflateOptions): LimitError {
  const max = Math.floor(options.maxBytes);
  return new LimitError(
    'E_LIMIT_INFLATED_SIZE',
    `${options.location ?? 'zlib data'}: inflates past ${max} bytes`,
    { limit: options.limit ?? 'maxBytes', max },
  );
}
