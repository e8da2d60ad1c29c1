import type { Output } from '../output.js';
import { openStore } from '../open-store.js';
import type { StoreUrl } from '../store-url.js';

/**
 * `sessions migrate`: applies the PostgreSQL schema (or PGlite's) or creates the DynamoDB
 * table and its index. Safe to re-run. Redis and memory stores need no schema.
 */
export async function migrateCommand(out: Output, url: StoreUrl & { text: string }): Promise<void> {
  if (url.kind === 'memory' || url.kind === 'redis' || url.kind === 'redis-cluster') {
    out.result({ backend: url.kind, migrated: false }, () => `${url.kind}: no schema to apply`);
    return;
  }
  const store = await openStore(url, { migrate: true });
  await store.close();
  out.result({ backend: url.kind, migrated: true }, () => `${url.kind}: schema is up to date`);
}
