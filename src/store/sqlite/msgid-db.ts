import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { ConfigError } from '../../core/index.js';

/** One message the organisation sent, as `emoguard mail learn-msgids` records it. */
export interface SentMessageRow {
  /** Normalised Message-ID: no angle brackets, lower case. */
  id: string;
  sentAt?: string;
  /** Organisational domain of the sender. */
  sender: string;
  /** Organisational domains of the recipients (To, Cc). */
  participants: readonly string[];
}

/**
 * The organisation's sent Message-IDs (`--msgid-db FILE`): a SQLite file of its own, apart from the
 * findings store, so a gateway gets a copy without the findings, and lookups from scan workers are
 * synchronous point reads on a primary key (one B-tree descent per reference).
 */
export interface MessageIdDb {
  readonly path: string;
  /** The organisation's organisational domains (learned with --domain, or every sender seen). */
  orgDomains(): string[];
  addOrgDomains(domains: readonly string[]): void;
  /** Inserts in one transaction; an id already known keeps its first row. Returns the rows added. */
  add(rows: readonly SentMessageRow[]): number;
  /** The participants of a sent message, or undefined when the organisation never sent `id`. */
  lookup(id: string): string[] | undefined;
  count(): number;
  close(): void;
}

const FORMAT = 'emoguard-msgid-db';
const SCHEMA = `
CREATE TABLE IF NOT EXISTS msgid_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS org_domains (domain TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sent_messages (
  message_id   TEXT PRIMARY KEY,   -- normalised: no <>, lower case
  sent_at      TEXT,
  sender       TEXT NOT NULL,      -- organisational domain
  participants TEXT NOT NULL       -- organisational domains of To/Cc, space-separated
) WITHOUT ROWID;
INSERT OR IGNORE INTO msgid_meta (key, value) VALUES ('format', '${FORMAT}'), ('version', '1');
`;

/**
 * Opens (with `readonly`, an existing file only) a Message-ID database. Throws ConfigError
 * E_MSGID_DB_OPEN (cannot open), E_MSGID_DB_FOREIGN (a SQLite file of something else).
 */
export function openMessageIdDb(path: string, options: { readonly?: boolean } = {}): MessageIdDb {
  let db: BetterSqlite3.Database;
  try {
    db = new Database(path, {
      readonly: options.readonly === true,
      fileMustExist: options.readonly === true,
    });
  } catch (error) {
    throw new ConfigError('E_MSGID_DB_OPEN', `cannot open the Message-ID database ${path}`, {
      cause: error,
    });
  }
  try {
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`)
      .pluck()
      .all() as string[];
    if (tables.length > 0 && !tables.includes('msgid_meta'))
      throw new ConfigError('E_MSGID_DB_FOREIGN', `${path} is not an emoguard Message-ID database`);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.exec(SCHEMA);
    } else if (tables.length === 0) {
      throw new ConfigError(
        'E_MSGID_DB_FOREIGN',
        `${path} is empty: run emoguard mail learn-msgids`,
      );
    }
  } catch (error) {
    db.close();
    if ((error as { code?: unknown }).code === 'SQLITE_NOTADB')
      throw new ConfigError('E_MSGID_DB_FOREIGN', `${path} is not a SQLite database`, {
        cause: error,
      });
    throw error;
  }
  return wrap(db, path, options.readonly === true);
}

function wrap(db: BetterSqlite3.Database, path: string, readonly: boolean): MessageIdDb {
  const lookup = db.prepare('SELECT participants FROM sent_messages WHERE message_id = ?').pluck();
  const insert = readonly
    ? undefined
    : db.prepare(
        'INSERT OR IGNORE INTO sent_messages (message_id, sent_at, sender, participants) VALUES (?, ?, ?, ?)',
      );
  const insertDomain = readonly
    ? undefined
    : db.prepare('INSERT OR IGNORE INTO org_domains (domain) VALUES (?)');
  const writable = <T>(statement: T | undefined): T => {
    if (statement === undefined)
      throw new ConfigError('E_MSGID_DB_READONLY', `${path} was opened read-only`);
    return statement;
  };
  return {
    path,
    orgDomains: () =>
      db.prepare('SELECT domain FROM org_domains ORDER BY domain').pluck().all() as string[],
    addOrgDomains: (domains) => {
      const statement = writable(insertDomain);
      db.transaction(() => domains.forEach((d) => statement.run(d)))();
    },
    add: (rows) => {
      const statement = writable(insert);
      return db.transaction(() => {
        let added = 0;
        for (const r of rows)
          added += statement.run(
            r.id,
            r.sentAt ?? null,
            r.sender,
            r.participants.join(' '),
          ).changes;
        return added;
      })();
    },
    lookup: (id) => {
      const participants = lookup.get(id) as string | undefined;
      return participants === undefined ? undefined : participants.split(' ').filter(Boolean);
    },
    count: () => db.prepare('SELECT count(*) FROM sent_messages').pluck().get() as number,
    close: () => db.close(),
  };
}
