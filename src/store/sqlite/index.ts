/**
 * @module store/sqlite — the SQLite backend of the findings store, on better-sqlite3 v12 (v13 crashes on
 * Node 20). WAL journal (a `scan` writes while `serve` reads), foreign keys on, prepared statements
 * reused, schema migrations in `migrations.ts`. SQLite file format: https://www.sqlite.org/fileformat.html
 */
export { openSqliteStore } from './open.js';
export { openMessageIdDb, type MessageIdDb, type SentMessageRow } from './msgid-db.js';
