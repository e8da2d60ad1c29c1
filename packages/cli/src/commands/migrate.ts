import type { SessionStore } from '@sessions/core';
import type { Output } from '../output.js';

/**
 * `sessions migrate`: sets the store up (`store.setup()`): applies the schema of a SQL store,
 * creates the DynamoDB table and its index; nothing to do for Redis and memory. Safe to re-run.
 * The store was opened with setup on; this reports it.
 */
export function migrateCommand(store: SessionStore, out: Output): Promise<void> {
  out.result({ backend: store.backend, migrated: true }, () => `${store.backend}: the store is set up (schema and tables up to date)`);
  return Promise.resolve();
}
