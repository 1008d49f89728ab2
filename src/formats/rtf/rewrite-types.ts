import type { Anomaly } from '../../core/index.js';

/**
 * Groups nested deeper than this make `rewriteRtf` give up (`isComplete: false`). Real documents nest
 * a few dozen groups; thousands of `{` are a parser-crash trick. Kept below parse.ts's destination
 * depth (1024) so that every destination the rewriter sees is one the scanner sees too.
 */
export const MAX_RTF_REWRITE_DEPTH = 1000;

export interface RtfRewriteOptions {
  /** Destination words cut from their marker (`\*` or the word) to the end of their group. */
  drop: ReadonlySet<string>;
  /**
   * Whether a field goes (replaced by its `\fldrslt`). `instruction` is the `\fldinst` text as
   * `parseRtf` read it; `hasNestedField` is true when the instruction is built from inner fields
   * (the QUOTE trick that hides DDE from string matching).
   */
  isActiveField: (instruction: string, hasNestedField: boolean) => boolean;
  /** Field instructions by the offset of their `\fldinst` control word (`parseRtf(...).fields`). */
  instructions?: ReadonlyMap<number, string>;
  maxGroupDepth?: number;
  /** Called every MiB of input; may throw to stop. */
  checkDeadline?: () => void;
}

/** One thing `rewriteRtf` took out. */
export interface RtfCut {
  /** `object`, `field`, or the dropped destination word (`objdata`, `datastore` …). */
  word: string;
  /** Offset of its control word (`\fldinst` for a field), as `parseRtf` reports it. */
  offset: number;
  instruction?: string;
  hasNestedField?: boolean;
}

export interface RtfRewrite {
  /** The rewritten document; the input itself when it was not complete. */
  output: Uint8Array;
  cuts: RtfCut[];
  anomalies: Anomaly[];
  /** False when a limit stopped the rewrite: `output` must not be used as a disarmed copy. */
  isComplete: boolean;
}
