import type { Anomaly } from '../../core/index.js';
import {
  MAX_MINIDUMP_REGIONS,
  MEM_COMMIT,
  MEM_IMAGE,
  MEM_MAPPED,
  MEM_PRIVATE,
  PAGE_EXECUTE_WRITECOPY,
} from './constants.js';
import { anomaly, type ByteSource } from './reader.js';
import type { MemoryRegion } from './types.js';

/**
 * CAPE (and Cuckoo 2.x) process memory dumps, `memory/<pid>.dmp` of an analysis: no file header, only
 * records of a 24-byte little-endian header `<QIIII` — base address (u64), size (u32), state, type and
 * protection (u32 each, the MEMORY_BASIC_INFORMATION values) — followed by `size` bytes of the region,
 * back to back to the end of the file. Read as CAPEv2 does (lib/cuckoo/common/objects.py,
 * `ProcDump.parse_dump`) and as CERT Polska's malduck does (malduck/procmem/cuckoomem.py,
 * `CuckooProcessMemory`).
 */
export const CAPE_HEADER_SIZE = 24;

export interface CapeProcessDump {
  /** Regions in file order, each with the page state its header gave (`info`). */
  regions: MemoryRegion[];
  /** Where the last well-formed record ends: bytes after it (a broken header) are not a region. */
  end: number;
  anomalies: Anomaly[];
}

export interface CapeOptions {
  /** Records read; default MAX_MINIDUMP_REGIONS. */
  maxRegions?: number;
}

/** True when the 24 bytes at `offset` are a plausible record header: committed pages of a known type. */
export function isCapeRecordHeader(header: Uint8Array): boolean {
  if (header.length < CAPE_HEADER_SIZE) return false;
  const view = new DataView(header.buffer, header.byteOffset, CAPE_HEADER_SIZE);
  const va = view.getBigUint64(0, true);
  const size = view.getUint32(8, true);
  const state = view.getUint32(12, true);
  const type = view.getUint32(16, true);
  const protect = view.getUint32(20, true);
  const base = protect & 0xff;
  return (
    (va & 0xfffn) === 0n &&
    size > 0 &&
    state === MEM_COMMIT &&
    (type === MEM_PRIVATE || type === MEM_MAPPED || type === MEM_IMAGE) &&
    base !== 0 &&
    (base & (base - 1)) === 0 &&
    base <= PAGE_EXECUTE_WRITECOPY
  );
}

/**
 * Walks the records without trusting them: a header that is not plausible (state, type, protection,
 * page alignment) ends the walk with E_CAPE_BAD_HEADER, a region cut by the file end is kept as far as
 * it goes (E_CAPE_REGION_PAST_EOF), and more than `maxRegions` records is E_LIMIT_CAPE_REGIONS. Reads
 * only the headers of a `ByteSource`, never the regions.
 */
export function parseCapeProcessDump(
  source: Uint8Array | ByteSource,
  options: CapeOptions = {},
): CapeProcessDump {
  const read = (offset: number, length: number): Uint8Array =>
    source instanceof Uint8Array
      ? source.subarray(offset, offset + length)
      : source.read(offset, length);
  const maxRegions = options.maxRegions ?? MAX_MINIDUMP_REGIONS;
  const anomalies: Anomaly[] = [];
  const regions: MemoryRegion[] = [];
  let at = 0;
  while (at + CAPE_HEADER_SIZE <= source.length) {
    if (regions.length >= maxRegions) {
      anomalies.push(
        anomaly('E_LIMIT_CAPE_REGIONS', `only the first ${maxRegions} records were read`, at),
      );
      break;
    }
    const header = read(at, CAPE_HEADER_SIZE);
    if (!isCapeRecordHeader(header)) {
      anomalies.push(anomaly('E_CAPE_BAD_HEADER', `no plausible record header at ${at}`, at));
      break;
    }
    const view = new DataView(header.buffer, header.byteOffset, CAPE_HEADER_SIZE);
    const va = view.getBigUint64(0, true);
    const declared = view.getUint32(8, true);
    const fileOffset = at + CAPE_HEADER_SIZE;
    const size = Math.min(declared, source.length - fileOffset);
    if (size < declared) {
      anomalies.push(
        anomaly(
          'E_CAPE_REGION_PAST_EOF',
          `the region at 0x${va.toString(16)} declares ${declared} bytes; ${size} are in the file`,
          at,
        ),
      );
    }
    const protect = view.getUint32(20, true);
    const type = view.getUint32(16, true);
    regions.push({
      va,
      size,
      fileOffset,
      source: 'CapeProcessDump',
      info: {
        base: va,
        allocationBase: va,
        allocationProtect: protect,
        size: BigInt(declared),
        state: view.getUint32(12, true),
        protect,
        type,
      },
    });
    at = fileOffset + size;
  }
  if (at < source.length && anomalies.length === 0) {
    anomalies.push(
      anomaly('E_CAPE_TRAILING_BYTES', `${source.length - at} bytes after the last record`, at),
    );
  }
  return { regions, end: at, anomalies };
}
