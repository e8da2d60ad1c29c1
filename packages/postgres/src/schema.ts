import { sql } from 'drizzle-orm';
import {
  bigint,
  customType,
  foreignKey,
  index,
  integer,
  json,
  pgSchema,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { DEFAULT_SCHEMA } from './driver/schema-name.js';

/**
 * Ids compare by byte ("C" collation), not by the database's locale: the listing order must be
 * the same on every server (ties in `updatedAt` sort by id), and byte comparison is faster.
 */
const id = customType<{ data: string; notNull: true }>({ dataType: () => 'text COLLATE "C"' });

/** Millisecond-precision instants, read back as `Date`s. */
const instant = (name: string) => timestamp(name, { precision: 3, withTimezone: true, mode: 'date' });

/**
 * The store's tables in the PostgreSQL schema `schemaName`, as drizzle tables: use them to query
 * the store's data with drizzle (reports, admin tools). Messages and metadata are `json`, not
 * `jsonb`: `json` keeps the text exactly as written, including `\u0000` escapes that `jsonb`
 * refuses (a NUL inside a string is valid JSON that every other backend stores).
 */
export function sessionTables(schemaName: string = DEFAULT_SCHEMA) {
  // drizzle refuses pgSchema('public'): tables there are plain pgTable()s.
  const table = (schemaName === DEFAULT_SCHEMA ? pgTable : pgSchema(schemaName).table) as typeof pgTable;

  const sessions = table(
    'sessions',
    {
      /** The user id, or its storage key when the id is too long for an index entry (see `userIdFull`). */
      userId: id('user_id').notNull(),
      /** The session id, or its storage key when the id is too long for an index entry (see `idFull`). */
      id: id('id').notNull(),
      /** The user id as given, set only when `userId` holds a storage key (schema version 3). */
      userIdFull: text('user_id_full'),
      /** The session id as given, set only when `id` holds a storage key (schema version 3). */
      idFull: text('id_full'),
      metadata: json('metadata').notNull(),
      createdAt: instant('created_at').notNull(),
      updatedAt: instant('updated_at').notNull(),
      /** `null`: never expires. */
      expiresAt: instant('expires_at'),
      /** The session's own TTL, slid by every write; `null`: never expires. */
      ttlMs: bigint('ttl_ms', { mode: 'number' }),
      lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
      messageCount: integer('message_count').notNull().default(0),
    },
    (t) => [
      primaryKey({ name: 'sessions_pkey', columns: [t.userId, t.id] }),
      // listSessions: a keyset scan over (user, newest first, id).
      index('sessions_list_idx').on(t.userId, t.updatedAt.desc(), t.id),
      // purgeExpired: finds expired sessions without a scan (schema version 2).
      index('sessions_expires_at_idx').on(t.expiresAt).where(sql`${t.expiresAt} IS NOT NULL`),
    ],
  );

  const messages = table(
    'session_messages',
    {
      userId: id('user_id').notNull(),
      sessionId: id('session_id').notNull(),
      seq: bigint('seq', { mode: 'number' }).notNull(),
      message: json('message').notNull(),
      createdAt: instant('created_at').notNull(),
    },
    (t) => [
      primaryKey({ name: 'session_messages_pkey', columns: [t.userId, t.sessionId, t.seq] }),
      // Deleting a session (deleteSession, deleteUser, purgeExpired, an expired restart) takes its messages.
      foreignKey({ name: 'session_messages_session_fk', columns: [t.userId, t.sessionId], foreignColumns: [sessions.userId, sessions.id] }).onDelete('cascade'),
    ],
  );

  const idempotencyKeys = table(
    'session_idempotency_keys',
    {
      userId: id('user_id').notNull(),
      sessionId: id('session_id').notNull(),
      key: id('key').notNull(),
      firstSeq: bigint('first_seq', { mode: 'number' }).notNull(),
      lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
      /** How many messages the keyed write removed (a tail replacement); null for an append (schema version 3). */
      removed: bigint('removed', { mode: 'number' }),
      createdAt: instant('created_at').notNull(),
    },
    (t) => [
      primaryKey({ name: 'session_idempotency_keys_pkey', columns: [t.userId, t.sessionId, t.key] }),
      // Keys live as long as their session.
      foreignKey({ name: 'session_idempotency_keys_session_fk', columns: [t.userId, t.sessionId], foreignColumns: [sessions.userId, sessions.id] }).onDelete('cascade'),
    ],
  );

  return { sessions, messages, idempotencyKeys };
}

/** The drizzle tables of one PostgreSQL schema, as {@link sessionTables} returns them. */
export type SessionTables = ReturnType<typeof sessionTables>;
