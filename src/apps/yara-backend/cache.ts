import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuleError } from '../../core/index.js';
import {
  ensurePrivateDir,
  isPrivateDir,
  pruneOldest,
  readPrivateFile,
  writeFileAtomic,
} from '../private-cache/index.js';
import type { RuleFile } from './rule-files.js';

/** What is stored beside a compiled blob so that a cache hit reports the same errors as the compile did. */
export interface CachedMeta {
  errors: ReturnType<RuleError['toJSON']>[];
  skipped: string[];
}

/**
 * `$XDG_CACHE_HOME/emoguard/yara` when XDG_CACHE_HOME is set, else `<tmpdir>/emoguard-<uid>/yara`.
 * `EMOGUARD_YARA_CACHE=off` disables the cache; any other value of it is the directory to use.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const forced = env.EMOGUARD_YARA_CACHE;
  if (forced === 'off') return undefined;
  if (forced) return forced;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'emoguard', 'yara');
  return join(tmpdir(), `emoguard-${process.getuid?.() ?? 'user'}`, 'yara');
}

/** sha256 over the binding version, the declared externals and each file's namespace and content hash. */
export function cacheKey(
  version: string,
  externals: readonly string[],
  files: readonly RuleFile[],
): string {
  const hash = createHash('sha256').update(`${version}\n${externals.join(',')}\n`);
  for (const f of files) {
    hash.update(`${f.namespace}\0${createHash('sha256').update(f.source).digest('hex')}\n`);
  }
  return hash.digest('hex');
}

// SECURITY: a compiled-rules blob is code for YARA-X (its conditions become WebAssembly), so a blob that
// another local user could write must never be loaded: under a shared /tmp they could plant one. Only
// directories and files owned by us and not writable by group or others are trusted (apps/private-cache).
export function readCache(
  dir: string,
  key: string,
): { blob: Uint8Array; meta: CachedMeta } | undefined {
  if (!isPrivateDir(dir)) return undefined;
  const metaText = readPrivateFile(join(dir, `${key}.json`));
  const blob = readPrivateFile(join(dir, `${key}.yarc`));
  if (!metaText || !blob) return undefined;
  try {
    return { blob, meta: JSON.parse(Buffer.from(metaText).toString('utf8')) as CachedMeta };
  } catch {
    return undefined;
  }
}

/** Writes blob and meta atomically (temp file + rename): concurrent workers never read half a blob. */
export function writeCache(dir: string, key: string, blob: Uint8Array, meta: CachedMeta): boolean {
  if (!ensurePrivateDir(dir)) return false;
  try {
    writeFileAtomic(join(dir, `${key}.json`), JSON.stringify(meta));
    writeFileAtomic(join(dir, `${key}.yarc`), blob);
  } catch {
    return false;
  }
  pruneOldest(dir, '.yarc', MAX_CACHED_RULE_SETS, ['.json']);
  return true;
}

/** Compiled rule sets kept: one per rule-set version in use; older ones are deleted, oldest first. */
export const MAX_CACHED_RULE_SETS = 16;
