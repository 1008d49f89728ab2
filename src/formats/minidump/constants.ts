/**
 * Magic numbers of the Windows minidump format, from minidumpapiset.h and winnt.h as documented at
 * https://learn.microsoft.com/en-us/windows/win32/api/minidumpapiset/ (each constant names its structure).
 */

/** MINIDUMP_HEADER.Signature: "MDMP" read as a little-endian u32. */
export const MINIDUMP_SIGNATURE = 0x504d444d;
/** MINIDUMP_HEADER.Version low word (MINIDUMP_VERSION); the high word is implementation-specific. */
export const MINIDUMP_VERSION = 0xa793;

/** sizeof(MINIDUMP_HEADER). */
export const HEADER_SIZE = 32;
/** sizeof(MINIDUMP_DIRECTORY). */
export const DIRECTORY_ENTRY_SIZE = 12;
/** sizeof(MINIDUMP_MEMORY_DESCRIPTOR) and sizeof(MINIDUMP_MEMORY_DESCRIPTOR64). */
export const MEMORY_DESCRIPTOR_SIZE = 16;
/** sizeof(MINIDUMP_MEMORY_INFO). */
export const MEMORY_INFO_SIZE = 48;
/** sizeof(MINIDUMP_MODULE) (declared with 4-byte packing). */
export const MODULE_SIZE = 108;
/** sizeof(MINIDUMP_SYSTEM_INFO) up to and excluding the CPU_INFORMATION union. */
export const SYSTEM_INFO_SIZE = 32;

/** MINIDUMP_STREAM_TYPE values emoguard reads or names. */
export const STREAM_TYPES: Readonly<Record<number, string>> = {
  0: 'UnusedStream',
  3: 'ThreadListStream',
  4: 'ModuleListStream',
  5: 'MemoryListStream',
  6: 'ExceptionStream',
  7: 'SystemInfoStream',
  8: 'ThreadExListStream',
  9: 'Memory64ListStream',
  10: 'CommentStreamA',
  11: 'CommentStreamW',
  12: 'HandleDataStream',
  13: 'FunctionTableStream',
  14: 'UnloadedModuleListStream',
  15: 'MiscInfoStream',
  16: 'MemoryInfoListStream',
  17: 'ThreadInfoListStream',
  18: 'HandleOperationListStream',
  19: 'TokenStream',
  20: 'JavaScriptDataStream',
  21: 'SystemMemoryInfoStream',
  22: 'ProcessVmCountersStream',
  23: 'IptTraceStream',
  24: 'ThreadNamesStream',
};
export const MODULE_LIST_STREAM = 4;
export const MEMORY_LIST_STREAM = 5;
export const SYSTEM_INFO_STREAM = 7;
export const MEMORY64_LIST_STREAM = 9;
export const MEMORY_INFO_LIST_STREAM = 16;

/** winnt.h memory protection constants (MEMORY_BASIC_INFORMATION.Protect). */
export const PAGE_NOACCESS = 0x01;
export const PAGE_READONLY = 0x02;
export const PAGE_READWRITE = 0x04;
export const PAGE_WRITECOPY = 0x08;
export const PAGE_EXECUTE = 0x10;
export const PAGE_EXECUTE_READ = 0x20;
export const PAGE_EXECUTE_READWRITE = 0x40;
export const PAGE_EXECUTE_WRITECOPY = 0x80;
export const PAGE_GUARD = 0x100;
export const PAGE_NOCACHE = 0x200;
export const PAGE_WRITECOMBINE = 0x400;

/** winnt.h MEMORY_BASIC_INFORMATION.State. */
export const MEM_COMMIT = 0x1000;
export const MEM_RESERVE = 0x2000;
export const MEM_FREE = 0x10000;

/** winnt.h MEMORY_BASIC_INFORMATION.Type. */
export const MEM_PRIVATE = 0x20000;
export const MEM_MAPPED = 0x40000;
export const MEM_IMAGE = 0x1000000;

/**
 * Streams read from the directory. Real dumps hold about 10–20; a directory of millions only exists to
 * exhaust time and memory.
 */
export const MAX_MINIDUMP_STREAMS = 4096;
/**
 * Memory ranges and memory-info entries kept. A full dump of a large process holds tens of thousands of
 * regions; a count of 2^32 only exists to exhaust memory.
 */
export const MAX_MINIDUMP_REGIONS = 262_144;
/** Modules kept: a process loads hundreds, not more. */
export const MAX_MINIDUMP_MODULES = 16_384;
/** UTF-16 code units read of one MINIDUMP_STRING (module paths are under 32,767 by the Windows API). */
export const MAX_MINIDUMP_STRING_CHARS = 32_767;

const PROTECTION_NAMES: Readonly<Record<number, string>> = {
  [PAGE_NOACCESS]: 'PAGE_NOACCESS',
  [PAGE_READONLY]: 'PAGE_READONLY',
  [PAGE_READWRITE]: 'PAGE_READWRITE',
  [PAGE_WRITECOPY]: 'PAGE_WRITECOPY',
  [PAGE_EXECUTE]: 'PAGE_EXECUTE',
  [PAGE_EXECUTE_READ]: 'PAGE_EXECUTE_READ',
  [PAGE_EXECUTE_READWRITE]: 'PAGE_EXECUTE_READWRITE',
  [PAGE_EXECUTE_WRITECOPY]: 'PAGE_EXECUTE_WRITECOPY',
};

/** `PAGE_EXECUTE_READWRITE|PAGE_GUARD` for 0x140; the hex value when the low byte is not one constant. */
export function protectionName(protect: number): string {
  const base = PROTECTION_NAMES[protect & 0xff] ?? `0x${(protect & 0xff).toString(16)}`;
  const modifiers = [
    [PAGE_GUARD, 'PAGE_GUARD'],
    [PAGE_NOCACHE, 'PAGE_NOCACHE'],
    [PAGE_WRITECOMBINE, 'PAGE_WRITECOMBINE'],
  ] as const;
  const extra = modifiers.filter(([bit]) => (protect & bit) !== 0).map(([, name]) => name);
  return [base, ...extra].join('|');
}

/** `MEM_PRIVATE`, `MEM_IMAGE`, `MEM_MAPPED`, or the hex value. */
export function memoryTypeName(type: number): string {
  if (type === MEM_PRIVATE) return 'MEM_PRIVATE';
  if (type === MEM_IMAGE) return 'MEM_IMAGE';
  if (type === MEM_MAPPED) return 'MEM_MAPPED';
  return `0x${type.toString(16)}`;
}

/** `MEM_COMMIT`, `MEM_RESERVE`, `MEM_FREE`, or the hex value. */
export function memoryStateName(state: number): string {
  if (state === MEM_COMMIT) return 'MEM_COMMIT';
  if (state === MEM_RESERVE) return 'MEM_RESERVE';
  if (state === MEM_FREE) return 'MEM_FREE';
  return `0x${state.toString(16)}`;
}

/** True for the protections that allow both writing and executing (shellcode, injected images). */
export function isWritableExecutable(protect: number): boolean {
  const base = protect & 0xff;
  return base === PAGE_EXECUTE_READWRITE || base === PAGE_EXECUTE_WRITECOPY;
}
