import { PostgresDriverError } from './errors.js';
import { loadMigrationFiles, MIGRATION_SCHEMA_PLACEHOLDER, type MigrationFile } from './migration-files.js';
import type { SqlClient, SqlRunner } from './sql-client.js';
import { quoteIdent, tableNames } from './tables.js';

/** What {@link migrateSchema} did. */
export interface MigrationResult {
  /** The schema version before the call (0 for a database without the store's tables). */
  from: number;
  /** The schema version after the call. */
  to: number;
  /** The migrations applied by this call, by drizzle-kit tag; empty when already up to date. */
  applied: string[];
}

// Key space of the advisory lock (first int4 of the pair): "sess" in ASCII.
const LOCK_CLASS = 0x73657373;
const PLACEHOLDER = quoteIdent(MIGRATION_SCHEMA_PLACEHOLDER);

/**
 * Brings the store's tables in `schema` up to date, in one transaction under an advisory lock
 * on the schema name, so concurrent callers (several app instances starting at once) apply
 * each migration exactly once; the others wait and find nothing to do. Each applied version is
 * recorded in `sessions_schema_migrations`. Re-running is a no-op. Nothing is written when a
 * statement fails (PostgreSQL DDL is transactional). A schema at a version this code does not
 * know (written by a newer release) is refused, not used.
 *
 * `toVersion` stops at an older version (tests of upgrades).
 */
export async function migrateSchema(db: SqlClient, schema: string, toVersion?: number): Promise<MigrationResult> {
  const files = await loadMigrationFiles();
  const target = toVersion ?? files.length;
  const t = tableNames(schema);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1::int4, hashtext($2::text))', [LOCK_CLASS, schema]);
    await ensureVersionTable(tx, schema, t.schema, t.migrations);
    const rows = await tx.query<{ version: number | null }>(`SELECT max(version)::float8 AS version FROM ${t.migrations}`, []);
    const from = rows[0]?.version ?? 0;
    if (from > files.length) {
      throw new PostgresDriverError(
        'INVALID_ARGUMENT',
        `the store's tables in this schema are at version ${from}, newer than this release of @sessions/postgres knows (${files.length}); upgrade @sessions/postgres`,
      );
    }
    const pending = files.filter((f) => f.version > from && f.version <= target);
    for (const file of pending) await apply(tx, file, t.schema, t.migrations);
    return { from, to: Math.max(from, pending.at(-1)?.version ?? from), applied: pending.map((f) => f.tag) };
  });
}

// Checks before creating, rather than IF NOT EXISTS: that form sends a NOTICE when the object
// is there, and a caller's postgres.js client prints notices to the console by default.
async function ensureVersionTable(tx: SqlRunner, schema: string, quotedSchema: string, table: string): Promise<void> {
  const [found] = await tx.query<{ schema: boolean; table: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1::text) AS schema, to_regclass($2::text) IS NOT NULL AS table',
    [schema, table],
  );
  if (!found?.schema) await tx.query(`CREATE SCHEMA ${quotedSchema}`, []);
  if (!found?.table) {
    await tx.query(`CREATE TABLE ${table} (version integer PRIMARY KEY, tag text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`, []);
  }
}

async function apply(tx: SqlRunner, file: MigrationFile, quotedSchema: string, versionTable: string): Promise<void> {
  for (const statement of file.statements) {
    // The schema itself exists by now (ensureVersionTable made it).
    if (/^CREATE SCHEMA\b/i.test(statement)) continue;
    // split/join, not replaceAll: a replacement string reads `$$`, `$&`... as patterns, and a
    // schema name may hold them (`tenant$$b`).
    await tx.query(statement.split(PLACEHOLDER).join(quotedSchema), []);
  }
  await tx.query(`INSERT INTO ${versionTable} (version, tag) VALUES ($1::int4, $2::text)`, [file.version, file.tag]);
}
