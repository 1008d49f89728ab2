import type { YaraRuleMatch, YaraScanner, YaraStringMatch, YaraVariables } from './scanner.js';

export interface ChunkOptions {
  /** Bytes given to one `scan` call. */
  chunkSize: number;
  /** Bytes shared by consecutive chunks, so that a pattern crossing a chunk edge is still seen whole. */
  overlap: number;
  /** Pattern occurrences kept per rule (the rest are counted). */
  maxStringsPerRule: number;
  /** Called between chunks: throws once the artifact's time budget is spent. */
  checkDeadline?: () => void;
}

/** A rule's matches over one scanned range, with offsets relative to that range. */
export interface MergedMatch extends Omit<YaraRuleMatch, 'strings'> {
  strings: YaraStringMatch[];
  /** Every occurrence seen, including those beyond `maxStringsPerRule`. */
  stringCount: number;
}

/** 64 MiB: a few hundred milliseconds of scanning between deadline checks, and far below YARA-X's u32 offsets. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024 * 1024;
/** 1 MiB: a pattern (or `$a at N` anchor) longer than this that crosses a chunk edge can be missed. */
export const DEFAULT_OVERLAP = 1024 * 1024;
export const DEFAULT_MAX_STRINGS_PER_RULE = 64;

/**
 * Scans `bytes` with at most `chunkSize` bytes per call. Buffers up to `chunkSize` are scanned whole, with
 * YARA's usual semantics. Larger ones are cut into chunks overlapping by `overlap` bytes: each chunk owns
 * the occurrences that start before the next chunk does, so nothing is reported twice; a rule that matches
 * in several chunks is one match. Caveat, documented for rule writers: in a chunked buffer `filesize`,
 * `uint16(0)` and `$a at 0` see the chunk, not the whole buffer.
 */
export function scanChunked(
  scanner: YaraScanner,
  bytes: Uint8Array,
  variables: YaraVariables,
  options: ChunkOptions,
): MergedMatch[] {
  if (bytes.length <= options.chunkSize) return scanWhole(scanner, bytes, variables, options);
  const merged = new Map<string, MergedMatch>();
  const step = Math.max(1, options.chunkSize - options.overlap);
  for (let base = 0; base === 0 || base < bytes.length; base += step) {
    options.checkDeadline?.();
    const end = Math.min(bytes.length, base + options.chunkSize);
    const ownedEnd = end === bytes.length ? end : base + step;
    for (const match of scanner.scan(bytes.subarray(base, end), variables)) {
      const owned = match.strings.filter((s) => base + s.offset < ownedEnd);
      // Every occurrence lies in the next chunk's part: that chunk reports the rule.
      if (match.strings.length > 0 && owned.length === 0) continue;
      const key = `${match.namespace}\0${match.rule}`;
      let into = merged.get(key);
      if (!into) {
        into = { ...match, strings: [], stringCount: 0 };
        merged.set(key, into);
      }
      into.stringCount += owned.length;
      for (const s of owned) {
        if (into.strings.length >= options.maxStringsPerRule) break;
        into.strings.push({ ...s, offset: base + s.offset });
      }
    }
    if (end === bytes.length) break;
  }
  return [...merged.values()];
}

/**
 * One call for a buffer that fits a chunk: what the loop above returns for it (every occurrence is owned,
 * a rule matches once per call), without its map and copies. Most artifacts are small.
 */
function scanWhole(
  scanner: YaraScanner,
  bytes: Uint8Array,
  variables: YaraVariables,
  options: ChunkOptions,
): MergedMatch[] {
  options.checkDeadline?.();
  const matches = scanner.scan(bytes, variables);
  if (matches.length === 0) return [];
  return matches.map((match) => ({
    ...match,
    strings: match.strings.slice(0, options.maxStringsPerRule),
    stringCount: match.strings.length,
  }));
}
