import type { Anomaly } from '../../core/index.js';

/** MINIDUMP_HEADER. */
export interface MinidumpHeader {
  /** MINIDUMP_VERSION (0xA793) in the low word when the writer follows the documentation. */
  version: number;
  /** The high word of Version: implementation-specific (dbghelp build). */
  implementationVersion: number;
  numberOfStreams: number;
  streamDirectoryRva: number;
  checkSum: number;
  /** Seconds since 1970 (UTC) when the dump was written. */
  timeDateStamp: number;
  /** MINIDUMP_TYPE flags (MiniDumpWithFullMemory = 0x2 …). */
  flags: bigint;
}

/** One MINIDUMP_DIRECTORY entry. */
export interface MinidumpStream {
  type: number;
  /** MINIDUMP_STREAM_TYPE name, or `Stream<n>` for types this parser does not know. */
  name: string;
  rva: number;
  size: number;
}

/** MINIDUMP_MODULE: an image mapped in the process. */
export interface MinidumpModule {
  base: bigint;
  size: number;
  checkSum: number;
  timeDateStamp: number;
  /** Full path as the loader recorded it (MINIDUMP_STRING at ModuleNameRva); '' when unreadable. */
  name: string;
}

/** MINIDUMP_MEMORY_INFO: what VirtualQueryEx said about one region. */
export interface MemoryInfo {
  base: bigint;
  allocationBase: bigint;
  allocationProtect: number;
  size: bigint;
  /** MEM_COMMIT / MEM_RESERVE / MEM_FREE */
  state: number;
  /** PAGE_* protection of the region. */
  protect: number;
  /** MEM_PRIVATE / MEM_MAPPED / MEM_IMAGE */
  type: number;
}

/** A range of process memory whose bytes are in the dump. */
export interface MemoryRegion {
  /** Virtual address of the first byte. */
  va: bigint;
  /** Bytes present in the file (may be less than declared when the file is cut; see anomalies). */
  size: number;
  /** Offset of the first byte in the dump file. */
  fileOffset: number;
  source: 'Memory64ListStream' | 'MemoryListStream' | 'CapeProcessDump';
  /** The MemoryInfoListStream entry that contains `va`, when the dump has one. */
  info?: MemoryInfo;
}

/** MINIDUMP_SYSTEM_INFO (without the CPU union). */
export interface MinidumpSystemInfo {
  /** PROCESSOR_ARCHITECTURE_*: 0 x86, 9 AMD64, 12 ARM64. */
  processorArchitecture: number;
  processorLevel: number;
  processorRevision: number;
  numberOfProcessors: number;
  /** VER_NT_WORKSTATION (1), DOMAIN_CONTROLLER (2), SERVER (3). */
  productType: number;
  majorVersion: number;
  minorVersion: number;
  buildNumber: number;
  platformId: number;
}

export interface Minidump {
  header: MinidumpHeader;
  streams: MinidumpStream[];
  modules: MinidumpModule[];
  memoryInfo: MemoryInfo[];
  /** Ranges with bytes in the file, sorted by virtual address; their file ranges never overlap. */
  regions: MemoryRegion[];
  systemInfo?: MinidumpSystemInfo;
  anomalies: Anomaly[];
}

export interface MinidumpOptions {
  /** Directory entries read. Default `MAX_MINIDUMP_STREAMS`. */
  maxStreams?: number;
  /** Memory ranges, and separately memory-info entries, kept. Default `MAX_MINIDUMP_REGIONS`. */
  maxRegions?: number;
  /** Modules kept. Default `MAX_MINIDUMP_MODULES`. */
  maxModules?: number;
}
