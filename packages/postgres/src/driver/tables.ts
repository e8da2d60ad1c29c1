import { channelLiteral } from './notify.js';

/** Quotes a PostgreSQL identifier: any name becomes one safe token (`"` doubled). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The store's tables in one PostgreSQL schema, as quoted, schema-qualified names for SQL text. */
export interface TableNames {
  /** The quoted schema name. */
  schema: string;
  sessions: string;
  messages: string;
  keys: string;
  /** The schema version table `migrate()` keeps. */
  migrations: string;
  /** The schema's notification channel as a SQL string literal (see `notify.ts`). */
  channel: string;
}

/** Names of the store's tables in `schema` (checked by the store's options). */
export function tableNames(schema: string): TableNames {
  const s = quoteIdent(schema);
  return {
    schema: s,
    sessions: `${s}."sessions"`,
    messages: `${s}."session_messages"`,
    keys: `${s}."session_idempotency_keys"`,
    migrations: `${s}."sessions_schema_migrations"`,
    channel: channelLiteral(schema),
  };
}
