/**
 * @module formats/evtx — a defensive, streaming reader for Windows XML event logs (.evtx), written from
 * [MS-EVEN6] https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-even6/ (2.2 file header,
 * 2.3 chunks, 2.4 records, 2.2.12–2.2.13 BinXml and value types).
 *
 * Records come out as plain JSON in the evtx-rs layout (omerbenamram/evtx, as used by Chainsaw, Hayabusa
 * and SigmaHQ's test data): `{"Event":{"#attributes":{"xmlns":…},"System":{…},"EventData":{…}}}`.
 * Every 64 KiB chunk is read whatever the file header claims; checksums are verified and reported, never
 * enforced. Templates are parsed once per chunk. Malformed input becomes anomalies and the readable
 * records are still returned; nothing here throws for hostile bytes.
 *
 * Anomaly codes: E_EVTX_BAD_FILE_HEADER, E_EVTX_FILE_HEADER_CRC, E_EVTX_HEADER_CHUNK_COUNT,
 * E_EVTX_TRUNCATED, E_EVTX_BAD_CHUNK, E_EVTX_CHUNK_HEADER_CRC, E_EVTX_CHUNK_DATA_CRC, E_EVTX_BAD_RECORD,
 * E_EVTX_BINXML, E_EVTX_BAD_OFFSET, E_EVTX_BAD_TEMPLATE, E_EVTX_TEMPLATE_LOOP, E_EVTX_TOO_DEEP,
 * E_EVTX_RECORD_TOO_LARGE, E_EVTX_BAD_VALUE.
 *
 * @example
 * for (const item of readEvtx(bytes)) {
 *   if (item.type === 'record') console.log(JSON.stringify(item.event));
 * }
 */
export { chunkFileOffset, parseEvtxChunk } from './chunk.js';
export {
  EVTX_CHUNK_SIZE,
  EVTX_FILE_HEADER_SIZE,
  MAX_EVTX_ARRAY_ITEMS,
  MAX_EVTX_DEPTH,
  MAX_EVTX_RECORD_NODES,
} from './constants.js';
export { isEvtx, parseEvtxFileHeader } from './file-header.js';
export { evtxRecordToLogEvent } from './log-event.js';
export { type EvtxFile, parseEvtx, readEvtx, readEvtxStream } from './read.js';
export type { EvtxAnomaly, EvtxFileHeader, EvtxItem, EvtxOptions, EvtxRecord } from './types.js';
