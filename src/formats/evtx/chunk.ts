import { type Anomaly, DefenseError } from '../../core/index.js';
import { ChunkParser } from './binxml.js';
import {
  CHUNK_HEADER_CRC_SPAN,
  CHUNK_HEADER_SIZE,
  CHUNK_SIGNATURE,
  EVTX_CHUNK_SIZE,
  EVTX_FILE_HEADER_SIZE,
  FILE_HEADER_USED,
  RECORD_HEADER_SIZE,
  RECORD_MIN_SIZE,
  RECORD_SIGNATURE,
} from './constants.js';
import { crc32 } from './crc32.js';
import { formatFiletime } from './format.js';
import { EMPTY_VALUES } from './nodes.js';
import { resolveEvtxOptions } from './options.js';
import { Renderer } from './render.js';
import type { EvtxItem, EvtxOptions, EvtxRecord, ResolvedEvtxOptions } from './types.js';

function anomalyItem(anomaly: Anomaly): EvtxItem {
  return { type: 'anomaly', anomaly };
}

/** The file offset of chunk `index` (chunks follow the 4 KiB file header). */
export function chunkFileOffset(index: number): number {
  return EVTX_FILE_HEADER_SIZE + index * EVTX_CHUNK_SIZE;
}

function isZero(bytes: Uint8Array, length: number): boolean {
  for (let i = 0; i < length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * Reads every record of one 64 KiB chunk (MS-EVEN6 2.3), yielding records and anomalies in file order.
 * Checksums are verified and reported, never enforced: a dirty log's last chunk often has a stale one.
 * The chunk bytes must stay unchanged until the generator is done (records themselves hold no reference
 * to them). Never throws for malformed input.
 *
 * @example
 * for (const item of parseEvtxChunk(bytes.subarray(4096, 4096 + 65536), 0)) {
 *   if (item.type === 'record') console.log(item.recordId, item.event);
 * }
 */
export function* parseEvtxChunk(
  chunk: Uint8Array,
  index: number,
  options: EvtxOptions | ResolvedEvtxOptions = {},
  fileOffset = chunkFileOffset(index),
): Generator<EvtxItem> {
  const resolved = resolveEvtxOptions(options);
  const location = `chunk ${index}`;
  const at = (offset: number): number => fileOffset + offset;
  if (chunk.length < CHUNK_HEADER_SIZE || !CHUNK_SIGNATURE.every((b, i) => chunk[i] === b)) {
    if (isZero(chunk, Math.min(chunk.length, FILE_HEADER_USED))) return; // an unused, zeroed chunk
    const what =
      chunk.length < CHUNK_HEADER_SIZE
        ? `truncated (${chunk.length} bytes)`
        : 'has no "ElfChnk" signature';
    yield anomalyItem({
      code: 'E_EVTX_BAD_CHUNK',
      message: `chunk ${index} ${what}: skipped`,
      offset: fileOffset,
      location,
    });
    return;
  }
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const freeSpace = view.getUint32(48, true);
  if (resolved.verifyChecksums) {
    const headerCrc = crc32(
      chunk.subarray(128, CHUNK_HEADER_SIZE),
      crc32(chunk.subarray(0, CHUNK_HEADER_CRC_SPAN)),
    );
    if (headerCrc !== view.getUint32(124, true)) {
      yield anomalyItem({
        code: 'E_EVTX_CHUNK_HEADER_CRC',
        message: `chunk ${index} header checksum mismatch`,
        offset: at(124),
        location,
      });
    }
    if (freeSpace >= CHUNK_HEADER_SIZE && freeSpace <= chunk.length) {
      const dataCrc = crc32(chunk.subarray(CHUNK_HEADER_SIZE, freeSpace));
      if (dataCrc !== view.getUint32(52, true)) {
        yield anomalyItem({
          code: 'E_EVTX_CHUNK_DATA_CRC',
          message: `chunk ${index} records checksum mismatch`,
          offset: at(52),
          location,
        });
      }
    }
  }
  let limit = freeSpace;
  if (freeSpace < CHUNK_HEADER_SIZE || freeSpace > chunk.length) {
    yield anomalyItem({
      code: 'E_EVTX_BAD_CHUNK',
      message: `chunk ${index} free-space offset ${freeSpace} is impossible: reading records to the end`,
      offset: at(48),
      location,
    });
    limit = chunk.length;
  }
  if (chunk.length < EVTX_CHUNK_SIZE) {
    yield anomalyItem({
      code: 'E_EVTX_TRUNCATED',
      message: `chunk ${index} is cut at ${chunk.length} bytes`,
      offset: fileOffset,
      location,
    });
  }
  yield* readRecords(chunk, view, index, limit, resolved, fileOffset);
}

function* readRecords(
  chunk: Uint8Array,
  view: DataView,
  index: number,
  limit: number,
  options: ResolvedEvtxOptions,
  fileOffset: number,
): Generator<EvtxItem> {
  const anomalies: Anomaly[] = [];
  const parser = new ChunkParser(chunk, options, anomalies, fileOffset);
  const renderer = new Renderer(options, fileOffset);
  let pos = CHUNK_HEADER_SIZE;
  while (pos + RECORD_MIN_SIZE <= limit) {
    const location = `chunk ${index} record at 0x${pos.toString(16)}`;
    const size = view.getUint32(pos + 4, true);
    if (
      view.getUint32(pos, true) !== RECORD_SIGNATURE ||
      size < RECORD_MIN_SIZE ||
      pos + size > chunk.length
    ) {
      if (isZero(chunk.subarray(pos, limit), limit - pos)) break; // zero padding after the last record
      yield anomalyItem({
        code: 'E_EVTX_BAD_RECORD',
        message: `no valid record header: the rest of chunk ${index} is skipped`,
        offset: fileOffset + pos,
        location,
      });
      break;
    }
    if (view.getUint32(pos + size - 4, true) !== size) {
      anomalies.push({
        code: 'E_EVTX_BAD_RECORD',
        message: 'record size and its trailing copy differ',
        offset: fileOffset + pos,
        location,
      });
    }
    const record = readRecord(parser, renderer, view, index, pos, size, fileOffset);
    for (const anomaly of anomalies) yield anomalyItem({ location, ...anomaly });
    anomalies.length = 0;
    if (record instanceof DefenseError) {
      yield anomalyItem({
        code: record.code,
        message: `record skipped: ${record.message}`,
        offset: (record as { offset?: number }).offset ?? fileOffset + pos,
        location,
      });
    } else {
      yield record;
    }
    pos += size;
  }
}

function readRecord(
  parser: ChunkParser,
  renderer: Renderer,
  view: DataView,
  index: number,
  pos: number,
  size: number,
  fileOffset: number,
): EvtxRecord | DefenseError {
  const recordId = view.getUint32(pos + 12, true) * 0x100000000 + view.getUint32(pos + 8, true);
  const time = formatFiletime(view.getUint32(pos + 16, true), view.getUint32(pos + 20, true));
  try {
    const nodes = parser.parseRecord(pos + RECORD_HEADER_SIZE, pos + size - 4);
    const event = renderer.renderRecord(nodes, EMPTY_VALUES);
    return { type: 'record', recordId, time, chunk: index, offset: fileOffset + pos, event };
  } catch (error) {
    if (error instanceof DefenseError) return error;
    // SECURITY: a DataView bounds error or any other surprise from hostile bytes drops this record only.
    return new DefenseError(
      'E_EVTX_BINXML',
      error instanceof Error ? error.message : String(error),
    );
  }
}
