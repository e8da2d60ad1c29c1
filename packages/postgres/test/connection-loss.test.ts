import { PostgresSessionStore } from '@sessions/postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema } from './support/ids.js';
import { dropSchema, newClient, postgresUrl } from './support/servers.js';

const APP = `sessions_cut_${process.pid}`;

// Connections cut by the server while postgres.js starts them up (a restart, a failover,
// pg_terminate_backend) must fail calls with UNAVAILABLE, never end the process: postgres.js
// drops the promise of its array-type fetch when that happens (postgres.js issues 1192, 1205,
// 1223), so the store's own pools run without that fetch.
describe.skipIf(!postgresUrl)('connections terminated while clients connect', () => {
  const schema = freshSchema('cut');
  const admin = newClient({ max: 1 });
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  beforeAll(async () => {
    process.on('unhandledRejection', record);
    const store = new PostgresSessionStore({ client: admin, schema });
    await store.setup();
  });
  afterEach(() => {
    expect(unhandled, 'no unhandled rejection').toEqual([]);
  });
  afterAll(async () => {
    process.off('unhandledRejection', record);
    await dropSchema(admin, schema);
    await admin.end({ timeout: 5 });
  });

  it('fails calls with UNAVAILABLE (or lets them succeed) and never leaks a rejection, over 30 rounds of cuts', async () => {
    const url = new URL(postgresUrl!);
    url.searchParams.set('application_name', APP);
    url.searchParams.set('schema', schema);
    const codes = new Map<string, number>();
    for (let round = 0; round < 30; round++) {
      const store = await PostgresSessionStore.fromUrl(url.toString(), { maxConnections: 4, reconnectDelayMs: 10, connectTimeoutMs: 2000 });
      let cutting = true;
      const cutter = (async () => {
        while (cutting) {
          await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ${APP}`;
        }
      })();
      const calls = Array.from({ length: 8 }, (_, i) =>
        (i % 2 === 0 ? store.append('u', `s${round}`, { i }) : store.getMessages('u', `s${round}`, { limit: 20 })).then(
          () => 'ok',
          (error: unknown) => (error as { code?: string }).code ?? String(error),
        ),
      );
      for (const code of await Promise.all(calls)) codes.set(code, (codes.get(code) ?? 0) + 1);
      cutting = false;
      await cutter;
      await store.close();
    }
    expect([...codes.keys()].every((code) => code === 'ok' || code === 'UNAVAILABLE'), JSON.stringify([...codes])).toBe(true);
    expect(codes.get('UNAVAILABLE') ?? 0, 'the cuts reached calls').toBeGreaterThan(0);
    // Let any late rejection of a dropped promise surface before afterEach looks.
    await new Promise((resolve) => setTimeout(resolve, 200));
  });
});
