import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  isMaildirListing,
  listDirectory,
  maildirWalkOrder,
  type DirEntryInfo,
} from './walk-maildir.js';

export type InputEntry =
  | { kind: 'file'; path: string }
  | { kind: 'stdin'; path: '-' }
  | { kind: 'error'; path: string; code: string; message: string };

/**
 * Inputs in a stable order: each argument in turn; directories recursively, entries sorted by name so
 * runs and golden tests are reproducible. Symbolic links to files are followed; links to directories are
 * not (loops). A Maildir yields its messages (new/, cur/, Maildir++ folders) and skips tmp/ and index
 * files. Unreadable entries are yielded as errors and the walk goes on. Memory stays bounded by one
 * directory listing, however many files there are.
 */
export async function* walkInputs(paths: readonly string[]): AsyncGenerator<InputEntry> {
  for (const path of paths) {
    if (path === '-') {
      yield { kind: 'stdin', path: '-' };
      continue;
    }
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      yield fsError(path, error);
      continue;
    }
    if (info.isDirectory()) yield* walkDirectory(path);
    else if (info.isFile()) yield { kind: 'file', path };
    else
      yield {
        kind: 'error',
        path,
        code: 'E_INPUT_NOT_FILE',
        message: 'not a regular file or directory',
      };
  }
}

async function* walkDirectory(dir: string): AsyncGenerator<InputEntry> {
  let names: DirEntryInfo[];
  try {
    names = await listDirectory(dir);
  } catch (error) {
    yield fsError(dir, error);
    return;
  }
  // A Maildir: its messages (new/, cur/) and Maildir++ subfolders, not tmp/ nor the IMAP server's indexes.
  if (isMaildirListing(names)) names = maildirWalkOrder(names);
  for (const entry of names) {
    const path = join(dir, entry.name);
    if (entry.isDir) yield* walkDirectory(path);
    else if (entry.isFile) yield { kind: 'file', path };
    else if (entry.isLink) {
      try {
        if ((await stat(path)).isFile()) yield { kind: 'file', path };
      } catch (error) {
        yield fsError(path, error);
      }
    }
  }
}

function fsError(path: string, error: unknown): InputEntry {
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
  const reason =
    code === 'ENOENT'
      ? 'no such file or directory'
      : code === 'EACCES'
        ? 'permission denied'
        : (error as Error).message;
  return { kind: 'error', path, code: `E_INPUT_${code}`, message: reason };
}
