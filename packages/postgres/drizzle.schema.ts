/**
 * The entry drizzle-kit generates migrations from (not shipped). The tables are built in a
 * placeholder schema; `migrate()` substitutes the caller's schema name at apply time, so one set
 * of migration files serves every schema. See README "Migrations".
 */
import { pgSchema } from 'drizzle-orm/pg-core';
import { MIGRATION_SCHEMA_PLACEHOLDER } from './src/driver/migration-files.js';
import { sessionTables } from './src/schema.js';

export const placeholderSchema = pgSchema(MIGRATION_SCHEMA_PLACEHOLDER);
export const { sessions, messages, idempotencyKeys } = sessionTables(MIGRATION_SCHEMA_PLACEHOLDER);
