/**
 * The compiled Sigma rule cache of `hunt`: SigmaHQ's 2,400 Windows rules cost ~2 s of YAML parsing and
 * checking per hunt; their packed form (`packSigmaRules`: rules as data, prefilter automaton built)
 * reads back in a fraction of that. Key: SHA-256 of the pack format and Node/V8 versions, the mapping
 * file's bytes, the limits and placeholders, and every rule file's path and bytes, so that any edit is a
 * miss. Value: the pack and the load errors, `v8.serialize`d (typed arrays kept as bytes). The engine
 * only packs and unpacks; this file does the I/O.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { RuleError, type RuleSpan } from '../../core/index.js';
import {
  packSigmaRules,
  SIGMA_PACK_VERSION,
  unpackSigmaRules,
  type LoadedRuleSet,
  type PackedRuleSet,
} from '../../engines/sigma/index.js';
import {
  ensurePrivateDir,
  isPrivateDir,
  pruneOldest,
  readPrivateFile,
  writeFileAtomic,
} from '../private-cache/index.js';

const MAGIC = 'emoguard-sigma-cache';
/** Cache files kept; older ones are removed after a write. // SECURITY: the directory stays bounded. */
export const MAX_CACHE_ENTRIES = 16;
/** A larger cache file is not read (SigmaHQ's is ~20 MiB). */
export const MAX_CACHE_FILE_BYTES = 512 * 1024 * 1024;

interface CacheEntry {
  magic: typeof MAGIC;
  version: number;
  key: string;
  pack: PackedRuleSet;
  errors: { code: `E_${string}`; message: string; span?: RuleSpan }[];
  files: number;
  documents: number;
}

/** What went into the key: the rule files as read, the mapping, and anything else that changes them. */
export interface RuleCacheInput {
  mappingText: string;
  sources: readonly { path: string; text: string }[];
  /** Limits, placeholders, read errors: anything else the loaded set depends on, as JSON. */
  extra: unknown;
}

export type RuleCacheOutcome = 'hit' | 'miss' | 'off';

/**
 * `--no-rule-cache` or `EMOGUARD_SIGMA_CACHE=off`: none; another value of it: that directory; else
 * `$XDG_CACHE_HOME/emoguard/sigma`, else `$HOME/.cache/emoguard/sigma`, else none.
 */
export function sigmaCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const forced = env.EMOGUARD_SIGMA_CACHE;
  if (forced === 'off') return undefined;
  if (forced) return forced;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'emoguard', 'sigma');
  // An environment without HOME (in-process tests, services) gets no cache rather than a guess.
  return env.HOME ? join(env.HOME, '.cache', 'emoguard', 'sigma') : undefined;
}

export function ruleCacheKey(input: RuleCacheInput): string {
  const hash = createHash('sha256').update(
    `${MAGIC}\n${SIGMA_PACK_VERSION}\n${process.versions.v8}\n${JSON.stringify(input.extra)}\n`,
  );
  hash.update(createHash('sha256').update(input.mappingText).digest('hex'));
  for (const s of input.sources) {
    hash.update(`\n${s.path}\0${createHash('sha256').update(s.text).digest('hex')}`);
  }
  return hash.digest('hex');
}

/**
 * The rule set from the cache when `dir` holds a valid entry for `input`, else from `load()` (and then
 * stored). A corrupt, foreign, other-version or unreadable entry is ignored and rebuilt, never trusted.
 *
 * @example
 * const { set, outcome } = loadRulesCached(sigmaCacheDir(process.env), input, () => loadSigmaRuleFiles(paths));
 */
export function loadRulesCached(
  dir: string | undefined,
  input: RuleCacheInput,
  load: () => LoadedRuleSet,
): { set: LoadedRuleSet; outcome: RuleCacheOutcome } {
  if (dir === undefined) return { set: load(), outcome: 'off' };
  const key = ruleCacheKey(input);
  const cached = readEntry(dir, key);
  if (cached) {
    try {
      const set = unpackSigmaRules(cached.pack);
      set.errors.push(
        ...cached.errors.map(
          (e) => new RuleError(e.code, e.message, e.span ? { span: e.span } : {}),
        ),
      );
      return { set: { ...set, files: cached.files, documents: cached.documents }, outcome: 'hit' };
    } catch {
      // rules JSON that does not parse: rebuilt below, and the entry overwritten
    }
  }
  const set = load();
  try {
    const entry: CacheEntry = {
      magic: MAGIC,
      version: SIGMA_PACK_VERSION,
      key,
      pack: packSigmaRules(set),
      errors: set.errors.map((e) => ({
        code: e.code as `E_${string}`,
        message: e.message,
        ...(e.span ? { span: e.span } : {}),
      })),
      files: set.files,
      documents: set.documents,
    };
    writeEntry(dir, key, serialize(entry));
  } catch {
    // A set that cannot be packed or a cache that cannot be written costs the next hunt a reload only.
  }
  return { set, outcome: 'miss' };
}

/** SECURITY: a planted entry could hide detections: only our own, private directory and files count. */
function readEntry(dir: string, key: string): CacheEntry | undefined {
  if (!isPrivateDir(dir)) return undefined;
  const bytes = readPrivateFile(join(dir, `${key}.v8`), MAX_CACHE_FILE_BYTES);
  if (!bytes) return undefined;
  try {
    const entry: unknown = deserialize(bytes);
    return isEntry(entry, key) ? entry : undefined;
  } catch {
    return undefined; // not V8 data: rebuilt
  }
}

/** The entry's shape, checked before any of it is used. */
function isEntry(v: unknown, key: string): v is CacheEntry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Partial<CacheEntry>;
  const p = e.pack as Partial<PackedRuleSet> | undefined;
  const t = p?.prefilter;
  return (
    e.magic === MAGIC &&
    e.version === SIGMA_PACK_VERSION &&
    e.key === key &&
    Array.isArray(e.errors) &&
    typeof e.files === 'number' &&
    typeof e.documents === 'number' &&
    typeof p === 'object' &&
    typeof p.rulesJson === 'string' &&
    Array.isArray(p.correlations) &&
    typeof p.limits === 'object' &&
    p.limits !== null &&
    typeof t === 'object' &&
    Array.isArray(t.patterns) &&
    t.delta instanceof Int32Array &&
    t.classOf instanceof Uint16Array &&
    t.classOf.length === 65536 &&
    typeof t.width === 'number' &&
    typeof t.stateCount === 'number' &&
    t.delta.length === t.stateCount * t.width &&
    Array.isArray(t.keyPatterns) &&
    Array.isArray(t.keyOffsets)
  );
}

/** Temp file + rename: a concurrent hunt reads the old entry or the new one, never half of one. */
function writeEntry(dir: string, key: string, bytes: Uint8Array): void {
  if (!ensurePrivateDir(dir)) return;
  writeFileAtomic(join(dir, `${key}.v8`), bytes);
  pruneOldest(dir, '.v8', MAX_CACHE_ENTRIES);
}
