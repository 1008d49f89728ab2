/**
 * @module engines/yara — YARA rules over every artifact and over each memory region of a minidump
 * (YARA-X https://virustotal.github.io/yara-x/, rule language compatible with YARA 4). The engine is
 * backend-free: `createYaraEngine(scanner)` takes any `YaraScanner`; the YARA-X backend lives in
 * `src/apps/yara-backend/` because only apps load native code and files.
 *
 * Findings: one stable id, `yara.match`, for every rule (decision and meta mapping in findings.ts and
 * match-finding.ts). Large buffers and memory regions are scanned in 64 MiB chunks overlapping by 1 MiB
 * (chunks.ts states what that means for `filesize`-style conditions).
 *
 * @example
 * const engine = createYaraEngine(scanner);
 * const result = await scanInput({ path, bytes }, { engines: [...ENGINES, engine] });
 */
export {
  DEFAULT_CHUNK_SIZE,
  DEFAULT_MAX_STRINGS_PER_RULE,
  DEFAULT_OVERLAP,
  scanChunked,
  type ChunkOptions,
  type MergedMatch,
} from './chunks.js';
export { createYaraEngine, variablesFor, type YaraEngineOptions } from './engine.js';
export { YARA_FINDINGS, yaraMatch } from './findings.js';
export {
  attackOf,
  renderBytes,
  RuleHits,
  severityOf,
  stepOf,
  type RangeAddress,
} from './match-finding.js';
export {
  YARA_EXTERNALS,
  type YaraMetaValue,
  type YaraRuleMatch,
  type YaraScanner,
  type YaraStringMatch,
  type YaraVariables,
} from './scanner.js';
