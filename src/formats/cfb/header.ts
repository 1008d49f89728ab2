import { type Anomaly, FormatError } from '../../core/index.js';
import {
  CFB_SIGNATURE,
  HEADER_DIFAT_ENTRIES,
  HEADER_SIZE,
  MINI_STREAM_CUTOFF,
} from './constants.js';

/** MS-CFB 2.2 Compound File Header, with the values this reader decided to trust. */
export interface CfbHeader {
  majorVersion: number;
  /** 512 (version 3) or 4096 (version 4). */
  sectorSize: number;
  numFatSectors: number;
  firstDirectorySector: number;
  firstMiniFatSector: number;
  numMiniFatSectors: number;
  firstDifatSector: number;
  numDifatSectors: number;
  /** The 109 DIFAT entries stored in the header. */
  difat: number[];
}

/** True when `bytes` starts with the compound file signature (MS-CFB 2.2). */
export function isCfb(bytes: Uint8Array): boolean {
  if (bytes.length < CFB_SIGNATURE.length) return false;
  return CFB_SIGNATURE.every((b, i) => bytes[i] === b);
}

/**
 * Reads the header. Throws `E_CFB_NOT_CFB` only for a wrong signature; every other oddity becomes an
 * anomaly and a value Office would also use (Office reads files whose version fields disagree).
 */
export function parseHeader(bytes: Uint8Array, anomalies: Anomaly[]): CfbHeader {
  if (!isCfb(bytes)) {
    throw new FormatError('E_CFB_NOT_CFB', 'not a compound file: bad header signature', {
      offset: 0,
    });
  }
  let head = bytes;
  if (bytes.length < HEADER_SIZE) {
    anomalies.push({
      code: 'E_CFB_FILE_TRUNCATED',
      message: `file is ${bytes.length} bytes, shorter than the 512-byte header`,
      offset: bytes.length,
    });
    head = new Uint8Array(HEADER_SIZE);
    head.set(bytes);
  }
  const view = new DataView(head.buffer, head.byteOffset, HEADER_SIZE);
  const u16 = (o: number): number => view.getUint16(o, true);
  const u32 = (o: number): number => view.getUint32(o, true);
  const bad = (message: string, offset: number): void => {
    anomalies.push({ code: 'E_CFB_BAD_HEADER', message, offset });
  };

  const majorVersion = u16(26);
  if (u16(28) !== 0xfffe) bad(`byte order mark is 0x${u16(28).toString(16)}, not 0xfffe`, 28);
  const sectorShift = u16(30);
  let sectorSize: number;
  if (sectorShift === 9 || sectorShift === 12) {
    sectorSize = 1 << sectorShift;
    const expected = sectorShift === 9 ? 3 : 4;
    if (majorVersion !== expected) {
      bad(`major version ${majorVersion} with sector shift ${sectorShift}`, 26);
    }
  } else {
    // SECURITY: a shift taken from the file could make sectors 2^65535 bytes; only 9 and 12 are legal.
    sectorSize = majorVersion === 4 ? 4096 : 512;
    bad(`sector shift ${sectorShift} is not 9 or 12; using ${sectorSize}-byte sectors`, 30);
  }
  if (u16(32) !== 6) bad(`mini sector shift ${u16(32)} is not 6; using 64-byte mini sectors`, 32);
  if (u32(56) !== MINI_STREAM_CUTOFF) {
    bad(`mini stream cutoff ${u32(56)} is not 4096; using 4096`, 56);
  }
  const difat: number[] = [];
  for (let i = 0; i < HEADER_DIFAT_ENTRIES; i++) difat.push(u32(76 + i * 4));
  return {
    majorVersion,
    sectorSize,
    numFatSectors: u32(44),
    firstDirectorySector: u32(48),
    firstMiniFatSector: u32(60),
    numMiniFatSectors: u32(64),
    firstDifatSector: u32(68),
    numDifatSectors: u32(72),
    difat,
  };
}
