import { PostgresSessionStore } from '@sessions/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCuttingProxy, type CuttingProxy } from './support/cutting-proxy.js';
import { freshSchema } from './support/ids.js';
import { dropSchema, newClient, postgresUrl } from './support/servers.js';

// postgres.js 3.4.9 leaves a query waiting for a pool connection pending forever when a busy
// connection of a full pool is cut (porsager/postgres#970). The driver runs no more statements
// at once than the pool has connections and ends each within callTimeoutMs, so every call
// settles: with a result, or with UNAVAILABLE.
describe.skipIf(!postgresUrl)('more concurrent calls than pool connections, through cut connections', () => {
  const schema = freshSchema('bounded');
  const admin = newClient({ max: 1 });
  let proxy: CuttingProxy;
  beforeAll(async () => {
    await new PostgresSessionStore({ client: admin, schema }).setup();
    const url = new URL(postgresUrl!);
    proxy = await startCuttingProxy(`${url.hostname}:${url.port || '5432'}`, 17);
  });
  afterAll(async () => {
    await proxy.stop();
    await dropSchema(admin, schema);
    await admin.end({ timeout: 5 });
  });

  it('settles every call of 6 callers on a pool of 2, and closes cleanly', async () => {
    const url = new URL(postgresUrl!);
    url.host = proxy.address;
    url.searchParams.set('schema', schema);
    const store = await PostgresSessionStore.fromUrl(url.toString(), { maxConnections: 2, reconnectDelayMs: 10, connectTimeoutMs: 2000, callTimeoutMs: 2000 });
    const codes = new Map<string, number>();
    let hung = 0;
    let longest = 0;
    await Promise.all(
      Array.from({ length: 6 }, async (_, a) => {
        for (let b = 0; b < 30; b++) {
          const started = Date.now();
          let timer: NodeJS.Timeout | undefined;
          const call = store.append(`u${a % 3}`, 's', { a, b }, { idempotencyKey: `k${a}-${b}` }).then(
            () => 'ok',
            (error: unknown) => (error as { code?: string }).code ?? String(error),
          );
          const outcome = await Promise.race([call, new Promise<string>((resolve) => (timer = setTimeout(() => resolve('hung'), 10_000)))]);
          clearTimeout(timer);
          longest = Math.max(longest, Date.now() - started);
          if (outcome === 'hung') hung++;
          codes.set(outcome, (codes.get(outcome) ?? 0) + 1);
        }
      }),
    );
    process.stdout.write(`[bounded] ${JSON.stringify([...codes])} longest ${longest} ms, ${proxy.cuts()} cuts\n`);
    expect(hung).toBe(0);
    expect([...codes.keys()].filter((code) => code !== 'ok' && code !== 'UNAVAILABLE')).toEqual([]);
    expect(proxy.cuts()).toBeGreaterThan(0);
    // Each message landed once at most, in its own session, whatever the failures.
    const reader = new PostgresSessionStore({ client: admin, schema });
    for (let u = 0; u < 3; u++) {
      const messages = (await reader.getMessages(`u${u}`, 's')).map((m) => m.message as { a: number; b: number });
      expect(messages.every((m) => m.a % 3 === u)).toBe(true);
      expect(new Set(messages.map((m) => `${m.a}-${m.b}`)).size).toBe(messages.length);
    }
    const closing = Date.now();
    await store.close();
    expect(Date.now() - closing).toBeLessThan(10_000);
  }, 120_000);
});
