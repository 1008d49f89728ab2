/**
 * The seam between the yara engine and a YARA implementation. The engine (pure TypeScript) turns matches
 * into findings; a backend in `src/apps/yara-backend/` (the only place allowed to load native code)
 * implements `YaraScanner` over YARA-X. Tests implement it in a few lines of TypeScript.
 */

/** One occurrence of one pattern (`$a`) of a rule. */
export interface YaraStringMatch {
  /** `$a`, `$mz` … */
  identifier: string;
  /** Byte offset in the buffer given to `scan`. */
  offset: number;
  length: number;
}

export type YaraMetaValue = string | number | boolean;

/** One rule that matched a buffer. */
export interface YaraRuleMatch {
  rule: string;
  namespace: string;
  tags: string[];
  meta: Record<string, YaraMetaValue>;
  /** Pattern occurrences; empty for rules whose condition uses no patterns. */
  strings: YaraStringMatch[];
}

/** Values of the external variables declared by `YARA_EXTERNALS`, set for each scanned buffer. */
export type YaraVariables = Record<string, string | number | boolean>;

/** A compiled rule set. `scan` is synchronous: scans run in the scan workers, under their watchdog. */
export interface YaraScanner {
  scan(bytes: Uint8Array, variables?: YaraVariables): YaraRuleMatch[];
}

/**
 * External variables every emoguard rule set declares (as LOKI and THOR do, so that public rule sets
 * written for them compile): set per artifact by the engine. `filetype` is emoguard's content type
 * (`ole`, `pe`, `minidump`, `vba-source` …, src/core/filetype.ts), never derived from the name.
 */
export const YARA_EXTERNALS: Readonly<Record<string, string>> = {
  filename: '',
  filepath: '',
  extension: '',
  filetype: '',
  owner: '',
};
