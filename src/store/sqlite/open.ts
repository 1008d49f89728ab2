import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { ConfigError } from '../../core/index.js';
import type { Store } from '../store.js';
import { LATEST_VERSION } from './migrations.js';
import { SqliteStore } from './sqlite-store.js';

/** Waits this long for another process's write lock (a `scan` writing while `serve` reads). */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens (creating if needed) a SQLite store. Call `migrate()` before anything else.
 * Throws `ConfigError` E_STORE_OPEN (cannot open), E_STORE_NOT_A_DB (not SQLite), E_STORE_FOREIGN_DB
 * (SQLite, but someone else's tables) or E_STORE_SCHEMA_NEWER (written by a newer emoguard).
 *
 * @example
 * const store = openSqliteStore('emoguard.db');
 * await store.migrate();
 */
export function openSqliteStore(path: string): Store {
  let db: BetterSqlite3.Database;
  try {
    db = new Database(path);
  } catch (error) {
    throw new ConfigError('E_STORE_OPEN', `cannot open store ${path}`, { cause: error });
  }
  try {
    // The first statement reads the file header: a file that is not SQLite fails here, not later.
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // WAL + NORMAL stays consistent after a crash and only may lose the last transactions on power loss.
    db.pragma('synchronous = NORMAL');
    const version = schemaVersion(db, path);
    return new SqliteStore(db, version);
  } catch (error) {
    db.close();
    if ((error as { code?: unknown }).code === 'SQLITE_NOTADB') {
      throw new ConfigError('E_STORE_NOT_A_DB', `${path} is not a SQLite database`, {
        cause: error,
      });
    }
    throw error;
  }
}

function schemaVersion(db: BetterSqlite3.Database, path: string): number {
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
    .pluck()
    .all() as string[];
  if (!tables.includes('schema_version')) {
    if (tables.length > 0) {
      throw new ConfigError(
        'E_STORE_FOREIGN_DB',
        `${path} is a SQLite database but not an emoguard store`,
      );
    }
    return 0;
  }
  const version = db
    .prepare('SELECT coalesce(max(version), 0) FROM schema_version')
    .pluck()
    .get() as number;
  if (version > LATEST_VERSION) {
    throw new ConfigError(
      'E_STORE_SCHEMA_NEWER',
      `${path} has schema version ${version}; this emoguard knows up to ${LATEST_VERSION}. Upgrade emoguard.`,
    );
  }
  return version;
}
