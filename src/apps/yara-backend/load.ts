import { MAX_TIME_PER_ARTIFACT_MS, RuleError, type Engine } from '../../core/index.js';
import {
  createYaraEngine,
  YARA_EXTERNALS,
  type YaraEngineOptions,
  type YaraScanner,
} from '../../engines/yara/index.js';
import { cacheKey, defaultCacheDir, readCache, writeCache } from './cache.js';
import { compileRuleFiles } from './compile.js';
import { loadYaraX, yaraXVersion } from './native.js';
import { readRuleFiles } from './rule-files.js';
import { variablesUsedBy, YaraXScanner } from './scanner.js';

export interface LoadYaraOptions {
  /** Rule files or directories given by the operator (`scan --yara PATH`). */
  paths?: readonly string[];
  /** Load emoguard's own rules from rules/yara/ (default true). */
  includeBundled?: boolean;
  /** Compiled-rules cache directory; `null` disables the cache; default from the environment. */
  cacheDir?: string | null;
  env?: NodeJS.ProcessEnv;
  /** Backstop for one scan call; the scan worker's watchdog is the real limit (default 30 s). */
  timeoutMs?: number;
  /** Occurrences YARA-X records per pattern and scan (default 10,000; `#a > N` cannot count past it). */
  maxMatchesPerPattern?: number;
}

export interface LoadedYara {
  scanner: YaraScanner;
  /** Rule files compiled, bundled first. */
  files: string[];
  /** Rules that failed to compile (the others were loaded). */
  errors: RuleError[];
  /** Rules skipped for a known reason (a module YARA-X lacks). */
  skipped: string[];
  cache: 'hit' | 'miss' | 'off';
}

export const DEFAULT_MAX_MATCHES_PER_PATTERN = 10_000;

/**
 * Loads and compiles the bundled rules plus `paths` into one YARA-X rule set, through the compiled-rules
 * cache keyed by the files' content hashes (a cache hit costs one deserialize). Throws ConfigError for a
 * missing path or when YARA-X cannot load; rule errors are returned, not thrown.
 *
 * @example
 * const { scanner, errors } = loadYaraRules({ paths: ['rules/emotet.yar'] });
 * for (const e of errors) console.error(e.render());
 */
export function loadYaraRules(options: LoadYaraOptions = {}): LoadedYara {
  const yx = loadYaraX();
  const files = readRuleFiles(options.paths ?? [], options.includeBundled ?? true);
  const dir =
    options.cacheDir === null
      ? undefined
      : (options.cacheDir ?? defaultCacheDir(options.env ?? {}));
  const key = cacheKey(yaraXVersion(), Object.keys(YARA_EXTERNALS), files);
  let cache: LoadedYara['cache'] = dir ? 'miss' : 'off';
  let loaded: Omit<LoadedYara, 'scanner' | 'files' | 'cache'> & {
    rules: ReturnType<typeof yx.deserialize>;
  };
  const hit = dir ? readCache(dir, key) : undefined;
  if (hit) {
    try {
      loaded = {
        rules: yx.deserialize(hit.blob),
        errors: hit.meta.errors.map(reviveRuleError),
        skipped: hit.meta.skipped,
      };
      cache = 'hit';
    } catch {
      loaded = compileRuleFiles(yx, files);
    }
  } else {
    loaded = compileRuleFiles(yx, files);
  }
  if (dir && cache === 'miss') {
    writeCache(dir, key, loaded.rules.serialize(), {
      errors: loaded.errors.map((e) => e.toJSON()),
      skipped: loaded.skipped,
    });
  }
  const timeoutMs = options.timeoutMs ?? MAX_TIME_PER_ARTIFACT_MS;
  loaded.rules.setMaxMatchesPerPattern(
    options.maxMatchesPerPattern ?? DEFAULT_MAX_MATCHES_PER_PATTERN,
  );
  loaded.rules.setTimeout(timeoutMs);
  return {
    scanner: new YaraXScanner(
      loaded.rules,
      timeoutMs,
      variablesUsedBy(
        files.map((f) => f.source),
        Object.keys(YARA_EXTERNALS),
      ),
    ),
    files: files.map((f) => f.path),
    errors: loaded.errors,
    skipped: loaded.skipped,
    cache,
  };
}

function reviveRuleError(json: Record<string, unknown>): RuleError {
  const span = json.span as RuleError['span'];
  return new RuleError(json.code as `E_${string}`, String(json.message), span ? { span } : {});
}

const engines = new Map<string, Engine>();

/**
 * The yara engine for a worker: compiled (or read from the cache) once per thread and rule-path list.
 * The scan workers call this for every request; only the first call per list does any work.
 */
export function yaraEngineFor(
  paths: readonly string[],
  options: Omit<LoadYaraOptions, 'paths'> & YaraEngineOptions = {},
): Engine {
  const key = JSON.stringify(paths);
  let engine = engines.get(key);
  if (!engine) {
    engine = createYaraEngine(loadYaraRules({ ...options, paths }).scanner, options);
    engines.set(key, engine);
  }
  return engine;
}
