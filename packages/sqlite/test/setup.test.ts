import { join } from 'node:path';
import { isSessionStoreError } from '@sessions/core';
import { SCHEMA_VERSION, schemaVersion, SqliteSessionStore } from '@sessions/sqlite';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './support/temp-dir.js';

const temp = tempDir('setup');
afterAll(() => temp.remove());
let files = 0;
const freshFile = () => join(temp.dir, `db-${++files}.db`);

describe('setup(): versioned migrations', () => {
  it('creates the tables, records the version, and is a no-op when re-run (also from a second store)', async () => {
    const path = freshFile();
    await using store = new SqliteSessionStore({ path });
    expect(schemaVersion(store.database)).toBe(0);
    await store.setup();
    expect(schemaVersion(store.database)).toBe(SCHEMA_VERSION);
    await store.append('u', 's', { role: 'user', content: 'kept' });
    await store.setup();
    await using other = new SqliteSessionStore({ path });
    await other.setup();
    const rows = store.database.prepare('SELECT version, tag FROM sessions_schema_migrations ORDER BY version').all();
    expect(rows).toEqual([{ version: 1, tag: '0001_initial' }]);
    expect((await other.getMessages('u', 's')).map((m) => m.message)).toEqual([{ role: 'user', content: 'kept' }]);
  });

  it('refuses a database whose schema is newer than the code, with a clear error, and changes nothing', async () => {
    const path = freshFile();
    await using store = new SqliteSessionStore({ path });
    await store.setup();
    store.database.prepare('INSERT INTO sessions_schema_migrations (version, tag, applied_at) VALUES (?, ?, ?)').run(SCHEMA_VERSION + 1, '9999_future', Date.now());
    const error: unknown = await store.setup().catch((e: unknown) => e);
    expect(isSessionStoreError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toMatch(/^\[sessions\] \[sqlite\] this database has schema version 2, newer than the 1 .*upgrade @sessions\/sqlite/);
    expect(schemaVersion(store.database)).toBe(SCHEMA_VERSION + 1);
  });

  it('setup() from several connections to one file applies each migration once', async () => {
    const path = freshFile();
    const stores = Array.from({ length: 4 }, () => new SqliteSessionStore({ path }));
    await Promise.all(stores.map((s) => s.setup()));
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM sessions_schema_migrations').get()).toEqual({ n: 1 });
    db.close();
    await Promise.all(stores.map((s) => s.close()));
  });

  it('a store used before setup() says to run it (UNAVAILABLE), and works once it has run', async () => {
    await using store = new SqliteSessionStore({ path: ':memory:' });
    const error: unknown = await store.append('u', 's', { role: 'user' }).catch((e: unknown) => e);
    expect(isSessionStoreError(error, 'UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/run `await store.setup\(\)`/);
    const health = await store.health();
    expect(health.ok).toBe(true);
    await store.setup();
    expect(await store.append('u', 's', { role: 'user' })).toEqual({ firstSeq: 1, lastSeq: 1, duplicate: false });
  });
});
