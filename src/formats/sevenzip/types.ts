import type { Anomaly } from '../../core/index.js';

export interface Coder {
  /** Method id in hex: `030101` LZMA, `21` LZMA2, `06f10701` AES-256 + SHA-256 … */
  id: string;
  method: string;
  numInStreams: number;
  numOutStreams: number;
  properties: Uint8Array;
}

export interface Folder {
  coders: Coder[];
  bindPairs: { inIndex: number; outIndex: number }[];
  /** Coder in-stream indices fed from pack streams, in pack stream order. */
  packedStreams: number[];
  /** Unpack size of every coder out-stream, in coder order. */
  unpackSizes: number[];
  /** First pack stream of this folder. */
  firstPackStream: number;
  /** Number of files (substreams) the folder's output is split into. */
  numSubstreams: number;
  isEncrypted: boolean;
  /** UnPackInfo gave this folder's CRC (its single substream then has no digest of its own). */
  hasCrc?: boolean;
  /** That CRC-32 of the folder's output. */
  crc?: number;
  /** CRC-32 of each substream (file) where SubStreamsInfo gives it. */
  substreamCrcs?: (number | undefined)[];
}

export interface SevenZipEntry {
  name: string;
  isDirectory: boolean;
  size: number;
  /** Folder holding the data, absent for empty files and directories. */
  folder?: number;
  /** Offset of the file's bytes in the folder's output. */
  offsetInFolder: number;
  attributes?: number;
}

export interface SevenZipArchive {
  version: string;
  /** The header itself is compressed (kEncodedHeader, the 7-Zip default). */
  isHeaderEncoded: boolean;
  /** The header is encrypted (7z -mhe=on): names and contents need the password. */
  isHeaderEncrypted: boolean;
  /** Absolute offsets and sizes of the pack streams. */
  packStreams: { offset: number; size: number }[];
  folders: Folder[];
  entries: SevenZipEntry[];
  anomalies: Anomaly[];
  /** The candidate password that opened the encrypted header, when one did. */
  password?: string;
  /** Keys derived so far (cache shared by the header and the folders). */
  keys?: Map<string, Uint8Array>;
}

export interface SevenZipOptions {
  /** Most bytes any one decoded stream (header or folder) may produce. */
  maxOutput?: number;
  maxEntries?: number;
  checkDeadline?: () => void;
  /** Candidate passwords for AES-encrypted headers and folders, tried in order. */
  passwords?: readonly string[];
  /** Most 7zAES key-derivation rounds, as a power of two (default 24). */
  maxAesCyclesPower?: number;
}

export const MAX_7Z_ENTRIES = 100_000;

export const METHODS: Readonly<Record<string, string>> = {
  '00': 'Copy',
  '03': 'Delta',
  '21': 'LZMA2',
  '030101': 'LZMA',
  '03030103': 'BCJ',
  '0303011b': 'BCJ2',
  '03030205': 'PPC',
  '03030401': 'IA64',
  '03030501': 'ARM',
  '03030701': 'ARMT',
  '03030805': 'SPARC',
  '030401': 'PPMD',
  '040108': 'Deflate',
  '040109': 'Deflate64',
  '040202': 'BZip2',
  '06f10701': 'AES-256',
};

export const AES_METHOD = '06f10701';
