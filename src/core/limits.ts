import { ConfigError, LimitError } from './errors.js';

/**
 * Resource limits for one scan. Every limit names the attack it stops; each has a test on both sides.
 * Limits are options (`max*`) with `MAX_*` defaults, validated once by `resolveLimits`.
 */
export interface Limits {
  /** Nesting of containers (mail → zip → zip → doc …). Stops recursion bombs such as 42.zip and r.zip quines. */
  maxDepth: number;
  /** Bytes of one input read for analysis. Stops memory exhaustion by huge or padded inputs (2023 Emotet .doc >500 MB). */
  maxFileSize: number;
  /** Bytes extracted from one input, all children together. Stops decompression bombs spread over many members. */
  maxTotalBytes: number;
  /** Children extracted from one input, at every depth. Stops archives with millions of tiny members. */
  maxMembers: number;
  /** Uncompressed / compressed size of one member. Stops single-member zip bombs before they are inflated. */
  maxRatio: number;
  /** Wall time for the engines on one artifact. Stops algorithmic-complexity attacks (looping chains, regex blow-up). */
  maxTimePerArtifactMs: number;
  /** Wall time for one top-level input with everything inside it; a worker past it is stopped. */
  maxTimePerInputMs: number;
  /** Findings kept per artifact. Stops output flooding by inputs crafted to trigger thousands of findings. */
  maxFindingsPerArtifact: number;
  /** Characters of one evidence string, and of one macro/script kept in the output. */
  maxEvidenceChars: number;
  /** Characters of extracted code (macros, decoded scripts) kept per item. */
  maxExtractedChars: number;
  /**
   * Bytes shared by consecutive chunks of a streamed memory image or dump (apps/scan-runner/large-file):
   * the longest YARA match or C2 table sure to be seen whole across a chunk edge. Stops evasion by
   * placing a signature across the 64 MiB boundary the scanner is known to cut at.
   */
  maxMatchBytes: number;
}

const MiB = 1024 * 1024;

export const MAX_DEPTH = 10;
export const MAX_FILE_SIZE = 1024 * MiB;
export const MAX_TOTAL_BYTES = 1024 * MiB;
export const MAX_MEMBERS = 10_000;
export const MAX_RATIO = 200;
export const MAX_TIME_PER_ARTIFACT_MS = 30_000;
export const MAX_TIME_PER_INPUT_MS = 120_000;
export const MAX_FINDINGS_PER_ARTIFACT = 500;
export const MAX_EVIDENCE_CHARS = 512;
export const MAX_EXTRACTED_CHARS = 1 * MiB;
export const MAX_MATCH_BYTES = 1 * MiB;

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxDepth: MAX_DEPTH,
  maxFileSize: MAX_FILE_SIZE,
  maxTotalBytes: MAX_TOTAL_BYTES,
  maxMembers: MAX_MEMBERS,
  maxRatio: MAX_RATIO,
  maxTimePerArtifactMs: MAX_TIME_PER_ARTIFACT_MS,
  maxTimePerInputMs: MAX_TIME_PER_INPUT_MS,
  maxFindingsPerArtifact: MAX_FINDINGS_PER_ARTIFACT,
  maxEvidenceChars: MAX_EVIDENCE_CHARS,
  maxExtractedChars: MAX_EXTRACTED_CHARS,
  maxMatchBytes: MAX_MATCH_BYTES,
});

export const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as (keyof Limits)[];

/** Defaults overlaid with the operator's values; each must be a positive safe integer. */
export function resolveLimits(overrides: Partial<Record<keyof Limits, unknown>> = {}): Limits {
  const limits: Limits = { ...DEFAULT_LIMITS };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!(LIMIT_NAMES as string[]).includes(name)) {
      throw new ConfigError('E_CONFIG_UNKNOWN_LIMIT', `unknown limit "${name}"`);
    }
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) {
      throw new ConfigError(
        'E_CONFIG_LIMIT',
        `limit ${name} must be a positive integer, got ${String(value)}`,
      );
    }
    limits[name as keyof Limits] = n;
  }
  return limits;
}

/** Throws `E_LIMIT_RATIO` when a member would inflate past `maxRatio` (checked before inflating). */
export function checkRatio(
  limits: Limits,
  compressed: number,
  uncompressed: number,
  what: string,
): void {
  // A stored (0-byte compressed) member with content is a lie in the directory, not a ratio: let the
  // byte caps handle it.
  if (compressed <= 0) return;
  const ratio = uncompressed / compressed;
  if (ratio > limits.maxRatio) {
    throw new LimitError(
      'E_LIMIT_RATIO',
      `${what}: compression ratio ${ratio.toFixed(0)} exceeds ${limits.maxRatio}`,
      { limit: 'maxRatio', max: limits.maxRatio, actual: Math.round(ratio) },
    );
  }
}
