import type { Extracted } from './extracted.js';
import type { FileType } from './filetype.js';
import type { Finding } from './finding.js';
import type { Verdict } from './verdict.js';

/**
 * The result for one artifact and, recursively, its children. Serialised as one line of `scan --json`:
 * this shape is a contract with users' scripts and other layers; add fields, never rename or remove.
 */
export interface ScanResult {
  path: string;
  sha256: string;
  size: number;
  type: FileType;
  verdict: Verdict;
  findings: Finding[];
  extracted: Extracted;
  children: ScanResult[];
  /** How this child came out of its parent (absent on inputs). */
  relation?: string;
  /** Analysis time in milliseconds for this artifact alone. */
  elapsedMs?: number;
}

/** Visits a result tree depth-first, parents before children. */
export function* walkResults(root: ScanResult, depth = 0): Generator<[ScanResult, number]> {
  yield [root, depth];
  for (const child of root.children) yield* walkResults(child, depth + 1);
}
