import { concatBytes } from '../../core/index.js';
import { MEM_COMMIT, MEM_PRIVATE, PAGE_READWRITE } from './constants.js';

/*
 * A minidump writer (layout from minidumpapiset.h): a header, a stream directory, SystemInfo, ModuleList,
 * MemoryInfoList and either a Memory64List (full dumps: all range bytes back to back) or a MemoryList
 * (each range with its own Rva). The inert memory image of the demo and the parser's tests are made
 * with it; the layout is returned so that hostile tests can break one field at a time.
 */

export interface RegionSpec {
  va: bigint;
  data: Uint8Array;
  /** PAGE_* (default PAGE_READWRITE). */
  protect?: number;
  /** MEM_* type (default MEM_PRIVATE). */
  type?: number;
  state?: number;
}

export interface ModuleSpec {
  base: bigint;
  size: number;
  name: string;
  timeDateStamp?: number;
}

export interface MinidumpSpec {
  regions: RegionSpec[];
  /** Full-memory dumps use Memory64ListStream (default); small dumps use MemoryListStream. */
  list?: 'memory64' | 'memory';
  modules?: ModuleSpec[];
  /** Write a MemoryInfoListStream describing every region (default true). */
  hasMemoryInfo?: boolean;
  /** Write a SystemInfoStream (default true): AMD64, Windows 10 build 19045. */
  hasSystemInfo?: boolean;
  timeDateStamp?: number;
}

export interface BuiltMinidump {
  bytes: Uint8Array;
  directoryRva: number;
  /** Stream type → where its bytes start and how long they are. */
  streams: Map<number, { rva: number; size: number; directoryIndex: number }>;
  /** Offset in the file of each region's bytes, in spec order. */
  regionOffsets: number[];
}

const HEADER_SIZE = 32;
const DIR_ENTRY = 12;

class Writer {
  private readonly parts: Uint8Array[] = [];
  length = 0;

  add(part: Uint8Array): number {
    const at = this.length;
    this.parts.push(part);
    this.length += part.length;
    return at;
  }

  bytes(): Uint8Array {
    return concatBytes(this.parts);
  }
}

function struct(size: number, fill: (view: DataView) => void): Uint8Array {
  const bytes = new Uint8Array(size);
  fill(new DataView(bytes.buffer));
  return bytes;
}

function minidumpString(text: string): Uint8Array {
  const units = [...text].flatMap((c) => {
    const code = c.codePointAt(0)!;
    return code > 0xffff
      ? [0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff)]
      : [code];
  });
  return struct(4 + units.length * 2 + 2, (v) => {
    v.setUint32(0, units.length * 2, true);
    units.forEach((u, i) => v.setUint16(4 + i * 2, u, true));
  });
}

/** Builds a valid minidump holding `spec.regions`. */
export function buildMinidump(spec: MinidumpSpec): BuiltMinidump {
  const list = spec.list ?? 'memory64';
  const w = new Writer();
  w.add(new Uint8Array(HEADER_SIZE));
  const streams: { type: number; bytes: Uint8Array }[] = [];
  if (spec.hasSystemInfo ?? true) {
    streams.push({
      type: 7,
      bytes: struct(56, (v) => {
        v.setUint16(0, 9, true); // PROCESSOR_ARCHITECTURE_AMD64
        v.setUint16(2, 6, true);
        v.setUint8(6, 4);
        v.setUint8(7, 1); // VER_NT_WORKSTATION
        v.setUint32(8, 10, true);
        v.setUint32(12, 0, true);
        v.setUint32(16, 19045, true);
        v.setUint32(20, 2, true); // VER_PLATFORM_WIN32_NT
      }),
    });
  }
  if (spec.hasMemoryInfo ?? true) {
    streams.push({
      type: 16,
      bytes: struct(16 + 48 * spec.regions.length, (v) => {
        v.setUint32(0, 16, true);
        v.setUint32(4, 48, true);
        v.setBigUint64(8, BigInt(spec.regions.length), true);
        spec.regions.forEach((r, i) => {
          const at = 16 + i * 48;
          v.setBigUint64(at, r.va, true);
          v.setBigUint64(at + 8, r.va, true);
          v.setUint32(at + 16, r.protect ?? PAGE_READWRITE, true);
          v.setBigUint64(at + 24, BigInt(r.data.length), true);
          v.setUint32(at + 32, r.state ?? MEM_COMMIT, true);
          v.setUint32(at + 36, r.protect ?? PAGE_READWRITE, true);
          v.setUint32(at + 40, r.type ?? MEM_PRIVATE, true);
        });
      }),
    });
  }
  // Streams whose content points elsewhere (module names, range bytes) are placed after the directory.
  const modules = spec.modules ?? [];
  const listSize =
    list === 'memory64' ? 16 + 16 * spec.regions.length : 4 + 16 * spec.regions.length;
  const directoryRva = w.length;
  const streamCount = streams.length + 1 + (modules.length > 0 ? 1 : 0);
  w.add(new Uint8Array(streamCount * DIR_ENTRY));
  const placed = new Map<number, { rva: number; size: number; directoryIndex: number }>();
  for (const s of streams) {
    placed.set(s.type, { rva: w.add(s.bytes), size: s.bytes.length, directoryIndex: placed.size });
  }
  if (modules.length > 0) {
    const names = modules.map((m) => minidumpString(m.name));
    const listRva = w.length;
    const moduleList = new Uint8Array(4 + 108 * modules.length);
    w.add(moduleList);
    placed.set(4, { rva: listRva, size: moduleList.length, directoryIndex: placed.size });
    const v = new DataView(moduleList.buffer);
    v.setUint32(0, modules.length, true);
    modules.forEach((m, i) => {
      const at = 4 + i * 108;
      v.setBigUint64(at, m.base, true);
      v.setUint32(at + 8, m.size, true);
      v.setUint32(at + 16, m.timeDateStamp ?? 0, true);
      v.setUint32(at + 20, w.add(names[i]!), true);
    });
  }
  const listRva = w.add(new Uint8Array(listSize));
  const listType = list === 'memory64' ? 9 : 5;
  placed.set(listType, { rva: listRva, size: listSize, directoryIndex: placed.size });
  const regionOffsets = spec.regions.map((r) => w.add(r.data));
  const bytes = w.bytes();
  const v = new DataView(bytes.buffer);
  v.setUint32(0, 0x504d444d, true); // "MDMP"
  v.setUint32(4, 0xa793, true);
  v.setUint32(8, streamCount, true);
  v.setUint32(12, directoryRva, true);
  v.setUint32(20, spec.timeDateStamp ?? 1_700_000_000, true);
  v.setBigUint64(24, 0x2n, true); // MiniDumpWithFullMemory
  for (const [type, s] of placed) {
    const at = directoryRva + s.directoryIndex * DIR_ENTRY;
    v.setUint32(at, type, true);
    v.setUint32(at + 4, s.size, true);
    v.setUint32(at + 8, s.rva, true);
  }
  if (list === 'memory64') {
    v.setBigUint64(listRva, BigInt(spec.regions.length), true);
    v.setBigUint64(listRva + 8, BigInt(regionOffsets[0] ?? bytes.length), true);
    spec.regions.forEach((r, i) => {
      v.setBigUint64(listRva + 16 + i * 16, r.va, true);
      v.setBigUint64(listRva + 24 + i * 16, BigInt(r.data.length), true);
    });
  } else {
    v.setUint32(listRva, spec.regions.length, true);
    spec.regions.forEach((r, i) => {
      v.setBigUint64(listRva + 4 + i * 16, r.va, true);
      v.setUint32(listRva + 12 + i * 16, r.data.length, true);
      v.setUint32(listRva + 16 + i * 16, regionOffsets[i]!, true);
    });
  }
  return { bytes, directoryRva, streams: placed, regionOffsets };
}

/** A PE image head: MZ, e_lfanew, "PE\0\0" and a COFF header for AMD64; enough for header checks. */
export function buildPeHeader(size = 0x400): Uint8Array {
  const bytes = new Uint8Array(size);
  const v = new DataView(bytes.buffer);
  bytes.set([0x4d, 0x5a], 0);
  v.setUint32(0x3c, 0x80, true);
  bytes.set([0x50, 0x45, 0, 0], 0x80);
  v.setUint16(0x84, 0x8664, true);
  v.setUint16(0x86, 1, true);
  return bytes;
}
