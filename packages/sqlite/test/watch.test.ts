import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { SessionChange, SessionStore } from '@sessions/core';
import { SqliteSessionStore } from '@sessions/sqlite';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './support/temp-dir.js';

/**
 * watch() is told of writes: with the watch's own poll set to a minute, only a notification can
 * deliver a change within the test's time, so each test passes only if one arrived.
 */
const temp = tempDir('watch');
afterAll(() => temp.remove());
const APPEND_ONCE = join(import.meta.dirname, 'support', 'append-once.ts');
const NO_POLL = 60_000;

/** The first change of a watch that is not the initial replay, then stops the watch. */
async function nextAppend(store: SessionStore, userId: string, sessionId: string, write: () => Promise<void>): Promise<SessionChange> {
  const stop = new AbortController();
  const changes = store.watch(userId, sessionId, { pollIntervalMs: NO_POLL, signal: stop.signal })[Symbol.asyncIterator]();
  const first = changes.next();
  // Let the watch subscribe and make its first (empty) round before writing.
  await new Promise((resolve) => setTimeout(resolve, 200));
  await write();
  const change = (await first).value as SessionChange;
  stop.abort();
  await changes.return?.();
  return change;
}

describe('watch over SQLite: notifications', () => {
  it('hears an append by another store (its own connection) of this process', async () => {
    const file = join(temp.dir, 'in-process.db');
    await using watcher = new SqliteSessionStore({ path: file });
    await watcher.setup();
    await using writer = new SqliteSessionStore({ path: file });
    const change = await nextAppend(watcher, 'u', 's', async () => {
      await writer.append('u', 's', { role: 'user', content: 'from another connection' });
    });
    expect(change).toMatchObject({ type: 'appended', messages: [{ seq: 1, message: { content: 'from another connection' } }] });
  });

  it('hears an append by another process', async () => {
    const file = join(temp.dir, 'other-process.db');
    await using watcher = new SqliteSessionStore({ path: file });
    await watcher.setup();
    const change = await nextAppend(watcher, 'u', 's', async () => {
      await new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ['--conditions=@sessions/source', '--import', 'tsx', APPEND_ONCE, file, 'u', 's', 'from another process'], { stdio: 'inherit' });
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`append-once exited with ${code}`))));
      });
    });
    expect(change).toMatchObject({ type: 'appended', messages: [{ seq: 1, message: { content: 'from another process' } }] });
  });

  it('hears an append by another store sharing its :memory: connection', async () => {
    const db = new Database(':memory:');
    const watcher = new SqliteSessionStore({ database: db });
    await watcher.setup();
    const writer = new SqliteSessionStore({ database: db });
    const change = await nextAppend(watcher, 'u', 's', async () => {
      await writer.append('u', 's', { role: 'user', content: 'same connection' });
    });
    expect(change).toMatchObject({ type: 'appended', messages: [{ seq: 1 }] });
    await watcher.close();
    await writer.close();
    db.close();
  });
});
