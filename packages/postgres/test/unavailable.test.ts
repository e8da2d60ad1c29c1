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
});
