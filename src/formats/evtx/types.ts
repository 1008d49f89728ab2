import type { Anomaly } from '../../core/index.js';

/** MS-EVEN6 2.2 file header, as read (not trusted: a live or crashed log lies about its chunks). */
export interface EvtxFileHeader {
  /** False when the "ElfFile\0" signature is missing (a carved or wiped file); chunks are still read. */
  isValid: boolean;
  firstChunkNumber: number;
  lastChunkNumber: number;
  nextRecordId: number;
  majorVersion: number;
  minorVersion: number;
  /** The header's claim; readers walk every 64 KiB chunk to the end of the file regardless. */
  chunkCount: number;
  /** 0x1 dirty (not closed cleanly), 0x2 full. */
  flags: number;
  isChecksumValid: boolean;
}

/** One event record in the evtx-rs JSON layout (the one Chainsaw, Hayabusa and SigmaHQ test data use). */
export interface EvtxRecord {
  type: 'record';
  /** EventRecordIdentifier from the record header. */
  recordId: number;
  /** The record header's FILETIME, ISO 8601 UTC with microseconds: `2019-03-19T23:34:04.542497Z`. */
  time: string;
  /** 0-based index of the 64 KiB chunk in the file. */
  chunk: number;
  /** Byte offset of the record in the file. */
  offset: number;
  /** `{ Event: { '#attributes': { xmlns }, System: {…}, EventData: {…} } }` (or `UserData`). */
  event: Record<string, unknown>;
}

/** Something malformed met while reading; reading goes on after it. */
export interface EvtxAnomaly {
  type: 'anomaly';
  anomaly: Anomaly;
}

export type EvtxItem = EvtxRecord | EvtxAnomaly;

export interface EvtxOptions {
  /** Element nesting followed in one record. Default `MAX_EVTX_DEPTH` (64). */
  maxDepth?: number;
  /** Elements rendered for one record before it is dropped. Default `MAX_EVTX_RECORD_NODES`. */
  maxRecordNodes?: number;
  /** Check the CRC32 of file and chunk headers and of each chunk's records (default true). */
  verifyChecksums?: boolean;
}

export interface ResolvedEvtxOptions {
  maxDepth: number;
  maxRecordNodes: number;
  verifyChecksums: boolean;
}
