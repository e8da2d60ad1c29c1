import { PostgresSessionStore } from '@sessions/postgres';
import { startPostgres, type PostgresHandle } from '@sessions/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUrl } from './support/servers.js';

// A server of its own, killed and restarted under a live store (the shared one stays up).
describe.skipIf(!postgresUrl)('PostgresSessionStore when the server goes away', () => {
  let server: PostgresHandle;
  let store: PostgresSessionStore;
  beforeAll(async () => {
    server = await startPostgres();
    store = await PostgresSessionStore.fromUrl(server.url, { maxConnections: 2 });
    await store.setup();
  });
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('fails with UNAVAILABLE and the driver error as cause while it is down, then works again', async () => {
    await store.append('u', 's', { n: 1 });
    await server.kill();
    const error = await store.append('u', 's', { n: 2 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'SessionStoreError', code: 'UNAVAILABLE', retryable: true });
    expect((error as Error).cause).toBeDefined();
    expect((await store.health()).ok).toBe(false);
    // While it stays down, every call keeps failing (no call waits for a reconnection that
    // does not come): the pool's short fixed reconnect delay, not postgres.js's 20 s backoff.
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      await expect(store.getMessages('u', 's', { limit: 1 })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      // A bound against hangs, generous for a loaded machine; not a speed measurement.
      expect(Date.now() - started).toBeLessThan(10_000);
    }

    await server.restart();
    // The pool reconnects on its own; the first call may still meet a dead socket.
    let result;
    for (let attempt = 0; attempt < 5 && !result; attempt++) result = await store.append('u', 's', { n: 3 }).catch(() => undefined);
    expect(result).toMatchObject({ duplicate: false });
    expect((await store.getMessages('u', 's')).map((m) => m.message)).toContainEqual({ n: 3 });
    expect((await store.health()).ok).toBe(true);
  });
  it('a watch opened after the server came back is told of appends again (the LISTEN is re-established)', async () => {
    // The watch of the test above subscribed nothing; this one listens, loses the server, and
    // after the restart a new watch (the old one ended with UNAVAILABLE) must hear a write
    // made through another pool within far less than its one-minute poll.
    const session = `relisten-${Date.now()}`;
    const first = store.watch('u', session, { pollIntervalMs: 60_000 })[Symbol.asyncIterator]();
    const firstRound = first.next();
    await store.append('u', session, { n: 1 });
    expect((await firstRound).value).toMatchObject({ type: 'appended' });
    await first.return?.();
    await server.kill();
    // The listening connection notices, and postgres.js tries to listen again meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await server.restart();
    const writer = await PostgresSessionStore.fromUrl(server.url, { maxConnections: 1 });
    try {
      let ready = false;
      for (let attempt = 0; attempt < 20 && !ready; attempt++) ready = await store.health().then((h) => h.ok);
      const controller = new AbortController();
      const seen: number[] = [];
      const watching = (async () => {
        for await (const change of store.watch('u', session, { afterSeq: 1, pollIntervalMs: 60_000, signal: controller.signal })) {
          if (change.type === 'appended') seen.push(...change.messages.map((m) => m.seq));
        }
      })().catch(() => undefined);
      // Let the new watch make its first (empty) round, then write from another pool.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await writer.append('u', session, { n: 2 });
      const deadline = Date.now() + 10_000;
      while (seen.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort();
      await watching;
      expect(seen).toEqual([2]);
    } finally {
      await writer.close();
    }
  });
});
