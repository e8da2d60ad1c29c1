import { readFile } from 'node:fs/promises';

/**
 * The schema name drizzle-kit generates the migrations for. `migrate()` replaces its quoted form
 * (`"__sessions_schema__"`) with the caller's schema, quoted as an identifier.
 */
export const MIGRATION_SCHEMA_PLACEHOLDER = '__sessions_schema__';

/** One migration shipped with the package, its statements ready to run in order. */
export interface MigrationFile {
  /** 1, 2, 3...: the schema version the migration brings the database to. */
  version: number;
  /** drizzle-kit's name of the migration, e.g. `0000_initial`. */
  tag: string;
  /** The statements, still with the placeholder schema. */
  statements: string[];
}

interface Journal {
  entries: { idx: number; tag: string }[];
}

// Shipped next to dist/ and src/ (package "files"), so the same relative path works from both.
const MIGRATIONS_DIR = new URL('../../migrations/', import.meta.url);

let cached: Promise<MigrationFile[]> | undefined;

/** The package's migrations in order, read once from `migrations/` (drizzle-kit's journal and SQL files). */
export function loadMigrationFiles(): Promise<MigrationFile[]> {
  cached ??= readMigrationFiles().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function readMigrationFiles(): Promise<MigrationFile[]> {
  const journal = JSON.parse(await readFile(new URL('meta/_journal.json', MIGRATIONS_DIR), 'utf8')) as Journal;
  const entries = [...journal.entries].sort((a, b) => a.idx - b.idx);
  return Promise.all(
    entries.map(async (entry) => {
      const text = await readFile(new URL(`${entry.tag}.sql`, MIGRATIONS_DIR), 'utf8');
      const statements = text
        .split('--> statement-breakpoint')
        .map((s) => s.trim())
        .filter(Boolean);
      return { version: entry.idx + 1, tag: entry.tag, statements };
    }),
  );
}
