/** Page granularity at which an injected image may start inside a region (VirtualAlloc allocates pages). */
const PAGE = 0x1000;
/** Pages probed per region: a PE header sits at the start or in the first pages of an allocation. */
export const MAX_PE_PAGES_PROBED = 256;
/** Bytes of a region's start that `peHeaderOffset` may look at. */
export const PE_PROBE_BYTES = MAX_PE_PAGES_PROBED * PAGE;

/**
 * Offset in `region` (a memory region's bytes, or at least its first `PE_PROBE_BYTES`) of the first
 * page that starts with "MZ" and whose e_lfanew points at "PE\0\0" (the malfind heuristic).
 */
export function peHeaderOffset(region: Uint8Array): number | undefined {
  const pages = Math.min(Math.ceil(region.length / PAGE), MAX_PE_PAGES_PROBED);
  const view = new DataView(region.buffer, region.byteOffset, region.byteLength);
  for (let p = 0; p < pages; p++) {
    const at = p * PAGE;
    if (at + 0x40 > region.length || region[at] !== 0x4d || region[at + 1] !== 0x5a) continue;
    const lfanew = view.getUint32(at + 0x3c, true);
    const pe = at + lfanew;
    if (lfanew < 0x40 || lfanew > 0x1000 || pe + 4 > region.length) continue;
    if (
      region[pe] === 0x50 &&
      region[pe + 1] === 0x45 &&
      region[pe + 2] === 0 &&
      region[pe + 3] === 0
    )
      return at;
  }
  return undefined;
}
