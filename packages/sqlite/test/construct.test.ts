import { existsSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isSessionStoreError, openStore } from '@sessions/core';
import { parseSqliteUrl, SqliteSessionStore } from '@sessions/sqlite';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './support/temp-dir.js';

const temp = tempDir('construct');
afterAll(() => temp.remove());

describe('sqlite: URLs', () => {
  it.each([
    ['sqlite:./data/sessions.db', './data/sessions.db'],
    ['sqlite:data/sessions.db', 'data/sessions.db'],
    ['sqlite:/var/lib/app/s.db', '/var/lib/app/s.db'],
    ['sqlite:///var/lib/app/s.db', '/var/lib/app/s.db'],
    ['sqlite::memory:', ':memory:'],
    ['SQLITE:./x.db', './x.db'],
  ])('%s names %s', (url, path) => {
    expect(parseSqliteUrl(url)).toEqual({ path, settings: {} });
  });

  it('reads busyTimeoutMs and synchronous from the query', () => {
    expect(parseSqliteUrl('sqlite:./x.db?busyTimeoutMs=10000&synchronous=full')).toEqual({
      path: './x.db',
      settings: { busyTimeoutMs: 10000, synchronous: 'FULL' },
    });
  });

  it.each([
    ['sqlite:', /names no database/],
    ['sqlite://host/x.db', /no host/],
    ['sqlite:./x.db?keyPrefix=a', /unknown query parameter "keyPrefix"/],
    ['sqlite:./x.db?busyTimeoutMs=-1', /busyTimeoutMs must be/],
    ['sqlite:./x.db?synchronous=OFF', /synchronous must be/],
    ['redis://localhost', /not "sqlite:"/],
  ])('refuses %s', (url, why) => {
    let error: unknown;
    try {
      parseSqliteUrl(url);
    } catch (e) {
      error = e;
    }
    expect(isSessionStoreError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toMatch(why);
  });
});

describe('construction and ownership', () => {
  it('openStore("sqlite:...") opens a file, creating its missing parent directories; the store owns it', async () => {
    const file = join(temp.dir, 'a', 'b', 'c', 'conversations.db');
    const url = `sqlite:./${relative(process.cwd(), file)}`;
    const store = await openStore(url);
    expect(store).toBeInstanceOf(SqliteSessionStore);
    await store.setup();
    await store.session('user_123', 'conversation').append({ role: 'user', content: 'hi' });
    expect(existsSync(file)).toBe(true);
    const db = (store as SqliteSessionStore).database;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    await store.close();
    expect(db.open).toBe(false);
    await using again = await SqliteSessionStore.fromUrl(`sqlite:${file}?synchronous=FULL&busyTimeoutMs=250`);
    expect(again.database.pragma('synchronous', { simple: true })).toBe(2);
    expect(again.database.pragma('busy_timeout', { simple: true })).toBe(250);
    expect((await again.getMessages('user_123', 'conversation')).map((m) => m.message)).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('leaves a database passed in open, and closes one it opened', async () => {
    const db = new Database(':memory:');
    const store = new SqliteSessionStore({ database: db });
    await store.setup();
    await store.close();
    expect(db.open).toBe(true);
    expect(isSessionStoreError(await store.getSession('u', 's').catch((e: unknown) => e), 'CLOSED')).toBe(true);
    db.close();
  });

  it('refuses both or neither of database and path, and bad settings, before opening anything', () => {
    const db = new Database(':memory:');
    for (const options of [{}, { database: db, path: ':memory:' }, { path: ':memory:', busyTimeoutMs: -5 }, { path: ':memory:', synchronous: 'OFF' as never }]) {
      let error: unknown;
      try {
        new SqliteSessionStore(options);
      } catch (e) {
        error = e;
      }
      expect(isSessionStoreError(error, 'INVALID_ARGUMENT'), JSON.stringify(Object.keys(options))).toBe(true);
    }
    db.close();
  });

  it('a file that cannot be opened is UNAVAILABLE, with the path in the message', () => {
    const blocker = join(temp.dir, 'a-file');
    writeFileSync(blocker, 'not a directory');
    let error: unknown;
    try {
      new SqliteSessionStore({ path: join(blocker, 'sessions.db') });
    } catch (e) {
      error = e;
    }
    expect(isSessionStoreError(error, 'UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/cannot open the SQLite database/);
  });

  it('a caller closing its own database gives UNAVAILABLE, never a raw error', async () => {
    const db = new Database(':memory:');
    const store = new SqliteSessionStore({ database: db });
    await store.setup();
    db.close();
    const error: unknown = await store.append('u', 's', { role: 'user' }).catch((e: unknown) => e);
    expect(isSessionStoreError(error, 'UNAVAILABLE')).toBe(true);
    expect((await store.health()).ok).toBe(false);
  });

  it('ids of the longest allowed length work', async () => {
    await using store = new SqliteSessionStore({ path: ':memory:' });
    await store.setup();
    const userId = 'u'.repeat(512);
    const sessionId = '🙂'.repeat(256);
    await store.append(userId, sessionId, { role: 'user' });
    expect((await store.listSessions(userId)).items.map((s) => s.id)).toEqual([sessionId]);
  });
});
