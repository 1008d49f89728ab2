/**
 * @module apps/yara-backend — YARA-X (https://virustotal.github.io/yara-x/) in process through the napi
 * binding `@litko/yara-x-linux-x64-gnu` 0.7.2, behind the engine's `YaraScanner` interface. Lives in apps/
 * because it loads native code and reads rule files. Rules are compiled in one pass, cached compiled
 * (serialize/deserialize) under `$XDG_CACHE_HOME/emoguard/yara` or `<tmpdir>/emoguard-<uid>/yara` keyed by
 * the files' content hashes, and loaded once per scan worker.
 *
 * @example
 * const loaded = loadYaraRules({ paths: ['my-rules/'] });
 * const engines = [...ENGINES, createYaraEngine(loaded.scanner)];
 */
export { bundledRulesDir, readRuleFiles, type RuleFile } from './rule-files.js';
export {
  DEFAULT_MAX_MATCHES_PER_PATTERN,
  loadYaraRules,
  yaraEngineFor,
  type LoadedYara,
  type LoadYaraOptions,
} from './load.js';
export { defaultCacheDir } from './cache.js';
export { loadYaraX, yaraXVersion } from './native.js';
export { enginesWithYara, prepareYara, type PreparedYara } from './prepare.js';
export { compileRuleFiles, type CompiledRules } from './compile.js';
