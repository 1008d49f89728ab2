/**
 * Hand-built Windows minidumps for tests: the writer lives in src/formats/minidump/write.ts (the demo's
 * memory image uses it too); this adds the PAGE_/MEM_ constants the tests name and byte patchers that
 * break one field at a time for hostile tests.
 */
export {
  buildMinidump,
  buildPeHeader,
  type BuiltMinidump,
  type MinidumpSpec,
  type ModuleSpec,
  type RegionSpec,
} from '../../src/formats/minidump/index.js';

export {
  MEM_COMMIT,
  MEM_IMAGE,
  MEM_MAPPED,
  MEM_PRIVATE,
  PAGE_EXECUTE_READ,
  PAGE_EXECUTE_READWRITE,
  PAGE_READONLY,
  PAGE_READWRITE,
} from '../../src/formats/minidump/index.js';

export function patchU32(bytes: Uint8Array, offset: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(offset, value >>> 0, true);
}

export function patchU64(bytes: Uint8Array, offset: number, value: bigint): void {
  new DataView(bytes.buffer, bytes.byteOffset).setBigUint64(offset, value, true);
}
