/**
 * @module formats/minidump — a defensive reader for Windows minidumps (`.dmp` from procdump, Task Manager,
 * WER, comsvcs.dll MiniDump), written from minidumpapiset.h as documented at
 * https://learn.microsoft.com/en-us/windows/win32/api/minidumpapiset/ns-minidumpapiset-minidump_header
 * and the MINIDUMP_DIRECTORY, MINIDUMP_MEMORY64_LIST, MINIDUMP_MEMORY_LIST, MINIDUMP_MEMORY_INFO_LIST,
 * MINIDUMP_MODULE_LIST and MINIDUMP_SYSTEM_INFO pages beside it.
 *
 * Gives the memory ranges whose bytes are in the file (virtual address, file offset, and the protection,
 * state and type VirtualQueryEx reported), the modules and the system. No count or offset is trusted:
 * directories and range tables past the end of the file, 2^32-entry counts, ranges sharing file bytes
 * or virtual addresses become anomalies. Only a wrong signature throws (`E_MINIDUMP_NOT_MINIDUMP`).
 *
 * Anomaly codes: E_MINIDUMP_TRUNCATED, E_MINIDUMP_BAD_VERSION, E_MINIDUMP_DIRECTORY_PAST_EOF,
 * E_MINIDUMP_STREAM_PAST_EOF, E_MINIDUMP_SHORT_STREAM, E_MINIDUMP_BAD_COUNT, E_MINIDUMP_REGION_PAST_EOF,
 * E_MINIDUMP_BAD_MEMORY_INFO, E_MINIDUMP_BAD_STRING, E_MINIDUMP_DUPLICATE_STREAM,
 * E_MINIDUMP_DATA_OVERLAP, E_MINIDUMP_VA_OVERLAP, E_LIMIT_MINIDUMP_STREAMS, E_LIMIT_MINIDUMP_ENTRIES;
 * CAPE dumps: E_CAPE_BAD_HEADER, E_CAPE_REGION_PAST_EOF, E_CAPE_TRAILING_BYTES, E_LIMIT_CAPE_REGIONS.
 * Read from a `ByteSource` (a dump on disk), a source that shrinks while read throws E_INPUT_SHRUNK.
 *
 * Also CAPE/Cuckoo 2.x process memory dumps (`cape.ts`: 24-byte `<QIIII` record headers, no magic),
 * whose regions come out as the same `MemoryRegion`s with virtual addresses and protections.
 *
 * Engines that share one parse use `ctx.memo(MINIDUMP_MEMO, () => parseMinidump(ctx.bytes))`.
 */
export {
  isWritableExecutable,
  MAX_MINIDUMP_MODULES,
  MAX_MINIDUMP_REGIONS,
  MAX_MINIDUMP_STREAMS,
  MEM_COMMIT,
  MEM_FREE,
  MEM_IMAGE,
  MEM_MAPPED,
  MEM_PRIVATE,
  MEM_RESERVE,
  memoryStateName,
  memoryTypeName,
  PAGE_EXECUTE,
  PAGE_EXECUTE_READ,
  PAGE_EXECUTE_READWRITE,
  PAGE_EXECUTE_WRITECOPY,
  PAGE_NOACCESS,
  PAGE_READONLY,
  PAGE_READWRITE,
  PAGE_WRITECOPY,
  protectionName,
  STREAM_TYPES,
} from './constants.js';
export { isMinidump, parseMinidump } from './parse.js';
export { MAX_PE_PAGES_PROBED, PE_PROBE_BYTES, peHeaderOffset } from './pe-probe.js';
export type { ByteSource } from './reader.js';
export {
  CAPE_HEADER_SIZE,
  isCapeRecordHeader,
  parseCapeProcessDump,
  type CapeOptions,
  type CapeProcessDump,
} from './cape.js';
export {
  buildMinidump,
  buildPeHeader,
  type BuiltMinidump,
  type MinidumpSpec,
  type ModuleSpec,
  type RegionSpec,
} from './write.js';
export type {
  MemoryInfo,
  MemoryRegion,
  Minidump,
  MinidumpHeader,
  MinidumpModule,
  MinidumpOptions,
  MinidumpStream,
  MinidumpSystemInfo,
} from './types.js';

/** The `ctx.memo` key under which engines share one parse of a minidump artifact. */
export const MINIDUMP_MEMO = 'formats/minidump';

/** `0x7ff6a0001000` — how reports print a virtual address. */
export function formatAddress(va: bigint): string {
  return `0x${va.toString(16)}`;
}
