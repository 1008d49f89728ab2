import type { Anomaly } from '../../core/index.js';
import {
  MAX_MINIDUMP_STRING_CHARS,
  MEMORY_DESCRIPTOR_SIZE,
  MEMORY_INFO_SIZE,
  MODULE_SIZE,
  SYSTEM_INFO_SIZE,
} from './constants.js';
import { anomaly, type DumpReader, toSafeNumber } from './reader.js';
import type {
  MemoryInfo,
  MemoryRegion,
  MinidumpModule,
  MinidumpStream,
  MinidumpSystemInfo,
} from './types.js';

/**
 * The bytes of a stream that lie inside the file; a stream cut by the file end is an anomaly, and one
 * shorter than `minSize` (its fixed header) is an anomaly and undefined.
 */
export function streamBounds(
  reader: DumpReader,
  stream: MinidumpStream,
  minSize: number,
  anomalies: Anomaly[],
): { start: number; end: number } | undefined {
  const start = Math.min(stream.rva, reader.length);
  const end = Math.min(stream.rva + stream.size, reader.length);
  if (stream.rva + stream.size > reader.length) {
    anomalies.push(
      anomaly(
        'E_MINIDUMP_STREAM_PAST_EOF',
        `${stream.name} (${stream.size} bytes at ${stream.rva}) ends past the end of the file`,
        stream.rva,
        stream.name,
      ),
    );
  }
  if (end - start < minSize) {
    anomalies.push(anomaly('E_MINIDUMP_SHORT_STREAM', `${stream.name} is too short`, start));
    return undefined;
  }
  return { start, end };
}

/**
 * How many fixed-size entries to read: what the stream declares, cut to what the stream holds and to the
 * cap. A declared count of 2^32 in a 100-byte stream is the classic allocation attack.
 */
function entryCount(
  declared: bigint,
  room: number,
  entrySize: number,
  cap: number,
  stream: MinidumpStream,
  anomalies: Anomaly[],
): number {
  const fits = Math.max(0, Math.floor(room / entrySize));
  let count = declared > BigInt(fits) ? fits : Number(declared);
  if (declared > BigInt(fits)) {
    anomalies.push(
      anomaly(
        'E_MINIDUMP_BAD_COUNT',
        `${stream.name} declares ${declared} entries but holds ${fits}`,
        stream.rva,
        stream.name,
      ),
    );
  }
  if (count > cap) {
    anomalies.push(
      anomaly(
        'E_LIMIT_MINIDUMP_ENTRIES',
        `${stream.name}: only the first ${cap} of ${count} entries were read`,
        stream.rva,
        stream.name,
      ),
    );
    count = cap;
  }
  return count;
}

/** Tracks ranges whose bytes lie (partly) past the end of the file: one anomaly per stream, not per range. */
class PastEof {
  private ranges = 0;
  private bytes = 0;

  constructor(private readonly stream: MinidumpStream) {}

  /** The bytes of `[offset, offset+size)` present in a file of `length`; counts what is missing. */
  present(offset: number, size: number, length: number): number {
    const present = Math.max(0, Math.min(size, length - offset));
    if (present < size) {
      this.ranges++;
      this.bytes += size - present;
    }
    return present;
  }

  report(anomalies: Anomaly[]): void {
    if (this.ranges === 0) return;
    anomalies.push(
      anomaly(
        'E_MINIDUMP_REGION_PAST_EOF',
        `${this.ranges} memory range(s) of ${this.stream.name} point past the end of the file ` +
          `(${this.bytes} bytes missing)`,
        this.stream.rva,
        this.stream.name,
      ),
    );
  }
}

/** MINIDUMP_MEMORY64_LIST: descriptors, then the bytes of every range back to back from BaseRva. */
export function readMemory64List(
  reader: DumpReader,
  stream: MinidumpStream,
  maxRegions: number,
  anomalies: Anomaly[],
): MemoryRegion[] {
  const bounds = streamBounds(reader, stream, 16, anomalies);
  if (!bounds) return [];
  const { start, end } = bounds;
  const declared = reader.u64(start);
  let offset = toSafeNumber(reader.u64(start + 8));
  const count = entryCount(
    declared,
    end - start - 16,
    MEMORY_DESCRIPTOR_SIZE,
    maxRegions,
    stream,
    anomalies,
  );
  const regions: MemoryRegion[] = [];
  const eof = new PastEof(stream);
  for (let i = 0, at = start + 16; i < count; i++, at += MEMORY_DESCRIPTOR_SIZE) {
    const va = reader.u64(at);
    const size = toSafeNumber(reader.u64(at + 8));
    const present = eof.present(offset, size, reader.length);
    if (present > 0) {
      regions.push({ va, size: present, fileOffset: offset, source: 'Memory64ListStream' });
    }
    offset = Math.min(offset + size, Number.MAX_SAFE_INTEGER);
  }
  eof.report(anomalies);
  return regions;
}

/** MINIDUMP_MEMORY_LIST: each descriptor carries its own Rva and 32-bit size. */
export function readMemoryList(
  reader: DumpReader,
  stream: MinidumpStream,
  maxRegions: number,
  anomalies: Anomaly[],
): MemoryRegion[] {
  const bounds = streamBounds(reader, stream, 4, anomalies);
  if (!bounds) return [];
  const { start, end } = bounds;
  const declared = BigInt(reader.u32(start));
  const count = entryCount(
    declared,
    end - start - 4,
    MEMORY_DESCRIPTOR_SIZE,
    maxRegions,
    stream,
    anomalies,
  );
  const regions: MemoryRegion[] = [];
  const eof = new PastEof(stream);
  for (let i = 0, at = start + 4; i < count; i++, at += MEMORY_DESCRIPTOR_SIZE) {
    const va = reader.u64(at);
    const size = reader.u32(at + 8);
    const rva = reader.u32(at + 12);
    const present = eof.present(rva, size, reader.length);
    if (present > 0)
      regions.push({ va, size: present, fileOffset: rva, source: 'MemoryListStream' });
  }
  eof.report(anomalies);
  return regions;
}

/** MINIDUMP_MEMORY_INFO_LIST: header and entry sizes are given by the file, so newer writers can grow them. */
export function readMemoryInfoList(
  reader: DumpReader,
  stream: MinidumpStream,
  maxRegions: number,
  anomalies: Anomaly[],
): MemoryInfo[] {
  const bounds = streamBounds(reader, stream, 16, anomalies);
  if (!bounds) return [];
  const { start, end } = bounds;
  const headerSize = reader.u32(start);
  const entrySize = reader.u32(start + 4);
  if (headerSize < 16 || entrySize < MEMORY_INFO_SIZE) {
    anomalies.push(
      anomaly(
        'E_MINIDUMP_BAD_MEMORY_INFO',
        `${stream.name}: header size ${headerSize} or entry size ${entrySize} is too small`,
        start,
        stream.name,
      ),
    );
    return [];
  }
  const first = start + Math.min(headerSize, end - start);
  const count = entryCount(
    reader.u64(start + 8),
    end - first,
    entrySize,
    maxRegions,
    stream,
    anomalies,
  );
  const infos: MemoryInfo[] = [];
  for (let i = 0, at = first; i < count; i++, at += entrySize) {
    infos.push({
      base: reader.u64(at),
      allocationBase: reader.u64(at + 8),
      allocationProtect: reader.u32(at + 16),
      size: reader.u64(at + 24),
      state: reader.u32(at + 32),
      protect: reader.u32(at + 36),
      type: reader.u32(at + 40),
    });
  }
  return infos;
}

/** MINIDUMP_MODULE_LIST with each module's name (MINIDUMP_STRING). */
export function readModuleList(
  reader: DumpReader,
  stream: MinidumpStream,
  maxModules: number,
  anomalies: Anomaly[],
): MinidumpModule[] {
  const bounds = streamBounds(reader, stream, 4, anomalies);
  if (!bounds) return [];
  const { start, end } = bounds;
  const count = entryCount(
    BigInt(reader.u32(start)),
    end - start - 4,
    MODULE_SIZE,
    maxModules,
    stream,
    anomalies,
  );
  const modules: MinidumpModule[] = [];
  let unnamed = 0;
  for (let i = 0, at = start + 4; i < count; i++, at += MODULE_SIZE) {
    const name = reader.string(reader.u32(at + 20), MAX_MINIDUMP_STRING_CHARS);
    if (name === undefined) unnamed++;
    modules.push({
      base: reader.u64(at),
      size: reader.u32(at + 8),
      checkSum: reader.u32(at + 12),
      timeDateStamp: reader.u32(at + 16),
      name: name ?? '',
    });
  }
  if (unnamed > 0) {
    anomalies.push(
      anomaly(
        'E_MINIDUMP_BAD_STRING',
        `${unnamed} module name(s) point past the end of the file`,
        start,
        stream.name,
      ),
    );
  }
  return modules;
}

export function readSystemInfo(
  reader: DumpReader,
  stream: MinidumpStream,
  anomalies: Anomaly[],
): MinidumpSystemInfo | undefined {
  const start = streamBounds(reader, stream, SYSTEM_INFO_SIZE, anomalies)?.start;
  if (start === undefined) return undefined;
  return {
    processorArchitecture: reader.u16(start),
    processorLevel: reader.u16(start + 2),
    processorRevision: reader.u16(start + 4),
    numberOfProcessors: reader.u8(start + 6),
    productType: reader.u8(start + 7),
    majorVersion: reader.u32(start + 8),
    minorVersion: reader.u32(start + 12),
    buildNumber: reader.u32(start + 16),
    platformId: reader.u32(start + 20),
  };
}
