import { constants as bufferConstants } from 'node:buffer';
import { inflateRawSync, constants as zlibConstants } from 'node:zlib';
import {
  findingForError,
  FormatError,
  LimitError,
  type AnalysisContext,
  type Anomaly,
  type EngineOutput,
  concatBytes,
} from '../../core/index.js';
import { crc32 } from '../../formats/zip/index.js';
import { findingsForAnomalies } from './findings.js';

/**
 * GZIP (RFC 1952): header, raw deflate, CRC32 + ISIZE trailer, members one after another (§2.2).
 * Inflated here with node:zlib under a cap on real output; trailing junk and truncation are anomalies.
 */

const ID1 = 0x1f;
const ID2 = 0x8b;
const CM_DEFLATE = 8;
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;

interface GzipHeader {
  /** Offset of the deflate data. */
  dataStart: number;
  /** FNAME, decoded as ISO 8859-1 as §2.3.1 says. */
  name?: string;
}

function parseHeader(bytes: Uint8Array, at: number): GzipHeader | undefined {
  if (bytes[at] !== ID1 || bytes[at + 1] !== ID2 || bytes[at + 2] !== CM_DEFLATE) return undefined;
  const flags = bytes[at + 3] ?? 0;
  let p = at + 10;
  if (flags & FEXTRA) p += 2 + ((bytes[p] ?? 0) | ((bytes[p + 1] ?? 0) << 8));
  let name: string | undefined;
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    const end = bytes.indexOf(0, p);
    if (end === -1) return undefined;
    if (flag === FNAME) name = new TextDecoder('latin1').decode(bytes.subarray(p, end));
    p = end + 1;
  }
  if (flags & FHCRC) p += 2;
  if (p > bytes.length) return undefined;
  return name === undefined ? { dataStart: p } : { dataStart: p, name };
}

/** Inflates every member of a gzip stream into one child, never producing more than `maxBytes`. */
export function gunzipCapped(
  bytes: Uint8Array,
  maxBytes: number,
  overflow: () => LimitError,
  anomalies: Anomaly[],
  checkDeadline: () => void,
): { bytes: Uint8Array; name?: string } {
  const parts: Uint8Array[] = [];
  let total = 0;
  let at = 0;
  let name: string | undefined;
  while (at < bytes.length) {
    checkDeadline();
    const header = parseHeader(bytes, at);
    if (!header) {
      if (at === 0) throw new FormatError('E_GZIP_HEADER', 'not a gzip header', { offset: 0 });
      if (bytes.subarray(at).some((b) => b !== 0)) {
        anomalies.push({
          code: 'E_GZIP_TRAILING_DATA',
          message: `${bytes.length - at} bytes after the last member`,
          offset: at,
        });
      }
      break;
    }
    name ??= header.name;
    const room = maxBytes - total;
    let result: { buffer: Uint8Array; engine: { bytesWritten: number } };
    try {
      result = (inflateRawSync as unknown as InflateWithInfo)(bytes.subarray(header.dataStart), {
        info: true,
        maxOutputLength: Math.min(Math.max(1, room), bufferConstants.MAX_LENGTH),
        finishFlush: zlibConstants.Z_SYNC_FLUSH,
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw overflow();
      }
      throw new FormatError('E_GZIP_CORRUPT_DATA', (error as Error).message, {
        offset: header.dataStart,
        cause: error,
      });
    }
    if (result.buffer.length > room) throw overflow();
    parts.push(result.buffer);
    total += result.buffer.length;
    const trailer = header.dataStart + result.engine.bytesWritten;
    if (trailer + 8 > bytes.length) {
      anomalies.push({
        code: 'E_GZIP_TRUNCATED',
        message: 'the stream ends before its CRC32/ISIZE trailer',
        offset: trailer,
      });
      break;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset + trailer, 8);
    if (
      view.getUint32(0, true) !== crc32(result.buffer) ||
      view.getUint32(4, true) !== result.buffer.length % 2 ** 32
    ) {
      anomalies.push({
        code: 'E_GZIP_BAD_TRAILER',
        message: 'CRC32 or ISIZE does not match the content',
        offset: trailer,
      });
    }
    at = trailer + 8;
  }
  const out = concatBytes(parts);
  return name === undefined ? { bytes: out } : { bytes: out, name };
}

type InflateWithInfo = (
  data: Uint8Array,
  options: { info: true; maxOutputLength: number; finishFlush: number },
) => { buffer: Uint8Array; engine: { bytesWritten: number } };

/** The child's name: FNAME without any folder part, else the parent's name without `.gz`. */
function childName(fname: string | undefined, parent: string): string {
  const base = fname?.split(/[\\/]/).pop();
  if (base) return base;
  if (/\.tgz$/i.test(parent)) return parent.replace(/\.tgz$/i, '.tar');
  return /\.gz$/i.test(parent) ? parent.replace(/\.gz$/i, '') : `${parent}.gunzipped`;
}

export function analyzeGzip(ctx: AnalysisContext): EngineOutput {
  const anomalies: Anomaly[] = [];
  const where = ctx.artifact.name;
  const { bytes, limits } = ctx;
  try {
    const remaining = ctx.remainingBytes();
    if (remaining <= 0) {
      throw new LimitError('E_LIMIT_TOTAL_BYTES', `${where}: nothing left of the byte budget`, {
        limit: 'maxTotalBytes',
        max: limits.maxTotalBytes,
      });
    }
    // SECURITY: ISIZE (RFC 1952 §2.3.1) is a claim, mod 2^32, and only the last member's, so the ratio
    // is enforced on real output instead: inflation stops at maxRatio × the compressed size.
    const ratioCap = bytes.length * limits.maxRatio;
    const sizeCap = Math.min(limits.maxFileSize, remaining);
    const sizeLimit = sizeCap === limits.maxFileSize ? 'maxFileSize' : 'maxTotalBytes';
    const overflow =
      ratioCap < sizeCap
        ? () =>
            new LimitError(
              'E_LIMIT_RATIO',
              `${where}: inflates past ${limits.maxRatio} × its size`,
              {
                limit: 'maxRatio',
                max: limits.maxRatio,
              },
            )
        : () =>
            new LimitError('E_LIMIT_MEMBER_SIZE', `${where}: inflates past ${sizeCap} bytes`, {
              limit: sizeLimit,
              max: sizeCap,
            });
    const out = gunzipCapped(bytes, Math.min(ratioCap, sizeCap), overflow, anomalies, () =>
      ctx.checkDeadline(),
    );
    const child = { name: childName(out.name, where), bytes: out.bytes, relation: 'member' };
    return {
      findings: findingsForAnomalies(anomalies, where),
      children: [{ ...child, compressedSize: bytes.length }],
    };
  } catch (error) {
    return { findings: [...findingsForAnomalies(anomalies, where), findingForError(error, where)] };
  }
}
