/**
 * Memory images built in code for the streaming path (src/apps/scan-runner/large-file*.ts):
 * - raw images (winpmem/DumpIt `.raw` have no header: the file is memory) written sparse, so a
 *   multi-GiB image costs no disk, with inert bytes planted at chosen offsets;
 * - CAPE/Cuckoo 2.x process memory dumps (`memory/<pid>.dmp`): records of a 24-byte `<QIIII` header
 *   (address, size, state, type, protection) and the region's bytes (src/formats/minidump/cape.ts);
 * - Velociraptor collection zips as `Windows.Memory.ProcessDump` leaves them: the proc_dump() crash
 *   dump (a minidump) uploaded under `uploads/auto/…`, beside `results/…json` and `uploads.json`
 *   (https://docs.velociraptor.app/artifact_references/pages/windows.memory.processdump/).
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { MEM_COMMIT, MEM_PRIVATE, PAGE_READWRITE } from '../../src/formats/minidump/index.js';
import { buildZip } from './zip.js';

export interface Plant {
  offset: number;
  bytes: Uint8Array | string;
}

/** A sparse raw image of `size` bytes at `path`: holes (zeros) except the planted bytes. */
export function writeSparseImage(path: string, size: number, plants: readonly Plant[] = []): void {
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, size);
    for (const p of plants) {
      const bytes = typeof p.bytes === 'string' ? new TextEncoder().encode(p.bytes) : p.bytes;
      writeSync(fd, bytes, 0, bytes.length, p.offset);
    }
  } finally {
    closeSync(fd);
  }
}

export interface CapeRegionSpec {
  va: bigint;
  data: Uint8Array;
  /** Default PAGE_READWRITE, MEM_PRIVATE, MEM_COMMIT. */
  protect?: number;
  type?: number;
  state?: number;
  /** The size written in the header when it must lie (default data.length). */
  declaredSize?: number;
}

/** A CAPE/Cuckoo 2.x process memory dump: `<QIIII` header + bytes per region, nothing else. */
export function buildCapeProcessDump(regions: readonly CapeRegionSpec[]): Uint8Array {
  const size = regions.reduce((n, r) => n + 24 + r.data.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const r of regions) {
    view.setBigUint64(at, r.va, true);
    view.setUint32(at + 8, r.declaredSize ?? r.data.length, true);
    view.setUint32(at + 12, r.state ?? MEM_COMMIT, true);
    view.setUint32(at + 16, r.type ?? MEM_PRIVATE, true);
    view.setUint32(at + 20, r.protect ?? PAGE_READWRITE, true);
    out.set(r.data, at + 24);
    at += 24 + r.data.length;
  }
  return out;
}

export interface VelociraptorDump {
  /** The process the dump is of (results row). */
  processName: string;
  pid: number;
  /** Client path of the uploaded crash dump, e.g. `C:\Windows\Temp\tmp123.dmp`. */
  clientPath: string;
  bytes: Uint8Array;
}

/** Velociraptor escapes `:` and other reserved characters of upload paths as `%3A` … */
function uploadName(clientPath: string): string {
  return `uploads/auto/${clientPath
    .split('\\')
    .map((part) => encodeURIComponent(part).replace(/%20/g, ' '))
    .join('/')}`;
}

/** A collection zip of Windows.Memory.ProcessDump: the dumps under uploads/, rows under results/. */
export function buildVelociraptorCollection(dumps: readonly VelociraptorDump[]): Uint8Array {
  const rows = dumps.map((d) =>
    JSON.stringify({
      ProcessName: d.processName,
      Pid: d.pid,
      CrashDump: { Path: d.clientPath, Size: d.bytes.length },
    }),
  );
  return buildZip([
    { name: 'client_info.json', data: JSON.stringify({ Hostname: 'PC-SALES-01' }) },
    { name: 'results/Windows.Memory.ProcessDump.json', data: rows.join('\n') + '\n' },
    ...dumps.map((d) => ({
      name: uploadName(d.clientPath),
      data: d.bytes,
      method: 'store' as const,
    })),
    {
      name: 'uploads.json',
      data: dumps
        .map((d) =>
          JSON.stringify({ vfs_path: uploadName(d.clientPath), file_size: d.bytes.length }),
        )
        .join('\n'),
    },
  ]);
}
