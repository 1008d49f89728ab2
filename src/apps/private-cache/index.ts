/**
 * @module apps/private-cache — the file operations of the on-disk caches (compiled YARA rules, packed
 * Sigma rules): a directory and files only we own and only we may write, read without following links
 * and checked on the open descriptor (fstat, https://man7.org/linux/man-pages/man2/open.2.html
 * O_NOFOLLOW), written through a temp file and rename(2), and pruned to the newest entries.
 *
 * SECURITY: a cache entry is trusted input (a compiled YARA blob is code for YARA-X; a planted Sigma
 * pack could hide detections), so under a shared /tmp another local user must not be able to plant one.
 *
 * @example
 * if (ensurePrivateDir(dir)) writeFileAtomic(join(dir, `${key}.v8`), bytes);
 * const bytes = isPrivateDir(dir) ? readPrivateFile(join(dir, `${key}.v8`), MAX_BYTES) : undefined;
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/** Owned by this user (where uids exist) and writable by neither group nor others. */
export function isPrivateStat(st: { uid: number; mode: number }): boolean {
  const uid = process.getuid?.();
  return (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
}

/** A real directory (not a link) that isPrivateStat. */
export function isPrivateDir(path: string): boolean {
  try {
    const st = lstatSync(path);
    return st.isDirectory() && isPrivateStat(st);
  } catch {
    return false;
  }
}

/** Creates `dir` (mode 0700) when absent; true when it is then a private directory. */
export function ensurePrivateDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    return false;
  }
  return isPrivateDir(dir);
}

/**
 * The file's bytes when it is a regular private file of at most `maxBytes`, checked on the open
 * descriptor so that swapping the path between the check and the read changes nothing; else undefined.
 */
export function readPrivateFile(path: string, maxBytes = Infinity): Uint8Array | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    const st = fstatSync(fd);
    if (!st.isFile() || !isPrivateStat(st) || st.size > maxBytes) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined; // absent or unreadable: the caller rebuilds
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes `path` (mode 0600) through a new temp file beside it and a rename: a concurrent reader sees the
 * old file or the new one, never half of one. Throws what the write throws; the temp file is removed.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(temp, data, { mode: 0o600, flag: 'wx' });
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}

/**
 * Keeps the `keep` newest files of `dir` named `<key><suffix>` and deletes the others, each with its
 * `<key><companion>` files. // SECURITY: the cache directory stays bounded. Never throws: a cache that
 * cannot be pruned still works, and the next write tries again.
 */
export function pruneOldest(
  dir: string,
  suffix: string,
  keep: number,
  companions: readonly string[] = [],
): void {
  try {
    const entries = readdirSync(dir)
      .filter((f) => f.endsWith(suffix))
      .map((f) => {
        try {
          return { key: f.slice(0, -suffix.length), mtime: statSync(join(dir, f)).mtimeMs };
        } catch {
          return { key: f.slice(0, -suffix.length), mtime: 0 };
        }
      })
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of entries.slice(keep)) {
      for (const ext of [suffix, ...companions])
        rmSync(join(dir, `${old.key}${ext}`), { force: true });
    }
  } catch {
    // as above
  }
}
