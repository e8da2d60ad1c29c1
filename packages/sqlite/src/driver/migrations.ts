/** One schema migration: the statements that bring the database to `version`. */
export interface Migration {
  /** 1, 2, 3...: the schema version the migration brings the database to. */
  version: number;
  /** A short name, recorded with the version. */
  tag: string;
  /** Statements run in order, in the transaction of `setup()`. */
  sql: string;
}

/** The table recording which migrations were applied. */
export const MIGRATIONS_TABLE = 'sessions_schema_migrations';

/**
 * Every migration of the store's tables, oldest first. Never edit one that has shipped: add
 * the next version instead.
 *
 * - `sessions`: one row per session. `sid` is an AUTOINCREMENT key, so the number of a deleted
 *   session is never given to another one: a row it left behind could never join a new session.
 *   `message_count` and `last_seq` are kept on the row so no call counts messages.
 * - `sessions_list_idx` serves `listSessions` (keyset: newest `updated_at` first, ties by id),
 *   `sessions_expiry_idx` serves `purgeExpired`.
 * - `session_messages`: one row per message, its stored text verbatim; the primary key
 *   (sid, seq) is the index every range read walks (the newest n: n index steps).
 * - `session_idempotency_keys`: applied keys and the result they first gave.
 *
 * Ids compare by bytes (SQLite's BINARY collation), which orders them as JavaScript does except
 * between characters U+E000..U+FFFF and characters outside the BMP; that only breaks a tie of
 * two sessions updated in the same millisecond, and the keyset stays consistent either way.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    tag: '0001_initial',
    sql: `
      CREATE TABLE sessions (
        sid INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id TEXT NOT NULL,
        id TEXT NOT NULL,
        metadata TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        expires_at INTEGER,
        ttl_ms INTEGER,
        last_seq INTEGER NOT NULL,
        message_count INTEGER NOT NULL,
        UNIQUE (user_id, id)
      );
      CREATE INDEX sessions_list_idx ON sessions (user_id, updated_at DESC, id);
      CREATE INDEX sessions_expiry_idx ON sessions (expires_at) WHERE expires_at IS NOT NULL;
      CREATE TABLE session_messages (
        sid INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (sid, seq)
      );
      CREATE TABLE session_idempotency_keys (
        sid INTEGER NOT NULL,
        key TEXT NOT NULL,
        first_seq INTEGER NOT NULL,
        last_seq INTEGER NOT NULL,
        removed INTEGER NOT NULL,
        PRIMARY KEY (sid, key)
      ) WITHOUT ROWID;
    `,
  },
];

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
