import type { Anomaly } from '../../core/index.js';
import { chunkFileOffset, parseEvtxChunk } from './chunk.js';
import { CHUNK_SIGNATURE, EVTX_CHUNK_SIZE, EVTX_FILE_HEADER_SIZE } from './constants.js';
import { parseEvtxFileHeader } from './file-header.js';
import { resolveEvtxOptions } from './options.js';
import type { EvtxFileHeader, EvtxItem, EvtxOptions, EvtxRecord } from './types.js';

/**
 * Reads an EVTX file given as its 4 KiB header and then its chunks in order (the last may be short), so a
 * file can be read chunk by chunk with memory bounded by one chunk. Every chunk is read whatever the
 * header's chunk count says (a log that was not closed cleanly under-counts them). Each chunk must stay
 * unchanged until the next one is requested, so one buffer can be reused for reading.
 *
 * @example
 * function* chunks(fd: number) {
 *   const buffer = new Uint8Array(65536);
 *   for (let n; (n = readSync(fd, buffer)) > 0; ) yield buffer.subarray(0, n);
 * }
 * for (const item of readEvtxStream(head, chunks(fd))) …
 */
export function* readEvtxStream(
  head: Uint8Array,
  chunks: Iterable<Uint8Array>,
  options: EvtxOptions = {},
): Generator<EvtxItem> {
  const resolved = resolveEvtxOptions(options);
  const { header, anomalies } = parseEvtxFileHeader(head, resolved.verifyChecksums);
  for (const anomaly of anomalies) yield { type: 'anomaly', anomaly };
  if (head.length < EVTX_FILE_HEADER_SIZE) {
    yield anomaly('E_EVTX_TRUNCATED', `file ends inside its header (${head.length} bytes)`, 0);
  }
  let index = 0;
  for (const chunk of chunks) {
    if (header.isValid && index === header.chunkCount && hasChunkSignature(chunk)) {
      // A reader that trusts the header stops here and misses the rest of the log.
      yield anomaly(
        'E_EVTX_HEADER_CHUNK_COUNT',
        `the file header claims ${header.chunkCount} chunk(s) but chunk ${index} holds records: reading on`,
        chunkFileOffset(index),
      );
    }
    yield* parseEvtxChunk(chunk, index, resolved);
    index++;
  }
  if (header.isValid && index < header.chunkCount) {
    yield anomaly(
      'E_EVTX_TRUNCATED',
      `the file header claims ${header.chunkCount} chunks but the file ends after ${index}`,
      chunkFileOffset(index),
    );
  }
}

function anomaly(code: `E_${string}`, message: string, offset: number): EvtxItem {
  return { type: 'anomaly', anomaly: { code, message, offset } };
}

function hasChunkSignature(chunk: Uint8Array): boolean {
  return CHUNK_SIGNATURE.every((b, i) => chunk[i] === b);
}

function* sliceChunks(bytes: Uint8Array): Generator<Uint8Array> {
  for (let at = EVTX_FILE_HEADER_SIZE; at < bytes.length; at += EVTX_CHUNK_SIZE) {
    yield bytes.subarray(at, Math.min(at + EVTX_CHUNK_SIZE, bytes.length));
  }
}

/**
 * Streams the records of an EVTX file held in memory, with anomalies in file order. Never throws for
 * malformed input (only for invalid options).
 *
 * @example
 * for (const item of readEvtx(bytes)) {
 *   if (item.type === 'record') console.log(JSON.stringify(item.event));
 *   else console.warn(item.anomaly.code, item.anomaly.message);
 * }
 */
export function readEvtx(bytes: Uint8Array, options: EvtxOptions = {}): Generator<EvtxItem> {
  return readEvtxStream(bytes.subarray(0, EVTX_FILE_HEADER_SIZE), sliceChunks(bytes), options);
}

export interface EvtxFile {
  header: EvtxFileHeader;
  records: EvtxRecord[];
  anomalies: Anomaly[];
}

/** Every record of an in-memory file at once: for small files and tests (large files: `readEvtx`). */
export function parseEvtx(bytes: Uint8Array, options: EvtxOptions = {}): EvtxFile {
  const resolved = resolveEvtxOptions(options);
  const { header } = parseEvtxFileHeader(bytes.subarray(0, EVTX_FILE_HEADER_SIZE), false);
  const records: EvtxRecord[] = [];
  const anomalies: Anomaly[] = [];
  for (const item of readEvtx(bytes, resolved)) {
    if (item.type === 'record') records.push(item);
    else anomalies.push(item.anomaly);
  }
  return { header, records, anomalies };
}
