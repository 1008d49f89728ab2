import type { Anomaly } from '../../core/index.js';
import { anomaly } from './reader.js';
import type { MemoryInfo, MemoryRegion } from './types.js';

/**
 * Drops ranges whose file bytes overlap an earlier range's. SECURITY: MemoryListStream descriptors carry
 * their own Rva, so a 1 MB dump can list 100,000 ranges over the same megabyte and make every scanner
 * read 100 GB; after this step the region bytes sum to at most the file size.
 */
export function dropFileOverlaps(regions: MemoryRegion[], anomalies: Anomaly[]): MemoryRegion[] {
  const byOffset = [...regions].sort((a, b) => a.fileOffset - b.fileOffset || b.size - a.size);
  const kept: MemoryRegion[] = [];
  let end = 0;
  let dropped = 0;
  let first: number | undefined;
  for (const region of byOffset) {
    if (region.fileOffset < end) {
      dropped++;
      first ??= region.fileOffset;
      continue;
    }
    kept.push(region);
    end = region.fileOffset + region.size;
  }
  if (dropped > 0) {
    anomalies.push(
      anomaly(
        'E_MINIDUMP_DATA_OVERLAP',
        `${dropped} memory range(s) reuse file bytes of another range and were dropped`,
        first,
      ),
    );
  }
  return kept;
}

/** Sorts by virtual address and reports ranges that claim the same addresses (a forged or spliced dump). */
export function sortByAddress(regions: MemoryRegion[], anomalies: Anomaly[]): MemoryRegion[] {
  const sorted = [...regions].sort((a, b) => (a.va < b.va ? -1 : a.va > b.va ? 1 : 0));
  let overlaps = 0;
  let first: MemoryRegion | undefined;
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (prev.va + BigInt(prev.size) > cur.va) {
      overlaps++;
      first ??= cur;
    }
  }
  if (overlaps > 0 && first) {
    anomalies.push(
      anomaly(
        'E_MINIDUMP_VA_OVERLAP',
        `${overlaps} memory range(s) overlap another range's virtual addresses (first at 0x${first.va.toString(16)})`,
        first.fileOffset,
      ),
    );
  }
  return sorted;
}

/** Attaches to each range the MemoryInfoListStream entry that contains its first address. */
export function attachMemoryInfo(regions: MemoryRegion[], infos: readonly MemoryInfo[]): void {
  if (infos.length === 0) return;
  const sorted = [...infos].sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  for (const region of regions) {
    let lo = 0;
    let hi = sorted.length - 1;
    let found: MemoryInfo | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const info = sorted[mid]!;
      if (info.base <= region.va) {
        found = info;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found && region.va < found.base + found.size) region.info = found;
  }
}
