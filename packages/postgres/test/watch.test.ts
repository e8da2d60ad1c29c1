import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { JsonObject, SessionChange, SessionStore } from '@sessions/core';
import { PostgresSessionStore } from '@sessions/postgres';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema } from './support/ids.js';
import { dropSchema, newClient, postgresUrl, sharedPGlite } from './support/servers.js';

/**
 * watch() over LISTEN / NOTIFY. Every watch here polls once a minute, so a change that
 * arrives within the test's time was delivered by a notification: each test passes only if
 * the writes notified and the store listened.
 */
const NO_POLL = 60_000;
const WITHIN_MS = 10_000;
const WRITER = join(import.meta.dirname, 'support', 'watch-writer.ts');

type Change = SessionChange<JsonObject>;

const seqs = (changes: Change[]) => changes.flatMap((c) => (c.type === 'appended' ? c.messages.map((m) => m.seq) : []));
const count = (changes: Change[], type: Change['type']) => changes.filter((c) => c.type === type).length;

/** A watch running in the background, its changes collected as they come. */
function follow(store: SessionStore, userId: string, sessionId: string) {
  const controller = new AbortController();
  const changes: Change[] = [];
  let arrived: (() => void) | undefined;
  const running = (async () => {
    for await (const change of store.watch(userId, sessionId, { pollIntervalMs: NO_POLL, signal: controller.signal })) {
      changes.push(change);
      arrived?.();
    }
  })();
  return {
    changes,
    /** Waits until `done(changes)` holds; fails after {@link WITHIN_MS}. */
    async until(done: (changes: Change[]) => boolean, what: string): Promise<void> {
      const deadline = Date.now() + WITHIN_MS;
      while (!done(changes)) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no ${what} within ${WITHIN_MS} ms; got ${JSON.stringify(changes.map((c) => c.type))}`);
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([running, new Promise<void>((resolve) => ((arrived = resolve), (timer = setTimeout(resolve, left))))]);
        clearTimeout(timer);
      }
    },
    async stop(): Promise<void> {
      controller.abort();
      await running;
    },
  };
}

/** Every kind of write, each seen by a watcher that does not poll. */
function everyWriteNotifies(open: () => Promise<{ watcher: SessionStore; writer: SessionStore }>) {
  it('appends, pops, trims, rewrites, updates, tail replacements, forks, deletes and deleteUser each wake a watcher that does not poll', async () => {
    const { watcher, writer } = await open();
    const user = `u-${Math.random().toString(36).slice(2)}`;
    const watch = follow(watcher, user, 's');
    const fork = follow(watcher, user, 'fork');
    try {
      await writer.append(user, 's', [{ n: 1 }, { n: 2 }]);
      await watch.until((c) => seqs(c).length === 2, 'append');
      await writer.append(user, 's', [{ n: 3 }, { n: 4 }, { n: 5 }]);
      await watch.until((c) => seqs(c).length === 5, 'second append');
      const changed = () => count(watch.changes, 'changed');
      let before = changed();
      for (const [what, write] of [
        ['pop', () => writer.popMessage(user, 's')],
        ['trim', () => writer.trimSession(user, 's', { beforeSeq: 2 })],
        ['rewrite', () => writer.rewriteMessages(user, 's', [{ seq: 3, message: { n: 33 } }])],
        ['update', () => writer.updateSession(user, 's', { metadata: { seen: true } })],
        ['clear', () => writer.clearSession(user, 's')],
      ] as const) {
        // A change is told from an append by updatedAt: let the clock move.
        await new Promise((resolve) => setTimeout(resolve, 5));
        await write();
        await watch.until(() => changed() > before, what);
        before = changed();
      }
      await writer.replaceTail(user, 's', { afterSeq: 0, messages: [{ n: 6 }] });
      await watch.until((c) => seqs(c).includes(6), 'replaceTail');
      await writer.forkSession(user, 's', { newSessionId: 'fork' });
      await fork.until((c) => seqs(c).includes(6), 'fork into the watched id');
      await writer.deleteSession(user, 's');
      await watch.until((c) => count(c, 'deleted') === 1, 'delete');
      await writer.append(user, 's', { n: 1 });
      await watch.until((c) => seqs(c).filter((s) => s === 1).length === 2, 'append to a new session');
      await writer.deleteUser(user);
      await watch.until((c) => count(c, 'deleted') === 2, 'deleteUser');
      await fork.until((c) => count(c, 'deleted') === 1, 'deleteUser, for the fork');
    } finally {
      await watch.stop();
      await fork.stop();
    }
  });
}

describe.skipIf(!postgresUrl)('watch over a PostgreSQL server', () => {
  const schema = freshSchema('watch');
  const admin = newClient({ max: 1 });
  const clients = [newClient(), newClient()];
  const [watcher, writer] = clients.map((client) => new PostgresSessionStore({ client, schema })) as [PostgresSessionStore, PostgresSessionStore];
  beforeAll(async () => {
    await watcher.setup();
  });
  afterAll(async () => {
    await watcher.close();
    await writer.close();
    await dropSchema(admin, schema);
    await Promise.all([admin, ...clients].map((c) => c.end({ timeout: 5 })));
  });

  everyWriteNotifies(async () => ({ watcher, writer }));

  it('delivers every message a writer in another process appends, in order', async () => {
    const watch = follow(watcher, 'u', 'other-process');
    try {
      await new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ['--conditions=@sessions/source', '--import', 'tsx', WRITER, postgresUrl!, schema, 'u', 'other-process', '25'], {
          stdio: ['ignore', 'inherit', 'inherit'],
        });
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the writer exited with ${code}`))));
      });
      await watch.until((c) => seqs(c).length >= 25, 'the other process\'s 25 messages');
      expect(seqs(watch.changes)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      const messages = watch.changes.flatMap((c) => (c.type === 'appended' ? c.messages.map((m) => m.message) : []));
      expect(messages.map((m) => m['n'])).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      expect(messages[0]?.['content']).not.toBe(`from pid ${process.pid}`);
    } finally {
      await watch.stop();
    }
  });

  it('notifies once per committed write, on the schema channel, with a 16-digit hash and no content; a write that fails sends nothing', async () => {
    const listener = newClient({ max: 1 });
    const payloads: string[] = [];
    try {
      await listener.listen(`sessions.${schema}`, (payload) => payloads.push(payload));
      await writer.append('secret-user', 'secret-session', { text: 'secret content' });
      await expect(writer.append('secret-user', 'secret-session', { n: 2 }, { expectedLastSeq: 7 })).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(writer.append('secret-user', 'missing', { n: 2 }, { create: false })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await writer.append('secret-user', 'secret-session', [{ n: 2 }, { n: 3 }], { idempotencyKey: 'k' });
      await writer.append('secret-user', 'secret-session', [{ n: 2 }, { n: 3 }], { idempotencyKey: 'k' }); // duplicate: nothing written
      // The listener's own round trip after the writes: notifications committed before it have arrived.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(payloads).toHaveLength(2);
      expect(new Set(payloads).size).toBe(1);
      expect(payloads[0]).toMatch(/^[0-9a-f]{16}$/);
    } finally {
      await listener.end({ timeout: 5 });
    }
  });

  it('listens again after its listening connection is cut, and wakes its watchers then', async () => {
    const app = `sessions_watch_cut_${process.pid}`;
    const client = postgres(postgresUrl!, { max: 2, onnotice: () => undefined, connection: { application_name: app } });
    const store = new PostgresSessionStore({ client, schema });
    const listening = async () =>
      (await admin<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE application_name = ${app} AND query ILIKE 'listen%'`).map((r) => r.pid);
    const watch = follow(store, 'u', 'cut');
    try {
      await writer.append('u', 'cut', { n: 1 });
      await watch.until((c) => seqs(c).length === 1, 'the first append');
      const [pid] = await listening();
      expect(pid).toBeDefined();
      await admin`SELECT pg_terminate_backend(${pid!})`;
      // postgres.js opens a new listening connection and runs LISTEN on it again.
      const deadline = Date.now() + WITHIN_MS;
      while (!(await listening()).some((p) => p !== pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      await writer.append('u', 'cut', { n: 2 });
      await watch.until((c) => seqs(c).length === 2, 'an append after the cut');
    } finally {
      await watch.stop();
      await store.close();
      await client.end({ timeout: 5 });
    }
  });
});

describe('watch over PGlite', () => {
  const schema = freshSchema('watch');
  let stores: PostgresSessionStore[] = [];
  afterAll(async () => {
    for (const store of stores) await store.close();
  });
  // Two stores over the process's one PGlite, as two parts of an app would share it.
  everyWriteNotifies(async () => {
    const pglite = await sharedPGlite();
    stores = [new PostgresSessionStore({ pglite, schema }), new PostgresSessionStore({ pglite, schema })];
    await stores[0]!.setup();
    return { watcher: stores[0]!, writer: stores[1]! };
  });
});
