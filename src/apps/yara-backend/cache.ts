import { createHash } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuleError } from '../../core/index.js';
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

/**
 * SECURITY: a compiled-rules blob is code for YARA-X (its conditions become WebAssembly), so a blob that
 * another local user could write must never be loaded: under a shared /tmp they could plant one. Only
 * directories and files owned by us and not writable by group or others are trusted.
 */
function isPrivateDir(path: string): boolean {
  try {
    const st = lstatSync(path);
    const uid = process.getuid?.();
    return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

function ensurePrivateDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    return false;
  }
  return isPrivateDir(dir);
}

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

/**
 * The file's bytes when it is a regular file owned by us and writable by nobody else, checked on the
 * open descriptor (fstat), so that swapping the path between the check and the read changes nothing.
 */
function readPrivateFile(path: string): Uint8Array | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    const st = fstatSync(fd);
    const uid = process.getuid?.();
    if (!st.isFile() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) {
      return undefined;
    }
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes blob and meta atomically (temp file + rename): concurrent workers never read half a blob. */
export function writeCache(dir: string, key: string, blob: Uint8Array, meta: CachedMeta): boolean {
  if (!ensurePrivateDir(dir)) return false;
  const suffix = `.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const parts: [string, Uint8Array | string][] = [
    [join(dir, `${key}.json`), JSON.stringify(meta)],
    [join(dir, `${key}.yarc`), blob],
  ];
  try {
    for (const [path, data] of parts) {
      writeFileSync(path + suffix, data, { mode: 0o600 });
      renameSync(path + suffix, path);
    }
    prune(dir);
    return true;
  } catch {
    for (const [path] of parts) rmSync(path + suffix, { force: true });
    return false;
  }
}

/** Compiled rule sets kept: one per rule-set version in use; older ones are deleted, oldest first. */
export const MAX_CACHED_RULE_SETS = 16;

function prune(dir: string): void {
  try {
    const blobs = readdirSync(dir)
      .filter((f) => f.endsWith('.yarc'))
      .map((f) => ({ key: f.slice(0, -5), mtime: statSync(join(dir, f)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of blobs.slice(MAX_CACHED_RULE_SETS)) {
      rmSync(join(dir, `${old.key}.yarc`), { force: true });
      rmSync(join(dir, `${old.key}.json`), { force: true });
    }
  } catch {
    // a cache that cannot be pruned still works; the next write tries again
  }
}
