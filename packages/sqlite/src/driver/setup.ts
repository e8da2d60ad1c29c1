import { storeErrors } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import { SQLITE_BACKEND } from './errors.js';
import { MIGRATIONS, MIGRATIONS_TABLE, SCHEMA_VERSION, type Migration } from './migrations.js';

/** What {@link migrate} did. */
export interface MigrationResult {
  /** The schema version before the call (0 for a database without the store's tables). */
  from: number;
  /** The schema version after the call. */
  to: number;
  /** The tags of the migrations this call applied; empty when already up to date. */
  applied: string[];
}

/** Parameters of the statement recording an applied migration. */
interface RecordParams {
  version: number;
  tag: string;
  appliedAt: number;
}

const SQL = {
  createTable: `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version INTEGER PRIMARY KEY, tag TEXT NOT NULL, applied_at INTEGER NOT NULL)`,
  current: `SELECT coalesce(max(version), 0) AS version FROM ${MIGRATIONS_TABLE}`,
  record: `INSERT INTO ${MIGRATIONS_TABLE} (version, tag, applied_at) VALUES (@version, @tag, @appliedAt)`,
  tableExists: `SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = '${MIGRATIONS_TABLE}'`,
};

const errors = storeErrors(SQLITE_BACKEND);

/**
 * Brings the store's tables up to date in one `BEGIN IMMEDIATE` transaction: the write lock
 * makes concurrent callers (several processes starting at once) apply each migration exactly
 * once, the others wait and find nothing to do. Re-running is a no-op. A database whose schema
 * is newer than this code is refused (`INVALID_ARGUMENT`) and left untouched. SQLite's DDL is
 * transactional: a failing statement leaves nothing half-applied.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): MigrationResult {
  const run = db.transaction((): MigrationResult => {
    db.exec(SQL.createTable);
    const from = (db.prepare<[], { version: number }>(SQL.current).get()?.version) ?? 0;
    const newest = migrations[migrations.length - 1]?.version ?? 0;
    if (from > newest) {
      throw errors.invalid(
        `this database has schema version ${from}, newer than the ${newest} this version of @sessions/sqlite knows: ` +
          'it was written by a newer release; upgrade @sessions/sqlite rather than open it with this one',
      );
    }
    const record = db.prepare<RecordParams>(SQL.record);
    const pending = migrations.filter((m) => m.version > from);
    for (const migration of pending) {
      db.exec(migration.sql);
      record.run({ version: migration.version, tag: migration.tag, appliedAt: Date.now() });
    }
    return { from, to: Math.max(from, pending.at(-1)?.version ?? from), applied: pending.map((m) => m.tag) };
  });
  return run.immediate();
}

/** The schema version of the database (0 when it has no tables of the store). Reads only. */
export function schemaVersion(db: Database): number {
  if (!db.prepare(SQL.tableExists).get()) return 0;
  return db.prepare<[], { version: number }>(SQL.current).get()?.version ?? 0;
}

export { SCHEMA_VERSION };
