import { type Anomaly, ConfigError, FormatError } from '../../core/index.js';
import {
  DIRECTORY_ENTRY_SIZE,
  HEADER_SIZE,
  MAX_MINIDUMP_MODULES,
  MAX_MINIDUMP_REGIONS,
  MAX_MINIDUMP_STREAMS,
  MEMORY64_LIST_STREAM,
  MEMORY_INFO_LIST_STREAM,
  MEMORY_LIST_STREAM,
  MINIDUMP_SIGNATURE,
  MINIDUMP_VERSION,
  MODULE_LIST_STREAM,
  STREAM_TYPES,
  SYSTEM_INFO_STREAM,
} from './constants.js';
import { anomaly, DumpReader, type ByteSource } from './reader.js';
import { attachMemoryInfo, dropFileOverlaps, sortByAddress } from './regions.js';
import {
  readMemory64List,
  readMemoryInfoList,
  readMemoryList,
  readModuleList,
  readSystemInfo,
} from './streams.js';
import type {
  MemoryRegion,
  Minidump,
  MinidumpHeader,
  MinidumpOptions,
  MinidumpStream,
} from './types.js';

/** True when `bytes` start with the MINIDUMP_HEADER signature "MDMP". */
export function isMinidump(bytes: Uint8Array | ByteSource): boolean {
  return bytes.length >= 4 && new DumpReader(bytes).u32(0) === MINIDUMP_SIGNATURE;
}

/**
 * Parses a Windows minidump (procdump, Task Manager, WER, comsvcs MiniDump) without trusting it.
 * Throws `FormatError(E_MINIDUMP_NOT_MINIDUMP)` only when the signature is wrong; a directory or range
 * table past the end of the file, overlapping ranges and absurd counts are anomalies, and what is
 * readable is still returned. Given a `ByteSource` (a multi-GiB dump on disk), only the header, the
 * directory and the streams' tables are read, never the memory ranges; a source that returns fewer
 * bytes than it has (a file shrinking while read) throws `FormatError(E_INPUT_SHRUNK)`.
 *
 * @example
 * const dump = parseMinidump(bytes);
 * for (const r of dump.regions) console.log(r.va.toString(16), r.size, r.info?.protect);
 */
export function parseMinidump(
  bytes: Uint8Array | ByteSource,
  options: MinidumpOptions = {},
): Minidump {
  const maxStreams = checkOption('maxStreams', options.maxStreams, MAX_MINIDUMP_STREAMS);
  const maxRegions = checkOption('maxRegions', options.maxRegions, MAX_MINIDUMP_REGIONS);
  const maxModules = checkOption('maxModules', options.maxModules, MAX_MINIDUMP_MODULES);
  if (!isMinidump(bytes)) {
    throw new FormatError('E_MINIDUMP_NOT_MINIDUMP', 'no MDMP signature', { offset: 0 });
  }
  const reader = new DumpReader(bytes);
  const anomalies: Anomaly[] = [];
  const dump: Minidump = {
    header: readHeader(reader, anomalies),
    streams: [],
    modules: [],
    memoryInfo: [],
    regions: [],
    anomalies,
  };
  dump.streams = readDirectory(reader, dump.header, maxStreams, anomalies);
  const seen = new Set<number>();
  let regions: MemoryRegion[] = [];
  for (const stream of dump.streams) {
    if (!isKnownOnce(stream, seen, anomalies)) continue;
    switch (stream.type) {
      case MEMORY64_LIST_STREAM:
        regions.push(...readMemory64List(reader, stream, maxRegions, anomalies));
        break;
      case MEMORY_LIST_STREAM:
        regions.push(...readMemoryList(reader, stream, maxRegions, anomalies));
        break;
      case MEMORY_INFO_LIST_STREAM:
        dump.memoryInfo = readMemoryInfoList(reader, stream, maxRegions, anomalies);
        break;
      case MODULE_LIST_STREAM:
        dump.modules = readModuleList(reader, stream, maxModules, anomalies);
        break;
      case SYSTEM_INFO_STREAM: {
        const info = readSystemInfo(reader, stream, anomalies);
        if (info) dump.systemInfo = info;
        break;
      }
    }
  }
  if (regions.length > maxRegions) {
    anomalies.push(
      anomaly('E_LIMIT_MINIDUMP_ENTRIES', `only ${maxRegions} of ${regions.length} ranges kept`),
    );
    regions = regions.slice(0, maxRegions);
  }
  dump.regions = sortByAddress(dropFileOverlaps(regions, anomalies), anomalies);
  attachMemoryInfo(dump.regions, dump.memoryInfo);
  return dump;
}

function readHeader(reader: DumpReader, anomalies: Anomaly[]): MinidumpHeader {
  if (!reader.has(0, HEADER_SIZE)) {
    anomalies.push(anomaly('E_MINIDUMP_TRUNCATED', 'file ends inside MINIDUMP_HEADER', 0));
    return {
      version: 0,
      implementationVersion: 0,
      numberOfStreams: 0,
      streamDirectoryRva: 0,
      checkSum: 0,
      timeDateStamp: 0,
      flags: 0n,
    };
  }
  const version = reader.u32(4);
  if ((version & 0xffff) !== MINIDUMP_VERSION) {
    anomalies.push(
      anomaly('E_MINIDUMP_BAD_VERSION', `version 0x${(version & 0xffff).toString(16)}`, 4),
    );
  }
  return {
    version: version & 0xffff,
    implementationVersion: version >>> 16,
    numberOfStreams: reader.u32(8),
    streamDirectoryRva: reader.u32(12),
    checkSum: reader.u32(16),
    timeDateStamp: reader.u32(20),
    flags: reader.u64(24),
  };
}

function readDirectory(
  reader: DumpReader,
  header: MinidumpHeader,
  maxStreams: number,
  anomalies: Anomaly[],
): MinidumpStream[] {
  const rva = header.streamDirectoryRva;
  const fits = Math.max(0, Math.floor((reader.length - rva) / DIRECTORY_ENTRY_SIZE));
  let count = header.numberOfStreams;
  if (count > fits) {
    anomalies.push(
      anomaly(
        'E_MINIDUMP_DIRECTORY_PAST_EOF',
        `the stream directory declares ${count} entries at ${rva}; ${fits} fit in the file`,
        rva,
      ),
    );
    count = fits;
  }
  if (count > maxStreams) {
    anomalies.push(
      anomaly('E_LIMIT_MINIDUMP_STREAMS', `only the first ${maxStreams} of ${count} streams read`),
    );
    count = maxStreams;
  }
  const streams: MinidumpStream[] = [];
  for (let i = 0, at = rva; i < count; i++, at += DIRECTORY_ENTRY_SIZE) {
    const type = reader.u32(at);
    streams.push({
      type,
      name: STREAM_TYPES[type] ?? `Stream${type}`,
      size: reader.u32(at + 4),
      rva: reader.u32(at + 8),
    });
  }
  return streams;
}

const READ_ONCE = new Set([
  MEMORY64_LIST_STREAM,
  MEMORY_LIST_STREAM,
  MEMORY_INFO_LIST_STREAM,
  MODULE_LIST_STREAM,
  SYSTEM_INFO_STREAM,
]);

/** dbghelp writes each of these once; a second copy is how a forged dump hides ranges from one reader. */
function isKnownOnce(stream: MinidumpStream, seen: Set<number>, anomalies: Anomaly[]): boolean {
  if (!READ_ONCE.has(stream.type)) return false;
  if (seen.has(stream.type)) {
    anomalies.push(
      anomaly(
        'E_MINIDUMP_DUPLICATE_STREAM',
        `a second ${stream.name} was ignored`,
        stream.rva,
        stream.name,
      ),
    );
    return false;
  }
  seen.add(stream.type);
  return true;
}

function checkOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigError('E_CONFIG_OPTION', `${name} must be a positive integer, got ${value}`);
  }
  return value;
}
