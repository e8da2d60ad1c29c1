/**
 * `@sessions/postgres/drizzle`: the store's tables as drizzle tables, for apps that query or
 * join against them with drizzle-orm. A subpath of its own, so the store itself (the main
 * entry) never loads drizzle-orm, which is an optional peer dependency.
 */
export { sessionTables, type SessionTables } from './schema.js';
export { DEFAULT_SCHEMA } from './driver/schema-name.js';
